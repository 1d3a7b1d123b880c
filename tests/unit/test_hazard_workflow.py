"""The hazard transition table, walked exhaustively, plus each guard and the overdue rule."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest

from anxun.accounts.roles import Role
from anxun.hazards.workflow import (
    ACTION_LABELS,
    STATE_LABELS,
    TRANSITIONS,
    HazardAction,
    HazardLevel,
    HazardState,
    available_actions,
    decide,
    is_open,
    is_overdue,
)

S = HazardState
A = HazardAction
GENERAL = HazardLevel.general
MAJOR = HazardLevel.major

TODAY = date(2025, 3, 10)
ACTOR = 7
OTHER = 8

ALL_ROLES = [
    "head",
    "safety_officer",
    "inspector",
    "rectifier",
    "regulator_admin",
    "regulator_inspector",
    "auditor",
    "platform_admin",
]

PLAN = {
    "responsible_user_id": OTHER,
    "measures": "更换破损的防爆接线盒",
    "funds": Decimal("1.5"),
    "deadline": date(2025, 3, 31),
    "contingency": "停用该区域电气设备，设置警戒线",
}

# A context that satisfies every guard of the action, for an actor other than the rectifier
# and responsible for the plan (so the rectifier role can submit).
VALID_CONTEXT = {
    A.confirm: {"level": "general", "category": "电气", "deadline": date(2025, 3, 31)},
    A.reject: {"reason": "重复上报"},
    A.fix_on_spot: {"after_media_ids": ["p-1"]},
    A.plan: dict(PLAN),
    A.submit_plan: {**PLAN, "governance_plan_id": "doc-42"},
    A.approve_plan: {"has_plan": True},
    A.submit_rectification: {
        "after_media_ids": ["p-2"],
        "note": "已更换",
        "plan_responsible_user_id": ACTOR,
    },
    A.verify_pass: {"rectified_by_user_id": OTHER},
    A.verify_reject: {"rectified_by_user_id": OTHER, "reason": "仍有裸露线头"},
    A.signoff: {},
    A.signoff_reject: {"reason": "评估报告不完整"},
    A.regrade: {
        "level": "major",
        "reason": "AQ 3067—2026 第5.1.1条将此项列为重大事故隐患",
        "is_rejudge_pending": True,
    },
}

MANAGERS = {"head", "safety_officer"}
REGULATORS = {"regulator_admin", "regulator_inspector"}
VERIFIERS = {"head", "safety_officer", "inspector"}

# Written out by hand from the brief (domain.md §0, §3.1–3.2): (state, action) → (roles,
# next state per level). A level missing from the map is refused by the level rule.
EXPECTED = {
    (S.reported, A.confirm): (MANAGERS, {GENERAL: S.confirmed, MAJOR: S.confirmed}),
    (S.reported, A.reject): (MANAGERS, {GENERAL: S.rejected, MAJOR: S.rejected}),
    (S.reported, A.fix_on_spot): (MANAGERS | {"inspector"}, {GENERAL: S.closed}),
    (S.confirmed, A.plan): (MANAGERS, {GENERAL: S.rectifying}),
    (S.confirmed, A.submit_plan): (MANAGERS, {MAJOR: S.confirmed}),
    (S.confirmed, A.approve_plan): ({"head"}, {MAJOR: S.rectifying}),
    (S.rectifying, A.submit_rectification): (
        MANAGERS | {"rectifier"},
        {GENERAL: S.pending_verification, MAJOR: S.pending_verification},
    ),
    (S.pending_verification, A.verify_pass): (
        VERIFIERS,
        {GENERAL: S.closed, MAJOR: S.awaiting_signoff},
    ),
    (S.pending_verification, A.verify_reject): (
        VERIFIERS,
        {GENERAL: S.rectifying, MAJOR: S.rectifying},
    ),
    # 重新定级 by the head: general → major returns to confirmed for a governance plan.
    (S.confirmed, A.regrade): ({"head"}, {GENERAL: S.confirmed, MAJOR: S.confirmed}),
    (S.rectifying, A.regrade): ({"head"}, {GENERAL: S.confirmed, MAJOR: S.rectifying}),
    (S.pending_verification, A.regrade): (
        {"head"},
        {GENERAL: S.confirmed, MAJOR: S.pending_verification},
    ),
    (S.awaiting_signoff, A.signoff): (REGULATORS, {GENERAL: S.closed, MAJOR: S.closed}),
    (S.awaiting_signoff, A.signoff_reject): (
        REGULATORS,
        {GENERAL: S.rectifying, MAJOR: S.rectifying},
    ),
}


def attempt(state, action, level=GENERAL, roles=("head",), user=ACTOR, changes=None):
    """Decide with the action's valid context, overridden by `changes`."""
    context = {**VALID_CONTEXT[action], **(changes or {})}
    return decide(state, action, level, set(roles), user, context, TODAY)


