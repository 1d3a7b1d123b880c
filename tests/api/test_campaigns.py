"""Campaigns (#14): launch to the dust enterprises of 镇海区, self-checks on the phone, the
bureau's figures, a 督导 disagreement, 举一反三 targets, bad input."""

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from anxun.campaigns.models import Campaign, CampaignTarget
from anxun.core.audit import AuditEntry
from anxun.core.auth import Grant
from anxun.hazards.models import Hazard
from anxun.inspections.models import InspectionPlan, TaskOccurrence
from anxun.outbox.models import OutboxEvent
from anxun.oversight.spot_checks import draw as spot_draw
from tests.conftest import DEMO_PASSWORD
from tests.factories import enterprise_payload
from tests.inspection_helpers import payload, upload_photo

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in China, the campaign's first day
AFTER_DEADLINE = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
STAGES = {
    "self_check_start": "2026-11-24",
    "self_check_end": "2026-11-30",
    "supervision_start": "2026-12-01",
    "supervision_end": "2026-12-10",
    "follow_up_start": "2026-12-20",
    "follow_up_end": "2026-12-31",
}
DUST_TARGETS = {"industries": ["dust_explosion"], "region_codes": ["330211"]}


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)
    return frozen_clock


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")


def add_enterprise(db, key: str, industries: list[str]) -> int:
    """Another 镇海区 enterprise with a safety officer `officer-<key>`."""
    from anxun.accounts import services as accounts
    from anxun.orgs import services as orgs
    from tests.factories_hazards import actor

    enterprise = orgs.create_enterprise(
        actor("admin"), enterprise_payload(industries=industries, size_class="small")
    )
    accounts.create_user(
        actor("admin"),
        {"username": f"officer-{key}", "display_name": f"安全员{key}", "password": DEMO_PASSWORD},
        [Grant("safety_officer", enterprise_id=enterprise.id)],
    )
    db.session.commit()
    return enterprise.id


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def launch_dust_campaign(client, login_as) -> dict:
    admin = login_as("regulator-admin")
    body = {
        "title": "粉尘涉爆企业专项整治",
        "document_no": "镇应急〔2026〕18号",
        "notice_text": "请各粉尘涉爆企业于11月30日前完成自查自改。",
        "checklist_code": "dust-explosion",
        "profile": "small_micro",
        "targets": DUST_TARGETS,
        **STAGES,
    }
    created = client.post("/api/v1/campaigns", json=body, headers=admin)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["state"]["code"] == "draft"
    launched = client.post(f"/api/v1/campaigns/{created.get_json()['id']}/launch", headers=admin)
    assert launched.status_code == 200, launched.get_json()
    return launched.get_json()


