"""Changing an enterprise's industries moves it to another bureau: platform admins only, audited,
and both bureaus' members are told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.notifications.models import Notification
from anxun.orgs.models import Enterprise


def _counts(db) -> dict:
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (AuditEntry, Notification)
    }


@pytest.mark.parametrize("username", ["regulator-admin", "head-hc", "regulator", "auditor"])
def test_only_a_platform_admin_may_change_industries(db, client, world, login_as, username):
    hc = world["enterprise"]["hc"]
    before = _counts(db)
    response = client.patch(
        f"/api/v1/enterprises/{hc}",
        json={"industries": ["hazardous_chemicals", "confined_space"]},
        headers=login_as(username),
    )
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    db.session.expire_all()
    assert db.session.get(Enterprise, hc).industries == ["hazardous_chemicals"]
    assert _counts(db) == before


def test_sending_the_same_industries_is_no_change(db, client, world, login_as):
    hc = world["enterprise"]["hc"]
    response = client.patch(
        f"/api/v1/enterprises/{hc}",
        json={"industries": ["hazardous_chemicals"], "address": "澄江路 90 号"},
        headers=login_as("regulator-admin"),
    )
    assert response.status_code == 200, response.get_json()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_an_admin_moves_an_enterprise_to_another_bureau(db, client, world, login_as):
    hc = world["enterprise"]["hc"]
    users = world["users"]
    assert (
        client.get(f"/api/v1/enterprises/{hc}", headers=login_as("regulator-con")).status_code
        == 404
    )
    response = client.patch(
        f"/api/v1/enterprises/{hc}",
        json={"industries": ["construction"]},
        headers=login_as("admin"),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["industries"] == [{"code": "construction", "label": "房屋市政工程"}]

    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "enterprise", AuditEntry.entity_id == str(hc))
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.action == "update_enterprise"
    assert entry.actor_user_id == users["admin"]
    assert entry.change["industries"] == [["hazardous_chemicals"], ["construction"]]
    assert entry.change["supervising_regulator_ids"] == [
        [world["regulator"]],
        [world["housing_regulator"]],
    ]

    notes = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert {n.user_id for n in notes} == {
        users["regulator"],
        users["regulator-admin"],
        users["regulator-con"],
    }
    assert {n.kind for n in notes} == {"supervision_changed"}
    assert all(n.enterprise_id == hc for n in notes)
    assert (
        "宁波市镇海区应急管理局" in notes[0].body
        and "宁波市镇海区住房和城乡建设局" in notes[0].body
    )
    mine = client.get("/api/v1/notifications", headers=login_as("regulator-con")).get_json()
    assert [n["kind"]["label"] for n in mine["items"]] == ["监管部门变更"]

    # The housing bureau now supervises hc; the emergency-management bureau no longer does.
    assert (
        client.get(f"/api/v1/enterprises/{hc}", headers=login_as("regulator-con")).status_code
        == 200
    )
    assert client.get(f"/api/v1/enterprises/{hc}", headers=login_as("regulator")).status_code == 404
