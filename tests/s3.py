"""A real S3 server for tests (SeaweedFS, started by `.ci/run`): the URL, or skip/fail.

ANXUN_TEST_S3_URL is a storage URL without a prefix, e.g.
`s3://anxun-test?endpoint=http://127.0.0.1:8333`; every test gets its own prefix in that bucket.
Locally the tests skip when it is unset or unreachable; with ANXUN_REQUIRE_S3=1 (CI) they fail.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest

S3_URL = os.environ.get("ANXUN_TEST_S3_URL", "")


def _unreachable(url: str) -> str | None:
    from anxun.core.storage import StorageConfigError, parse_url

    try:
        endpoint = parse_url(url)["endpoint"] or ""
    except StorageConfigError as exc:
        return str(exc)
    parts = urlsplit(endpoint)
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=2):
            return None
    except OSError as exc:
        return f"{endpoint}: {exc}"


def s3_url_or_skip() -> str:
    """A fresh, empty storage URL (own prefix) on the test S3 server."""
    if not S3_URL:
        reason = "S3 not configured (set ANXUN_TEST_S3_URL; .ci/run starts SeaweedFS)"
    else:
        reason = _unreachable(S3_URL)
    if reason:
        if os.environ.get("ANXUN_REQUIRE_S3"):
            pytest.fail(f"ANXUN_REQUIRE_S3 is set but S3 is unavailable: {reason}")
        pytest.skip(reason)
    base, _, query = S3_URL.partition("?")
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    return f"{base.rstrip('/')}/{prefix}" + (f"?{query}" if query else "")


def s3_config() -> dict:
    """App configuration for a fresh prefix: URL and keys (SeaweedFS without an identity file
    accepts any key; boto3 must not go looking for instance credentials)."""
    return {
        "ANXUN_STORAGE_URL": s3_url_or_skip(),
        "ANXUN_STORAGE_ACCESS_KEY": os.environ.get("ANXUN_TEST_S3_ACCESS_KEY", "anxun-test"),
        "ANXUN_STORAGE_SECRET_KEY": os.environ.get("ANXUN_TEST_S3_SECRET_KEY", "anxun-test"),
    }
