"""Client addresses behind reverse proxies: trust exactly the configured number of hops."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


class TrustedProxies:
    """Apply ProxyFix with ANXUN_TRUSTED_PROXIES hops, read per request; 0 trusts no header."""

    def __init__(self, app: Flask):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.fixes: dict[int, ProxyFix] = {}

    def __call__(self, environ, start_response):
        hops = int(self.app.config["ANXUN_TRUSTED_PROXIES"])
        if hops <= 0:
            return self.wsgi_app(environ, start_response)
        if hops not in self.fixes:
            self.fixes[hops] = ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops)
        return self.fixes[hops](environ, start_response)


def register(app: Flask) -> None:
    app.wsgi_app = TrustedProxies(app)
