"""Every error is application/problem+json with Chinese field messages; nothing is half-written."""

from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.orgs.models import Enterprise
from tests.factories import enterprise_payload


def test_missing_and_malformed_fields_are_listed_in_chinese(client, login_as):
    response = client.post(
        "/api/v1/enterprises",
        json={"name": "甲", "uscc": 123, "region_code": "33A211", "industries": []},
        headers=login_as("regulator-admin"),
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "/problems/validation"
    assert body["title"] == "提交的数据有误"
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert errors == {
        "name": "长度应在 2 到 120 之间。",
        "uscc": "应为文本。",
        "region_code": "应为6位行政区划代码。",
        "industries": "长度不能少于 1。",
        "size_class": "此项为必填项。",
        "head_name": "此项为必填项。",
    }


def test_unknown_fields_are_rejected(client, login_as):
    response = client.post(
        "/api/v1/enterprises",
        json={**enterprise_payload(), "secret_flag": True},
        headers=login_as("regulator-admin"),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "secret_flag", "message": "不允许的字段。"}]


def test_integers_are_strict(client, login_as, world):
    response = client.post(
        "/api/v1/engagements",
        json={
            "agency_id": 1.5,
            "commissioned_by": "regulator",
            "title": "测试委托",
            "scope": ["hazards"],
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "enterprise_ids": [world["enterprise"]["hc"]],
        },
        headers=login_as("regulator-admin"),
    )
    assert response.status_code == 422
    assert {"field": "agency_id", "message": "应为整数。"} in response.get_json()["errors"]


def test_domain_validation_writes_nothing(client, login_as, db):
    audit_before = db.session.scalar(select(func.count(AuditEntry.id)))
    enterprises_before = db.session.scalar(select(func.count(Enterprise.id)))
    response = client.post(
        "/api/v1/enterprises",
        json=enterprise_payload(uscc="91330211MA2H3K5L08"),
        headers=login_as("regulator-admin"),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "uscc", "message": "统一社会信用代码校验位不正确。"}
    ]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before
    assert db.session.scalar(select(func.count(Enterprise.id))) == enterprises_before


def test_unknown_route_and_wrong_method_are_problems(client, login_as):
    missing = client.get("/api/v1/no-such-thing", headers=login_as("officer-hc"))
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"
    wrong = client.delete("/api/v1/me", headers=login_as("officer-hc"))
    assert wrong.status_code == 405
    assert wrong.content_type == "application/problem+json"
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET"}


def test_missing_token_is_401_problem(client, world):
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.get_json()["detail"] == "请先登录。"


def test_malformed_json_body_is_a_problem(client, login_as):
    response = client.post(
        "/api/v1/enterprises",
        data="{not json",
        content_type="application/json",
        headers=login_as("regulator-admin"),
    )
    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"


def test_a_404_names_the_object_asked_for_not_its_enterprise(client, login_as, world, db):
    """Another enterprise's record is 404 as if it did not exist, and the message names the record
    (docs/api.md: 404 not in your scope or not there)."""
    from anxun.checklists.models import ChecklistVersion
    from tests.factories_documents import make_inspection
    from tests.factories_grading import make_risk_event
    from tests.factories_hazards import make_hazard
    from tests.factories_planning import local, make_place, make_plan

    con = world["enterprise"]["con"]
    version = db.session.scalars(select(ChecklistVersion).order_by(ChecklistVersion.id)).first()
    inspection = make_inspection(con, world["users"]["officer-con"], version, [])
    event = make_risk_event(con)
    hazard = make_hazard("con")
    place = make_place(con)
    plan = make_plan(con, anchor_at=local("2026-11-23 08:00"))
    db.session.commit()
    expected = {
        f"/api/v1/inspections/{inspection.id}": "未找到该检查记录，或您无权查看。",
        f"/api/v1/inspections/{inspection.id}/record.pdf": "未找到该检查记录，或您无权查看。",
        f"/api/v1/risk-events/{event.id}/assessments": "未找到该风险事件，或您无权查看。",
        f"/api/v1/hazards/{hazard.id}": "未找到该隐患，或您无权查看。",
        f"/api/v1/places/{place.id}": "未找到该地点，或您无权查看。",
        f"/api/v1/plans/{plan.id}": "未找到该排查计划，或您无权查看。",
    }
    officer = login_as("officer-hc")
    answers = {}
    for url in expected:
        response = client.get(url, headers=officer)
        answers[url] = (response.status_code, response.get_json().get("detail"))
    assert answers == {url: (404, message) for url, message in expected.items()}
