"""Task occurrences: materialised per place and idempotently, work hours, stop periods, plan
changes without invented backlog, completion by an inspection and the online operation rate."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from sqlalchemy import func, select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.core.audit import AuditEntry
from anxun.core.errors import Conflict, ValidationFailed
from anxun.inspections import planning
from anxun.inspections import planning_queries as queries
from anxun.inspections.models import Place, TaskOccurrence
from tests.factories_planning import (
    CST,
    local,
    make_inspection,
    make_place,
    make_plan,
    make_stop,
)


def spans(db, plan, place=None) -> list[str]:
    """The plan's windows at one place (None: enterprise-wide) as local 'MM-DD HH:MM~MM-DD HH:MM'."""
    where = TaskOccurrence.place_id == place.id if place else TaskOccurrence.place_id.is_(None)
    rows = db.session.scalars(
        select(TaskOccurrence)
        .where(TaskOccurrence.plan_id == plan.id, where)
        .order_by(TaskOccurrence.due_start)
    )
    return [
        f"{o.due_start.astimezone(CST):%m-%d %H:%M}~{o.due_end.astimezone(CST):%m-%d %H:%M}"
        for o in rows
    ]


def days(*mmdd: str) -> list[str]:
    out = []
    for text in mmdd:
        start = date.fromisoformat(f"2026-{text}")
        end = date.fromordinal(start.toordinal() + 1)
        out.append(f"{start:%m-%d} 00:00~{end:%m-%d} 00:00")
    return out


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actor(db, username: str):
    return actor_for(db.session.scalar(select(User).where(User.username == username)))


@pytest.fixture
def hc(world):
    return world["enterprise"]["hc"]


def test_a_daily_plan_for_two_places_gives_two_occurrences_a_day_once(db, hc):
    tank, pump = make_place(hc, name="罐区"), make_place(hc, name="泵房")
    plan = make_plan(hc, [tank, pump], anchor_at=local("2026-03-10 09:00"))
    assert planning.materialize_occurrences(plan, local("2026-03-13")) == 6
    assert spans(db, plan, tank) == days("03-10", "03-11", "03-12")
    assert spans(db, plan, pump) == days("03-10", "03-11", "03-12")
    assert planning.materialize_occurrences(plan, local("2026-03-13")) == 0
    assert planning.materialize_occurrences(plan, local("2026-03-14")) == 2
    assert count(db, TaskOccurrence) == 8


def test_an_enterprise_wide_plan_has_occurrences_without_a_place_and_stays_idempotent(db, hc):
    plan = make_plan(hc, [], anchor_at=local("2026-03-10 09:00"), frequency_unit="week")
    assert planning.materialize_occurrences(plan, local("2026-03-20")) == 2
    assert planning.materialize_occurrences(plan, local("2026-03-20")) == 0
    # 2026-03-09 and 03-16 are Mondays: weekly windows run Monday to Monday.
    assert spans(db, plan) == ["03-09 00:00~03-16 00:00", "03-16 00:00~03-23 00:00"]


def test_an_hourly_plan_runs_inside_work_hours_on_workdays(db, hc):
    from datetime import time

    place = make_place(hc)
    plan = make_plan(
        hc,
        [place],
        anchor_at=local("2026-03-13 07:00"),  # a Friday
        frequency_every=2,
        frequency_unit="hour",
        day_type="workdays",
        work_start=time(8),
        work_end=time(12),
    )
    assert planning.materialize_occurrences(plan, local("2026-03-17")) == 4
    assert spans(db, plan, place) == [
        "03-13 08:00~03-13 10:00",
        "03-13 10:00~03-13 12:00",
        "03-16 08:00~03-16 10:00",
        "03-16 10:00~03-16 12:00",
    ]


def test_stop_periods_of_the_enterprise_or_the_place_suppress_covered_windows(db, hc):
    tank, pump = make_place(hc, name="罐区"), make_place(hc, name="泵房")
    plan = make_plan(hc, [tank, pump], anchor_at=local("2026-03-10 09:00"))
    make_stop(hc, local("2026-03-11"), local("2026-03-12"))  # whole enterprise
    make_stop(hc, local("2026-03-12"), local("2026-03-13"), place_id=pump.id)
    assert planning.materialize_occurrences(plan, local("2026-03-13")) == 3
    assert spans(db, plan, tank) == days("03-10", "03-12")
    assert spans(db, plan, pump) == days("03-10")


def test_a_stop_recorded_after_materialising_suspends_the_window(db, hc):
    place = make_place(hc)
    plan = make_plan(hc, [place], anchor_at=local("2026-03-10 09:00"))
    planning.materialize_occurrences(plan, local("2026-03-12"))
    make_stop(hc, local("2026-03-11"), local("2026-03-12"), place_id=place.id)
    now = local("2026-03-13 09:00")
    stops = queries.enterprise_stops(hc)
    occurrences = db.session.scalars(
        select(TaskOccurrence).order_by(TaskOccurrence.due_start)
    ).all()
    states = [queries.occurrence_state(o, now, stops).value for o in occurrences]
    assert states == ["missed", "suspended"]
    assert queries.operation_rate(hc, date(2026, 3, 10), date(2026, 3, 12), now)["counted"] == 1