def self_check(client, login_as, username, campaign_id, failures=()):
    headers = login_as(username)
    mine = client.get(f"/api/v1/campaigns/{campaign_id}", headers=headers).get_json()
    assert mine["notice_text"].startswith("请各粉尘涉爆企业")
    [task] = mine["my_tasks"]
    detail = client.get("/api/v1/checklists/dust-explosion", headers=headers).get_json()
    profile = next(p for p in detail["document"]["profiles"] if p["code"] == "small_micro")
    photos = {item: [upload_photo(client, headers)] for item in failures}
    body = payload(
        detail,
        items=profile["items"],
        failures=photos,
        task_occurrence_id=task["task_occurrence_id"],
        inspection_type="special",
    )
    response = client.post("/api/v1/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return profile["items"]


def test_dust_campaign_two_of_three_done_with_hazards_laggard_and_supervision_difference(
    db, client, login_as, world, frozen
):
    d2 = add_enterprise(db, "d2", ["dust_explosion"])
    d3 = add_enterprise(db, "d3", ["dust_explosion"])
    dust = world["enterprise"]["dust"]
    admin = login_as("regulator-admin")

    preview = client.post("/api/v1/campaigns/preview", json=DUST_TARGETS, headers=admin)
    assert preview.get_json()["count"] == 3
    assert {e["id"] for e in preview.get_json()["enterprises"]} == {dust, d2, d3}

    campaign = launch_dust_campaign(client, login_as)
    cid = campaign["id"]
    assert count(db, CampaignTarget, CampaignTarget.campaign_id == cid) == 3
    plans = db.session.scalars(
        select(InspectionPlan).join(CampaignTarget, CampaignTarget.plan_id == InspectionPlan.id)
    ).all()
    assert {p.assignee_role for p in plans} == {"safety_officer"}
    assert {p.inspection_type for p in plans} == {"special"}
    occurrences = db.session.scalars(
        select(TaskOccurrence).join(
            CampaignTarget, CampaignTarget.occurrence_id == TaskOccurrence.id
        )
    ).all()
    # Due by the end of the self-check deadline (China time).
    assert {o.due_end.replace(tzinfo=UTC) for o in occurrences} == {
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    }
    events = OutboxEvent.event_type == "campaign_task"
    assert count(db, OutboxEvent, events) == 3

    # The task is on the officer's phone list today.
    tasks = client.get("/api/v1/tasks?due=today", headers=login_as("officer-dust")).get_json()
    assert any(t["plan_title"] == "专项整治：粉尘涉爆企业专项整治" for t in tasks["items"])

    items = self_check(client, login_as, "officer-dust", cid, failures=["DUST-01"])
    self_check(client, login_as, "officer-d2", cid)
    [hazard] = db.session.scalars(select(Hazard).where(Hazard.campaign_id == cid)).all()
    assert (hazard.source, hazard.enterprise_id) == ("campaign", dust)
    listed = client.get(f"/api/v1/hazards/{hazard.id}", headers=admin).get_json()
    assert listed["source"] == {"code": "campaign", "label": "专项整治"}

    frozen(AFTER_DEADLINE)
    view = client.get(f"/api/v1/campaigns/{cid}/overview", headers=admin)
    assert view.status_code == 200, view.get_json()
    figures = view.get_json()
    assert figures["targets"] == 3
    assert figures["completion"] == {
        "on_time": 2,
        "late": 0,
        "not_done": 1,
        "open": 0,
        "done": 2,
        "rate": 0.6667,
    }
    assert [e["id"] for e in figures["laggards"]] == [d3]
    assert [e["id"] for e in figures["zero_hazard_enterprises"]] == [d2]
    assert figures["hazards"]["total"] == 1
    assert figures["by_region"][0]["code"] == "330211"
    assert figures["by_region"][0]["done"] == 2
    by_industry = {g["code"]: g for g in figures["by_industry"]}
    assert by_industry["dust_explosion"]["targets"] == 3

    # 督导检查: a reproducible draw from the targets, then a disagreement with d2's self-check.
    drawn = client.post(
        f"/api/v1/campaigns/{cid}/samples",
        json={"stage": "supervision", "seed": "zhenhai-dust-2026", "count": 3},
        headers=admin,
    )
    assert drawn.status_code == 201, drawn.get_json()
    expected = spot_draw.draw("zhenhai-dust-2026", sorted([dust, d2, d3]), [], 3, 0, 0)
    assert [s["enterprise"]["id"] for s in drawn.get_json()["items"]] == [
        row["enterprise_id"] for row in expected
    ]
    samples = {s["enterprise"]["id"]: s for s in drawn.get_json()["items"]}
    answers = [
        {"item_id": item, "result": "fail" if item == "DUST-02" else "pass"} for item in items
    ]
    checked = client.post(
        f"/api/v1/campaigns/{cid}/samples/{samples[d2]['id']}/check",
        json={"answers": answers},
        headers=login_as("regulator"),
    )
    assert checked.status_code == 201, checked.get_json()
    [difference] = checked.get_json()["items"][0]["check"]["differences"]
    assert difference["item_id"] == "DUST-02"
    assert difference["label"] == "自查合格、督查不合格"
    assert difference["text"]

    sheet = client.get(f"/api/v1/campaigns/{cid}/export.xlsx", headers=admin)
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.data))["企业明细"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[2:]}
    assert sorted(row[3] for row in by_name.values()) == ["按期完成", "按期完成", "未完成"]
    report = client.get(f"/api/v1/campaigns/{cid}/report.pdf", headers=admin)
    assert report.status_code == 200 and report.data.startswith(b"%PDF")

    # Other bureaus and enterprises outside the campaign do not see it.
    assert (
        client.get(f"/api/v1/campaigns/{cid}", headers=login_as("regulator-con")).status_code == 404
    )
    assert client.get(f"/api/v1/campaigns/{cid}", headers=login_as("officer-hc")).status_code == 404
    overview = client.get(f"/api/v1/campaigns/{cid}/overview", headers=login_as("officer-dust"))
    assert overview.status_code == 403


