"""Pure permit lifecycle: states and the (state, action) → next state table."""

from __future__ import annotations

from enum import StrEnum


class S(StrEnum):
    draft = "draft"  # filled in; safety measures being confirmed at the place
    analysis = "analysis"  # measures confirmed; gas analysis pending or out of limit
    approval = "approval"  # analysis passed; signatures in the required order
    approved = "approved"  # every signature given; waiting for the guardian at the start
    active = "active"  # work under way
    suspended = "suspended"  # stopped: reading out of limit or re-analysis missed
    closed = "closed"  # finished, site checked
    cancelled = "cancelled"
    expired = "expired"  # past its window before it was closed


STATE_LABELS = {
    S.draft: "待确认措施",
    S.analysis: "待气体分析",
    S.approval: "审批中",
    S.approved: "待开始",
    S.active: "作业中",
    S.suspended: "已暂停",
    S.closed: "已完工关闭",
    S.cancelled: "已取消",
    S.expired: "已过期",
}
FINAL = frozenset({S.closed, S.cancelled, S.expired})
UNDER_WAY = frozenset({S.active, S.suspended})
# States in which a reading may be entered: before approval, before the start, during the work.
READING_STATES = frozenset({S.analysis, S.approval, S.approved, S.active, S.suspended})

OPEN = (S.draft, S.analysis, S.approval, S.approved, S.active, S.suspended)
TRANSITIONS: dict[tuple[S, str], S] = {
    (S.draft, "complete_measures"): S.analysis,
    (S.analysis, "pass_analysis"): S.approval,
    (S.approval, "approve"): S.approval,
    (S.approval, "approve_final"): S.approved,
    (S.approved, "start"): S.active,
    (S.active, "suspend"): S.suspended,
    (S.suspended, "resume"): S.active,
    (S.active, "close"): S.closed,
    **{(state, "cancel"): S.cancelled for state in OPEN if state not in (S.active,)},
    **{(state, "expire"): S.expired for state in OPEN},
}
ACTION_LABELS = {
    "create": "填报",
    "complete_measures": "安全措施确认完毕",
    "pass_analysis": "气体分析合格",
    "approve": "审批",
    "approve_final": "审批完成",
    "start": "监护人到场，作业开始",
    "suspend": "暂停作业",
    "resume": "恢复作业",
    "close": "完工验收关闭",
    "cancel": "取消",
    "expire": "超过有效期",
}


def next_state(state: str, action: str) -> S | None:
    """The state after `action`, or None when the table does not allow it."""
    return TRANSITIONS.get((S(state), action))
