"""The one clock the application reads; tests freeze it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_frozen: datetime | None = None


def now() -> datetime:
    """Current UTC time, or the frozen time in tests."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def rfc3339(value: datetime) -> str:
    """An instant as the API writes it: RFC 3339 in UTC, "2026-11-25T03:00:00+00:00". A naive
    value is taken as UTC, as the database keeps it."""
    utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return utc.isoformat()


def is_frozen() -> bool:
    return _frozen is not None


def today_local() -> date:
    """Today's date in China (UTC+8): validity windows and deadlines are local dates."""
    return now().astimezone(CHINA_TZ).date()


def freeze(at: datetime | None) -> None:
    """Freeze the clock at a UTC time (None unfreezes)."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at


@contextmanager
def as_of(at: datetime) -> Iterator[None]:
    """Run a block with the clock frozen at `at`, then put back whatever it was (frozen or not):
    for writing back-dated history, e.g. the demo's month of inspections."""
    previous = _frozen
    freeze(at)
    try:
        yield
    finally:
        freeze(previous)
