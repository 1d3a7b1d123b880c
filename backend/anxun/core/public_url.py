"""The address people reach the app at: from configuration, never from the request's Host header."""

from flask import current_app


def public_base_url() -> str:
    """ANXUN_PUBLIC_BASE_URL with one trailing slash, for links printed on paper (QR codes)."""
    return current_app.config["ANXUN_PUBLIC_BASE_URL"].rstrip("/") + "/"
