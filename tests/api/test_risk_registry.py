"""The risk registry through the API: the chain's CRUD and validation, soft delete, scoping, the
register with dynamic levels, and the control-measure checklist."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anxun.checklists.loader import item_index, parse_checklist
from anxun.checklists.models import ChecklistVersion
from anxun.core.audit import AuditEntry
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry import services as registry
from anxun.risk.registry.measure_checklist import measure_id_from_item
from anxun.risk.registry.queries import unit_levels
from tests.factories_risk import (
    create_registry,
    event_payload,
    make_assessment,
    make_hazard,
    make_place,
    make_tree,
    measure_payload,
    object_payload,
    unit_payload,
)

API = "/api/v1"
TABLES = (RiskObject, RiskUnit, RiskEvent, ControlMeasure, AuditEntry, ChecklistVersion)


def counts(db) -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }


@pytest.fixture
def hc(world):
    return world["enterprise"]["hc"]


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


@pytest.fixture
def chain(client, officer, hc):
    """Object → unit → event → measure created through the API; returns their ids."""

    def post(url, payload):
        response = client.post(API + url, json=payload, headers=officer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    ids = {"object": post(f"/enterprises/{hc}/risk-objects", object_payload(name="液氨储罐区"))}
    ids["unit"] = post(f"/risk-objects/{ids['object']}/units", unit_payload(name="1号储罐"))
    ids["event"] = post(f"/risk-units/{ids['unit']}/events", event_payload(name="液氨泄漏"))
    ids["measure"] = post(
        f"/risk-events/{ids['event']}/measures", measure_payload(description="液位联锁")
    )
    return ids


# --- create and read -----------------------------------------------------------------------------


def test_officer_builds_the_chain_and_reads_every_level_back(client, officer, hc, db, world):
    place = make_place(hc, "液氨罐区")
    db.session.commit()
    obj = client.post(
        f"{API}/enterprises/{hc}/risk-objects",
        json=object_payload(name="  液氨储罐区 ", hazard_code="330211-HZ-01"),
        headers=officer,
    )
    assert obj.status_code == 201
    body = obj.get_json()
    assert body["name"] == "液氨储罐区"
    assert body["enterprise_id"] == hc
    assert body["is_major_hazard_source"] is True
    assert body["accountable_technical"] == "李工"

    unit = client.post(
        f"{API}/risk-objects/{body['id']}/units",
        json=unit_payload(name="1号储罐", place_id=place.id),
        headers=officer,
    ).get_json()
    assert (unit["risk_object_id"], unit["place_id"]) == (body["id"], place.id)
    assert unit["assessed_level"] is None and unit["effective_level"] is None
    assert unit["raised"] is False and unit["level_note"] == ""

    event = client.post(
        f"{API}/risk-units/{unit['id']}/events",
        json=event_payload(
            name="液氨泄漏", accident_types=["中毒和窒息", "其他爆炸", "中毒和窒息"]
        ),
        headers=officer,
    ).get_json()
    # 其他 is the common spelling of the standard's 其它; duplicates collapse.
    assert event["accident_types"] == ["中毒和窒息", "其它爆炸"]
    assert event["latest_assessment"] is None

    measure = client.post(
        f"{API}/risk-events/{event['id']}/measures",
        json=measure_payload(
            description="液位高低报警联锁", classify1="engineering", classify2="1-4"
        ),
        headers=officer,
    ).get_json()
    assert measure["classify1"] == {"code": "engineering", "label": "工程技术"}
    assert measure["classify2"] == {"code": "1-4", "label": "安全仪表"}
    assert measure["data_source"] == {"code": "hazard_inspection", "label": "隐患排查"}
    assert measure["control_level"] == {"code": "workshop", "label": "车间级"}
    assert measure["check_item_id"] == f"CM-{measure['id']}"

    for url, expected in (
        (f"/risk-objects/{body['id']}", body["id"]),
        (f"/risk-units/{unit['id']}", unit["id"]),
        (f"/risk-events/{event['id']}", event["id"]),
        (f"/control-measures/{measure['id']}", measure["id"]),
    ):
        response = client.get(API + url, headers=officer)
        assert (response.status_code, response.get_json()["id"]) == (200, expected)
    listed = client.get(f"{API}/risk-events/{event['id']}/measures", headers=officer).get_json()
    assert [m["id"] for m in listed["items"]] == [measure["id"]]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("create_%")).order_by(AuditEntry.id)
    ).all()
    assert [a for a in actions if a != "create_enterprise"][-4:] == [
        "create_risk_object",
        "create_risk_unit",
        "create_risk_event",
        "create_control_measure",
    ]


def test_lists_page_with_a_cursor_in_name_order(client, officer, hc):
    for name in ("丙罐区", "甲罐区", "乙罐区"):
        payload = object_payload(name=name, is_major_hazard_source=False)
        client.post(f"{API}/enterprises/{hc}/risk-objects", json=payload, headers=officer)
    first = client.get(
        f"{API}/enterprises/{hc}/risk-objects?sort=name&limit=2", headers=officer
    ).get_json()
    second = client.get(
        f"{API}/enterprises/{hc}/risk-objects?sort=name&limit=2&cursor={first['next_cursor']}",
        headers=officer,
    ).get_json()
    names = [o["name"] for o in first["items"] + second["items"]]
    assert names == sorted(["丙罐区", "甲罐区", "乙罐区"])
    assert second["next_cursor"] is None


# --- validation: nothing written -----------------------------------------------------------------

MAJOR_WITHOUT_PERSONS = object_payload(
    hazard_code=" ", accountable_main="", accountable_technical="", accountable_operational=""
)


@pytest.mark.parametrize(
    ("target", "payload", "fields", "message"),
    [
        (
            "objects",
            MAJOR_WITHOUT_PERSONS,
            ["hazard_code", "accountable_main", "accountable_technical", "accountable_operational"],
            "重大危险源须填写危险源编码。",
        ),
        ("objects", object_payload(name="   "), ["name"], "请填写名称。"),
        ("objects", object_payload(name="罐" * 121), ["name"], "名称不能超过 120 个字。"),
        ("objects", object_payload(colour="red"), ["colour"], "不允许的字段。"),
        ("units", unit_payload(responsible_name="张" * 41), ["responsible_name"], None),
        (
            "events",
            event_payload(accident_types=["中毒和窒息", "泄漏"]),
            ["accident_types"],
            "事故类型“泄漏”不属于 GB 6441-1986 规定的 20 类事故。",
        ),
        (
            "measures",
            measure_payload(classify1="engineering", classify2="2-1"),
            ["classify2"],
            "措施分类二“2-1 动设备”不属于“工程技术”，应为 1-1、1-2、1-3、1-4、1-5 之一。",
        ),
        ("measures", measure_payload(classify1="technical"), ["classify1"], None),
        ("measures", measure_payload(classify1="emergency", classify2="4-6"), ["classify2"], None),
        (
            "measures",
            measure_payload(data_source="sensor"),
            ["data_source"],
            "数据来源应为自动化监控或隐患排查。",
        ),
        ("measures", measure_payload(control_level="plant"), ["control_level"], None),
        ("measures", measure_payload(description=""), ["description"], "请填写管控措施。"),
        ("measures", {"description": "只有描述"}, ["classify1", "classify2"], "此项为必填项。"),
    ],
)
def test_invalid_input_is_422_with_chinese_field_errors_and_writes_nothing(
    client, officer, db, chain, hc, target, payload, fields, message
):
    url = {
        "objects": f"/enterprises/{hc}/risk-objects",
        "units": f"/risk-objects/{chain['object']}/units",
        "events": f"/risk-units/{chain['unit']}/events",
        "measures": f"/risk-events/{chain['event']}/measures",
    }[target]
    before = counts(db)
    response = client.post(API + url, json=payload, headers=officer)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert sorted(e["field"] for e in errors) == sorted(fields)
    if message:
        assert message in [e["message"] for e in errors]
    assert counts(db) == before


def test_a_place_of_another_enterprise_is_refused(client, officer, db, chain, world):
    foreign = make_place(world["enterprise"]["dust"], "除尘器")
    db.session.commit()
    before = counts(db)
    response = client.post(
        f"{API}/risk-objects/{chain['object']}/units",
        json=unit_payload(place_id=foreign.id),
        headers=officer,
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "place_id", "message": "所选场所不存在或不属于本企业。"}
    ]
    assert counts(db) == before


def test_sibling_names_are_unique_but_may_repeat_elsewhere(client, officer, db, chain, hc):
    before = counts(db)
    again = client.post(
        f"{API}/risk-objects/{chain['object']}/units",
        json=unit_payload(name="1号储罐"),
        headers=officer,
    )
    assert again.status_code == 422
    assert again.get_json()["errors"] == [
        {"field": "name", "message": "同一上级已有同名的风险分析单元“1号储罐”。"}
    ]
    assert counts(db) == before
    other = client.post(
        f"{API}/enterprises/{hc}/risk-objects",
        json=object_payload(name="二期罐区"),
        headers=officer,
    ).get_json()
    elsewhere = client.post(
        f"{API}/risk-objects/{other['id']}/units",
        json=unit_payload(name="1号储罐"),
        headers=officer,
    )
    assert elsewhere.status_code == 201


def test_patch_validates_the_merged_record_and_audits_the_difference(
    client, officer, db, chain, hc
):
    plain = client.post(
        f"{API}/enterprises/{hc}/risk-objects",
        json=object_payload(
            name="包装车间",
            hazard_code="",
            is_major_hazard_source=False,
            accountable_main="",
            accountable_technical="",
            accountable_operational="",
        ),
        headers=officer,
    ).get_json()
    before = counts(db)
    refused = client.patch(
        f"{API}/risk-objects/{plain['id']}", json={"is_major_hazard_source": True}, headers=officer
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.get_json()["errors"]} == {
        "hazard_code",
        "accountable_main",
        "accountable_technical",
        "accountable_operational",
    }
    renamed = client.patch(
        f"{API}/risk-objects/{plain['id']}", json={"name": "液氨储罐区"}, headers=officer
    )
    assert renamed.status_code == 422
    mismatch = client.patch(
        f"{API}/control-measures/{chain['measure']}", json={"classify2": "3-1"}, headers=officer
    )
    assert mismatch.status_code == 422
    assert counts(db) == before

    changed = client.patch(
        f"{API}/risk-units/{chain['unit']}",
        json={"department": "储运二车间", "responsible_name": "孙主任"},
        headers=officer,
    )
    assert changed.status_code == 200
    assert changed.get_json()["department"] == "储运二车间"
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "update_risk_unit")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.entity_id == str(chain["unit"])
    assert entry.change == {
        "department": ["储运车间", "储运二车间"],
        "responsible_name": ["赵主任", "孙主任"],
    }
    audits = counts(db)["AuditEntry"]
    same = client.patch(
        f"{API}/risk-units/{chain['unit']}", json={"department": "储运二车间"}, headers=officer
    )
    assert same.status_code == 200
    assert counts(db)["AuditEntry"] == audits


# --- soft delete ---------------------------------------------------------------------------------


def test_deleting_an_object_soft_deletes_and_hides_everything_below_it(
    client, officer, db, chain, hc
):
    keep = client.post(
        f"{API}/enterprises/{hc}/risk-objects",
        json=object_payload(name="二期罐区"),
        headers=officer,
    ).get_json()
    response = client.delete(f"{API}/risk-objects/{chain['object']}", headers=officer)
    assert response.status_code == 204
    for url in (
        f"/risk-objects/{chain['object']}",
        f"/risk-units/{chain['unit']}",
        f"/risk-events/{chain['event']}",
        f"/control-measures/{chain['measure']}",
        f"/risk-objects/{chain['object']}/units",
        f"/risk-units/{chain['unit']}/events",
        f"/risk-events/{chain['event']}/measures",
    ):
        assert client.get(API + url, headers=officer).status_code == 404, url
    assert client.delete(f"{API}/risk-units/{chain['unit']}", headers=officer).status_code == 404
    listed = client.get(f"{API}/enterprises/{hc}/risk-objects", headers=officer).get_json()
    assert [o["id"] for o in listed["items"]] == [keep["id"]]
    register = client.get(f"{API}/enterprises/{hc}/risk-register", headers=officer).get_json()
    assert register["counts"] == {"objects": 1, "units": 0, "events": 0, "measures": 0}
    db.session.expire_all()
    for model, key in (
        (RiskObject, "object"),
        (RiskUnit, "unit"),
        (RiskEvent, "event"),
        (ControlMeasure, "measure"),
    ):
        assert db.session.get(model, chain[key]).deleted_at is not None
    assert db.session.get(RiskObject, keep["id"]).deleted_at is None
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "delete_risk_object")
    ).one()
    assert entry.change == {"name": "液氨储罐区", "units": 1, "events": 1, "measures": 1}


def test_deleting_a_measure_keeps_its_event(client, officer, chain):
    assert (
        client.delete(f"{API}/control-measures/{chain['measure']}", headers=officer).status_code
        == 204
    )
    assert client.get(f"{API}/risk-events/{chain['event']}", headers=officer).status_code == 200
    listed = client.get(f"{API}/risk-events/{chain['event']}/measures", headers=officer).get_json()
    assert listed["items"] == []


# --- scoping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "read", "write"),
    [
        ("officer-hc", 200, 200),
        ("head-hc", 200, 200),
        ("rectifier-hc", 200, 403),
        ("auditor", 200, 403),
        ("regulator", 200, 403),
        ("regulator-admin", 200, 403),
        ("head-con", 404, 404),
        ("regulator-con", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_who_reads_and_who_writes_an_enterprises_registry(
    client, login_as, db, chain, username, read, write
):
    headers = login_as(username)
    for url in (f"/risk-units/{chain['unit']}", f"/control-measures/{chain['measure']}"):
        assert client.get(API + url, headers=headers).status_code == read
    before = counts(db)
    response = client.patch(
        f"{API}/risk-units/{chain['unit']}", json={"department": "新部门"}, headers=headers
    )
    assert response.status_code == write
    if write != 200:
        assert response.content_type == "application/problem+json"
        assert counts(db) == before
    created = client.post(
        f"{API}/risk-events/{chain['event']}/measures", json=measure_payload(), headers=headers
    )
    assert created.status_code == (201 if write == 200 else write)


def test_another_enterprises_rows_are_not_found_for_hc_staff(client, login_as, db, world):
    ids = make_tree(world["enterprise"]["con"])
    db.session.commit()
    headers = login_as("officer-hc")
    assert client.get(f"{API}/risk-objects/{ids['object']}", headers=headers).status_code == 404
    response = client.delete(f"{API}/risk-events/{ids['event']}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["detail"] == "未找到该安全风险事件，或您无权查看。"


# --- the register and dynamic risk ---------------------------------------------------------------


def test_register_nests_the_tree_with_levels_and_latest_assessments(client, officer, db, hc, world):
    ids = create_registry(client, officer, hc)
    assessor = world["users"]["officer-hc"]
    make_assessment(hc, ids["leak"], assessor, "orange", score=180, assessed_on=_day(1))
    make_assessment(hc, ids["leak"], assessor, "yellow", score=126, assessed_on=_day(5))
    make_assessment(hc, ids["overfill"], assessor, "blue", score=18, assessed_on=_day(3))
    make_assessment(
        hc, ids["overfill"], assessor, "red", kind="inherent", score=400, assessed_on=_day(9)
    )
    db.session.commit()
    register = client.get(f"{API}/enterprises/{hc}/risk-register", headers=officer).get_json()
    assert register["enterprise_name"] == "宁波澄江化工有限公司"
    assert register["counts"] == {"objects": 2, "units": 2, "events": 3, "measures": 5}
    tank_farm, workshop = register["objects"]
    assert (tank_farm["name"], workshop["name"], workshop["units"]) == (
        "液氨储罐区",
        "包装车间",
        [],
    )
    tank1, pump = tank_farm["units"]
    # The unit's level is the highest latest residual level of its events: yellow over blue.
    assert tank1["assessed_level"] == {"code": "yellow", "label": "一般"}
    assert tank1["effective_level"] == {"code": "yellow", "label": "一般"}
    assert pump["assessed_level"] is None
    leak, overfill = tank1["events"]
    assert leak["latest_assessment"]["level"] == {"code": "yellow", "label": "一般"}
    assert leak["latest_assessment"]["score"] == 126
    assert overfill["latest_assessment"]["level"]["code"] == "blue"
    assert [m["description"] for m in leak["measures"]] == [
        "液位高低报警并联锁切断进料",
        "设置氨气泄漏检测报警仪",
        "严格执行交接班制度",
    ]


def _day(n):
    from datetime import date

    return date(2026, 3, n)


def test_an_open_hazard_raises_the_units_level_until_it_is_closed(client, officer, db, hc, world):
    ids = create_registry(client, officer, hc)
    reporter = world["users"]["officer-hc"]
    make_assessment(hc, ids["leak"], reporter, "yellow")
    hazard = make_hazard(hc, ids["tank1"], reporter, "rectifying")
    make_hazard(hc, ids["tank1"], reporter, "rejected")
    make_hazard(hc, ids["tank1"], reporter, "closed")
    db.session.commit()

    unit = client.get(f"{API}/risk-units/{ids['tank1']}", headers=officer).get_json()
    assert unit["assessed_level"] == {"code": "yellow", "label": "一般"}
    assert unit["effective_level"] == {"code": "orange", "label": "较大"}
    assert (unit["raised"], unit["open_hazards"]) == (True, 1)
    assert unit["level_note"] == "存在未销号隐患，风险等级临时上调"
    register = client.get(f"{API}/enterprises/{hc}/risk-register", headers=officer).get_json()
    in_register = register["objects"][0]["units"][0]
    assert (in_register["effective_level"]["code"], in_register["raised"]) == ("orange", True)
    # The pump has no graded event: an open hazard on it counts it as blue raised to yellow.
    make_hazard(hc, ids["pump"], reporter, "reported")
    db.session.commit()
    pump = client.get(f"{API}/risk-units/{ids['pump']}", headers=officer).get_json()
    assert (pump["assessed_level"], pump["effective_level"]["code"]) == (None, "yellow")

    hazard.state = "closed"
    db.session.commit()
    unit = client.get(f"{API}/risk-units/{ids['tank1']}", headers=officer).get_json()
    assert unit["effective_level"] == {"code": "yellow", "label": "一般"}
    assert (unit["raised"], unit["open_hazards"], unit["level_note"]) == (False, 0, "")


def test_unit_levels_ignore_deleted_events_and_other_units(client, officer, db, hc, world):
    ids = create_registry(client, officer, hc)
    reporter = world["users"]["officer-hc"]
    make_assessment(hc, ids["leak"], reporter, "yellow")
    make_assessment(hc, ids["overfill"], reporter, "red")
    make_assessment(hc, ids["seal"], reporter, "blue")
    db.session.commit()
    assert unit_levels(hc)[ids["tank1"]]["assessed"] == "red"
    assert client.delete(f"{API}/risk-events/{ids['overfill']}", headers=officer).status_code == 204
    assert unit_levels(hc) == {
        ids["tank1"]: {
            "assessed": "yellow",
            "open_hazards": 0,
            "effective": "yellow",
            "raised": False,
        },
        ids["pump"]: {"assessed": "blue", "open_hazards": 0, "effective": "blue", "raised": False},
    }


def test_a_hazard_linked_to_a_measure_raises_the_measures_unit(client, officer, db, hc, world):
    ids = create_registry(client, officer, hc)
    reporter = world["users"]["officer-hc"]
    make_assessment(hc, ids["seal"], reporter, "orange")
    hazard = make_hazard(hc, None, reporter, "confirmed")
    assert registry.link_hazard_to_measure(hazard, ids["lube"]) is True
    assert (hazard.control_measure_id, hazard.risk_unit_id) == (ids["lube"], ids["pump"])
    foreign = make_tree(world["enterprise"]["dust"])
    other = make_hazard(hc, None, reporter, "confirmed")
    assert registry.link_hazard_to_measure(other, foreign["measure"]) is False
    assert registry.link_hazard_to_measure(other, 987654) is False
    assert (other.control_measure_id, other.risk_unit_id) == (None, None)
    db.session.commit()
    pump = client.get(f"{API}/risk-units/{ids['pump']}", headers=officer).get_json()
    assert (pump["assessed_level"]["code"], pump["effective_level"]["code"]) == ("orange", "red")


# --- the control-measure checklist ---------------------------------------------------------------


def _risk_controls(client, headers, hc):
    return client.get(f"{API}/checklists/risk-controls?enterprise_id={hc}", headers=headers)


def test_checkable_measures_become_the_enterprises_risk_controls_checklist(
    client, officer, db, hc, login_as
):
    ids = create_registry(client, officer, hc)
    listed = client.get(f"{API}/checklists?enterprise_id={hc}", headers=officer).get_json()
    assert "risk-controls" in [c["code"] for c in listed]
    stored = db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == "risk-controls")
        .order_by(ChecklistVersion.id.desc())
    ).first()
    assert stored.owner_enterprise_id == hc
    doc, problems = parse_checklist(stored.source_text, "risk-controls.yaml")
    assert problems == []
    items = item_index(doc)
    # The automatic-monitoring detector is not a check item.
    assert sorted(items) == sorted(
        f"CM-{ids[key]}" for key in ("interlock", "shift", "ppe", "lube")
    )
    assert {measure_id_from_item(item_id) for item_id in items} == {
        ids["interlock"],
        ids["shift"],
        ids["ppe"],
        ids["lube"],
    }
    interlock = items[f"CM-{ids['interlock']}"]
    assert interlock["text"] == "检查液位报警联锁是否投用"
    assert interlock["guidance"] == "液位高低报警并联锁切断进料"
    assert interlock["category"] == "thing"
    assert interlock["basis"] == [{"doc": "REG", "clause": "1号液氨储罐 / 液氨泄漏引发中毒"}]
    assert items[f"CM-{ids['shift']}"]["text"] == "严格执行交接班制度"
    assert items[f"CM-{ids['shift']}"]["category"] == "behaviour"
    assert items[f"CM-{ids['ppe']}"]["category"] == "management"
    assert [s["title"] for s in doc["sections"]] == ["1号液氨储罐", "液氨输送泵"]
    assert doc["basis"][0]["title"] == "宁波澄江化工有限公司 安全风险分级管控清单"
    # Other enterprises do not see it.
    other = client.get(f"{API}/checklists", headers=login_as("officer-dust")).get_json()
    assert "risk-controls" not in [c["code"] for c in other]


def test_publishing_is_a_no_op_until_a_measure_changes(client, officer, db, hc):
    ids = create_registry(client, officer, hc)
    first = _risk_controls(client, officer, hc).get_json()
    before = counts(db)
    again = client.post(f"{API}/enterprises/{hc}/risk-register/publish-checklist", headers=officer)
    assert again.status_code == 200
    assert again.get_json()["created"] is False
    assert again.get_json()["version_hash"] == first["version_hash"]
    assert again.get_json()["item_count"] == 4
    assert counts(db) == before
    # Renaming a unit changes section titles and clauses: a new version.
    client.patch(f"{API}/risk-units/{ids['pump']}", json={"name": "P-101 输送泵"}, headers=officer)
    renamed = _risk_controls(client, officer, hc).get_json()
    assert renamed["version_hash"] != first["version_hash"]
    assert [s["title"] for s in renamed["document"]["sections"]] == ["1号液氨储罐", "P-101 输送泵"]
    # Back to the original content: still a newer version, so the latest one is current.
    client.patch(f"{API}/risk-units/{ids['pump']}", json={"name": "液氨输送泵"}, headers=officer)
    back = _risk_controls(client, officer, hc).get_json()
    assert back["document"]["sections"] == first["document"]["sections"]
    assert int(back["document"]["version"]) == int(renamed["document"]["version"]) + 1
    # Switching a measure to automatic monitoring removes its item.
    client.patch(
        f"{API}/control-measures/{ids['lube']}",
        json={"data_source": "automatic_monitoring"},
        headers=officer,
    )
    fewer = _risk_controls(client, officer, hc).get_json()
    assert [s["title"] for s in fewer["document"]["sections"]] == ["1号液氨储罐"]


def test_publishing_without_checkable_measures_is_refused(client, officer, db, hc):
    client.post(f"{API}/enterprises/{hc}/risk-objects", json=object_payload(), headers=officer)
    before = counts(db)
    response = client.post(
        f"{API}/enterprises/{hc}/risk-register/publish-checklist", headers=officer
    )
    assert response.status_code == 422
    assert response.get_json()["detail"] == (
        "本企业尚无数据来源为“隐患排查”的管控措施，无法生成检查表。"
    )
    assert counts(db) == before
