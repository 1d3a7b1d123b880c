"""Order numbering and escalation of unacknowledged rectification orders."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.oversight.patrols.orders import (
    OrderAction,
    OrderState,
    escalation_due,
    next_sequence,
    office_abbreviation,
    order_next_state,
    order_number,
)

ISSUED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_order_number_uses_hexagonal_brackets_and_no_leading_zeros():
    assert order_number("镇应急", 2026, 3) == "镇应急责改〔2026〕3号"


def test_order_number_sequence_starts_at_one():
    with pytest.raises(ValueError):
        order_number("镇应急", 2026, 0)


@pytest.mark.parametrize(
    ("elapsed", "acknowledged", "due"),
    [
        (timedelta(days=3), False, False),
        (timedelta(days=3, seconds=1), False, True),
        (timedelta(days=10), True, False),
        (timedelta(hours=1), False, False),
    ],
)
def test_escalation_after_the_configured_days_unless_acknowledged(elapsed, acknowledged, due):
    acknowledged_at = ISSUED + timedelta(hours=2) if acknowledged else None
    assert escalation_due(ISSUED, acknowledged_at, ISSUED + elapsed, 3) is due


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("宁波市镇海区应急管理局", "镇应急"),
        ("宁波市镇海区住房和城乡建设局", "镇住建"),
        ("宁波市镇海区市场监督管理局", "镇市监"),
        ("浙江省应急管理厅", "浙应急"),
        ("杭州市应急管理局", "杭应急"),
        ("宁波市应急管理局", "宁应急"),
        ("象山县应急管理局", "象应急"),
        ("广西壮族自治区应急管理厅", "广应急"),
        ("甘孜藏族自治州应急管理局", "甘应急"),
        ("应急管理部", "应急"),
        ("宁波市镇海区交通运输局", "镇交通"),
    ],
)
def test_office_abbreviation_is_division_initial_plus_bureau_word(name, abbreviation):
    assert office_abbreviation(name) == abbreviation


def test_office_abbreviation_needs_a_name():
    with pytest.raises(ValueError):
        office_abbreviation("  ")


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], 1),
        (["镇应急责改〔2026〕1号", "镇应急责改〔2026〕2号"], 3),
        (["镇应急责改〔2026〕9号", "镇应急责改〔2026〕10号"], 11),
        (["镇应急责改〔2025〕40号", "镇住建责改〔2026〕7号"], 1),
        (["镇应急责改〔2026〕x号", "随便"], 1),
    ],
)
def test_next_sequence_counts_per_office_and_year(existing, expected):
    assert next_sequence(existing, "镇应急", 2026) == expected


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (OrderState.issued, OrderAction.acknowledge, OrderState.acknowledged),
        (OrderState.issued, OrderAction.record_follow_up, None),
        (OrderState.acknowledged, OrderAction.acknowledge, None),
        (OrderState.acknowledged, OrderAction.record_follow_up, OrderState.followed_up),
        (OrderState.followed_up, OrderAction.acknowledge, None),
        (OrderState.followed_up, OrderAction.record_follow_up, None),
    ],
)
def test_order_transition_table(state, action, expected):
    assert order_next_state(state, action) == expected
