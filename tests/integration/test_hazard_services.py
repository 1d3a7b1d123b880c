"""Hazard services against the database: report, transitions, side effects, deadline sweep."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from anxun.checklists.models import ChecklistVersion
from anxun.core.audit import AuditEntry
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    NotFound,
    StaleState,
    ValidationFailed,
)
from anxun.hazards import queries, services
from anxun.hazards.models import Hazard, HazardTransition
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent
from tests.factories_hazards import (
    actor,
    enterprise_of,
    hazard_in,
    make_hazard,
    make_media,
    plan_fields,
    step,
    user_id,
)

TODAY = date(2026, 11, 25)  # 11:00 in China at the frozen instant below


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    return frozen_clock


@pytest.fixture
def ctx(db, world):
    return world


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def written(db):
    return tuple(
        count(db, m) for m in (Hazard, HazardTransition, AuditEntry, OutboxEvent, Notification)
    )


def notified(db, kind):
    rows = db.session.scalars(
        select(Notification).where(Notification.kind == kind).order_by(Notification.user_id)
    ).all()
    return [r.user_id for r in rows]


def test_a_failed_item_becomes_a_reported_hazard_with_its_basis(db, ctx):
    version = db.session.scalar(
        select(ChecklistVersion).where(ChecklistVersion.code == "hazardous-chemicals")
    )
    item = next(i for s in version.document["sections"] for i in s["items"] if i.get("major"))
    enterprise = enterprise_of("hc")
    hazard = services.report_hazard(
        actor("officer-hc"),
        enterprise,
        {"description": "现场发现", "media_ids": [make_media(enterprise.id)]},
        source="self_inspection",
        item=item,
        checklist_version_id=version.id,
    )
    assert hazard.state == "reported"
    assert hazard.title == "不符合：" + item["text"]
    assert hazard.proposed_level == "major"
    assert hazard.item_id == item["id"]
    assert hazard.basis == item["basis"]
    assert hazard.category == item["category"]
    rows = db.session.scalars(select(HazardTransition)).all()
    assert [(r.action, r.from_state, r.to_state) for r in rows] == [("report", None, "reported")]
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report_hazard"))
    assert [a.entity_id for a in audit] == [str(hazard.id)]
    # The head and the safety officers hear of it; the officer who reported it does not.
    assert notified(db, "reported") == [user_id("head-hc")]
    view = queries.hazard_view(hazard, actor("head-hc"))
    documents = {d["code"]: d for d in version.document["basis"]}
    assert [b["title"] for b in view["basis"]] == [
        documents[ref["doc"]]["title"] for ref in item["basis"]
    ]
    assert [a["code"] for a in view["available_actions"]] == ["confirm", "reject"]


def test_the_general_loop_records_every_step_in_order(db, ctx):
    hazard = hazard_in("pending_verification")
    step(hazard, "head-hc", "verify_reject", reason="螺栓未紧固")
    assert hazard.state == "rectifying"
    assert notified(db, "rejected") == [user_id("rectifier-hc")]
    step(
        hazard,
        "rectifier-hc",
        "submit_rectification",
        after_media_ids=[make_media(hazard.enterprise_id)],
        note="螺栓已紧固",
    )
    step(hazard, "head-hc", "verify_pass", note="复查合格")
    assert hazard.state == "closed"
    assert hazard.verified_by_user_id == user_id("head-hc")
    assert hazard.closed_at == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert hazard.version == 7
    rows = db.session.scalars(select(HazardTransition).order_by(HazardTransition.id)).all()
    assert [(r.action, r.from_state, r.to_state) for r in rows] == [
        ("report", None, "reported"),
        ("confirm", "reported", "confirmed"),
        ("plan", "confirmed", "rectifying"),
        ("submit_rectification", "rectifying", "pending_verification"),
        ("verify_reject", "pending_verification", "rectifying"),
        ("submit_rectification", "rectifying", "pending_verification"),
        ("verify_pass", "pending_verification", "closed"),
    ]
    assert rows[4].evidence == {"reason": "螺栓未紧固"}
    assert rows[2].evidence["funds"] == "2000.00"
    assert rows[2].evidence["deadline"] == "2026-12-02"
    events = db.session.scalars(select(OutboxEvent)).all()
    assert [e.event_type for e in events] == ["hazard_closed"]
    assert events[0].payload["closed_at"] == "2026-11-25T03:00:00+00:00"
    # Both submissions asked the head to verify (the officer submitted neither).
    assert notified(db, "verification_requested") == sorted(
        [user_id("head-hc"), user_id("head-hc"), user_id("officer-hc"), user_id("officer-hc")]
    )
    assert notified(db, "assigned") == [user_id("rectifier-hc")]


def test_confirming_a_major_hazard_writes_one_outbox_event_with_basis_and_deadline(db, ctx):
    hazard = make_hazard(proposed_level="major")
    step(
        hazard,
        "officer-hc",
        "confirm",
        level="major",
        category="management",
        deadline=TODAY + timedelta(days=30),
    )
    events = db.session.scalars(select(OutboxEvent)).all()
    assert [(e.event_type, e.aggregate_id) for e in events] == [
        ("major_hazard_confirmed", str(hazard.id))
    ]
    assert events[0].payload["deadline"] == "2026-12-25"
    assert events[0].payload["level"] == "major"
    assert events[0].payload["basis"] == []
    assert events[0].region_code == "330211"


def test_the_major_loop_needs_the_heads_approval_and_the_regulators_signoff(db, ctx):
    hazard = hazard_in("confirmed", level="major")
    with pytest.raises(ValidationFailed) as missing_plan:
        step(hazard, "head-hc", "approve_plan")
    assert [e["field"] for e in missing_plan.value.errors] == ["has_plan"]
    with pytest.raises(ValidationFailed) as general_plan:
        step(hazard, "officer-hc", "plan", **plan_fields())
    assert [e["field"] for e in general_plan.value.errors] == ["level"]
    step(
        hazard,
        "officer-hc",
        "submit_plan",
        **plan_fields(),
        governance_plan_id=make_media(hazard.enterprise_id),
    )
    assert notified(db, "approval_requested") == [user_id("head-hc")]
    with pytest.raises(Forbidden):
        step(hazard, "officer-hc", "approve_plan")
    step(hazard, "head-hc", "approve_plan")
    assert (hazard.state, hazard.plan_approved_by_user_id) == ("rectifying", user_id("head-hc"))
    step(
        hazard,
        "rectifier-hc",
        "submit_rectification",
        after_media_ids=[make_media(hazard.enterprise_id)],
        note="已整改",
    )
    step(hazard, "officer-hc", "verify_pass")
    assert hazard.state == "awaiting_signoff"
    assert hazard.closed_at is None
    with pytest.raises(Forbidden):
        step(hazard, "head-hc", "signoff")
    step(hazard, "regulator", "signoff_reject", reason="现场复核仍有泄漏")
    assert hazard.state == "rectifying"
    assert notified(db, "rejected") == [user_id("rectifier-hc")]


def test_fix_on_spot_closes_a_general_hazard_in_one_step(db, ctx):
    hazard = make_hazard()
    photo = make_media(hazard.enterprise_id)
    step(hazard, "officer-hc", "fix_on_spot", after_media_ids=[photo], note="当场紧固")
    assert (hazard.state, hazard.is_fixed_on_spot, hazard.level) == ("closed", True, "general")
    last = db.session.scalars(select(HazardTransition).order_by(HazardTransition.id.desc())).first()
    assert (last.action, last.note, last.evidence) == (
        "fix_on_spot",
        "当场紧固",
        {"after_media_ids": [photo]},
    )


@pytest.mark.parametrize(
    ("state", "level", "username", "action", "data", "error", "fields"),
    [
        ("reported", "general", "officer-hc", "verify_pass", {}, Conflict, []),
        ("closed", "general", "officer-hc", "reject", {"reason": "x"}, Conflict, []),
        ("reported", "general", "rectifier-hc", "confirm", {}, Forbidden, []),
        ("reported", "general", "regulator", "reject", {"reason": "x"}, Forbidden, []),
        ("awaiting_signoff", "major", "admin", "signoff", {}, Forbidden, []),
        (
            "reported",
            "general",
            "officer-hc",
            "confirm",
            {"deadline": date(2026, 11, 24)},
            ValidationFailed,
            ["level", "category", "deadline"],
        ),
        (
            "reported",
            "general",
            "officer-hc",
            "reject",
            {"reason": "  "},
            ValidationFailed,
            ["reason"],
        ),
        (
            "reported",
            "major",
            "officer-hc",
            "fix_on_spot",
            {},
            ValidationFailed,
            ["level", "after_media_ids"],
        ),
        (
            "rectifying",
            "general",
            "rectifier-hc",
            "submit_rectification",
            {"after_media_ids": []},
            ValidationFailed,
            ["after_media_ids", "note"],
        ),
        ("pending_verification", "general", "rectifier-hc", "verify_pass", {}, Forbidden, []),
    ],
)
def test_refused_steps_write_nothing(db, ctx, state, level, username, action, data, error, fields):
    hazard = hazard_in(state, level)
    db.session.commit()
    before = written(db)
    with pytest.raises(error) as refused:
        step(hazard, username, action, **data)
    assert [e["field"] for e in refused.value.errors] == fields
    db.session.rollback()
    assert written(db) == before
    assert db.session.get(Hazard, hazard.id).state == state


def test_the_rectifier_may_not_verify_their_own_rectification(db, ctx):
    hazard = hazard_in("rectifying")
    step(
        hazard,
        "officer-hc",
        "submit_rectification",
        after_media_ids=[make_media(hazard.enterprise_id)],
        note="安全员自行整改",
    )
    with pytest.raises(ValidationFailed) as same:
        step(hazard, "officer-hc", "verify_pass")
    assert same.value.errors == [{"field": "actor", "message": "验收人不能是整改提交人。"}]


def test_a_stale_expected_state_is_a_conflict(db, ctx):
    hazard = hazard_in("confirmed")
    with pytest.raises(StaleState) as stale:
        services.apply_transition(
            actor("officer-hc"), hazard, "reject", {"reason": "x"}, expected_state="reported"
        )
    assert stale.value.extra == {"current_state": "confirmed"}


def test_a_step_racing_another_one_is_refused(db, ctx):
    hazard = make_hazard()
    # Another request moved the hazard on after this one had read it (same state, newer version).
    db.session.execute(
        update(Hazard)
        .where(Hazard.id == hazard.id)
        .values(version=2)
        .execution_options(synchronize_session=False)
    )
    assert hazard.version == 1
    with pytest.raises(StaleState):
        step(hazard, "officer-hc", "reject", reason="重复上报")


def test_a_replayed_client_id_changes_nothing_and_a_reused_one_conflicts(db, ctx):
    hazard = make_hazard()
    client_id = uuid.uuid4()
    officer = actor("officer-hc")
    data = {"level": "general", "category": "thing", "deadline": TODAY + timedelta(days=3)}
    services.apply_transition(
        officer, hazard, "confirm", data, expected_state="reported", client_id=client_id
    )
    before = written(db)
    again = services.apply_transition(
        officer, hazard, "confirm", data, expected_state="reported", client_id=client_id
    )
    assert (again.state, again.version) == ("confirmed", 2)
    assert written(db) == before
    with pytest.raises(Conflict):
        services.apply_transition(
            officer,
            hazard,
            "reject",
            {"reason": "x"},
            expected_state="confirmed",
            client_id=client_id,
        )
    other = make_hazard()
    with pytest.raises(Conflict):
        services.apply_transition(
            officer, other, "confirm", data, expected_state="reported", client_id=client_id
        )


def test_photos_not_yet_uploaded_for_this_enterprise_are_listed(db, ctx):
    hazard = make_hazard()
    foreign = make_media(enterprise_of("con").id, "officer-con")
    unknown = str(uuid.uuid4())
    with pytest.raises(MissingMedia) as missing:
        step(hazard, "officer-hc", "fix_on_spot", after_media_ids=[foreign, unknown])
    assert missing.value.extra == {"missing_media": [foreign, unknown]}
    assert hazard.state == "reported"


def test_the_responsible_person_must_work_for_the_enterprise(db, ctx):
    hazard = hazard_in("confirmed")
    with pytest.raises(ValidationFailed) as outsider:
        step(
            hazard,
            "officer-hc",
            "plan",
            **{**plan_fields(), "responsible_user_id": user_id("rectifier-con")},
        )
    assert [e["field"] for e in outsider.value.errors] == ["responsible_user_id"]


def test_out_of_scope_and_read_only_actors_cannot_act(db, ctx):
    hazard = make_hazard()
    with pytest.raises(NotFound):
        step(hazard, "head-con", "reject", reason="x")
    with pytest.raises(Forbidden):
        step(hazard, "auditor", "reject", reason="x")


def test_direct_reports_are_idempotent_on_their_id(db, ctx):
    enterprise = enterprise_of("hc")
    photo = make_media(enterprise.id)
    data = {
        "id": uuid.uuid4(),
        "enterprise_id": enterprise.id,
        "title": "消防通道堵塞",
        "description": "",
        "place_id": None,
        "media_ids": [uuid.UUID(photo)],
        "proposed_level": "general",
    }
    officer = actor("officer-hc")
    first, created = services.report_direct_hazard(officer, data)
    assert created is True
    again, created_again = services.report_direct_hazard(officer, data)
    assert (again.id, created_again) == (first.id, False)
    with pytest.raises(Conflict):
        services.report_direct_hazard(officer, {**data, "title": "别的隐患"})
    with pytest.raises(MissingMedia):
        services.report_direct_hazard(
            officer, {**data, "id": uuid.uuid4(), "media_ids": [uuid.uuid4()]}
        )
    with pytest.raises(Forbidden):
        services.report_direct_hazard(actor("regulator"), {**data, "id": uuid.uuid4()})


def test_sweep_notifies_overdue_and_soon_hazards_once(db, ctx, frozen):
    late = hazard_in("rectifying", days=1)  # deadline 2026-11-26
    soon = hazard_in("confirmed", days=4)  # deadline 2026-11-29, no plan yet
    later = hazard_in("rectifying", days=10)
    done = hazard_in("closed", days=1)
    frozen(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))  # 09:00 on 27 Nov in China
    first = services.sweep_deadlines(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    assert first == {"overdue": 1, "deadline_soon": 1, "notifications": 3}
    overdue = db.session.scalars(select(Notification).where(Notification.kind == "overdue")).all()
    assert sorted(n.user_id for n in overdue) == sorted(
        [user_id("rectifier-hc"), user_id("head-hc")]
    )
    assert {n.hazard_id for n in overdue} == {late.id}
    assert overdue[0].body == "整改期限 2026-11-26，已超期 1 天。"
    soon_rows = db.session.scalars(
        select(Notification).where(Notification.kind == "deadline_soon")
    ).all()
    assert [(n.user_id, n.hazard_id) for n in soon_rows] == [(user_id("head-hc"), soon.id)]
    events = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "hazard_overdue")
    ).all()
    assert [(e.aggregate_id, e.payload["days_overdue"]) for e in events] == [(str(late.id), 1)]
    assert later.id not in {n.hazard_id for n in overdue + soon_rows}
    assert done.id not in {n.hazard_id for n in overdue + soon_rows}

    second = services.sweep_deadlines(datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
    assert second == {"overdue": 0, "deadline_soon": 0, "notifications": 0}
    assert count(db, OutboxEvent, OutboxEvent.event_type == "hazard_overdue") == 1


def test_the_sweep_command_commits_its_counts(app, db, ctx, frozen):
    hazard_in("rectifying", days=1)
    db.session.commit()
    frozen(datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["anxun", "hazards", "sweep"])
    assert first.exit_code == 0, first.output
    assert "overdue 1, deadline soon 0, notifications 2." in first.output
    second = runner.invoke(args=["anxun", "hazards", "sweep"])
    assert "overdue 0, deadline soon 0, notifications 0." in second.output
    assert count(db, Notification, Notification.kind == "overdue") == 2
