"""What `make run`'s gunicorn answers behind the app: forwarded headers are trusted only through
ANXUN_TRUSTED_PROXIES, and no server banner names versions (issue #19, points 3 and 6)."""

from __future__ import annotations

import urllib.request

import pytest

from tests.delivery_load import gunicorn


def _headers(url: str) -> dict[str, str]:
    request = urllib.request.Request(
        url + "/api/v1/health",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(("hops", "is_tls"), [("0", False), ("1", True)])
def test_forwarded_proto_counts_only_through_trusted_proxies(app, tmp_path, hops, is_tls):
    env = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "ANXUN_INSTANCE_PATH": app.config["INSTANCE_PATH"],
        "ANXUN_JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
        "ANXUN_TRUSTED_PROXIES": hops,
        "WEB_CONCURRENCY": "1",
    }
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        headers = _headers(base)
    # A client on the same host saying "https" is not a TLS request unless a proxy is trusted.
    assert ("strict-transport-security" in headers) is is_tls
    assert not any(ch.isdigit() for ch in headers.get("server", ""))
