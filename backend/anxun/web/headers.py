"""Security headers on every response: no framing, no MIME sniffing, scripts and data from here only."""

from flask import Flask, request

# Everything the PWA, the workspace, the public pages and the docs page load comes from this
# origin, scripts always from files (no inline script, no eval); photos and PDFs fetched with a
# token are shown through blob: URLs. Inline styles remain (style attributes set by scripts).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "connect-src 'self' data: blob:",
        "worker-src 'self'",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=()",
}
# Over TLS only (RFC 6797 §7.2: a browser ignores it over plain HTTP, and sending it there would
# pin a development host). request.is_secure follows X-Forwarded-Proto behind a trusted proxy.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            # Answers and documents (PDF, XLSX, photos) for a signed-in user stay out of every
            # cache, a shared computer's disk included; the PWA keeps its own offline copies.
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        return response
