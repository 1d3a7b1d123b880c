"""公示: the public list of supervised major hazards answers without login and leaks no person."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from anxun.accounts.models import User
from anxun.demo.orgs import ENTERPRISES
from anxun.hazards.models import Hazard
from tests.factories_hazards import hazard_in, make_media, step

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)


def _people(db):
    """Every demo person's name, phone and username."""
    users = db.session.execute(select(User.username, User.display_name)).all()
    values = {u.username for u in users} | {u.display_name for u in users}
    for spec in ENTERPRISES.values():
        values |= {spec["head_name"], spec["head_phone"], spec["safety_head_name"]}
        values |= {spec["safety_head_phone"], *spec["people"].values()}
    values.discard("")
    return values


@pytest.fixture
def listed(db, client, login_as, world):
    """Two hc listings (one public, one not) whose hazards' texts name people and phones."""
    ids = {}
    for name, is_public in (("public", True), ("private", False)):
        hazard = hazard_in("rectifying", level="major")
        hazard.description = "发现人陈海波（13805740102），整改责任人王志强，负责人周立新 head-hc"
        hazard.title = "周立新 负责的储罐区报警失效"
        db.session.commit()
        response = client.post(
            f"/api/v1/hazards/{hazard.id}/listing",
            json={
                "supervising_office": "宁波市镇海区应急管理局",
                "deadline": (TODAY + timedelta(days=30)).isoformat(),
                "public_summary": f"储罐区可燃气体检测报警系统失效（{name}）",
                "is_public": is_public,
            },
            headers=login_as("regulator"),
        )
        assert response.status_code == 201, response.get_json()
        ids[name] = response.get_json()
    return ids


def test_the_public_list_needs_no_login_and_shows_public_listings_only(client, listed):
    response = client.get("/api/v1/public/major-hazards")
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert item == {
        "enterprise_name": "宁波澄江化工有限公司",
        "region_code": "330211",
        "region_name": "镇海区",
        "listing_no": listed["public"]["listing_no"],
        "public_summary": "储罐区可燃气体检测报警系统失效（public）",
        "supervising_office": "宁波市镇海区应急管理局",
        "deadline": "2026-12-25",
        "status": {"code": "listed", "label": "督办中"},
        "listed_on": "2026-11-25",
        "delisted_on": None,
    }


def test_the_region_filter_is_a_code_prefix(client, listed):
    assert len(client.get("/api/v1/public/major-hazards?region_code=3302").get_json()["items"]) == 1
    assert client.get("/api/v1/public/major-hazards?region_code=4403").get_json()["items"] == []
    bad = client.get("/api/v1/public/major-hazards?region_code=x1")
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "region_code"


def test_the_region_picker_names_the_regions_of_public_listings_and_those_above(client, world):
    regions = client.get("/api/v1/public/major-hazards/regions")  # no login
    assert regions.status_code == 200
    assert regions.get_json() == {"items": []}  # nothing public yet


def test_each_region_of_the_picker_filters_the_list_by_its_prefix(client, listed):
    response = client.get("/api/v1/public/major-hazards/regions")
    assert response.status_code == 200
    assert response.get_json()["items"] == [
        {
            "code": "330000",
            "name": "浙江省",
            "level": {"code": "province", "label": "省级"},
            "parent_code": None,
            "prefix": "33",
        },
        {
            "code": "330200",
            "name": "宁波市",
            "level": {"code": "city", "label": "地级"},
            "parent_code": "330000",
            "prefix": "3302",
        },
        {
            "code": "330211",
            "name": "镇海区",
            "level": {"code": "county", "label": "县级"},
            "parent_code": "330200",
            "prefix": "330211",
        },
    ]
    for region in response.get_json()["items"]:
        answer = client.get(f"/api/v1/public/major-hazards?region_code={region['prefix']}")
        assert [i["region_name"] for i in answer.get_json()["items"]] == ["镇海区"]


def test_the_site_icon_is_served_to_every_page(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO header
    for page in ("/public/major-hazards", "/public/spot-checks", "/desk/"):
        assert '<link rel="icon" href="/favicon.ico"' in client.get(page).get_data(as_text=True)


def test_neither_the_json_nor_the_page_contains_personal_data(db, client, listed):
    people = _people(db)
    assert {"周立新", "13805740102", "head-hc", "赵振华"} <= people
    response = client.get("/api/v1/public/major-hazards")
    text = response.get_data(as_text=True)
    # The body is UTF-8, so a Chinese name would appear as itself (not as a \u escape).
    assert "督办中" in text
    page = client.get("/public/major-hazards")
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    script = client.get("/public/major-hazards.js").get_data(as_text=True)
    assert "/api/v1/public/major-hazards" in script
    for blob in (text, html, script):
        leaked = sorted(value for value in people if value in blob)
        assert leaked == []
    hazard = db.session.scalar(select(Hazard).where(Hazard.title.startswith("周立新")))
    assert str(hazard.id) not in text
    for key in ("description", "media_ids", "listed_by", "hazard_id", "user_id", "title"):
        assert key not in text


def test_a_delisted_hazard_shows_as_closed(db, client, login_as, listed):
    hazard_id = listed["public"]["hazard_id"]
    hazard = db.session.get(Hazard, uuid.UUID(hazard_id))
    hazard = step(
        hazard,
        "rectifier-hc",
        "submit_rectification",
        after_media_ids=[make_media(hazard.enterprise_id, "rectifier-hc")],
        note="已整改",
    )
    hazard = step(hazard, "officer-hc", "verify_pass")
    db.session.commit()
    signoff = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions",
        json={"action": "signoff", "expected_state": "awaiting_signoff"},
        headers=login_as("regulator"),
    )
    assert signoff.status_code == 200, signoff.get_json()
    [item] = client.get("/api/v1/public/major-hazards").get_json()["items"]
    assert item["status"] == {"code": "delisted", "label": "已销号"}
    assert item["delisted_on"] == "2026-11-25"
