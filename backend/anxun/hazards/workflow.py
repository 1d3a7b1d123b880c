"""Pure hazard workflow: one transition table from report through rectification to closure."""

# The closed loop 排查 → 整改 (五定) → 验收 → 销号, with the 重大隐患 additions of 16号令:
# a 治理方案 approved by the 主要负责人 and the regulator's 核销 (domain.md §0, §3.1–3.2).
#
# Context keys read by the checks (all optional in the mapping; a check reports what it misses):
#   level                     confirm: the level the confirmer assigns, "general" or "major"
#   category                  confirm: the hazard category (code or text), required
#   deadline                  confirm, plan, submit_plan: rectification deadline, a date >= today
#   reason                    reject, verify_reject, signoff_reject: non-blank text
#   note                      submit_rectification: non-blank text (fix_on_spot: optional)
#   after_media_ids           fix_on_spot, submit_rectification: list with at least one photo id
#   responsible_user_id       plan, submit_plan: user id of the person responsible (五定: 责任)
#   measures                  plan, submit_plan: non-blank text (五定: 措施)
#   funds                     plan, submit_plan: a finite number >= 0 (五定: 资金)
#   contingency               plan, submit_plan: non-blank text (五定: 预案)
#   governance_plan_id        submit_plan: attachment id of the 重大隐患治理方案 document
#   has_plan                  approve_plan: True once a governance plan was submitted
#   rectified_by_user_id      verify_pass, verify_reject: who submitted the rectification
#   plan_responsible_user_id  submit_rectification: the plan's responsible person
#   is_rejudge_pending        regrade: True while a standard change lists the hazard to re-judge
#   is_small_micro            verify_pass, verify_reject: the enterprise is small or micro
#   source                    any action: the hazard's source; a transition's `source_roles`
#   level (regrade)           regrade: the level after re-judging, "general" or "major" (the same
#                             level keeps it, on the record); `reason` cites the new basis
#                             grant extra roles for hazards from that source
#
# Each transition has two checks. `precondition` needs only facts known before the actor fills a
# form (level, who the actor is, whether a plan exists), so `available_actions` can use it to
# decide which buttons to show. `guard` checks the submitted fields. `decide` runs both.
# Errors name a context key as their field; rules about the actor use the field "actor".
#
# Refusals (docs/api.md): no row for (state, action) is "invalid_transition" (409: not in this
# state); an actor holding none of the row's roles is "role" (403: that role may never take the
# step); a failed precondition or guard is "guard" (422), including rules about who did what
# earlier in the same hazard (verifier ≠ rectifier, only the plan's responsible person or a
# manager rectifies). The role is checked first, so a "guard" refusal always reaches someone whose
# role may take the step: the same rule answers 422 whoever breaks it.

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class HazardState(StrEnum):
    reported = "reported"
    confirmed = "confirmed"
    rectifying = "rectifying"
    pending_verification = "pending_verification"
    awaiting_signoff = "awaiting_signoff"
    closed = "closed"
    rejected = "rejected"


class HazardLevel(StrEnum):
    general = "general"
    major = "major"


class HazardAction(StrEnum):
    confirm = "confirm"
    reject = "reject"
    fix_on_spot = "fix_on_spot"
    plan = "plan"
    submit_plan = "submit_plan"
    approve_plan = "approve_plan"
    submit_rectification = "submit_rectification"
    verify_pass = "verify_pass"
    verify_reject = "verify_reject"
    signoff = "signoff"
    signoff_reject = "signoff_reject"
    regrade = "regrade"


STATE_LABELS = {
    HazardState.reported: "已上报",
    HazardState.confirmed: "已确认",
    HazardState.rectifying: "整改中",
    HazardState.pending_verification: "待验收",
    HazardState.awaiting_signoff: "待核销",
    HazardState.closed: "已销号",
    HazardState.rejected: "已驳回",
}

LEVEL_LABELS = {
    HazardLevel.general: "一般隐患",
    HazardLevel.major: "重大隐患",
}

