"""Pure incident rules: categories, lateness against the limit, digests and the timeline."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.incidents import rules

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_the_twenty_categories_of_gb_6441_are_listed_and_marked_unverified():
    assert len(rules.CATEGORIES) == 20
    assert len(set(rules.CATEGORIES.values())) == 20
    assert rules.CATEGORIES["poisoning_asphyxiation"] == "中毒和窒息"
    assert rules.CATEGORY_BASIS["verified"] is False
    assert rules.QUICK_REPORT_BASIS["verified"] is False
    assert "第九条" in rules.QUICK_REPORT_BASIS["title"]


@pytest.mark.parametrize(
    ("minutes_after", "limit", "late"),
    [
        (0, 60, False),
        (59, 60, False),
        (60, 60, False),  # exactly one hour is still on time (《条例》第九条: 1小时内)
        (61, 60, True),
        (60.5, 60, True),
        (25, 30, False),
        (31, 30, True),
        (1440, 60, True),
    ],
)
def test_lateness_against_the_limit(minutes_after, limit, late):
    assert rules.is_late(T0, T0 + timedelta(minutes=minutes_after), limit) is late


@pytest.mark.parametrize(
    ("delta", "minutes"),
    [(timedelta(0), 0), (timedelta(seconds=59), 0), (timedelta(minutes=90, seconds=30), 90)],
)
def test_minutes_between_counts_whole_minutes(delta, minutes):
    assert rules.minutes_between(T0, T0 + delta) == minutes


def test_the_digest_ignores_key_order_but_not_values():
    a = rules.payload_digest({"x": 1, "y": "事故"})
    assert a == rules.payload_digest({"y": "事故", "x": 1})
    assert a != rules.payload_digest({"x": 2, "y": "事故"})
    assert len(a) == 64


def test_the_timeline_orders_reports_and_counts_minutes_from_the_occurrence():
    events = rules.timeline(
        T0,
        [
            {"kind": "follow_up", "sequence": 2, "submitted_at": T0 + timedelta(hours=3)},
            {"kind": "quick", "sequence": 1, "submitted_at": T0 + timedelta(minutes=42)},
            {"kind": "follow_up", "sequence": 3, "submitted_at": T0 + timedelta(days=1)},
        ],
    )
    assert [(e["event"], e["label"], e["minutes"]) for e in events] == [
        ("occurred", "事故发生", 0),
        ("quick", "快报", 42),
        ("follow_up", "第1次续报", 180),
        ("follow_up", "第2次续报", 1440),
    ]


def test_the_category_list_keeps_the_standard_order_as_code_and_label():
    items = rules.category_list()
    assert len(items) == 20
    assert items[0] == {"code": "object_strike", "label": "物体打击"}
    assert items[-1] == {"code": "other_injury", "label": "其他伤害"}


def _report(sequence, days, deaths=0, injuries=0, missing=0):
    return {
        "sequence": sequence,
        "submitted_at": T0 + timedelta(days=days),
        "deaths": deaths,
        "injuries": injuries,
        "missing": missing,
    }


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        # A quick report alone cannot rise.
        ([_report(1, 0, injuries=3)], []),
        # Unchanged or falling numbers are no escalation (an injured worker released, a missing
        # one found alive).
        ([_report(1, 0, injuries=3, missing=1), _report(2, 1, injuries=2)], []),
        # One injured worker dies: deaths 0→1 rises although injuries fall.
        (
            [_report(1, 0, injuries=2), _report(2, 2, deaths=1, injuries=1)],
            [(2, {"deaths": [0, 1]}, True)],
        ),
        # Compared with the report just before, not with the quick report; Art 13 counts 30 days
        # from the occurrence, so day 30 is inside and day 31 outside.
        (
            [
                _report(1, 0, injuries=1),
                _report(2, 30, injuries=2, missing=1),
                _report(3, 31, injuries=2, missing=1),
                _report(4, 31, deaths=1, injuries=2),
            ],
            [(2, {"injuries": [1, 2], "missing": [0, 1]}, True), (4, {"deaths": [0, 1]}, False)],
        ),
    ],
)
def test_escalations_compare_each_follow_up_with_the_report_before(reports, expected):
    found = rules.escalations(T0, list(reversed(reports)))
    assert [(e["sequence"], e["increases"], e["within_supplement_window"]) for e in found] == (
        expected
    )


def test_an_escalation_is_summarised_in_chinese_and_its_basis_is_unverified():
    [found] = rules.escalations(
        T0, [_report(1, 0, injuries=2), _report(2, 1, deaths=1, injuries=3)]
    )
    assert found["summary"] == "死亡 0→1 人，受伤 2→3 人"
    assert found["at"] == T0 + timedelta(days=1)
    assert rules.ESCALATION_BASIS["verified"] is False
    assert "第十三条" in rules.ESCALATION_BASIS["title"]
