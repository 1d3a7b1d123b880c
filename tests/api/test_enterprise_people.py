"""The desk's 人员 screen: the head sets a staff member's roles in the enterprise."""

from sqlalchemy import select

from anxun.core.audit import AuditEntry


def roles_of(body, enterprise_id):
    return sorted(
        m["role"]["code"] for m in body["memberships"] if m["enterprise_id"] == enterprise_id
    )


def test_the_head_replaces_a_staff_members_roles(client, db, world, login_as):
    head = login_as("head-hc")
    enterprise = world["enterprise"]["hc"]
    url = f"/api/v1/enterprises/{enterprise}/users/{world['users']['rectifier-hc']}"

    changed = client.patch(url, json={"roles": ["rectifier", "inspector"]}, headers=head)
    assert changed.status_code == 200, changed.get_json()
    assert roles_of(changed.json, enterprise) == ["inspector", "rectifier"]
    assert changed.json["is_active"] is True
    # The new role counts at once: the rectifier may now record inspections' tasks as inspector.
    me = client.get("/api/v1/me", headers=login_as("rectifier-hc")).json
    assert roles_of(me, enterprise) == ["inspector", "rectifier"]

    both = client.patch(url, json={"roles": ["rectifier"], "is_active": False}, headers=head)
    assert both.status_code == 200, both.get_json()
    assert (roles_of(both.json, enterprise), both.json["is_active"]) == (["rectifier"], False)
    audit = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "user").order_by(AuditEntry.id)
    ).all()
    assert audit[-3:] == ["set_enterprise_roles", "set_enterprise_roles", "set_user_active"]


def test_bad_role_changes_are_refused_with_field_messages(client, world, login_as):
    head = login_as("head-hc")
    enterprise = world["enterprise"]["hc"]
    base = f"/api/v1/enterprises/{enterprise}/users"
    rectifier = f"{base}/{world['users']['rectifier-hc']}"
    for body, field in (
        ({}, "is_active"),
        ({"roles": []}, "roles"),
        ({"roles": ["regulator_admin"]}, "roles.0"),
    ):
        response = client.patch(rectifier, json=body, headers=head)
        assert response.status_code == 422, body
        assert response.json["errors"][0]["field"] == field
    own = client.patch(
        f"{base}/{world['users']['head-hc']}", json={"roles": ["safety_officer"]}, headers=head
    )
    assert own.status_code == 409
    assert own.json["errors"][0] == {"field": "roles", "message": "不能取消自己的主要负责人角色。"}
    officer = client.patch(rectifier, json={"roles": ["head"]}, headers=login_as("officer-hc"))
    assert officer.status_code == 403
    other = client.patch(
        f"/api/v1/enterprises/{world['enterprise']['con']}/users/{world['users']['rectifier-hc']}",
        json={"roles": ["rectifier"]},
        headers=login_as("head-con"),
    )
    assert other.status_code == 404