def test_the_role_list_is_the_account_role_list():
    assert sorted(ALL_ROLES) == sorted(Role)


def test_the_table_has_exactly_the_expected_rows_and_roles():
    assert set(TRANSITIONS) == set(EXPECTED)
    for key, (roles, _next) in EXPECTED.items():
        assert TRANSITIONS[key].roles == roles, key


@pytest.mark.parametrize(
    ("state", "action", "role", "level"),
    list(itertools.product(S, A, ALL_ROLES, HazardLevel)),
    ids=lambda v: str(v),
)
def test_every_state_action_role_and_level(state, action, role, level):
    decision = decide(state, action, level, {role}, ACTOR, VALID_CONTEXT[action], TODAY)
    if (state, action) not in EXPECTED:
        expected = (False, None, "invalid_transition")
    else:
        roles, next_by_level = EXPECTED[(state, action)]
        if role not in roles:
            expected = (False, None, "role")
        elif level not in next_by_level:
            expected = (False, None, "guard")
        else:
            expected = (True, next_by_level[level], "ok")
    assert (decision.allowed, decision.next_state, decision.reason_code) == expected
    if expected[0] or expected[2] != "guard":
        assert decision.errors == []
    else:
        assert [e["field"] for e in decision.errors] == ["level"]


def test_the_walk_allows_exactly_48_combinations():
    # confirm 2 roles × 2 levels, reject 2×2, fix_on_spot 3×1, plan 2×1, submit_plan 2×1,
    # approve_plan 1×1, submit_rectification 3×2, verify_pass 3×2, verify_reject 3×2,
    # signoff 2×2, signoff_reject 2×2, regrade 3 states × 1 role × 2 levels.
    allowed = [
        combo
        for combo in itertools.product(S, A, ALL_ROLES, HazardLevel)
        if decide(
            combo[0], combo[1], combo[3], {combo[2]}, ACTOR, VALID_CONTEXT[combo[1]], TODAY
        ).allowed
    ]
    assert len(allowed) == 4 + 4 + 3 + 2 + 2 + 1 + 6 + 6 + 6 + 4 + 4 + 6 == 48


@pytest.mark.parametrize("role", ["platform_admin", "auditor"])
def test_platform_admin_and_auditor_have_no_workflow_powers(role):
    for state, level in itertools.product(S, HazardLevel):
        assert available_actions(state, level, {role}, ACTOR, {"has_plan": True}, TODAY) == []


def test_no_transition_leaves_closed_or_rejected():
    assert [key for key in TRANSITIONS if key[0] in (S.closed, S.rejected)] == []
    for state, action in itertools.product((S.closed, S.rejected), A):
        decision = attempt(state, action)
        assert (decision.allowed, decision.reason_code) == (False, "invalid_transition")


def test_every_open_state_has_a_way_out():
    assert {key[0] for key in TRANSITIONS} == set(S) - {S.closed, S.rejected}


