"""Order numbers, escalation of unacknowledged rectification orders and the order states."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.oversight.patrols.orders import (
    OrderAction,
    OrderState,
    escalation_due,
    next_sequence,
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
