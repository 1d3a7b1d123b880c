"""The set-based daily grade snapshot: every enterprise's row equals its own grade computed alone,
the rows are written in bulk, one audit entry per run, and a second run changes nothing.

The clock is frozen at 2026-03-10 12:00 China time; the operation period is 2026-02-08 …
2026-03-09, the hazard period 2025-03-11 … 2026-03-10 (see test_enterprise_grade.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.core.auth import SYSTEM
from anxun.orgs.models import Enterprise
from anxun.risk.grading import services
from anxun.risk.grading.queries import compute_grade
from anxun.risk.models import EnterpriseGradeSnapshot, RiskObject, RiskUnit
from tests.factories import next_uscc
from tests.factories_grading import (
    cst,
    make_assessment,
    make_commitments,
    make_enforcement,
    make_hazard,
    make_occurrence,
    make_plan,
    make_risk_event,
    make_stop,
)

NOON = datetime(2026, 3, 10, 4, tzinfo=UTC)
TODAY = date(2026, 3, 10)
PERIOD_START = date(2026, 2, 8)


def make_firm(db, name, industries, registered=datetime(2025, 1, 1, tzinfo=UTC)) -> int:
    enterprise = Enterprise(
        name=name,
        uscc=next_uscc(),
        region_code="330211",
        size_class="small",
        industries=industries,
        created_at=registered,
    )
    db.session.add(enterprise)
    db.session.flush()
    return enterprise.id


@pytest.fixture
def varied(world, db, frozen_clock):
    """Seven enterprises beside the world's four, each with different grade facts."""
    frozen_clock(NOON)
    officer = world["users"]["officer-hc"]
    head = world["users"]["head-hc"]
    regulator, regulator_user = world["regulator"], world["users"]["regulator"]
    firms = {}

    # Task windows: done, late, missed, suspended by a stop, one before the period; hazards of
    # every state, an overdue one and an open major one, one reported before the period.
    firms["busy"] = busy = make_firm(db, "评级快照甲公司", ["hazardous_chemicals"])
    plan = make_plan(busy)
    make_occurrence(plan, date(2026, 2, 7), done_at=cst(date(2026, 2, 7), 9))
    make_occurrence(plan, date(2026, 2, 8), done_at=cst(date(2026, 2, 8), 9))
    make_occurrence(plan, date(2026, 3, 1), done_at=cst(date(2026, 3, 1), 7))  # early: on time
    make_occurrence(plan, date(2026, 3, 3), done_at=cst(date(2026, 3, 4), 9))  # late
    make_occurrence(plan, date(2026, 3, 5))  # missed
    make_occurrence(plan, date(2026, 3, 9), done_at=cst(date(2026, 3, 10), 9))  # done today
    make_occurrence(plan, date(2026, 3, 6))  # suspended
    make_stop(busy, cst(date(2026, 3, 6)), cst(date(2026, 3, 7)))
    for state in ("closed", "closed", "rejected", "reported", "reported"):
        make_hazard(busy, officer, state)
    make_hazard(busy, officer, "confirmed", deadline=date(2026, 3, 9))
    make_hazard(busy, officer, "confirmed", level="major", deadline=date(2026, 4, 30))
    make_hazard(
        busy,
        officer,
        "confirmed",
        deadline=date(2025, 1, 1),
        reported_at=datetime(2024, 12, 1, tzinfo=UTC),
    )
    make_commitments(busy, head, [PERIOD_START + timedelta(days=n) for n in range(20)])
    make_commitments(busy, head, [date(2026, 3, 2), date(2026, 3, 3)], late=True)

    # Risk units: orange raised to red by an open hazard, a later orange over an earlier red, a
    # deleted unit, major hazard sources (one deleted); an interview still in effect.
    firms["units"] = units = make_firm(db, "评级快照乙公司", ["dust_explosion"])
    raised = make_risk_event(units, is_major_hazard_source=True)
    make_assessment(raised, officer, "orange")
    make_hazard(units, officer, "confirmed", risk_unit_id=raised.risk_unit_id)
    later = make_risk_event(units)
    make_assessment(later, officer, "red", assessed_on=date(2025, 12, 1))
    make_assessment(later, officer, "orange", assessed_on=date(2026, 2, 1))
    make_assessment(make_risk_event(units), officer, "yellow")
    gone = make_risk_event(units)
    make_assessment(gone, officer, "red")
    db.session.get(RiskUnit, gone.risk_unit_id).deleted_at = NOON
    deleted_source = make_risk_event(units, is_major_hazard_source=True)
    deleted_unit = db.session.get(RiskUnit, deleted_source.risk_unit_id)
    db.session.get(RiskObject, deleted_unit.risk_object_id).deleted_at = NOON
    make_enforcement(units, regulator, regulator_user, "interview", date(2025, 6, 1))

    # Vetoes: an open-ended suspension; an ended one and an old interview do not count.
    firms["vetoed"] = vetoed = make_firm(db, "评级快照丙公司", ["industry_trade"])
    make_enforcement(vetoed, regulator, regulator_user, "suspension", date(2026, 3, 1))
    make_enforcement(
        vetoed, regulator, regulator_user, "suspension", date(2026, 1, 1), ends_on=date(2026, 2, 1)
    )
    make_enforcement(vetoed, regulator, regulator_user, "interview", date(2025, 3, 9))
    make_hazard(vetoed, officer, "closed")

    # Commitments: registered inside the period (fewer required days); another industry whose
    # commitments do not count; an enterprise with nothing at all.
    firms["new"] = new = make_firm(
        db, "评级快照丁公司", ["hazardous_chemicals"], registered=cst(date(2026, 3, 1), 10)
    )
    make_commitments(new, head, [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)])
    make_commitments(new, head, [date(2026, 3, 5)], late=True)
    firms["other"] = other = make_firm(db, "评级快照戊公司", ["construction"])
    make_commitments(other, head, [date(2026, 3, 2)])
    make_hazard(other, officer, "rejected")
    firms["empty"] = make_firm(db, "评级快照己公司", ["hazardous_chemicals"])

    # All windows done on time, a stop that does not cover a window.
    firms["perfect"] = perfect = make_firm(db, "评级快照庚公司", ["industry_trade"])
    plan = make_plan(perfect)
    for n in range(5):
        day = date(2026, 3, 2) + timedelta(days=n)
        make_occurrence(plan, day, done_at=cst(day, 9))
    make_stop(perfect, cst(date(2026, 3, 3), 9), cst(date(2026, 3, 3), 12))
    db.session.commit()
    return firms


