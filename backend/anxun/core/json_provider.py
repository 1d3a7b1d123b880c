"""JSON for every response: times as RFC 3339 in UTC, decimals and UUIDs as text."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from anxun.core.clock import rfc3339


def _default(value):
    # Flask's own default writes datetimes as HTTP dates ("Tue, 10 Mar 2026 02:00:00 GMT"), which
    # a value nested in a free-form dict (a receipt, a summary) would then carry.
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return DefaultJSONProvider.default(value)


class JSONProvider(DefaultJSONProvider):
    default = staticmethod(_default)
    ensure_ascii = False  # Chinese text travels as UTF-8 rather than as \u escapes
