"""Standard changes over HTTP: a changed hazardous-chemicals checklist is compared with the old
one, what must be re-judged is listed per enterprise, and the head re-grades with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from anxun.checklists.loader import item_index
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.services import store_version
from anxun.core import clock
from anxun.core.auth import SYSTEM
from anxun.hazards import services as hazard_services
from anxun.hazards.models import HazardTransition
from anxun.notifications.models import Notification
from anxun.outbox.models import OutboxEvent
from anxun.standards.models import RejudgeItem, StandardChange
from tests.checklist_variants import changed_hazchem
from tests.factories_hazards import actor, enterprise_of, make_media, step, user_id
from tests.factories_hazards import plan_fields as five_fixes
from tests.factories_planning import make_plan

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
REASON = "依据 AQ 3067—2026，该项列为重大事故隐患，须按重大隐患治理"


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)


def _old_version(db):
    return db.session.scalars(
        select(ChecklistVersion).where(
            ChecklistVersion.code == "hazardous-chemicals", ChecklistVersion.owner_key == "shipped"
        )
    ).one()


def _raised_by(db, item_id: str, key: str = "hc"):
    """A hazard raised by a failed check item of the loaded (old) hazchem version."""
    version = _old_version(db)
    enterprise = enterprise_of(key)
    data = {"title": "", "media_ids": [make_media(enterprise.id)], "description": ""}
    return hazard_services.report_hazard(
        actor(f"officer-{key}"),
        enterprise,
        data,
        source="self_inspection",
        item=item_index(version.document)[item_id],
        checklist_version_id=version.id,
    )


def _confirm(hazard, key="hc", level="general"):
    return step(
        hazard,
        f"officer-{key}",
        "confirm",
        level=level,
        category="thing",
        deadline=clock.today_local().replace(day=30),
    )


@pytest.fixture
def scene(db, world):
    """Before the change: a general hazard being rectified from the item that becomes major, a
    confirmed one from the removed item, a closed one and one from an unchanged item, and plans
    that do and do not use the removed item. Then the new version is loaded."""
    variant = changed_hazchem()
    old = _old_version(db)
    unchanged = next(
        item["id"]
        for item in item_index(old.document).values()
        if item["id"] not in (variant.promoted, variant.removed)
    )
    rectifying = step(
        _confirm(_raised_by(db, variant.promoted)), "officer-hc", "plan", **five_fixes()
    )
    removed = _confirm(_raised_by(db, variant.removed))
    closed = step(
        _raised_by(db, variant.promoted),
        "officer-hc",
        "fix_on_spot",
        after_media_ids=[make_media(world["enterprise"]["hc"])],
    )
    untouched = _confirm(_raised_by(db, unchanged))
    using_removed = make_plan(
        world["enterprise"]["hc"], item_ids=[unchanged, variant.removed], anchor_at=clock.now()
    )
    whole = make_plan(world["enterprise"]["hc"], anchor_at=clock.now())
    version, created = store_version(SYSTEM, variant.text, "hazardous-chemicals.yaml")
    assert created
    db.session.commit()
    return {
        "variant": variant,
        "old": old,
        "new": version,
        "rectifying": rectifying.id,
        "removed": removed.id,
        "closed": closed.id,
        "untouched": untouched.id,
        "plan": using_removed.id,
        "whole_plan": whole.id,
    }


def test_diff_endpoint_lists_the_promoted_and_removed_items(client, login_as, scene):
    old, new = scene["old"].version_hash, scene["new"].version_hash
    response = client.get(
        f"/api/v1/checklists/hazardous-chemicals/versions/{old[:12]}/diff/{new[:12]}",
        headers=login_as("head-hc"),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["old_hash"], body["new_hash"]) == (old, new)
    assert body["counts"] == {"added": 0, "removed": 1, "changed": 1}
    by_id = {item["item_id"]: item for item in body["items"]}
    promoted = by_id[scene["variant"].promoted]
    assert promoted["changes"] == [
        {"field": "major", "label": "重大隐患判定", "old": False, "new": True}
    ]
    assert promoted["needs_rejudging"] is True
    assert by_id[scene["variant"].removed]["kind"] == {"code": "removed", "label": "删除"}


def test_diff_of_an_unknown_version_is_a_404_problem(client, login_as, scene):
    response = client.get(
        f"/api/v1/checklists/hazardous-chemicals/versions/{'0' * 12}/diff/"
        f"{scene['new'].version_hash[:12]}",
        headers=login_as("head-hc"),
    )
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_loading_the_new_version_lists_affected_open_hazards_and_plans(client, login_as, scene):
    response = client.get("/api/v1/rejudge-items", headers=login_as("head-hc"))
    assert response.status_code == 200
    rows = response.get_json()
    listed = {(row["subject"]["code"], row["hazard_id"] or row["plan_id"]) for row in rows}
    assert listed == {
        ("hazard", str(scene["rectifying"])),
        ("hazard", str(scene["removed"])),
        ("plan", scene["plan"]),
    }
    promoted = next(r for r in rows if r["hazard_id"] == str(scene["rectifying"]))
    assert "新版将该项判定为重大隐患" in promoted["reason"]
    assert promoted["change"]["major"] == {"old": False, "new": True}
    assert promoted["standard"].endswith("→ 2026.9-test")
    removed = next(r for r in rows if r["hazard_id"] == str(scene["removed"]))
    assert "已从新版检查表删除" in removed["reason"]
    plan = next(r for r in rows if r["subject"]["code"] == "plan")
    assert scene["variant"].removed in plan["reason"]


def test_each_item_explains_the_change_in_words_without_item_codes(client, login_as, scene):
    """The phone's 标准变更 screen shows `explanation`: the item's wording, not its code."""
    old_items = item_index(scene["old"].document)
    promoted_text = old_items[scene["variant"].promoted]["text"]
    removed_text = old_items[scene["variant"].removed]["text"]
    rows = client.get("/api/v1/rejudge-items", headers=login_as("head-hc")).get_json()
    promoted = next(r for r in rows if r["hazard_id"] == str(scene["rectifying"]))
    assert promoted["explanation"][:2] == [
        f"检查项：“{promoted_text}”",
        "新版检查表将该项由一般隐患改判为重大隐患。",
    ]
    assert (promoted["old_level"], promoted["new_level"]) == (
        {"code": "general", "label": "一般隐患"},
        {"code": "major", "label": "重大隐患"},
    )
    removed = next(r for r in rows if r["hazard_id"] == str(scene["removed"]))
    assert removed["explanation"] == [
        f"检查项“{removed_text}”已从新版检查表删除，请判定该隐患是否仍成立及其等级。"
    ]
    plan = next(r for r in rows if r["subject"]["code"] == "plan")
    assert plan["explanation"] == [
        f"该排查任务引用的检查项“{removed_text}”已从新版检查表删除。",
        "请调整排查任务的检查项，并记录处理情况。",
    ]
    for row in rows:
        text = "".join(row["explanation"])
        assert scene["variant"].promoted not in text and scene["variant"].removed not in text


def test_the_enterprises_concerned_are_notified_and_others_see_nothing(db, client, login_as, scene):
    kinds = db.session.execute(
        select(Notification.user_id, Notification.kind).where(
            Notification.kind == "standard_change"
        )
    ).all()
    users = {user for user, _ in kinds}
    assert users == {user_id("head-hc"), user_id("officer-hc")}
    response = client.get("/api/v1/rejudge-items", headers=login_as("head-con"))
    assert (response.status_code, response.get_json()) == (200, [])


def test_the_covering_bureau_is_notified_with_the_counts(db, client, login_as, scene, world):
    rows = db.session.execute(
        select(Notification.user_id, Notification.enterprise_id, Notification.body).where(
            Notification.kind == "standard_change_summary"
        )
    ).all()
    # The emergency-management bureau covers 宁波澄江化工 (hazardous chemicals); the housing
    # bureau (construction) does not.
    assert {user for user, _, _ in rows} == {user_id("regulator"), user_id("regulator-admin")}
    assert {(enterprise, body) for _, enterprise, body in rows} == {
        (
            world["enterprise"]["hc"],
            "辖区内 1 家企业需隐患重新定级 2 项、排查任务调整 1 项、风险重新评估 0 项"
            "（宁波澄江化工有限公司）。",
        )
    }
    listed = client.get("/api/v1/notifications", headers=login_as("regulator")).get_json()
    assert [n["kind"]["label"] for n in listed["items"]] == ["标准变更汇总"]
    assert (
        client.get("/api/v1/notifications", headers=login_as("regulator-con")).get_json()["items"]
        == []
    )


def test_the_bureau_sees_a_summary_per_enterprise(client, login_as, scene, world):
    response = client.get("/api/v1/standard-changes/summary", headers=login_as("regulator"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["enterprises"] == [
        {
            "enterprise_id": world["enterprise"]["hc"],
            "enterprise_name": "宁波澄江化工有限公司",
            "open_hazards": 2,
            "open_plans": 1,
            "open_assessments": 0,
            "open_total": 3,
            "resolved": 0,
        }
    ]
    [change] = body["changes"]
    assert (change["code"], change["new_label"], change["summary"]["removed"]) == (
        "hazardous-chemicals",
        "2026.9-test",
        1,
    )


def test_the_head_regrades_general_to_major_with_the_reason_and_new_basis(
    db, client, login_as, scene
):
    url = f"/api/v1/hazards/{scene['rectifying']}"
    view = client.get(url, headers=login_as("head-hc")).get_json()
    assert [a["code"] for a in view["available_actions"]][-1] == "regrade"
    assert len(view["rejudge"]) == 1
    response = client.post(
        f"{url}/transitions",
        json={
            "action": "regrade",
            "expected_state": "rectifying",
            "level": "major",
            "reason": REASON,
        },
        headers=login_as("head-hc"),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    # Back to confirmed: a major hazard is rectified only under an approved governance plan.
    assert (body["state"]["code"], body["level"]["code"]) == ("confirmed", "major")
    assert body["rejudge"] == []
    assert "submit_plan" in [a["code"] for a in body["available_actions"]]
    last = body["history"][-1]
    assert (last["from_state"]["code"], last["to_state"]["code"], last["note"]) == (
        "rectifying",
        "confirmed",
        "",
    )
    evidence = last["evidence"]
    assert (evidence["from_level"], evidence["level"], evidence["reason"]) == (
        "general",
        "major",
        REASON,
    )
    new_item = item_index(scene["new"].document)[scene["variant"].promoted]
    assert evidence["basis"] == new_item["basis"]
    assert evidence["basis_version"].startswith("2026.9-test ")
    item = db.session.scalar(
        select(RejudgeItem).where(RejudgeItem.hazard_id == scene["rectifying"])
    )
    assert (item.resolution, item.resolved_by_user_id is not None) == (REASON, True)
    event = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "major_hazard_confirmed")
    ).all()
    assert [e.aggregate_id for e in event] == [str(scene["rectifying"])]
    summary = client.get("/api/v1/standard-changes/summary", headers=login_as("regulator"))
    assert summary.get_json()["enterprises"][0]["resolved"] == 1


def test_the_head_may_keep_the_level_on_the_record(client, login_as, scene):
    response = client.post(
        f"/api/v1/hazards/{scene['removed']}/transitions",
        json={
            "action": "regrade",
            "expected_state": "confirmed",
            "level": "general",
            "reason": "该项删除后仍属 GB 30871—2022 规定的一般隐患，维持原等级",
        },
        headers=login_as("head-hc"),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["state"]["code"], body["level"]["code"], body["rejudge"]) == (
        "confirmed",
        "general",
        [],
    )
    assert body["history"][-1]["evidence"]["from_level"] == "general"


def _counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (HazardTransition, OutboxEvent)
    ) + (db.session.scalar(select(func.count()).where(RejudgeItem.resolved_at.is_not(None))),)


@pytest.mark.parametrize(
    ("user", "body", "status", "fields"),
    [
        ("head-hc", {"level": "major"}, 422, ["reason"]),
        ("head-hc", {"level": "major", "reason": "   "}, 422, ["reason"]),
        ("head-hc", {"reason": REASON}, 422, ["level"]),
        ("officer-hc", {"level": "major", "reason": REASON}, 403, None),
        ("rectifier-hc", {"level": "major", "reason": REASON}, 403, None),
    ],
)
def test_regrade_is_refused_without_reason_or_by_another_role(
    db, client, login_as, scene, user, body, status, fields
):
    before = _counts(db)
    response = client.post(
        f"/api/v1/hazards/{scene['rectifying']}/transitions",
        json={"action": "regrade", "expected_state": "rectifying", **body},
        headers=login_as(user),
    )
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    if fields:
        assert [e["field"] for e in response.get_json()["errors"]] == fields
        assert all(e["message"] for e in response.get_json()["errors"])
    db.session.expire_all()
    assert _counts(db) == before


def test_a_hazard_without_a_standard_change_cannot_be_regraded(client, login_as, scene):
    response = client.post(
        f"/api/v1/hazards/{scene['untouched']}/transitions",
        json={
            "action": "regrade",
            "expected_state": "confirmed",
            "level": "major",
            "reason": REASON,
        },
        headers=login_as("head-hc"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["is_rejudge_pending"]


def test_plan_items_are_resolved_with_what_was_done(db, client, login_as, scene):
    [plan_item] = [
        r
        for r in client.get(
            "/api/v1/rejudge-items?subject=plan", headers=login_as("head-hc")
        ).get_json()
    ]
    url = f"/api/v1/rejudge-items/{plan_item['id']}/resolve"
    refused = client.post(url, json={"resolution": " "}, headers=login_as("officer-hc"))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["resolution"]
    assert (
        client.post(url, json={"resolution": "x"}, headers=login_as("rectifier-hc")).status_code
        == 403
    )
    done = client.post(url, json={"resolution": "已改用新版检查项"}, headers=login_as("officer-hc"))
    assert done.status_code == 200
    assert (done.get_json()["is_resolved"], done.get_json()["resolution"]) == (
        True,
        "已改用新版检查项",
    )
    again = client.post(url, json={"resolution": "重复"}, headers=login_as("officer-hc"))
    assert again.status_code == 409
    hazard_item = next(
        r
        for r in client.get("/api/v1/rejudge-items", headers=login_as("head-hc")).get_json()
        if r["subject"]["code"] == "hazard"
    )
    wrong = client.post(
        f"/api/v1/rejudge-items/{hazard_item['id']}/resolve",
        json={"resolution": "跳过"},
        headers=login_as("head-hc"),
    )
    assert wrong.status_code == 409


def test_reloading_the_same_version_lists_nothing_again(db, scene):
    _, created = store_version(SYSTEM, scene["variant"].text, "hazardous-chemicals.yaml")
    assert created is False
    assert db.session.scalar(select(func.count()).select_from(StandardChange)) == 1