def run_snapshot(db) -> dict[str, int]:
    counts = services.snapshot_all_grades(SYSTEM)
    db.session.commit()
    return counts


def rows(db) -> dict[int, EnterpriseGradeSnapshot]:
    db.session.expire_all()
    snapshots = db.session.scalars(
        select(EnterpriseGradeSnapshot).where(EnterpriseGradeSnapshot.day == TODAY)
    ).all()
    return {row.enterprise_id: row for row in snapshots}


def run_audits(db) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "record_enterprise_grades")
            .order_by(AuditEntry.id)
        )
    )


def test_the_snapshot_rows_equal_each_enterprise_graded_alone(db, varied, monkeypatch):
    monkeypatch.setattr(services, "SNAPSHOT_BATCH", 3)  # the batches split the enterprises
    counts = run_snapshot(db)
    ids = list(db.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
    assert counts == {"created": len(ids), "updated": 0, "unchanged": 0}
    stored = rows(db)
    assert sorted(stored) == ids
    for enterprise_id in ids:
        alone = compute_grade(enterprise_id, TODAY)
        row = stored[enterprise_id]
        assert row.result == alone, enterprise_id
        assert (float(row.score), row.colour, row.config_version) == (
            alone["score"],
            alone["colour"]["code"],
            alone["config_version"],
        )
        assert row.operation_rate == alone["inputs"]["online_operation_rate"]
        assert row.operation_windows == sum(alone["inputs"]["occurrences"].values())

    # The world really is varied: the facts that set the enterprises apart, as computed by hand.
    inputs = {name: stored[varied[name]].result["inputs"] for name in varied}
    assert inputs["busy"]["occurrences"] == {
        "upcoming": 0,
        "open": 0,
        "done": 2,
        "late": 1,
        "missed": 2,
        "suspended": 1,
    }
    assert inputs["busy"]["online_operation_rate"] == 0.4
    assert (inputs["busy"]["hazards_reported"], inputs["busy"]["hazards_closed"]) == (7, 2)
    assert (inputs["busy"]["overdue_hazards"], inputs["busy"]["open_major_hazards"]) == (2, 1)
    assert inputs["busy"]["commitment"]["on_time"] == 20
    assert inputs["busy"]["commitment"]["late"] == 2
    assert (inputs["units"]["red_units"], inputs["units"]["orange_units"]) == (1, 1)
    assert inputs["units"]["major_hazard_sources"] == 1
    assert [v["kind"] for v in inputs["units"]["vetoes"]] == ["interview"]
    assert [v["kind"] for v in inputs["vetoed"]["vetoes"]] == ["suspension"]
    assert inputs["new"]["commitment"] == {
        "required_days": 8,
        "on_time": 3,
        "late": 1,
        "first_day": "2026-03-02",
        "period": ["2026-02-08", "2026-03-09"],
    }
    assert inputs["other"]["commitment"] is None
    assert inputs["other"]["hazards_rejected"] == 1
    assert inputs["empty"]["commitment"]["on_time"] == 0
    assert inputs["perfect"]["online_operation_rate"] == 1.0
    colours = {name: stored[varied[name]].colour for name in varied}
    assert colours["vetoed"] == colours["units"] == "red"
    assert len({stored[varied[name]].result["score"] for name in varied}) >= 5

    # One audit entry for the run: counts, colours and the digest of the rows as stored.
    (entry,) = run_audits(db)
    assert entry.entity_id == "2026-03-10"
    assert entry.change == {
        "day": "2026-03-10",
        "enterprises": len(ids),
        "created": len(ids),
        "updated": 0,
        "unchanged": 0,
        "colours": dict(
            sorted(
                {
                    colour: sum(1 for row in stored.values() if row.colour == colour)
                    for colour in {row.colour for row in stored.values()}
                }.items()
            )
        ),
        "digest": services.grades_digest({eid: row.result for eid, row in stored.items()}),
    }
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "record_enterprise_grade")
        )
        == 0
    )