ACTION_LABELS = {
    HazardAction.confirm: "确认",
    HazardAction.reject: "驳回",
    HazardAction.fix_on_spot: "即查即改",
    HazardAction.plan: "制定整改方案",
    HazardAction.submit_plan: "提交治理方案",
    HazardAction.approve_plan: "批准治理方案",
    HazardAction.submit_rectification: "提交整改",
    HazardAction.verify_pass: "验收通过",
    HazardAction.verify_reject: "验收不通过",
    HazardAction.signoff: "核销",
    HazardAction.signoff_reject: "退回整改",
    HazardAction.regrade: "重新定级",
}

TERMINAL_STATES = frozenset({HazardState.closed, HazardState.rejected})

# Role names as in accounts.roles.Role (plain strings keep this module stdlib-only).
HEAD = "head"
SAFETY_OFFICER = "safety_officer"
INSPECTOR = "inspector"
RECTIFIER = "rectifier"
REGULATOR_ADMIN = "regulator_admin"
REGULATOR_INSPECTOR = "regulator_inspector"

MANAGERS = frozenset({HEAD, SAFETY_OFFICER})
# Hazards found by a regulator's patrol (or an agency's, approved by the regulator) are confirmed
# by the regulator itself: its finding is an official determination, not a report to vet.
OVERSIGHT_SOURCES = ("regulator", "agency")
VERIFIERS = frozenset({HEAD, SAFETY_OFFICER, INSPECTOR})
REGULATORS = frozenset({REGULATOR_ADMIN, REGULATOR_INSPECTOR})


@dataclass(frozen=True)
class Attempt:
    """Everything a check may look at: one actor trying one action on one hazard."""

    level: str | None
    actor_roles: frozenset[str]
    actor_user_id: int
    context: Mapping[str, object]
    today: date


Check = Callable[[Attempt], list[dict]]


def _error(field_name: str, message: str) -> list[dict]:
    return [{"field": field_name, "message": message}]


def _nothing(attempt: Attempt) -> list[dict]:
    return []


def _all(*checks: Check) -> Check:
    def run(attempt: Attempt) -> list[dict]:
        return [error for check in checks for error in check(attempt)]

    return run


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(key: str, message: str) -> Check:
    def check(attempt: Attempt) -> list[dict]:
        value = attempt.context.get(key)
        if isinstance(value, str) and value.strip():
            return []
        return _error(key, message)

    return check


def _user_id(key: str, message: str) -> Check:
    def check(attempt: Attempt) -> list[dict]:
        value = attempt.context.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return []
        return _error(key, message)

    return check


def _deadline(attempt: Attempt) -> list[dict]:
    value = attempt.context.get("deadline")
    # A datetime is a date subclass but cannot be compared with one; deadlines are whole days.
    if not isinstance(value, date) or isinstance(value, datetime):
        return _error("deadline", "请填写整改期限。")
    if value < attempt.today:
        return _error("deadline", "整改期限不能早于今天。")
    return []


def _funds(attempt: Attempt) -> list[dict]:
    value = attempt.context.get("funds")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return _error("funds", "请填写整改资金。")
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        return _error("funds", "请填写整改资金。")
    if value < 0:
        return _error("funds", "整改资金不能为负数。")
    return []


def _after_media_ids(attempt: Attempt) -> list[dict]:
    photos = attempt.context.get("after_media_ids")
    if isinstance(photos, list | tuple) and photos:
        return []
    return _error("after_media_ids", "请上传至少一张整改后照片。")


def _confirmed_level(attempt: Attempt) -> list[dict]:
    if attempt.context.get("level") in set(HazardLevel):
        return []
    return _error("level", "请选择隐患等级（一般隐患或重大隐患）。")


def _category(attempt: Attempt) -> list[dict]:
    return (
        _error("category", "请选择隐患类别。") if _is_blank(attempt.context.get("category")) else []
    )


def _governance_plan(attempt: Attempt) -> list[dict]:
    value = attempt.context.get("governance_plan_id")
    if isinstance(value, bool) or _is_blank(value):
        return _error("governance_plan_id", "请上传重大隐患治理方案。")
    return []


def _level_is(level: HazardLevel, message: str) -> Check:
    def check(attempt: Attempt) -> list[dict]:
        return [] if attempt.level == level else _error("level", message)

    return check


def _known_level(attempt: Attempt) -> list[dict]:
    return [] if attempt.level in set(HazardLevel) else _error("level", "隐患等级无效。")


def _has_plan(attempt: Attempt) -> list[dict]:
    if attempt.context.get("has_plan") is True:
        return []
    return _error("has_plan", "尚未提交重大隐患治理方案，无法批准。")