def test_completing_occurrences_makes_the_operation_rate_done_over_counted(db, world, hc):
    officer = world["users"]["officer-hc"]
    tank, pump = make_place(hc, name="罐区"), make_place(hc, name="泵房")
    plan = make_plan(hc, [tank, pump], anchor_at=local("2026-03-10 09:00"))
    planning.materialize_occurrences(plan, local("2026-03-13"))
    occ = {
        (o.place_id, o.due_start.astimezone(CST).day): o
        for o in db.session.scalars(select(TaskOccurrence))
    }
    on_time = make_inspection(hc, officer, local("2026-03-10 15:00"))
    late = make_inspection(hc, officer, local("2026-03-11 08:00"))
    second = make_inspection(hc, officer, local("2026-03-11 20:00"))
    done = planning.complete_occurrence(occ[(tank.id, 10)].id, on_time, hc)
    assert done.inspection_id == on_time.id
    assert done.done_at == local("2026-03-10 15:00")
    planning.complete_occurrence(occ[(pump.id, 10)].id, late, hc)
    planning.complete_occurrence(occ[(tank.id, 11)].id, second, hc)

    now = local("2026-03-13 09:00")
    # Windows of 03-10..03-12 at two places: done 2 (tank 10, 11), late 1 (pump 10), missed 3.
    rate = queries.operation_rate(hc, date(2026, 3, 10), date(2026, 3, 12), now)
    lowered_by = rate.pop("lowered_by")
    assert rate == {
        "rate": 0.3333,
        "done": 2,
        "late": 1,
        "missed": 3,
        "counted": 6,
        "period": {"from": "2026-03-10", "to": "2026-03-12"},
    }
    # What lowered it, worst first: the pump (late on 10, missed 11 and 12), then the tank (12).
    assert [(e["place"]["id"], e["late"], e["missed"]) for e in lowered_by] == [
        (pump.id, 1, 2),
        (tank.id, 0, 1),
    ]
    # Only the windows that end inside 03-11 (local): tank done, pump missed.
    assert queries.operation_rate(hc, date(2026, 3, 11), date(2026, 3, 11), now)["rate"] == 0.5

    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "complete_occurrence").limit(1)
    )
    assert entry.actor_user_id == officer
    assert entry.change["inspection_id"] == str(on_time.id)


def test_completion_is_idempotent_and_refuses_another_inspection_or_enterprise(db, world, hc):
    officer = world["users"]["officer-hc"]
    plan = make_plan(hc, [make_place(hc)], anchor_at=local("2026-03-10 09:00"))
    planning.materialize_occurrences(plan, local("2026-03-11"))
    occurrence = db.session.scalar(select(TaskOccurrence))
    first = make_inspection(hc, officer, local("2026-03-10 15:00"))
    planning.complete_occurrence(occurrence.id, first, hc)
    audits = count(db, AuditEntry)

    assert planning.complete_occurrence(occurrence.id, first, hc).done_at == first.finished_at
    assert count(db, AuditEntry) == audits

    other = make_inspection(hc, officer, local("2026-03-10 16:00"))
    with pytest.raises(Conflict) as conflict:
        planning.complete_occurrence(occurrence.id, other, hc)
    assert conflict.value.errors[0]["field"] == "task_occurrence_id"

    with pytest.raises(ValidationFailed) as foreign:
        planning.complete_occurrence(occurrence.id, other, world["enterprise"]["con"])
    assert foreign.value.errors == [
        {"field": "task_occurrence_id", "message": "排查任务不存在或不属于本企业。"}
    ]
    assert occurrence.inspection_id == first.id


def test_an_inspection_finished_before_the_window_cannot_complete_it(db, world, hc):
    plan = make_plan(hc, [make_place(hc)], anchor_at=local("2026-03-10 09:00"))
    planning.materialize_occurrences(plan, local("2026-03-12"))
    tomorrow = db.session.scalars(
        select(TaskOccurrence).order_by(TaskOccurrence.due_start.desc())
    ).first()
    early = make_inspection(hc, world["users"]["officer-hc"], local("2026-03-10 23:00"))
    with pytest.raises(ValidationFailed) as refused:
        planning.complete_occurrence(tomorrow.id, early, hc)
    assert refused.value.errors[0]["field"] == "finished_at"
    assert tomorrow.done_at is None


def test_get_place_refuses_another_enterprises_place(db, world, hc):
    place = make_place(world["enterprise"]["con"])
    with pytest.raises(ValidationFailed) as refused:
        planning.get_place(hc, place.id)
    assert refused.value.errors[0]["field"] == "place_id"
    assert planning.get_place(world["enterprise"]["con"], place.id) is place