def test_a_role_from_any_of_several_roles_is_enough():
    decision = attempt(S.reported, A.confirm, roles=("inspector", "safety_officer"))
    assert (decision.allowed, decision.next_state) == (True, S.confirmed)


def test_an_actor_without_roles_is_refused_by_role():
    assert attempt(S.reported, A.confirm, roles=()).reason_code == "role"


def test_plain_strings_work_as_state_and_action():
    decision = decide("reported", "reject", "general", {"head"}, ACTOR, {"reason": "误报"}, TODAY)
    assert (decision.allowed, decision.next_state) == (True, S.rejected)


def test_unknown_state_or_action_is_an_invalid_transition():
    assert attempt("archived", A.reject).reason_code == "invalid_transition"
    assert decide(S.reported, "delete", GENERAL, {"head"}, ACTOR, {}, TODAY).reason_code == (
        "invalid_transition"
    )


# Each guard failing on its own: (state, action, level, roles, user, context changes, errors).
GUARD_FAILURES = {
    "reject without reason": (
        S.reported, A.reject, GENERAL, ["head"], ACTOR, {"reason": "  "},
        [("reason", "请填写驳回原因。")],
    ),
    "major hazard fixed on the spot": (
        S.reported, A.fix_on_spot, MAJOR, ["inspector"], ACTOR, {},
        [("level", "重大隐患不能即查即改。")],
    ),
    "unlevelled hazard fixed on the spot": (
        S.reported, A.fix_on_spot, None, ["inspector"], ACTOR, {},
        [("level", "重大隐患不能即查即改。")],
    ),
    "fixed on the spot without after-photo": (
        S.reported, A.fix_on_spot, GENERAL, ["inspector"], ACTOR, {"after_media_ids": []},
        [("after_media_ids", "请上传至少一张整改后照片。")],
    ),
    "confirm without level": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR, {"level": None},
        [("level", "请选择隐患等级（一般隐患或重大隐患）。")],
    ),
    "confirm with an unknown level": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR, {"level": "serious"},
        [("level", "请选择隐患等级（一般隐患或重大隐患）。")],
    ),
    "confirm without category": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR, {"category": ""},
        [("category", "请选择隐患类别。")],
    ),
    "confirm with deadline in the past": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR, {"deadline": date(2025, 3, 9)},
        [("deadline", "整改期限不能早于今天。")],
    ),
    "confirm with deadline as a datetime": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR,
        {"deadline": datetime(2025, 3, 31, 12, 0)},
        [("deadline", "请填写整改期限。")],
    ),
    "confirm with deadline as text": (
        S.reported, A.confirm, GENERAL, ["head"], ACTOR, {"deadline": "2025-03-31"},
        [("deadline", "请填写整改期限。")],
    ),
    "plan for a major hazard": (
        S.confirmed, A.plan, MAJOR, ["head"], ACTOR, {},
        [("level", "重大隐患须提交治理方案并经主要负责人批准后方可整改。")],
    ),
    "plan with negative funds": (
        S.confirmed, A.plan, GENERAL, ["safety_officer"], ACTOR, {"funds": -0.01},
        [("funds", "整改资金不能为负数。")],
    ),
    "plan with funds as text": (
        S.confirmed, A.plan, GENERAL, ["safety_officer"], ACTOR, {"funds": "5"},
        [("funds", "请填写整改资金。")],
    ),
    "plan with funds as a boolean": (
        S.confirmed, A.plan, GENERAL, ["safety_officer"], ACTOR, {"funds": True},
        [("funds", "请填写整改资金。")],
    ),
    "plan with funds not a number": (
        S.confirmed, A.plan, GENERAL, ["safety_officer"], ACTOR, {"funds": float("nan")},
        [("funds", "请填写整改资金。")],
    ),
    "plan with deadline in the past": (
        S.confirmed, A.plan, GENERAL, ["safety_officer"], ACTOR, {"deadline": date(2025, 3, 9)},
        [("deadline", "整改期限不能早于今天。")],
    ),
    "plan without responsible person": (
        S.confirmed, A.plan, GENERAL, ["head"], ACTOR, {"responsible_user_id": None},
        [("responsible_user_id", "请指定整改责任人。")],
    ),
    "plan without measures": (
        S.confirmed, A.plan, GENERAL, ["head"], ACTOR, {"measures": " "},
        [("measures", "请填写整改措施。")],
    ),
    "plan without contingency": (
        S.confirmed, A.plan, GENERAL, ["head"], ACTOR, {"contingency": None},
        [("contingency", "请填写应急预案。")],
    ),
    "general hazard submit_plan": (
        S.confirmed, A.submit_plan, GENERAL, ["head"], ACTOR, {},
        [("level", "一般隐患无需提交治理方案，请直接制定整改方案。")],
    ),
    "submit_plan without governance plan": (
        S.confirmed, A.submit_plan, MAJOR, ["head"], ACTOR, {"governance_plan_id": ""},
        [("governance_plan_id", "请上传重大隐患治理方案。")],
    ),
    "submit_plan with deadline in the past": (
        S.confirmed, A.submit_plan, MAJOR, ["head"], ACTOR, {"deadline": date(2024, 12, 31)},
        [("deadline", "整改期限不能早于今天。")],
    ),
    "approve without plan": (
        S.confirmed, A.approve_plan, MAJOR, ["head"], ACTOR, {"has_plan": False},
        [("has_plan", "尚未提交重大隐患治理方案，无法批准。")],
    ),
    "approve a general hazard's plan": (
        S.confirmed, A.approve_plan, GENERAL, ["head"], ACTOR, {},
        [("level", "只有重大隐患需要批准治理方案。")],
    ),
    "rectification without after-photo": (
        S.rectifying, A.submit_rectification, GENERAL, ["rectifier"], ACTOR,
        {"after_media_ids": None},
        [("after_media_ids", "请上传至少一张整改后照片。")],
    ),
    "rectification without note": (
        S.rectifying, A.submit_rectification, GENERAL, ["rectifier"], ACTOR, {"note": ""},
        [("note", "请填写整改情况说明。")],
    ),
    "rectification by a rectifier not responsible for the plan": (
        S.rectifying, A.submit_rectification, MAJOR, ["rectifier"], ACTOR,
        {"plan_responsible_user_id": OTHER},
        [("actor", "只有整改责任人、安全管理人员或主要负责人可以提交整改。")],
    ),
    "verification by the person who rectified": (
        S.pending_verification, A.verify_pass, GENERAL, ["safety_officer"], ACTOR,
        {"rectified_by_user_id": ACTOR},
        [("actor", "验收人不能是整改提交人。")],
    ),
    "verification by the officer who rectified, in a small enterprise": (
        S.pending_verification, A.verify_pass, GENERAL, ["safety_officer"], ACTOR,
        {"rectified_by_user_id": ACTOR, "is_small_micro": True},
        [("actor", "验收人不能是整改提交人。")],
    ),
    "verification by the head who rectified, in a medium enterprise": (
        S.pending_verification, A.verify_pass, GENERAL, ["head"], ACTOR,
        {"rectified_by_user_id": ACTOR, "is_small_micro": False},
        [("actor", "验收人不能是整改提交人。")],
    ),
    "verification without a recorded rectifier": (
        S.pending_verification, A.verify_pass, MAJOR, ["inspector"], ACTOR,
        {"rectified_by_user_id": None},
        [("rectified_by_user_id", "未记录整改提交人，无法验收。")],
    ),
    "verification of a hazard with an unknown level": (
        S.pending_verification, A.verify_pass, "serious", ["head"], ACTOR, {},
        [("level", "隐患等级无效。")],
    ),
    "rejection by the person who rectified": (
        S.pending_verification, A.verify_reject, GENERAL, ["head"], ACTOR,
        {"rectified_by_user_id": ACTOR},
        [("actor", "验收人不能是整改提交人。")],
    ),
    "verification rejected without reason": (
        S.pending_verification, A.verify_reject, MAJOR, ["inspector"], ACTOR, {"reason": None},
        [("reason", "请填写验收不通过的原因。")],
    ),
    "sign-off rejected without reason": (
        S.awaiting_signoff, A.signoff_reject, MAJOR, ["regulator_inspector"], ACTOR,
        {"reason": ""},
        [("reason", "请填写退回整改的原因。")],
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("state", "action", "level", "roles", "user", "changes", "errors"),
    list(GUARD_FAILURES.values()),
    ids=list(GUARD_FAILURES),
)
def test_each_guard_failure(state, action, level, roles, user, changes, errors):
    decision = attempt(state, action, level, roles, user, changes)
    assert (decision.allowed, decision.next_state, decision.reason_code) == (False, None, "guard")
    assert decision.errors == [{"field": f, "message": m} for f, m in errors]


