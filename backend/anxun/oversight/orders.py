"""Pure rules for rectification orders: numbering and when an unacknowledged order escalates."""

from __future__ import annotations

from datetime import datetime, timedelta


def order_number(office_abbreviation: str, year: int, sequence: int) -> str:
    """The document number of a 责令限期整改指令书, e.g. 镇应急责改〔2026〕3号.

    The form 〔year〕n号 follows 党政机关公文格式 GB/T 9704-2012 §7.2.4 (year in 六角括号, no leading
    zeros); the 机关代字 and the 责改 type word are each bureau's own choice.
    """
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{office_abbreviation}责改〔{year}〕{sequence}号"


def escalation_due(
    issued_at: datetime, acknowledged_at: datetime | None, now: datetime, ack_days: int
) -> bool:
    """An order not acknowledged within `ack_days` whole days of issue is escalated."""
    return acknowledged_at is None and now - issued_at > timedelta(days=ack_days)
