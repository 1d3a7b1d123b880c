"""The desk's 隐患台账: the category filter and the counts per state of the filtered hazards."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories_hazards import make_media

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
STATES = [
    "reported",
    "confirmed",
    "rectifying",
    "pending_verification",
    "awaiting_signoff",
    "closed",
    "rejected",
]


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)
    return frozen_clock


def report(client, headers, db, world, title, key="hc"):
    photo = make_media(world["enterprise"][key], f"officer-{key}")
    db.session.commit()
    body = {"id": str(uuid.uuid4()), "enterprise_id": world["enterprise"][key], "title": title}
    body["media_ids"] = [photo]
    response = client.post("/api/v1/hazards", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.json["id"]


def confirm(client, headers, hazard_id, category, days):
    body = {
        "action": "confirm",
        "expected_state": "reported",
        "level": "general",
        "category": category,
        "deadline": (TODAY + timedelta(days=days)).isoformat(),
    }
    response = client.post(f"/api/v1/hazards/{hazard_id}/transitions", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()


def test_category_filter_and_counts_per_state(client, login_as, world, db, frozen):
    officer = login_as("officer-hc")
    thing = report(client, officer, db, world, "防护罩破损")
    habit = report(client, officer, db, world, "未戴安全帽")
    late = report(client, officer, db, world, "罐区静电接地缺失")
    report(client, officer, db, world, "通道堵塞")
    report(client, login_as("officer-con"), db, world, "脚手架未验收", key="con")
    confirm(client, officer, thing, "thing", 10)
    confirm(client, officer, habit, "behaviour", 10)
    confirm(client, officer, late, "thing", 1)
    frozen(NOW + timedelta(days=3))

    def ids(query):
        response = client.get(f"/api/v1/hazards{query}", headers=officer)
        assert response.status_code == 200, response.get_json()
        return sorted(h["id"] for h in response.json["items"])

    def counted(query, headers=officer):
        response = client.get(f"/api/v1/hazards/counts{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.json

    assert ids("?category=thing") == sorted([thing, late])
    assert ids("?category=behaviour") == [habit]
    every = counted("")
    assert sorted(every["states"]) == sorted(STATES)
    assert every["states"] == {**dict.fromkeys(STATES, 0), "reported": 1, "confirmed": 3}
    assert (every["total"], every["overdue"]) == (4, 1)
    things = counted("?category=thing")
    assert (things["total"], things["states"]["confirmed"], things["overdue"]) == (2, 2, 1)
    assert counted("?q=通道")["states"]["reported"] == 1
    assert counted("?overdue=true")["total"] == 1
    # Scoped like the list: the other enterprise's hazard is counted only for its own staff.
    con = world["enterprise"]["con"]
    assert counted(f"?enterprise_id={con}")["total"] == 0
    assert counted(f"?enterprise_id={con}", login_as("head-con"))["total"] == 1
    for query, field in (("?category=chemical", "category"), ("?state=open", "state")):
        wrong = client.get(f"/api/v1/hazards/counts{query}", headers=officer)
        assert (wrong.status_code, wrong.json["errors"][0]["field"]) == (422, field)
    assert client.get("/api/v1/hazards/counts").status_code == 401


def test_the_openapi_document_describes_the_counts(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/hazards/counts"]["get"]
    assert "200" in operation["responses"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"category", "state", "overdue", "from", "to", "q"} <= names


def test_a_hazard_named_by_an_order_shows_the_orders_number_and_receipt(client, login_as, world):
    from tests.api.test_orders import issue
    from tests.api.test_patrols import add_finding, open_patrol

    regulator = login_as("regulator")
    patrol = open_patrol(client, regulator, world).get_json()
    finding = add_finding(client, regulator, patrol["id"], title="储罐区可燃气体报警器未检定")[0]
    finding = finding.get_json()
    order = issue(client, login_as, world, patrol=patrol, findings=[finding])
    url = f"/api/v1/hazards/{finding['hazard_id']}"

    seen = client.get(url, headers=login_as("head-hc")).json
    assert seen["source"]["code"] == "regulator"
    assert [(o["number"], o["state"]["code"], o["acknowledged_at"]) for o in seen["orders"]] == [
        (order["number"], "issued", None)
    ]
    assert seen["orders"][0]["state"]["label"] == "待签收"
    signed = client.post(
        f"/api/v1/orders/{order['id']}/acknowledgment",
        json={"expected_state": "issued", "note": "已收到"},
        headers=login_as("head-hc"),
    )
    assert signed.status_code == 200, signed.get_json()
    seen = client.get(url, headers=login_as("officer-hc")).json
    assert seen["orders"][0]["acknowledged_at"] == signed.json["acknowledged_at"]
    assert seen["orders"][0]["state"]["label"] == "已签收"
    # A hazard no order names has none.
    other = add_finding(client, regulator, patrol["id"], title="动火作业票缺少审批")[0].json
    assert (
        client.get(f"/api/v1/hazards/{other['hazard_id']}", headers=regulator).json["orders"] == []
    )