def test_a_late_joiner_gets_the_task_while_the_self_check_is_open(db, client, login_as, world):
    from anxun.campaigns import services
    from anxun.core import clock

    campaign = launch_dust_campaign(client, login_as)
    newcomer = add_enterprise(db, "d9", ["dust_explosion"])
    assert services.enrol_late_joiners(clock.now()) == 1
    assert services.enrol_late_joiners(clock.now()) == 0
    target = db.session.scalar(
        select(CampaignTarget).where(CampaignTarget.enterprise_id == newcomer)
    )
    assert (target.campaign_id, target.is_late_joiner) == (campaign["id"], True)


def test_campaign_from_the_incident_targets_same_industry_enterprises(db, client, login_as, world):
    from anxun.core import clock
    from anxun.incidents import services as incidents
    from tests.factories_hazards import actor

    other = add_enterprise(db, "hc2", ["hazardous_chemicals"])
    incident, _ = incidents.report_incident(
        actor("officer-hc"),
        {
            "id": uuid.uuid4(),
            "enterprise_id": world["enterprise"]["hc"],
            "occurred_at": clock.now() - timedelta(hours=2),
            "location": "液氨罐区",
            "category": "poisoning_asphyxiation",
            "title": "宁波澄江化工有限公司液氨泄漏",
            "report": {
                "id": uuid.uuid4(),
                "deaths": 0,
                "injuries": 1,
                "missing": 0,
                "description": "阀门泄漏。",
                "measures": "",
            },
        },
    )
    db.session.commit()
    admin = login_as("regulator-admin")
    body = {
        "origin_kind": "incident",
        "origin_id": str(incident.id),
        "cause_texts": ["液氨储罐区阀门、法兰定期检查并有记录", "有毒气体报警仪完好并定期校验"],
        **STAGES,
    }
    created = client.post("/api/v1/campaigns/from-origin", json=body, headers=admin)
    assert created.status_code == 201, created.get_json()
    draft = created.get_json()
    assert draft["origin"] == {"kind": "incident", "id": str(incident.id)}
    assert draft["checklist"]["item_count"] == 2
    assert "宁波澄江" not in draft["notice_text"]
    assert "中毒和窒息事故" in draft["notice_text"]
    assert draft["targets"]["industries"] == ["hazardous_chemicals"]
    launched = client.post(f"/api/v1/campaigns/{draft['id']}/launch", headers=admin).get_json()
    targets = db.session.scalars(
        select(CampaignTarget.enterprise_id).where(CampaignTarget.campaign_id == launched["id"])
    ).all()
    assert targets == [other]

    included = client.post(
        "/api/v1/campaigns/from-origin",
        json={**body, "include_origin_enterprise": True},
        headers=admin,
    ).get_json()
    preview = client.post(
        "/api/v1/campaigns/preview", json=included["targets"], headers=admin
    ).get_json()
    assert {e["id"] for e in preview["enterprises"]} == {world["enterprise"]["hc"], other}


def test_bad_campaigns_are_refused_and_write_nothing(db, client, login_as, world):
    admin = login_as("regulator-admin")
    before = (count(db, Campaign), count(db, AuditEntry))
    disordered = {**STAGES, "supervision_start": "2026-11-20"}
    response = client.post(
        "/api/v1/campaigns",
        json={"title": "乱序", "checklist_code": "dust-explosion", **disordered},
        headers=admin,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"supervision_start"}
    unknown = client.post(
        "/api/v1/campaigns",
        json={"title": "无表", "checklist_code": "no-such", **STAGES},
        headers=admin,
    )
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "checklist_code"
    by_inspector = client.post(
        "/api/v1/campaigns",
        json={"title": "执法员", "checklist_code": "dust-explosion", **STAGES},
        headers=login_as("regulator"),
    )
    assert by_inspector.status_code == 403
    by_enterprise = client.post(
        "/api/v1/campaigns",
        json={"title": "企业", "checklist_code": "dust-explosion", **STAGES},
        headers=login_as("head-hc"),
    )
    assert by_enterprise.status_code == 403
    assert (count(db, Campaign), count(db, AuditEntry)) == before