def test_officer_trying_to_approve_a_plan_is_refused_by_role():
    decision = attempt(S.confirmed, A.approve_plan, MAJOR, ["safety_officer"])
    assert (decision.allowed, decision.reason_code, decision.errors) == (False, "role", [])


# Rules about who did what earlier in the same hazard are guards (422) for every role that may
# take the step; a role outside the row is refused by role (403) before any rule is read.
WHO_DID_WHAT = [
    # (roles, action, context changes, reason_code, error fields)
    (["head"], A.verify_pass, {"rectified_by_user_id": ACTOR}, "guard", ["actor"]),
    (["safety_officer"], A.verify_reject, {"rectified_by_user_id": ACTOR}, "guard", ["actor"]),
    (["inspector"], A.verify_pass, {"rectified_by_user_id": ACTOR}, "guard", ["actor"]),
    (["rectifier", "inspector"], A.verify_pass, {"rectified_by_user_id": ACTOR}, "guard", ["actor"]),
    (["rectifier"], A.verify_pass, {"rectified_by_user_id": ACTOR}, "role", []),
    (["rectifier"], A.verify_pass, {"rectified_by_user_id": OTHER}, "role", []),
    (["rectifier"], A.submit_rectification, {"plan_responsible_user_id": OTHER}, "guard", ["actor"]),
]  # fmt: skip


