"""Band table changes over HTTP: a new enterprise or province table lists the current risk
assessments it would grade to another level, notifies the enterprise and its bureaus, and the
head re-assesses them by the new table, keeping the old assessment."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anxun.notifications.models import Notification
from anxun.risk.models import RiskAssessment
from anxun.standards.models import RejudgeItem, StandardChange
from tests.conftest import DEMO_PASSWORD
from tests.factories_grading import lenient_lec_bands, make_province_admin, make_risk_event
from tests.factories_grading import strict_lec_bands as strict_bands

BANDS = "/api/v1/risk/band-tables"
ITEMS = "/api/v1/rejudge-items?subject=assessment"


def post_table(client, headers, owner, bands):
    response = client.post(
        f"{BANDS}?owner={owner}",
        json={"method": "LEC", "bands": bands, "source": "测试"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assess(client, headers, event_id, **body):
    response = client.post(
        f"/api/v1/risk-events/{event_id}/assessments", json=body, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def notified(db, kind):
    return {
        user: body
        for user, body in db.session.execute(
            select(Notification.user_id, Notification.body).where(Notification.kind == kind)
        ).all()
    }


@pytest.fixture
def graded(db, world, client, login_as):
    """hc's assessments by the default LEC bands, before hc configures a stricter table: one
    the stricter table moves from orange to red, one that stays blue, an LS one, and an event
    whose orange assessment was superseded by a blue one."""
    hc = world["enterprise"]["hc"]
    events = {key: make_risk_event(hc, name=name).id for key, name in EVENT_NAMES.items()}
    db.session.commit()
    head = login_as("head-hc")
    ids = {
        "changes": assess(client, head, events["changes"], method="LEC", L=6, E=2, C=15)["id"],
        "stays": assess(client, head, events["stays"], method="LEC", L=1, E=1, C=15)["id"],
        "ls": assess(client, head, events["ls"], method="LS", L=4, S=4)["id"],
    }
    assess(client, head, events["superseded"], method="LEC", L=6, E=2, C=15)
    assess(client, head, events["superseded"], method="LEC", L=1, E=1, C=15)
    return {"events": events, "assessments": ids}


EVENT_NAMES = {
    "changes": "储罐区物料泄漏",
    "stays": "装卸区车辆伤害",
    "ls": "配电室触电",
    "superseded": "反应釜超压",
}


def test_a_stricter_enterprise_table_lists_the_assessments_whose_level_changes(
    db, client, login_as, world, graded
):
    hc = world["enterprise"]["hc"]
    table = post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    rows = client.get(ITEMS, headers=login_as("head-hc")).get_json()
    assert [r["assessment_id"] for r in rows] == [graded["assessments"]["changes"]]
    [row] = rows
    assert (row["subject"], row["subject_title"]) == (
        {"code": "assessment", "label": "风险重新评估"},
        EVENT_NAMES["changes"],
    )
    assert row["reason"] == (
        f"风险事件“{EVENT_NAMES['changes']}”原按 lec-default 第1版评为较大风险；按新版分级表 "
        "D = L×E×C = 6×2×15 = 180 > 150，属重大风险（红色），请重新评估。"
    )
    assert row["change"]["level"] == {"old": "orange", "new": "red"}
    assert row["change"]["new_band_table"] == f"{table['code']}@1"
    assert row["standard"] == "宁波澄江化工有限公司 LEC 风险分级表 默认分级表 → 第1版"
    # In words for the phone: old level → the level under the new table, no table codes.
    assert (row["old_level"], row["new_level"]) == (
        {"code": "orange", "label": "较大风险（橙色）"},
        {"code": "red", "label": "重大风险（红色）"},
    )
    assert row["explanation"] == [
        "原分级表评为较大风险（橙色）；按新分级表（第1版）应为重大风险（红色）。",
        "请按新分级标准重新评估，原评估记录保留。",
    ]
    change = db.session.scalar(select(StandardChange))
    assert (change.kind, change.new_band_table_id, change.old_band_table_id) == (
        "band_table",
        table["id"],
        None,
    )
    assert change.summary == {
        "method": "LEC",
        "enterprises": 1,
        "assessments_checked": 3,
        "level_changes": 1,
    }
    # Nothing was re-graded: the assessment keeps its level until someone re-assesses it.
    assert db.session.get(RiskAssessment, graded["assessments"]["changes"]).level == "orange"


def test_the_enterprise_and_its_bureau_are_notified_with_counts(
    db, client, login_as, world, graded
):
    hc = world["enterprise"]["hc"]
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    users = world["users"]
    enterprise = notified(db, "standard_change")
    assert set(enterprise) == {users["head-hc"], users["officer-hc"]}
    assert enterprise[users["head-hc"]] == (
        "需隐患重新定级 0 项、排查任务调整 0 项、风险重新评估 1 项，由主要负责人决定。"
    )
    bureau = notified(db, "standard_change_summary")
    # The emergency-management bureau covers hc (hazardous chemicals); the housing bureau not.
    assert set(bureau) == {users["regulator"], users["regulator-admin"]}
    assert bureau[users["regulator"]] == (
        "辖区内 1 家企业需隐患重新定级 0 项、排查任务调整 0 项、风险重新评估 1 项"
        "（宁波澄江化工有限公司）。"
    )
    listed = client.get("/api/v1/notifications", headers=login_as("regulator")).get_json()
    assert listed["items"][0]["kind"] == {
        "code": "standard_change_summary",
        "label": "标准变更汇总",
    }
    summary = client.get("/api/v1/standard-changes/summary", headers=login_as("regulator"))
    body = summary.get_json()
    assert [
        (e["enterprise_id"], e["open_assessments"], e["open_total"]) for e in body["enterprises"]
    ] == [(hc, 1, 1)]
    assert [c["kind"] for c in body["changes"]] == [{"code": "band_table", "label": "风险分级表"}]
    assert client.get(ITEMS, headers=login_as("head-con")).get_json() == []


def test_a_table_that_changes_no_level_lists_and_notifies_nothing(
    db, client, login_as, world, graded
):
    hc = world["enterprise"]["hc"]
    # The default LEC bands again, as the enterprise's own table: every level stays.
    default = client.get("/api/v1/risk/methods", headers=login_as("head-hc")).get_json()[0]
    bands = [
        {
            k: band[k]
            for k in (
                "level",
                "label",
                "lower",
                "lower_inclusive",
                "upper",
                "upper_inclusive",
                "description",
            )
        }
        for band in default["bands"]["bands"]
    ]
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", bands)
    assert db.session.scalar(select(func.count()).select_from(RejudgeItem)) == 0
    assert notified(db, "standard_change") == notified(db, "standard_change_summary") == {}
    assert db.session.scalar(select(StandardChange.summary))["level_changes"] == 0


def test_the_head_reassesses_by_the_new_table_keeping_the_old_assessment(
    db, client, login_as, world, graded
):
    hc = world["enterprise"]["hc"]
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    [item] = client.get(ITEMS, headers=login_as("head-hc")).get_json()
    url = f"/api/v1/rejudge-items/{item['id']}/resolve"
    before = db.session.scalar(select(func.count()).select_from(RiskAssessment))

    missing = client.post(url, json={"resolution": "  "}, headers=login_as("head-hc"))
    assert missing.status_code == 422
    assert missing.mimetype == "application/problem+json"
    assert [e["field"] for e in missing.get_json()["errors"]] == ["resolution"]
    assert (
        client.post(url, json={"resolution": "x"}, headers=login_as("rectifier-hc")).status_code
        == 403
    )
    assert (
        client.post(url, json={"resolution": "x"}, headers=login_as("regulator")).status_code == 403
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RiskAssessment)) == before

    done = client.post(
        url, json={"resolution": "按企业新分级表重新评估"}, headers=login_as("head-hc")
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["is_resolved"], body["resolution"]) == (True, "按企业新分级表重新评估")
    assert body["change"]["new_level"] == "red"
    history = client.get(
        f"/api/v1/risk-events/{graded['events']['changes']}/assessments",
        headers=login_as("head-hc"),
    ).get_json()
    assert [a["id"] for a in history][1:] == [graded["assessments"]["changes"]]
    newest = history[0]
    assert newest["id"] == body["change"]["new_assessment_id"]
    assert (newest["level"]["code"], newest["factors"], newest["band_table_code"]) == (
        "red",
        {"L": 6, "E": 2, "C": 15},
        f"enterprise-{hc}-lec",
    )
    assert history[1]["level"]["code"] == "orange"
    again = client.post(url, json={"resolution": "重复"}, headers=login_as("head-hc"))
    assert again.status_code == 409
    summary = client.get("/api/v1/standard-changes/summary", headers=login_as("regulator"))
    assert summary.get_json()["enterprises"][0]["resolved"] == 1


def test_a_later_assessment_stands_without_grading_again(db, client, login_as, world, graded):
    hc = world["enterprise"]["hc"]
    head = login_as("head-hc")
    post_table(client, head, f"enterprise:{hc}", strict_bands())
    [item] = client.get(ITEMS, headers=head).get_json()
    # The head re-assessed the event with new factors before resolving the item.
    later = assess(client, head, graded["events"]["changes"], method="LEC", L=3, E=2, C=15)
    count = db.session.scalar(select(func.count()).select_from(RiskAssessment))
    done = client.post(
        f"/api/v1/rejudge-items/{item['id']}/resolve",
        json={"resolution": "已按新分级表重新评估"},
        headers=head,
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["change"]["new_assessment_id"] == later["id"]
    assert db.session.scalar(select(func.count()).select_from(RiskAssessment)) == count


def test_a_province_table_lists_its_enterprises_without_their_own_table(
    db, client, login_as, world
):
    province_admin = make_province_admin("province-admin", DEMO_PASSWORD)
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]
    hc_event, dust_event = make_risk_event(hc).id, make_risk_event(dust).id
    db.session.commit()
    # D = 3×3×40 = 360: red by default, orange by the lenient province table.
    assess(client, login_as("head-hc"), hc_event, method="LEC", L=3, E=3, C=40)
    dust_assessment = assess(
        client, login_as("head-dust"), dust_event, method="LEC", L=3, E=3, C=40
    )
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    db.session.execute(RejudgeItem.__table__.delete())
    db.session.execute(Notification.__table__.delete())
    db.session.commit()

    table = post_table(client, login_as("province-admin"), "region:33", lenient_lec_bands())
    rows = client.get("/api/v1/rejudge-items", headers=login_as("admin")).get_json()
    assert [(r["enterprise_id"], r["assessment_id"]) for r in rows] == [
        (dust, dust_assessment["id"])
    ]
    assert rows[0]["change"]["level"] == {"old": "red", "new": "orange"}
    assert rows[0]["standard"] == "浙江省 LEC 风险分级表 默认分级表 → 第1版"
    assert client.get(ITEMS, headers=login_as("head-hc")).get_json() == []
    users = world["users"]
    assert set(notified(db, "standard_change")) == {users["head-dust"], users["officer-dust"]}
    province_members = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.kind == "standard_change_summary",
                Notification.dedupe_key.endswith(f":{province_admin.id}"),
            )
        )
    )
    assert len(province_members) == 1
    assert set(notified(db, "standard_change_summary")) == {
        users["regulator"],
        users["regulator-admin"],
        *province_members,
    }
    # The province's second version replaces the first: the dust assessment, still graded by
    # the default bands, is listed again only if the second version changes its level.
    second = post_table(client, login_as("province-admin"), "region:33", strict_bands())
    change = db.session.scalar(
        select(StandardChange).where(StandardChange.new_band_table_id == second["id"])
    )
    assert (change.old_label, change.old_band_table_id) == ("第1版", table["id"])
    assert change.summary["level_changes"] == 0