def test_a_written_checklist_is_stored_as_a_version_and_drafts_stay_with_the_bureau(
    client, login_as, world
):
    admin = login_as("regulator-admin")
    created = client.post(
        "/api/v1/campaigns",
        json={
            "title": "冬季除尘系统专项检查",
            "written_items": ["除尘器泄爆口朝向安全区域", "除尘系统锁气卸灰装置完好"],
            "targets": {"industries": ["dust_explosion"]},
            **STAGES,
        },
        headers=admin,
    ).get_json()
    code = created["checklist"]["code"]
    assert code.startswith("campaign-")
    detail = client.get(f"/api/v1/checklists/{code}", headers=admin).get_json()
    texts = [i["text"] for s in detail["document"]["sections"] for i in s["items"]]
    assert texts == ["除尘器泄爆口朝向安全区域", "除尘系统锁气卸灰装置完好"]
    hidden = client.get(f"/api/v1/campaigns/{created['id']}", headers=login_as("officer-dust"))
    assert hidden.status_code == 404


def test_the_agency_reads_and_checks_only_the_samples_its_engagement_reaches(
    db, client, login_as, world
):
    other = add_enterprise(db, "d2", ["dust_explosion"])
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]
    admin = login_as("regulator-admin")
    created = client.post(
        "/api/v1/campaigns",
        json={
            "title": "委托督导专项检查",
            "document_no": "镇应急〔2026〕20号",
            "written_items": ["除尘器泄爆口朝向安全区域", "除尘系统锁气卸灰装置完好"],
            "targets": {"enterprise_ids": [hc, dust, other]},
            "supervisor_kind": "agency",
            "engagement_id": world["engagement"],
            **STAGES,
        },
        headers=admin,
    ).get_json()
    cid = created["id"]
    assert client.post(f"/api/v1/campaigns/{cid}/launch", headers=admin).status_code == 200

    # The form's checklist: the written items in order, citing the notice.
    items = client.get(f"/api/v1/campaigns/{cid}/items", headers=login_as("auditor")).get_json()
    assert [(i["id"], i["text"]) for i in items["items"]] == [
        ("C-01", "除尘器泄爆口朝向安全区域"),
        ("C-02", "除尘系统锁气卸灰装置完好"),
    ]
    assert items["items"][0]["basis"] == ["《委托督导专项检查》（镇应急〔2026〕20号）检查内容"]
    assert items["items"][0]["is_major"] is False

    drawn = client.post(
        f"/api/v1/campaigns/{cid}/samples",
        json={"stage": "supervision", "enterprise_ids": [hc, dust, other]},
        headers=admin,
    )
    assert drawn.status_code == 201, drawn.get_json()
    url = f"/api/v1/campaigns/{cid}/samples"
    bureau = client.get(url, headers=admin).get_json()["items"]
    assert {s["enterprise"]["id"] for s in bureau} == {hc, dust, other}
    agency = client.get(url, headers=login_as("auditor")).get_json()["items"]
    assert {s["enterprise"]["id"] for s in agency} == {hc, dust}
    assert client.get(url, headers=login_as("officer-dust")).status_code == 403

    by_enterprise = {s["enterprise"]["id"]: s["id"] for s in bureau}
    answers = [{"item_id": "C-01", "result": "fail"}, {"item_id": "C-02", "result": "pass"}]
    refused = client.post(
        f"{url}/{by_enterprise[other]}/check",
        json={"answers": answers},
        headers=login_as("auditor"),
    )
    assert refused.status_code == 403
    checked = client.post(
        f"{url}/{by_enterprise[dust]}/check", json={"answers": answers}, headers=login_as("auditor")
    )
    assert checked.status_code == 201, checked.get_json()
    after = {s["enterprise"]["id"]: s for s in client.get(url, headers=admin).get_json()["items"]}
    # dust did not self-check: every item the inspector judged differs.
    assert [(d["item_id"], d["label"]) for d in after[dust]["check"]["differences"]] == [
        ("C-01", "未自查、督查不合格"),
        ("C-02", "未自查、督查合格"),
    ]
    assert after[other]["check"] is None
