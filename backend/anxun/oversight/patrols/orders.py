"""Pure rules for rectification orders: their number, their states, when an unacknowledged order
escalates and where it is appealed (the numbering itself: oversight/numbering.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from anxun.oversight.numbering import (
    document_number,
    document_prefix,
    next_in_series,
    split_division,
)

ORDER_TYPE_WORD = "责改"


def order_number(office_abbreviation: str, year: int, sequence: int) -> str:
    """The number of a 责令限期整改指令书, e.g. 镇应急责改〔2026〕3号."""
    return document_number(office_abbreviation, ORDER_TYPE_WORD, year, sequence)


def escalation_due(
    issued_at: datetime, acknowledged_at: datetime | None, now: datetime, ack_days: int
) -> bool:
    """An order not acknowledged within `ack_days` whole days of issue is escalated."""
    return acknowledged_at is None and now - issued_at > timedelta(days=ack_days)


def review_authority(regulator_name: str) -> str:
    """Where an order of a local bureau is appealed (行政复议法 2023 第二十四条): the people's
    government at the bureau's own level, 宁波市镇海区应急管理局 → 宁波市镇海区人民政府.

    A name without a division (a ministry) gets the generic words 有管辖权的行政复议机关."""
    name = regulator_name.strip()
    division, rest = split_division(name)
    if not division:
        return "有管辖权的行政复议机关"
    return f"{name[: len(name) - len(rest)]}人民政府"


def next_sequence(existing_numbers: list[str], office: str, year: int) -> int:
    """The next order sequence for this office and year, given the numbers already issued."""
    return next_in_series(existing_numbers, document_prefix(office, ORDER_TYPE_WORD, year))


class OrderState(StrEnum):
    issued = "issued"
    acknowledged = "acknowledged"
    followed_up = "followed_up"


class OrderAction(StrEnum):
    acknowledge = "acknowledge"
    record_follow_up = "record_follow_up"


ORDER_STATE_LABELS = {
    OrderState.issued: "待签收",
    OrderState.acknowledged: "已签收",
    OrderState.followed_up: "已复查",
}

# (state, action) → next state. A follow-up needs the order acknowledged first: the signed
# order is what the follow-up check (回头看) holds the enterprise to.
ORDER_TRANSITIONS = {
    (OrderState.issued, OrderAction.acknowledge): OrderState.acknowledged,
    (OrderState.acknowledged, OrderAction.record_follow_up): OrderState.followed_up,
}


def order_next_state(state: str, action: str) -> OrderState | None:
    """The state an order moves to, or None when the action is not possible in this state."""
    return ORDER_TRANSITIONS.get((state, action))


FOLLOW_UP_RESULT_LABELS = {
    "rectified": "已整改",
    "partially_rectified": "部分整改",
    "not_rectified": "未整改",
}
FOLLOW_UP_STATE_LABELS = {"scheduled": "待复查", "done": "已复查"}
PATROL_MODE_LABELS = {"online": "网上巡查", "on_site": "现场检查"}
PATROL_STATE_LABELS = {"open": "进行中", "submitted": "已提交", "closed": "已结束"}
FINDING_STATE_LABELS = {"proposed": "待审核", "accepted": "已采纳", "rejected": "未采纳"}
FINDING_LEVEL_LABELS = {"general": "一般隐患", "major": "重大隐患"}