@pytest.mark.parametrize(("roles", "action", "changes", "reason", "fields"), WHO_DID_WHAT)
def test_rules_about_earlier_steps_are_guards_whoever_breaks_them(
    roles, action, changes, reason, fields
):
    state = S.rectifying if action == A.submit_rectification else S.pending_verification
    decision = attempt(state, action, GENERAL, roles, ACTOR, changes)
    assert (decision.allowed, decision.reason_code) == (False, reason)
    assert [e["field"] for e in decision.errors] == fields


def test_deadline_today_and_zero_funds_are_accepted():
    decision = attempt(S.confirmed, A.plan, changes={"deadline": TODAY, "funds": 0})
    assert (decision.allowed, decision.next_state) == (True, S.rectifying)


def test_a_plan_lists_every_missing_field_at_once():
    decision = decide(S.confirmed, A.plan, GENERAL, {"head"}, ACTOR, {}, TODAY)
    assert [e["field"] for e in decision.errors] == [
        "responsible_user_id",
        "measures",
        "funds",
        "deadline",
        "contingency",
    ]


def test_submit_plan_for_a_major_hazard_stays_confirmed():
    decision = attempt(S.confirmed, A.submit_plan, MAJOR, ["safety_officer"])
    assert (decision.allowed, decision.next_state) == (True, S.confirmed)