def test_the_cli_materialises_a_week_ahead_once(app, db, hc, frozen_clock):
    frozen_clock(local("2026-03-10 10:00").astimezone(UTC))
    plan = make_plan(hc, [make_place(hc)], anchor_at=clock.now())
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["anxun", "tasks", "generate"])
    assert first.exit_code == 0, first.output
    assert "已生成 8 个排查任务" in first.output  # 03-10 … 03-17 (now + 7 days is 03-17 10:00)
    again = runner.invoke(args=["anxun", "tasks", "generate"])
    assert "已生成 0 个排查任务" in again.output
    db.session.expire_all()
    assert count(db, TaskOccurrence) == 8
    assert {o.plan_id for o in db.session.scalars(select(TaskOccurrence))} == {plan.id}


def test_a_new_frequency_takes_over_after_the_running_window(db, hc, frozen_clock):
    frozen_clock(local("2026-03-08 10:00").astimezone(UTC))  # a Sunday
    place = make_place(hc)
    plan = make_plan(hc, [place], anchor_at=clock.now())
    planning.materialize_occurrences(plan, local("2026-03-15 10:00"))
    assert len(spans(db, plan, place)) == 8

    planning.update_plan(actor(db, "officer-hc"), plan.id, {"frequency_unit": "week"})
    assert spans(db, plan, place) == days("03-08")  # windows not yet started are dropped
    assert plan.anchor_at == local("2026-03-09")
    planning.materialize_occurrences(plan, local("2026-03-23"))
    assert spans(db, plan, place) == [
        *days("03-08"),
        "03-09 00:00~03-16 00:00",
        "03-16 00:00~03-23 00:00",
    ]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update_plan"))
    assert entry.change["frequency_unit"] == ["day", "week"]


def test_a_place_switched_off_and_on_again_gets_no_backlog(db, hc, frozen_clock):
    frozen_clock(local("2026-03-10 10:00").astimezone(UTC))
    officer = actor(db, "officer-hc")
    tank, pump = make_place(hc, name="罐区"), make_place(hc, name="泵房")
    plan = make_plan(hc, [tank, pump], anchor_at=clock.now())
    planning.materialize_occurrences(plan, local("2026-03-17 10:00"))
    assert count(db, TaskOccurrence) == 16

    planning.update_place(officer, tank.id, {"is_active": False})
    assert spans(db, plan, tank) == days("03-10")  # started windows stay

    frozen_clock(local("2026-03-20 10:00").astimezone(UTC))
    planning.update_place(officer, tank.id, {"is_active": True})
    planning.materialize_occurrences(plan, local("2026-03-21"))
    assert spans(db, plan, tank) == days("03-10", "03-20")
    assert spans(db, plan, pump) == days(*[f"03-{d}" for d in range(10, 21)])


def test_a_plan_paused_and_resumed_gets_no_backlog(db, hc, frozen_clock):
    frozen_clock(local("2026-03-10 10:00").astimezone(UTC))
    officer = actor(db, "officer-hc")
    place = make_place(hc)
    plan = make_plan(hc, [place], anchor_at=clock.now())
    planning.materialize_occurrences(plan, local("2026-03-17 10:00"))

    planning.update_plan(officer, plan.id, {"is_active": False})
    assert spans(db, plan, place) == days("03-10")
    frozen_clock(local("2026-03-20 10:00").astimezone(UTC))
    assert planning.materialize_occurrences(plan, local("2026-03-21")) == 0  # paused

    planning.update_plan(officer, plan.id, {"is_active": True})
    planning.materialize_occurrences(plan, local("2026-03-21"))
    assert spans(db, plan, place) == days("03-10", "03-20")


def test_moving_a_plan_to_another_place_starts_there_now(db, hc, frozen_clock):
    frozen_clock(local("2026-03-10 10:00").astimezone(UTC))
    tank, pump = make_place(hc, name="罐区"), make_place(hc, name="泵房")
    plan = make_plan(hc, [tank], anchor_at=clock.now())
    planning.materialize_occurrences(plan, local("2026-03-14"))

    frozen_clock(local("2026-03-12 10:00").astimezone(UTC))
    planning.update_plan(actor(db, "officer-hc"), plan.id, {"place_ids": [pump.id]})
    planning.materialize_occurrences(plan, local("2026-03-14"))
    assert spans(db, plan, tank) == days("03-10", "03-11", "03-12")
    assert spans(db, plan, pump) == days("03-12", "03-13")


def test_a_colliding_label_code_is_drawn_again(db, hc, monkeypatch):
    taken = make_place(hc, qr_token="ABCD2345")
    drawn = iter(["ABCD2345", "WXYZ6789"])
    monkeypatch.setattr(planning, "new_qr_token", lambda: next(drawn))
    place = planning.create_place(actor(db, "officer-hc"), hc, {"name": "新泵房", "kind": "unit"})
    assert place.qr_token == "WXYZ6789"
    assert {p.qr_token for p in db.session.scalars(select(Place))} == {taken.qr_token, "WXYZ6789"}


def test_label_codes_use_the_unambiguous_alphabet():
    codes = {planning.new_qr_token() for _ in range(200)}
    assert all(len(c) == 8 and set(c) <= set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for c in codes)
    assert len(codes) == 200