def _responsible_or_manager(attempt: Attempt) -> list[dict]:
    if attempt.actor_roles & MANAGERS:
        return []
    if attempt.context.get("plan_responsible_user_id") == attempt.actor_user_id:
        return []
    return _error("actor", "只有整改责任人、安全管理人员或主要负责人可以提交整改。")


def _not_the_rectifier(attempt: Attempt) -> list[dict]:
    rectified_by = attempt.context.get("rectified_by_user_id")
    if rectified_by is None:
        return _error("rectified_by_user_id", "未记录整改提交人，无法验收。")
    if rectified_by == attempt.actor_user_id and not _head_of_small_micro(attempt):
        return _error("actor", "验收人不能是整改提交人。")
    return []


def _head_of_small_micro(attempt: Attempt) -> bool:
    """In a small or micro enterprise the head is often its only manager (issue #17): the head
    may verify a rectification they submitted, and the history shows who did both. 16号令 asks
    the enterprise to verify; it names no second person."""
    return attempt.context.get("is_small_micro") is True and HEAD in attempt.actor_roles


# 五定: 措施、责任、资金、时限、预案.
_rectification_plan = _all(
    _user_id("responsible_user_id", "请指定整改责任人。"),
    _text("measures", "请填写整改措施。"),
    _funds,
    _deadline,
    _text("contingency", "请填写应急预案。"),
)


def _after_verification(attempt: Attempt) -> HazardState:
    # 16号令: a major hazard is closed only after the regulator's 核销.
    if attempt.level == HazardLevel.major:
        return HazardState.awaiting_signoff
    return HazardState.closed


def _regraded_level(attempt: Attempt) -> list[dict]:
    if attempt.context.get("level") in set(HazardLevel):
        return []
    return _error("level", "请选择重新判定后的等级（一般隐患或重大隐患）。")


def _rejudge_pending(attempt: Attempt) -> list[dict]:
    if attempt.context.get("is_rejudge_pending") is True:
        return []
    return _error("is_rejudge_pending", "该隐患没有需重新判定的标准变更。")


def _regrade_from(state: HazardState) -> Callable[[Attempt], HazardState]:
    """A hazard re-graded general → major goes back to `confirmed`: work goes on only under a
    governance plan approved by the head (16号令); any other re-grade keeps its state."""

    def target(attempt: Attempt) -> HazardState:
        if attempt.level == HazardLevel.general and attempt.context.get("level") == "major":
            return HazardState.confirmed
        return state

    return target


# 重新定级 after a standard change: the 主要负责人 is fully responsible for the unit's hazard
# work (安全生产法 Art 21, 16号令) and approves every major hazard's governance plan, so the head
# decides whether a finding is general or major under the new basis, and says why.
_regrade_precondition = _all(_known_level, _rejudge_pending)
_regrade_guard = _all(
    _regraded_level, _text("reason", "请填写重新定级的理由，并引用新的判定依据。")
)


@dataclass(frozen=True)
class Transition:
    next_state: HazardState | Callable[[Attempt], HazardState]
    roles: frozenset[str]
    guard: Check = _nothing
    precondition: Check = _nothing
    # Extra roles allowed for hazards of a given source (context key "source").
    source_roles: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def roles_for(self, source: object) -> frozenset[str]:
        return self.roles | self.source_roles.get(source, frozenset())


S = HazardState
A = HazardAction