def test_a_manager_may_submit_rectification_without_being_responsible():
    decision = attempt(
        S.rectifying,
        A.submit_rectification,
        roles=["safety_officer"],
        changes={"plan_responsible_user_id": 99},
    )
    assert (decision.allowed, decision.next_state) == (True, S.pending_verification)


def test_fixed_on_the_spot_note_is_optional():
    decision = attempt(S.reported, A.fix_on_spot, roles=["inspector"], changes={"note": None})
    assert (decision.allowed, decision.next_state) == (True, S.closed)


@pytest.mark.parametrize(
    ("state", "level", "roles", "context", "expected"),
    [
        (S.reported, GENERAL, {"inspector"}, {}, [A.fix_on_spot]),
        (S.reported, MAJOR, {"inspector"}, {}, []),
        (S.reported, GENERAL, {"safety_officer"}, {}, [A.confirm, A.reject, A.fix_on_spot]),
        (S.reported, MAJOR, {"head"}, {}, [A.confirm, A.reject]),
        (S.confirmed, GENERAL, {"head"}, {}, [A.plan]),
        (S.confirmed, MAJOR, {"head"}, {}, [A.submit_plan]),
        (S.confirmed, MAJOR, {"head"}, {"has_plan": True}, [A.submit_plan, A.approve_plan]),
        (S.confirmed, MAJOR, {"safety_officer"}, {"has_plan": True}, [A.submit_plan]),
        (S.rectifying, MAJOR, {"rectifier"}, {"plan_responsible_user_id": ACTOR},
         [A.submit_rectification]),
        (S.rectifying, MAJOR, {"rectifier"}, {"plan_responsible_user_id": OTHER}, []),
        (S.pending_verification, GENERAL, {"inspector"}, {"rectified_by_user_id": OTHER},
         [A.verify_pass, A.verify_reject]),
        (S.pending_verification, GENERAL, {"inspector"}, {"rectified_by_user_id": ACTOR}, []),
        (S.pending_verification, GENERAL, {"head"},
         {"rectified_by_user_id": ACTOR, "is_small_micro": True}, [A.verify_pass, A.verify_reject]),
        (S.pending_verification, GENERAL, {"rectifier"}, {"rectified_by_user_id": OTHER}, []),
        (S.awaiting_signoff, MAJOR, {"regulator_admin"}, {}, [A.signoff, A.signoff_reject]),
        (S.awaiting_signoff, MAJOR, {"head"}, {}, []),
        (S.closed, GENERAL, set(ALL_ROLES), {"has_plan": True}, []),
        (S.rejected, MAJOR, set(ALL_ROLES), {"has_plan": True}, []),
    ],
)  # fmt: skip
def test_available_actions(state, level, roles, context, expected):
    assert available_actions(state, level, roles, ACTOR, context, TODAY) == expected


@pytest.mark.parametrize(
    ("state", "deadline", "today", "expected"),
    [
        (S.rectifying, date(2025, 3, 10), date(2025, 3, 10), False),
        (S.rectifying, date(2025, 3, 10), date(2025, 3, 11), True),
        (S.rectifying, date(2025, 3, 10), date(2025, 3, 9), False),
        (S.confirmed, date(2024, 12, 31), date(2025, 1, 1), True),
        (S.pending_verification, date(2025, 2, 28), date(2025, 3, 1), True),
        (S.rectifying, None, date(2025, 3, 11), False),
        (S.closed, date(2025, 3, 10), date(2025, 3, 11), False),
        (S.rejected, date(2025, 3, 10), date(2025, 3, 11), False),
    ],
)
def test_is_overdue(state, deadline, today, expected):
    assert is_overdue(state, deadline, today) is expected


def test_is_open():
    assert {state for state in S if is_open(state)} == {
        S.reported,
        S.confirmed,
        S.rectifying,
        S.pending_verification,
        S.awaiting_signoff,
    }


