"""Order numbering and escalation of unacknowledged rectification orders."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.oversight.orders import escalation_due, order_number

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
