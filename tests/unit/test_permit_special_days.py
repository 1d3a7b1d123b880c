"""GB 30871—2022 5.1.1 (verify: pending): hot work at night, on rest days or holidays goes up a
grade; the calendar is data (night hours, weekends, holidays, make-up working days)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from anxun.permits import special_days

SHIPPED = Path(special_days.__file__).with_name("special_days.yaml")
DAYS = special_days.parse(
    {
        "night": {"start": "18:00", "end": "08:00"},
        "weekends": True,
        "holidays": [{"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07"}],
        "workdays": ["2026-10-10"],
    }
)


def china(*args) -> datetime:
    return datetime(*args, tzinfo=special_days.CHINA_TZ)


def test_the_rule_cites_its_clause_as_unverified():
    assert special_days.UPGRADE_BASIS.clause == "5.1.1"
    assert special_days.UPGRADE_BASIS.verify == "pending"


def test_a_weekday_daytime_window_keeps_the_grade():
    upgrade = special_days.hot_work_grade(
        DAYS, "second", china(2026, 12, 7, 9, 0), china(2026, 12, 7, 17, 0)
    )
    assert upgrade == special_days.Upgrade("second", "")


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (china(2026, 12, 7, 16, 0), china(2026, 12, 7, 19, 0), "夜间（18:00—08:00）"),
        (china(2026, 12, 8, 6, 0), china(2026, 12, 8, 9, 0), "夜间（18:00—08:00）"),
        (china(2026, 12, 12, 9, 0), china(2026, 12, 12, 12, 0), "公休日（星期六）"),
        (china(2026, 10, 2, 9, 0), china(2026, 10, 2, 12, 0), "节假日（国庆节）"),
    ],
)
def test_night_rest_days_and_holidays_raise_second_grade_to_first(start, end, reason):
    upgrade = special_days.hot_work_grade(DAYS, "second", start, end)
    assert upgrade.grade == "first"
    assert reason in upgrade.note
    assert "二级动火升级为一级动火" in upgrade.note and "GB 30871—2022 5.1.1" in upgrade.note


def test_first_grade_goes_to_special_and_special_stays_special():
    start, end = china(2026, 12, 12, 9, 0), china(2026, 12, 12, 12, 0)
    assert special_days.hot_work_grade(DAYS, "first", start, end).grade == "special"
    top = special_days.hot_work_grade(DAYS, "special", start, end)
    assert top.grade == "special" and "已是最高级别" in top.note


def test_a_make_up_working_saturday_is_not_a_rest_day():
    upgrade = special_days.hot_work_grade(
        DAYS, "second", china(2026, 10, 10, 9, 0), china(2026, 10, 10, 17, 0)
    )
    assert upgrade.grade == "second"


def test_the_window_is_judged_in_china_time_and_an_exact_edge_does_not_count():
    # 10:00 UTC is 18:00 in China: a window ending exactly then does not touch the night.
    start = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert special_days.special_reasons(DAYS, start, start + timedelta(hours=9)) == []
    reasons = special_days.special_reasons(DAYS, start, start + timedelta(hours=9, minutes=1))
    assert reasons == ["夜间（18:00—08:00）"]


def test_a_calendar_without_night_or_weekends_raises_nothing():
    plain = special_days.parse({"night": None, "weekends": False})
    start, end = china(2026, 12, 12, 20, 0), china(2026, 12, 13, 2, 0)
    assert special_days.special_reasons(plain, start, end) == []


def test_a_day_both_holiday_and_working_day_is_refused():
    with pytest.raises(ValueError):
        special_days.parse(
            {"holidays": [{"name": "x", "from": "2026-10-01"}], "workdays": ["2026-10-01"]}
        )


def test_the_shipped_calendar_parses_and_says_it_is_unverified():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert data["verify"] == "pending"
    days = special_days.parse(data)
    assert days.night_start is not None and days.weekends
    assert days.rest_day(datetime(2026, 10, 1).date()) == "节假日（国庆节）"
