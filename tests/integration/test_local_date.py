"""local_date, the SQL China local date of a stored UTC moment, agrees with Python's on both
databases, to the microsecond either side of local midnight (16:00 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, literal, select

from anxun.core.clock import CHINA_TZ
from anxun.core.db import UTCDateTime, local_date

MOMENTS = [
    datetime(2026, 11, 24, 15, 59, 59, 999999, tzinfo=UTC),  # 23:59:59.999999 on 24 Nov
    datetime(2026, 11, 24, 15, 59, 59, 999500, tzinfo=UTC),  # SQLite would round this up
    datetime(2026, 11, 24, 16, 0, tzinfo=UTC),  # 00:00 on 25 Nov
    datetime(2026, 11, 24, 16, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 12, 31, 16, 0, tzinfo=UTC),  # a new year
    datetime(2028, 2, 28, 16, 30, tzinfo=UTC),  # 29 Feb of a leap year
    datetime(2026, 11, 25, 3, 0, tzinfo=UTC),  # midday
]


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.isoformat())
def test_local_date_is_the_china_date_of_the_utc_moment(db, moment):
    got = db.session.scalar(select(local_date(literal(moment, UTCDateTime()))))
    assert got == moment.astimezone(CHINA_TZ).date()
    assert type(got) is date


def test_local_date_of_null_is_null_and_groups(db):
    assert db.session.scalar(select(local_date(literal(None, UTCDateTime())))) is None
    moments = select(*(literal(m, UTCDateTime()).label("at") for m in MOMENTS[:1])).union_all(
        *(select(literal(m, UTCDateTime()).label("at")) for m in MOMENTS[1:])
    )
    rows = moments.subquery()
    day = local_date(rows.c.at)
    counts = dict(db.session.execute(select(day, func.count()).group_by(day)).all())
    assert counts == {
        date(2026, 11, 24): 2,
        date(2026, 11, 25): 3,
        date(2027, 1, 1): 1,
        date(2028, 2, 29): 1,
    }
