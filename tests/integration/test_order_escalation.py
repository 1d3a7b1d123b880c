"""Escalation of unacknowledged orders and due follow-ups: `sweep_orders` and `flask anxun orders sweep`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import RectificationOrder
from anxun.oversight.patrols import services
from tests.factories_hazards import actor

ISSUED = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing time


@pytest.fixture
def orders(app, db, world, frozen_clock):
    """Two orders issued by the inspector at ISSUED: hc's (acknowledged later) and dust's."""
    frozen_clock(ISSUED)
    regulator = actor("regulator")
    made = {}
    for key in ("hc", "dust"):
        made[key] = services.issue_order(
            regulator,
            {
                "enterprise_id": world["enterprise"][key],
                "co_officer_user_id": world["users"]["regulator-admin"],
                "deadline": date(2026, 11, 12),
                "basis": [{"document": "《中华人民共和国安全生产法》", "clause": "第六十五条"}],
                "requirements": "",
                "items": [{"text": "完善安全生产责任制"}],
            },
        )
    db.session.commit()
    return made


def notifications(db, kind):
    return sorted(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)).all()
    )


def test_sweep_escalates_once_after_the_configured_days(app, db, world, orders, frozen_clock):
    app.config["ANXUN_ORDER_ACK_DAYS"] = 3
    frozen_clock(ISSUED + timedelta(days=3))
    assert services.sweep_orders(ISSUED + timedelta(days=3))["escalated"] == []

    services.acknowledge_order(actor("head-hc"), orders["hc"], {"expected_state": "issued"})
    now = ISSUED + timedelta(days=3, minutes=1)
    frozen_clock(now)
    result = services.sweep_orders(now)
    db.session.commit()
    assert result["escalated"] == [orders["dust"].number]
    assert db.session.get(RectificationOrder, orders["dust"].id).escalated_at == now
    assert db.session.get(RectificationOrder, orders["hc"].id).escalated_at is None
    expected = sorted([world["users"]["regulator"], world["users"]["head-dust"]])
    assert notifications(db, "order_escalated") == expected
    audits = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "sweep_rectification_orders")
    )
    assert audits == 1

    later = now + timedelta(days=2)
    again = services.sweep_orders(later)
    db.session.commit()
    assert again == {"escalated": [], "follow_ups_due": [], "notifications": 0}
    assert db.session.get(RectificationOrder, orders["dust"].id).escalated_at == now
    assert notifications(db, "order_escalated") == expected


def escalation_events(db) -> list[OutboxEvent]:
    return db.session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.event_type == "order_escalated")
        .order_by(OutboxEvent.id)
    ).all()


def test_escalation_enqueues_one_outbox_event_per_order_with_escalated_at(
    app, db, world, orders, frozen_clock
):
    now = ISSUED + timedelta(days=4)
    frozen_clock(now)
    services.sweep_orders(now, ack_days=3)
    # Rolled back: neither escalated_at nor the event survives (one transaction).
    db.session.rollback()
    assert escalation_events(db) == []
    assert db.session.get(RectificationOrder, orders["dust"].id).escalated_at is None

    services.sweep_orders(now, ack_days=3)
    db.session.commit()
    services.sweep_orders(now + timedelta(days=1), ack_days=3)
    db.session.commit()
    events = escalation_events(db)
    assert sorted(e.aggregate_id for e in events) == sorted(
        str(orders[key].id) for key in ("hc", "dust")
    )
    dust = next(e for e in events if e.aggregate_id == str(orders["dust"].id))
    assert dust.aggregate_type == "rectification_order"
    assert dust.enterprise_id == world["enterprise"]["dust"]
    assert dust.payload["number"] == orders["dust"].number
    assert dust.payload["state"] == "issued"
    assert dust.payload["acknowledged_at"] is None
    assert dust.payload["ack_days"] == 3
    assert datetime.fromisoformat(dust.payload["escalated_at"]) == now


def test_sweep_lists_due_follow_ups_and_reminds_the_officer_once(app, db, world, orders):
    at_deadline = datetime(2026, 11, 12, 2, 0, tzinfo=UTC)
    result = services.sweep_orders(at_deadline, ack_days=3)
    db.session.commit()
    assert [row["number"] for row in result["follow_ups_due"]] == [
        orders["hc"].number,
        orders["dust"].number,
    ]
    assert notifications(db, "follow_up_due") == [world["users"]["regulator"]] * 2
    again = services.sweep_orders(at_deadline, ack_days=3)
    assert again["notifications"] == 0
    assert len(again["follow_ups_due"]) == 2


def test_cli_sweep_reports_counts(app, db, world, orders, frozen_clock):
    frozen_clock(ISSUED + timedelta(days=5))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["anxun", "orders", "sweep"])
    assert result.exit_code == 0, result.output
    assert "升级督办 2 份" in result.output
    assert "escalated 2" in result.output
    again = runner.invoke(args=["anxun", "orders", "sweep"])
    assert "升级督办 0 份" in again.output
    db.session.rollback()
    escalated = db.session.scalar(
        select(func.count())
        .select_from(RectificationOrder)
        .where(RectificationOrder.escalated_at.is_not(None))
    )
    assert escalated == 2


def test_demo_seed_has_a_closed_hc_patrol_and_an_escalated_dust_order(app, db, world):
    from anxun.demo.oversight import seed_patrols
    from anxun.orgs.models import Enterprise
    from anxun.oversight.models import Patrol, PatrolFinding

    by_id = {e.id: e for e in db.session.scalars(select(Enterprise))}
    seed_patrols({key: by_id[i] for key, i in world["enterprise"].items()})
    db.session.commit()
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]
    [closed] = db.session.scalars(select(Patrol).where(Patrol.enterprise_id == hc)).all()
    assert closed.state == "closed"
    findings = db.session.scalars(
        select(PatrolFinding).where(PatrolFinding.patrol_id == closed.id)
    ).all()
    assert [f.state for f in findings] == ["accepted", "accepted"]
    [signed] = db.session.scalars(
        select(RectificationOrder).where(RectificationOrder.enterprise_id == hc)
    ).all()
    assert signed.state == "acknowledged" and signed.escalated_at is None
    assert len(signed.items) == 2
    [late] = db.session.scalars(
        select(RectificationOrder).where(RectificationOrder.enterprise_id == dust)
    ).all()
    assert late.state == "issued" and late.escalated_at is not None
