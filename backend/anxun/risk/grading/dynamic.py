"""Pure dynamic risk: an open hazard on a risk unit raises its effective level by one step."""

from __future__ import annotations

from collections.abc import Iterable

# Ascending severity: 低 (blue) < 一般 (yellow) < 较大 (orange) < 重大 (red).
LEVEL_ORDER = ("blue", "yellow", "orange", "red")
RAISED_NOTE = "存在未销号隐患，风险等级临时上调"


def _rank(level: str) -> int:
    if level not in LEVEL_ORDER:
        raise ValueError(f"风险等级 {level!r} 未知，应为 red、orange、yellow、blue 之一。")
    return LEVEL_ORDER.index(level)


def highest(levels: Iterable[str | None]) -> str | None:
    """The most severe of `levels` (None entries ignored); None when there is none."""
    known = [level for level in levels if level is not None]
    if not known:
        return None
    return max(known, key=_rank)


def raise_level(level: str | None) -> str:
    """One step up: an ungraded unit counts as blue, so it becomes yellow; red stays red."""
    rank = 0 if level is None else _rank(level)
    return LEVEL_ORDER[min(rank + 1, len(LEVEL_ORDER) - 1)]


def effective_level(assessed: str | None, open_hazards: int) -> str | None:
    """The level shown for a unit: raised one step while any hazard on it is open."""
    if open_hazards > 0:
        return raise_level(assessed)
    if assessed is not None:
        _rank(assessed)
    return assessed