TRANSITIONS: dict[tuple[HazardState, HazardAction], Transition] = {
    (S.reported, A.confirm): Transition(
        S.confirmed,
        MANAGERS,
        guard=_all(_confirmed_level, _category, _deadline),
        source_roles=dict.fromkeys(OVERSIGHT_SOURCES, REGULATORS),
    ),
    (S.reported, A.reject): Transition(
        S.rejected, MANAGERS, guard=_text("reason", "请填写驳回原因。")
    ),
    (S.reported, A.fix_on_spot): Transition(
        S.closed,
        MANAGERS | {INSPECTOR},
        guard=_after_media_ids,
        precondition=_level_is(HazardLevel.general, "重大隐患不能即查即改。"),
    ),
    (S.confirmed, A.plan): Transition(
        S.rectifying,
        MANAGERS,
        guard=_rectification_plan,
        precondition=_level_is(
            HazardLevel.general, "重大隐患须提交治理方案并经主要负责人批准后方可整改。"
        ),
    ),
    (S.confirmed, A.submit_plan): Transition(
        S.confirmed,
        MANAGERS,
        guard=_all(_rectification_plan, _governance_plan),
        precondition=_level_is(HazardLevel.major, "一般隐患无需提交治理方案，请直接制定整改方案。"),
    ),
    (S.confirmed, A.approve_plan): Transition(
        S.rectifying,
        frozenset({HEAD}),
        precondition=_all(
            _level_is(HazardLevel.major, "只有重大隐患需要批准治理方案。"), _has_plan
        ),
    ),
    (S.rectifying, A.submit_rectification): Transition(
        S.pending_verification,
        MANAGERS | {RECTIFIER},
        guard=_all(_after_media_ids, _text("note", "请填写整改情况说明。")),
        precondition=_responsible_or_manager,
    ),
    (S.pending_verification, A.verify_pass): Transition(
        _after_verification, VERIFIERS, precondition=_all(_known_level, _not_the_rectifier)
    ),
    (S.pending_verification, A.verify_reject): Transition(
        S.rectifying,
        VERIFIERS,
        guard=_text("reason", "请填写验收不通过的原因。"),
        precondition=_not_the_rectifier,
    ),
    (S.confirmed, A.regrade): Transition(
        S.confirmed, frozenset({HEAD}), guard=_regrade_guard, precondition=_regrade_precondition
    ),
    (S.rectifying, A.regrade): Transition(
        _regrade_from(S.rectifying),
        frozenset({HEAD}),
        guard=_regrade_guard,
        precondition=_regrade_precondition,
    ),
    (S.pending_verification, A.regrade): Transition(
        _regrade_from(S.pending_verification),
        frozenset({HEAD}),
        guard=_regrade_guard,
        precondition=_regrade_precondition,
    ),
    (S.awaiting_signoff, A.signoff): Transition(S.closed, REGULATORS),
    (S.awaiting_signoff, A.signoff_reject): Transition(
        S.rectifying, REGULATORS, guard=_text("reason", "请填写退回整改的原因。")
    ),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    next_state: HazardState | None
    errors: list[dict]
    reason_code: str  # "ok", "invalid_transition", "role" or "guard"


def _attempt(level, actor_roles, actor_user_id, context, today) -> Attempt:
    return Attempt(level, frozenset(actor_roles), actor_user_id, context, today)


def decide(
    state: str,
    action: str,
    level: str | None,
    actor_roles: Iterable[str],
    actor_user_id: int,
    context: Mapping[str, object],
    today: date,
) -> Decision:
    """Whether this actor may take this action now, and the state it leads to."""
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        return Decision(False, None, [], "invalid_transition")
    attempt = _attempt(level, actor_roles, actor_user_id, context, today)
    if not attempt.actor_roles & transition.roles_for(context.get("source")):
        return Decision(False, None, [], "role")
    errors = transition.precondition(attempt) + transition.guard(attempt)
    if errors:
        return Decision(False, None, errors, "guard")
    target = transition.next_state
    next_state = target if isinstance(target, HazardState) else target(attempt)
    return Decision(True, next_state, [], "ok")


def available_actions(
    state: str,
    level: str | None,
    actor_roles: Iterable[str],
    actor_user_id: int,
    context: Mapping[str, object],
    today: date,
) -> list[HazardAction]:
    """Actions to offer as buttons: the actor holds a role and the preconditions hold.

    Form fields (reason, photos, plan fields, …) are not checked; `decide` does that on submit.
    """
    attempt = _attempt(level, actor_roles, actor_user_id, context, today)
    return [
        action
        for action in HazardAction
        if (transition := TRANSITIONS.get((state, action))) is not None
        and attempt.actor_roles & transition.roles_for(context.get("source"))
        and not transition.precondition(attempt)
    ]


def is_open(state: str) -> bool:
    """A hazard is open until it is closed (销号) or rejected."""
    return state not in TERMINAL_STATES


def is_overdue(state: str, deadline: date | None, today: date) -> bool:
    """Overdue (超期): still open and past its deadline; the deadline day itself is not late."""
    return is_open(state) and deadline is not None and today > deadline
