"""Pure rules for rectification orders: numbering and when an unacknowledged order escalates."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

ORDER_TYPE_WORD = "责改"


def document_prefix(office_abbreviation: str, type_word: str, year: int) -> str:
    """The part of a document number before its sequence, e.g. 镇应急责改〔2026〕."""
    return f"{office_abbreviation}{type_word}〔{year}〕"


def document_number(office_abbreviation: str, type_word: str, year: int, sequence: int) -> str:
    """A document number such as 镇应急责改〔2026〕3号.

    The form 〔year〕n号 follows 党政机关公文格式 GB/T 9704-2012 §7.2.4 (year in 六角括号, no leading
    zeros); the 机关代字 and the type word are each bureau's own choice.
    """
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{document_prefix(office_abbreviation, type_word, year)}{sequence}号"


def next_in_series(existing_numbers: list[str], prefix: str) -> int:
    """The next sequence after the numbers already issued under `prefix` (others are ignored)."""
    used = [
        int(number[len(prefix) : -1])
        for number in existing_numbers
        if number.startswith(prefix)
        and number.endswith("号")
        and number[len(prefix) : -1].isdigit()
    ]
    return max(used, default=0) + 1


def order_number(office_abbreviation: str, year: int, sequence: int) -> str:
    """The number of a 责令限期整改指令书, e.g. 镇应急责改〔2026〕3号."""
    return document_number(office_abbreviation, ORDER_TYPE_WORD, year, sequence)


def escalation_due(
    issued_at: datetime, acknowledged_at: datetime | None, now: datetime, ack_days: int
) -> bool:
    """An order not acknowledged within `ack_days` whole days of issue is escalated."""
    return acknowledged_at is None and now - issued_at > timedelta(days=ack_days)


# The bureau words an office abbreviation (机关代字) keeps; longest names first.
BUREAU_SHORT_NAMES = (
    ("住房和城乡建设", "住建"),
    ("应急管理", "应急"),
    ("市场监督管理", "市监"),
    ("消防救援", "消防"),
)
# Administrative division suffixes, from the largest to the smallest.
DIVISION_SUFFIXES = ("自治区", "自治州", "自治县", "省", "市", "盟", "区", "县", "旗")


def _last_division(name: str) -> tuple[str, str]:
    """Split "宁波市镇海区应急管理局" into ("镇海区", "应急管理局"): the smallest division and the rest."""
    division, rest = "", name
    while True:
        # A suffix at position 0 starts the bureau word (市场监督管理局), not a division.
        hits = [(i, s) for s in DIVISION_SUFFIXES if (i := rest.find(s)) > 0]
        if not hits:
            return division, rest
        cut, suffix = min(hits, key=lambda hit: (hit[0], -len(hit[1])))
        division, rest = rest[: cut + len(suffix)], rest[cut + len(suffix) :]


def office_abbreviation(regulator_name: str) -> str:
    """The 机关代字 of a bureau: first character of its smallest division + the bureau word.

    宁波市镇海区应急管理局 → 镇应急; 宁波市镇海区住房和城乡建设局 → 镇住建; 浙江省应急管理厅 → 浙应急.
    A bureau word not in the table keeps its first two characters.
    """
    name = regulator_name.strip()
    if not name:
        raise ValueError("regulator name is empty")
    division, bureau = _last_division(name)
    short = next((abbr for word, abbr in BUREAU_SHORT_NAMES if bureau.startswith(word)), None)
    if short is None:
        short = bureau[:2] if bureau else name[:2]
    return f"{division[:1]}{short}" if division else short


def review_authority(regulator_name: str) -> str:
    """Where an order of a local bureau is appealed (行政复议法 2023 第二十四条): the people's
    government at the bureau's own level, 宁波市镇海区应急管理局 → 宁波市镇海区人民政府.

    A name without a division (a ministry) gets the generic words 有管辖权的行政复议机关."""
    name = regulator_name.strip()
    division, rest = _last_division(name)
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
