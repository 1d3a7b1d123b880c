"""Supervised listing (挂牌督办) of major hazards: listing, numbering, delisting, sign-off."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard, HazardTransition
from anxun.outbox.models import OutboxEvent
from anxun.oversight.models import SupervisedListing
from tests.factories_hazards import hazard_in

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in China


@pytest.fixture(autouse=True)
def frozen(frozen_clock):
    frozen_clock(NOW)


@pytest.fixture
def major(db, world):
    """Makes a major hazard of hc in `state` and returns its id as text."""

    def make(state="rectifying", level="major", key="hc"):
        hazard = hazard_in(state, level=level, key=key)
        db.session.commit()
        return str(hazard.id)

    return make


def body(**overrides):
    return {
        "supervising_office": "宁波市镇海区应急管理局",
        "deadline": (TODAY + timedelta(days=30)).isoformat(),
        "public_summary": "储罐区可燃气体检测报警系统失效，未按要求整改。",
        "is_public": True,
        **overrides,
    }


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (SupervisedListing, AuditEntry, OutboxEvent)
    )


def post_listing(client, headers, hazard_id, **overrides):
    return client.post(
        f"/api/v1/hazards/{hazard_id}/listing", json=body(**overrides), headers=headers
    )


def test_regulator_lists_an_open_major_hazard_with_a_numbered_notice(db, client, login_as, major):
    hazard_id = major()
    response = post_listing(client, login_as("regulator"), hazard_id)
    assert response.status_code == 201, response.get_json()
    listing = response.get_json()
    assert listing["listing_no"] == "镇应急督〔2026〕1号"
    assert listing["state"] == {"code": "listed", "label": "督办中"}
    assert listing["hazard_id"] == hazard_id
    assert listing["deadline"] == "2026-12-25"
    assert listing["is_overdue"] is False
    assert listing["listed_by"] == "赵振华"
    second = post_listing(client, login_as("regulator-admin"), major())
    assert second.get_json()["listing_no"] == "镇应急督〔2026〕2号"
    [event] = db.session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.event_type == "hazard_listed")
        .order_by(OutboxEvent.id)
        .limit(1)
    ).all()
    assert event.payload["listing_no"] == "镇应急督〔2026〕1号"
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "list_hazard")
        .order_by(AuditEntry.id)
        .limit(1)
    )
    assert entry.change["hazard_id"] == hazard_id


def test_the_enterprise_sees_its_own_listings_and_regulators_filter_them(client, login_as, major):
    first = major()
    post_listing(client, login_as("regulator"), first)
    late = major()
    post_listing(client, login_as("regulator"), late, deadline=TODAY.isoformat())
    own = client.get("/api/v1/listings", headers=login_as("head-hc")).get_json()["items"]
    assert {item["hazard_id"] for item in own} == {first, late}
    assert client.get("/api/v1/listings", headers=login_as("head-con")).get_json()["items"] == []
    assert (
        client.get("/api/v1/listings", headers=login_as("regulator-con")).get_json()["items"] == []
    )
    listed = client.get("/api/v1/listings?state=listed", headers=login_as("regulator"))
    assert len(listed.get_json()["items"]) == 2
    # One day later the listing whose deadline was today is overdue.
    from anxun.core import clock

    clock.freeze(NOW + timedelta(days=1))
    overdue = client.get("/api/v1/listings?overdue=true", headers=login_as("regulator"))
    assert [item["hazard_id"] for item in overdue.get_json()["items"]] == [late]
    assert overdue.get_json()["items"][0]["is_overdue"] is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": (TODAY - timedelta(days=1)).isoformat()}, "deadline"),
        ({"public_summary": "联系人电话 138-0574-0101，请群众监督。"}, "public_summary"),
        ({"public_summary": "负责人身份证 33021119800101123X"}, "public_summary"),
        ({"public_summary": "x" * 301}, "public_summary"),
        ({"supervising_office": ""}, "supervising_office"),
    ],
)
def test_bad_listing_input_is_422_and_writes_nothing(db, client, login_as, major, overrides, field):
    hazard_id = major()
    before = counts(db)
    response = post_listing(client, login_as("regulator"), hazard_id, **overrides)
    assert response.status_code == 422
    assert response.get_json()["type"] == "/problems/validation"
    assert field in {e["field"] for e in response.get_json()["errors"]}
    db.session.expire_all()
    assert counts(db) == before


def test_only_open_major_hazards_can_be_listed(db, client, login_as, major):
    general = major(level="general")
    response = post_listing(client, login_as("regulator"), general)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "hazard", "message": "只有重大隐患可以挂牌督办。"}
    ]
    closed = major(state="closed")
    response = post_listing(client, login_as("regulator"), closed)
    assert response.status_code == 409
    assert response.get_json()["current_state"] == "closed"
    hazard_id = major()
    assert post_listing(client, login_as("regulator"), hazard_id).status_code == 201
    again = post_listing(client, login_as("regulator"), hazard_id)
    assert again.status_code == 409
    assert again.get_json()["detail"] == "该隐患已挂牌督办。"


def test_manual_delisting_is_refused_while_the_hazard_is_open(db, client, login_as, major):
    hazard_id = major()
    listing = post_listing(client, login_as("regulator"), hazard_id).get_json()
    response = client.post(
        f"/api/v1/listings/{listing['id']}/delisting", headers=login_as("regulator")
    )
    assert response.status_code == 409
    assert response.get_json()["detail"] == "隐患尚未销号，不能摘牌。"
    assert db.session.get(SupervisedListing, listing["id"]).state == "listed"


def _signoff(client, headers, hazard_id, action="signoff", **extra):
    return client.post(
        f"/api/v1/hazards/{hazard_id}/transitions",
        json={"action": action, "expected_state": "awaiting_signoff", **extra},
        headers=headers,
    )


def test_signoff_closes_the_major_hazard_and_delists_it(db, client, login_as, major):
    hazard_id = major(state="awaiting_signoff")
    listing = post_listing(client, login_as("regulator"), hazard_id).get_json()
    response = _signoff(client, login_as("regulator"), hazard_id)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"]["code"] == "closed"
    db.session.expire_all()
    row = db.session.get(SupervisedListing, listing["id"])
    assert row.state == "delisted"
    assert row.delisted_at == NOW
    delisted = db.session.scalar(
        select(OutboxEvent).where(OutboxEvent.event_type == "hazard_delisted")
    )
    assert delisted.payload["listing_no"] == listing["listing_no"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delist_hazard"))
    assert entry.change["how"] == "hazard_closed"
    again = client.post(
        f"/api/v1/listings/{listing['id']}/delisting", headers=login_as("regulator")
    )
    assert again.status_code == 409
    assert again.get_json()["detail"] == "该挂牌督办已摘牌。"


def test_signoff_reject_sends_the_hazard_back_with_the_reason(db, client, login_as, major):
    hazard_id = major(state="awaiting_signoff")
    listing = post_listing(client, login_as("regulator"), hazard_id).get_json()
    missing = _signoff(client, login_as("regulator"), hazard_id, action="signoff_reject")
    assert missing.status_code == 422
    assert "reason" in {e["field"] for e in missing.get_json()["errors"]}
    response = _signoff(
        client, login_as("regulator"), hazard_id, action="signoff_reject", reason="检测报警仍未联动"
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"]["code"] == "rectifying"
    db.session.expire_all()
    last = db.session.scalars(
        select(HazardTransition)
        .where(HazardTransition.hazard_id == uuid.UUID(hazard_id))
        .order_by(HazardTransition.id.desc())
    ).first()
    assert last.action == "signoff_reject"
    assert last.evidence == {"reason": "检测报警仍未联动"}
    assert db.session.get(SupervisedListing, listing["id"]).state == "listed"


def test_a_closed_hazard_listed_before_the_hook_can_be_delisted_by_hand(
    db, client, login_as, major
):
    hazard_id = major()
    listing = post_listing(client, login_as("regulator"), hazard_id).get_json()
    # A hazard closed some other way (data fixed by hand) leaves its listing behind.
    hazard = db.session.get(Hazard, uuid.UUID(hazard_id))
    hazard.state = "closed"
    hazard.closed_at = NOW
    db.session.commit()
    response = client.post(
        f"/api/v1/listings/{listing['id']}/delisting", headers=login_as("regulator-admin")
    )
    assert response.status_code == 200
    assert response.get_json()["state"]["code"] == "delisted"
    assert response.get_json()["delisted_by"] == "钱思远"
