"""Public pages: every published field is checked for phone and ID numbers at entry (422), and
the public answers mask any that slipped in (belt and braces)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.orgs.models import Enterprise
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import SpotCheckAssignment, SpotCheckDraw, SupervisedListing
from tests.api.test_spot_checks import API, admin, make_draw, registries, third_inspector
from tests.factories import enterprise_payload
from tests.factories_hazards import hazard_in

__all__ = ["admin", "registries", "third_inspector"]  # fixtures used by the spot-check tests

TODAY = date(2026, 11, 25)
PERSONAL = "张三 13805740101 身份证330211199001011234"
LEAKS = ("13805740101", "330211199001011234", "86221234")


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))


def _counts(db, *models) -> dict:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def _listing_body(**overrides) -> dict:
    return {
        "supervising_office": "宁波市镇海区应急管理局",
        "deadline": (TODAY + timedelta(days=30)).isoformat(),
        "public_summary": "储罐区可燃气体检测报警系统失效，须于2026-12-25前完成联锁改造。",
        "is_public": True,
    } | overrides


def _list_major_hazard(db, client, login_as, **overrides):
    hazard = hazard_in("rectifying", level="major")
    db.session.commit()
    return client.post(
        f"/api/v1/hazards/{hazard.id}/listing",
        json=_listing_body(**overrides),
        headers=login_as("regulator"),
    )


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("supervising_office", PERSONAL, "身份证"),
        ("supervising_office", "镇海区应急管理局 值班电话0574-86221234", "电话"),
        ("public_summary", "联系人张三 138 0574 0101", "电话"),
    ],
)
def test_a_listing_with_personal_data_in_a_published_field_is_refused(
    db, client, login_as, world, field, text, problem
):
    tables = (SupervisedListing, AuditEntry, OutboxEvent)
    hazard = hazard_in("rectifying", level="major")
    db.session.commit()
    before = _counts(db, *tables)
    response = client.post(
        f"/api/v1/hazards/{hazard.id}/listing",
        json=_listing_body(**{field: text}),
        headers=login_as("regulator"),
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    [error] = response.get_json()["errors"]
    assert error["field"] == field and problem in error["message"]
    assert _counts(db, *tables) == before


def test_a_date_in_a_summary_is_not_taken_for_a_phone_number(db, client, login_as, world):
    response = _list_major_hazard(db, client, login_as)
    assert response.status_code == 201, response.get_json()


def test_the_public_list_masks_personal_data_that_slipped_in(db, client, login_as, world):
    response = _list_major_hazard(db, client, login_as)
    assert response.status_code == 201, response.get_json()
    listing = db.session.get(SupervisedListing, response.get_json()["id"])
    # Written before the entry check existed, or straight into the database.
    listing.supervising_office = PERSONAL
    listing.public_summary = "联系电话０５７４－８６２２１２３４"
    db.session.get(Enterprise, listing.enterprise_id).name = "宁波澄江化工有限公司13805740101"
    db.session.commit()
    public = client.get("/api/v1/public/major-hazards")
    text = public.get_data(as_text=True)
    assert not [leak for leak in LEAKS if leak in text]
    assert "０５７４" not in text
    [item] = public.get_json()["items"]
    assert item["supervising_office"] == "张三 *********** 身份证******************"
    assert item["enterprise_name"] == "宁波澄江化工有限公司***********"
    assert item["deadline"] == "2026-12-25" and item["listed_on"] == "2026-11-25"


# --- spot checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "抽查 联系人13805740101"}, "title"),
        ({"seed": "330211199001011234"}, "seed"),
    ],
)
def test_a_draw_with_personal_data_in_a_published_field_is_refused(
    db, client, admin, registries, body, field
):
    tables = (SpotCheckDraw, SpotCheckAssignment, AuditEntry)
    before = _counts(db, *tables)
    payload = {"title": "抽查", "enterprise_count": 2, "seed": "s"} | body
    response = client.post(f"{API}/draws", json=payload, headers=admin)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
    assert _counts(db, *tables) == before


def test_a_result_summary_with_a_phone_number_is_refused(db, client, admin, registries):
    draw = make_draw(client, admin)
    first = draw["assignments"][0]
    response = client.post(
        f"{API}/assignments/{first['id']}/result",
        json={"result": "issues_found", "summary": "请联系张三 13805740101"},
        headers=admin,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["summary"]
    assert db.session.get(SpotCheckAssignment, first["id"]).result is None


def test_a_server_seed_never_reads_as_a_phone_number(client, admin, registries, monkeypatch):
    from anxun.oversight.spot_checks import services as spot_check_services

    seeds = iter(["a13805740101bcdefabcdefabcdefabc", "0123abcd" * 4])
    monkeypatch.setattr(spot_check_services.secrets, "token_hex", lambda n: next(seeds))
    draw = make_draw(client, admin, seed=None)
    assert draw["seed"] == "0123abcd" * 4


def test_published_draws_mask_personal_data_that_slipped_in(db, client, admin, registries):
    draw = make_draw(client, admin)
    stored = db.session.get(SpotCheckDraw, draw["id"])
    stored.title = "第四季度抽查（联系人13805740101）"
    db.session.get(SpotCheckAssignment, draw["assignments"][0]["id"]).result_summary = PERSONAL
    db.session.commit()
    assert client.post(f"{API}/draws/{draw['id']}/publication", headers=admin).status_code == 200
    public = client.get("/api/v1/public/spot-checks")
    text = public.get_data(as_text=True)
    assert not [leak for leak in LEAKS if leak in text]
    [item] = public.get_json()["items"]
    assert item["title"] == "第四季度抽查（联系人***********）"
    assert item["seed"] == "s-2026-q4"


# --- enterprise names (published on both pages) ----------------------------------------------


def test_an_enterprise_name_with_a_phone_number_is_refused(db, client, login_as, world):
    before = _counts(db, Enterprise, AuditEntry)
    response = client.post(
        "/api/v1/enterprises",
        json=enterprise_payload(name="宁波某化工有限公司 13805740101"),
        headers=login_as("admin"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["name"]
    assert _counts(db, Enterprise, AuditEntry) == before