def test_labels():
    assert [STATE_LABELS[s] for s in S] == [
        "已上报", "已确认", "整改中", "待验收", "待核销", "已销号", "已驳回",
    ]  # fmt: skip
    assert [ACTION_LABELS[a] for a in A] == [
        "确认", "驳回", "即查即改", "制定整改方案", "提交治理方案", "批准治理方案",
        "提交整改", "验收通过", "验收不通过", "核销", "退回整改", "重新定级",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "role", "reason"),
    [
        ("regulator", "regulator_inspector", "ok"),
        ("regulator", "regulator_admin", "ok"),
        ("agency", "regulator_inspector", "ok"),
        ("agency", "regulator_admin", "ok"),
        ("direct", "regulator_inspector", "role"),
        ("self_inspection", "regulator_admin", "role"),
        (None, "regulator_inspector", "role"),
        ("regulator", "auditor", "role"),
        ("regulator", "head", "ok"),
    ],
)
def test_regulators_confirm_only_oversight_findings(source, role, reason):
    decision = attempt(S.reported, A.confirm, roles=(role,), changes={"source": source})
    assert decision.reason_code == reason
    assert decision.next_state == (S.confirmed if reason == "ok" else None)


def test_only_confirm_grants_regulators_extra_roles_for_oversight_sources():
    extra = {key for key, t in TRANSITIONS.items() if t.source_roles}
    assert extra == {(S.reported, A.confirm)}
    for action in (A.reject, A.fix_on_spot):
        decision = attempt(
            S.reported, action, roles=("regulator_inspector",), changes={"source": "regulator"}
        )
        assert decision.reason_code == "role"


def test_the_confirm_button_is_offered_to_regulators_for_their_findings():
    def offered(source):
        return available_actions(
            S.reported, GENERAL, {"regulator_inspector"}, ACTOR, {"source": source}, TODAY
        )

    assert A.confirm in offered("regulator")
    assert A.confirm not in offered("direct")


@pytest.mark.parametrize(
    ("state", "level", "new_level", "expected"),
    [
        (S.confirmed, GENERAL, MAJOR, S.confirmed),
        (S.confirmed, MAJOR, GENERAL, S.confirmed),
        (S.rectifying, GENERAL, MAJOR, S.confirmed),
        (S.rectifying, MAJOR, GENERAL, S.rectifying),
        (S.rectifying, GENERAL, GENERAL, S.rectifying),
        (S.pending_verification, GENERAL, MAJOR, S.confirmed),
        (S.pending_verification, MAJOR, GENERAL, S.pending_verification),
    ],
)
def test_regrade_to_major_returns_to_the_governance_plan_other_regrades_keep_the_state(
    state, level, new_level, expected
):
    decision = attempt(state, A.regrade, level=level, changes={"level": new_level})
    assert (decision.allowed, decision.next_state) == (True, expected)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"reason": "  "}, ["reason"]),
        ({"reason": None}, ["reason"]),
        ({"level": None}, ["level"]),
        ({"level": "severe", "reason": ""}, ["level", "reason"]),
    ],
)
def test_regrade_needs_a_level_and_a_reason(changes, fields):
    decision = attempt(S.rectifying, A.regrade, changes=changes)
    assert (decision.allowed, decision.reason_code) == (False, "guard")
    assert [e["field"] for e in decision.errors] == fields


def test_regrade_is_offered_only_while_a_standard_change_lists_the_hazard():
    pending = {"is_rejudge_pending": True}
    assert available_actions(S.rectifying, GENERAL, {"head"}, ACTOR, pending, TODAY) == [
        A.submit_rectification,
        A.regrade,
    ]
    assert available_actions(S.rectifying, GENERAL, {"safety_officer"}, ACTOR, pending, TODAY) == [
        A.submit_rectification
    ]
    decision = attempt(S.confirmed, A.regrade, changes={"is_rejudge_pending": False})
    assert (decision.allowed, decision.reason_code) == (False, "guard")
    assert [e["field"] for e in decision.errors] == ["is_rejudge_pending"]