def test_a_second_run_changes_nothing_and_a_changed_fact_updates_one_row(
    client, login_as, db, world, varied, frozen_clock
):
    # The grade page has stored one enterprise's row already: the run leaves it as it is.
    page = client.get(f"/api/v1/enterprises/{varied['busy']}/grade", headers=login_as("regulator"))
    assert page.status_code == 200
    first = run_snapshot(db)
    total = sum(first.values())
    assert first == {"created": total - 1, "updated": 0, "unchanged": 1}
    before = {eid: (row.id, row.result) for eid, row in rows(db).items()}

    again = run_snapshot(db)
    assert again == {"created": 0, "updated": 0, "unchanged": total}
    assert {eid: (row.id, row.result) for eid, row in rows(db).items()} == before
    assert len(run_audits(db)) == 1

    # Later that day the empty enterprise gets an open major hazard: only its row changes.
    frozen_clock(datetime(2026, 3, 10, 6, tzinfo=UTC))
    make_hazard(varied["empty"], world["users"]["officer-hc"], "confirmed", level="major")
    db.session.commit()
    third = run_snapshot(db)
    assert third == {"created": 0, "updated": 1, "unchanged": total - 1}
    after = rows(db)
    assert after[varied["empty"]].id == before[varied["empty"]][0]
    assert after[varied["empty"]].result == compute_grade(varied["empty"], TODAY)
    assert after[varied["empty"]].result["inputs"]["open_major_hazards"] == 1
    assert len(after) == total
    audits = run_audits(db)
    assert len(audits) == 2
    assert (audits[1].change["created"], audits[1].change["updated"]) == (0, 1)
    assert audits[1].change["digest"] != audits[0].change["digest"]
    assert audits[1].change["digest"] == services.grades_digest(
        {eid: row.result for eid, row in after.items()}
    )
