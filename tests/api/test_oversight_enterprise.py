"""HTTP: the regulator's enterprise drill-down — header numbers, inspection feed, scoping."""

from datetime import UTC, date, datetime

import pytest

from tests import factories_documents as f


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def summary_url(world, key="hc"):
    return f"/api/v1/oversight/enterprises/{world['enterprise'][key]}"


def inspections_url(world, key="hc", **query):
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{summary_url(world, key)}/inspections" + (f"?{qs}" if qs else "")


@pytest.fixture
def hc_data(app, db, world, frozen_clock, tmp_path):
    """hc seen on 25 Nov 2026, 12:00 Beijing.

    Inspections: A (1 Nov, too fast, one failed item with a photo, raised hazard O),
    B (20 Nov, clean, at 罐区), C (10 Oct: older than 30 days). One dust inspection.
    Hazards: O general, rectifying, deadline 20 Nov: open and overdue.
    M major (confirmed), rectifying, deadline 31 Dec: open, major.
    U reported, proposed major but not confirmed: open, not counted as major.
    X closed in November. One dust hazard (another enterprise).
    """
    frozen_clock(utc(2026, 11, 25, 4, 0))
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    hc, users = world["enterprise"]["hc"], world["users"]
    officer, rectifier = users["officer-hc"], users["rectifier-hc"]
    version = f.hazchem_version()
    photo = f.make_media(hc, officer, tmp_path / "media")
    place = f.make_place(hc, "罐区 T-101 储罐")
    too_fast = {"code": "too_fast", "message": "用时 20 秒完成 2 项检查，少于合理最短用时 6 秒。"}
    a = f.make_inspection(
        hc,
        officer,
        version,
        [
            {"item_id": "HC-MAJ-01", "result": "pass"},
            {"item_id": "HC-MAJ-02", "result": "fail", "note": "证件过期", "media_ids": [photo.id]},
            {"item_id": "HC-MAJ-03", "result": "na"},
        ],
        finished_at=utc(2026, 11, 1, 2, 0),
        flags=[{**too_fast, "seconds": 20}],
    )
    b = f.make_inspection(
        hc,
        officer,
        version,
        [{"item_id": "HC-MAJ-01", "result": "pass"}],
        finished_at=utc(2026, 11, 20, 2, 0),
        place_id=place.id,
        inspection_type="weekly",
    )
    c = f.make_inspection(
        hc,
        officer,
        version,
        [{"item_id": "HC-MAJ-01", "result": "pass"}],
        finished_at=utc(2026, 10, 10, 2, 0),
    )
    f.make_inspection(
        world["enterprise"]["dust"],
        users["officer-dust"],
        version,
        [{"item_id": "HC-MAJ-01", "result": "pass"}],
        finished_at=utc(2026, 11, 24, 2, 0),
    )
    hazards = {
        "O": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 11, 1, 2, 1),
            inspection_id=a.id,
            source="self_inspection",
            title="O 特种作业人员证件过期",
            steps=[
                (utc(2026, 11, 1, 3, 0), "confirm", "confirmed"),
                (utc(2026, 11, 2, 3, 0), "plan", "rectifying"),
            ],
            **f.general_plan(rectifier, date(2026, 11, 20)),
        ),
        "M": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 11, 3, 2, 0),
            title="M 重大危险源未设置独立安全仪表系统",
            proposed_level="major",
            steps=[
                (utc(2026, 11, 4, 2, 0), "confirm", "confirmed"),
                (utc(2026, 11, 5, 2, 0), "submit_plan", "confirmed"),
                (utc(2026, 11, 6, 2, 0), "approve_plan", "rectifying"),
            ],
            **f.general_plan(rectifier, date(2026, 12, 31), funds="100000.00", level="major"),
        ),
        "U": f.make_hazard(
            hc, officer, reported_at=utc(2026, 11, 24, 2, 0), proposed_level="major"
        ),
        "X": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 11, 6, 2, 0),
            steps=[
                (utc(2026, 11, 6, 3, 0), "confirm", "confirmed"),
                (utc(2026, 11, 7, 2, 0), "plan", "rectifying"),
                (utc(2026, 11, 8, 2, 0), "submit_rectification", "pending_verification"),
                (utc(2026, 11, 9, 2, 0), "verify_pass", "closed"),
            ],
            **f.general_plan(rectifier, date(2026, 11, 30)),
        ),
        "dust": f.make_hazard(
            world["enterprise"]["dust"], users["officer-dust"], reported_at=utc(2026, 11, 1, 2, 0)
        ),
    }
    db.session.commit()
    return {"inspections": {"A": a, "B": b, "C": c}, "hazards": hazards, "photo": photo}


def test_summary_numbers_match_the_data(client, world, login_as, hc_data):
    response = client.get(summary_url(world), headers=login_as("regulator"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["name"] == "宁波澄江化工有限公司"
    assert body["id"] == world["enterprise"]["hc"]
    assert {"code": "hazardous_chemicals", "label": "危险化学品"} in body["industries"]
    assert body["hazards"] == {"total": 4, "open": 3, "overdue": 1, "major_open": 1}
    assert body["inspections"] == {
        "total": 3,
        "recent": 2,
        "recent_days": 30,
        "flagged": 1,
        "last_finished_at": "2026-11-20T02:00:00+00:00",
    }


def test_summary_grade_is_the_grade_explanation(client, world, login_as, hc_data):
    headers = login_as("regulator")
    body = client.get(summary_url(world), headers=headers).get_json()
    grade = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/grade", headers=headers
    ).get_json()
    assert body["grade"]["colour"] == grade["colour"]
    assert body["grade"]["score"] == grade["score"]
    assert body["grade"]["components"] == grade["components"]
    assert body["grade"]["inputs"]["open_major_hazards"] == body["hazards"]["major_open"] == 1
    assert body["grade"]["inputs"]["overdue_hazards"] == body["hazards"]["overdue"] == 1


def test_head_phone_is_shown_to_regulators_not_to_auditors(client, world, login_as, hc_data):
    regulator = client.get(summary_url(world), headers=login_as("regulator")).get_json()
    auditor = client.get(summary_url(world), headers=login_as("auditor"))
    assert auditor.status_code == 200
    assert regulator["head_name"] == auditor.get_json()["head_name"]
    assert regulator["head_phone"]
    assert auditor.get_json()["head_phone"] is None


@pytest.mark.parametrize(
    ("username", "status"),
    [("regulator-con", 404), ("head-con", 404), ("head-hc", 403), ("officer-hc", 403)],
)
def test_summary_is_scoped(client, world, login_as, hc_data, username, status):
    for url in (summary_url(world), inspections_url(world)):
        response = client.get(url, headers=login_as(username))
        assert response.status_code == status, response.get_json()
        assert response.content_type == "application/problem+json"


def test_unknown_enterprise_is_404(client, world, login_as):
    response = client.get("/api/v1/oversight/enterprises/999999", headers=login_as("regulator"))
    assert response.status_code == 404
    assert response.get_json()["type"] == "/problems/not-found"


def test_inspections_newest_first_with_details(client, world, login_as, hc_data):
    response = client.get(inspections_url(world), headers=login_as("regulator"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    made = hc_data["inspections"]
    assert [i["id"] for i in body["items"]] == [str(made[k].id) for k in ("B", "A", "C")]
    assert body["next_cursor"] is None
    newest, flagged = body["items"][0], body["items"][1]
    assert newest["place"]["name"] == "罐区 T-101 储罐"
    assert newest["inspection_type"] == {"code": "weekly", "label": "周排查"}
    assert newest["flags"] == [] and newest["media_ids"] == []
    assert flagged["inspector_name"] == "陈海波"
    assert flagged["source"] == {"code": "self_inspection", "label": "企业自查"}
    assert flagged["results"] == {"answered": 3, "pass": 1, "fail": 1, "na": 1}
    assert flagged["flags"] == [
        {"code": "too_fast", "message": "用时 20 秒完成 2 项检查，少于合理最短用时 6 秒。"}
    ]
    assert flagged["media_ids"] == [str(hc_data["photo"].id)]
    # The item's wording travels with its code, so the desk never shows "HC-MAJ-02" alone.
    assert flagged["failed_items"] == [
        {
            "item_id": "HC-MAJ-02",
            "item_text": "特种作业人员（危险化工工艺、化工自动化控制仪表、电工、焊工等）"
            "经专门培训取得相应资格后上岗，证件在复审期内",
            "note": "证件过期",
            "media_ids": [str(hc_data["photo"].id)],
        }
    ]
    assert flagged["hazard_count"] == 1


def test_inspection_photos_load_as_thumbnails(client, world, login_as, hc_data):
    headers = login_as("regulator")
    item = client.get(inspections_url(world), headers=headers).get_json()["items"][1]
    thumb = client.get(f"/api/v1/media/{item['media_ids'][0]}/thumb", headers=headers)
    assert thumb.status_code == 200
    assert thumb.content_type == "image/jpeg"
    assert thumb.data[:2] == b"\xff\xd8"


def test_inspections_page_with_a_cursor(client, world, login_as, hc_data):
    headers = login_as("regulator")
    first = client.get(inspections_url(world, limit=2), headers=headers).get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(
        inspections_url(world, limit=2, cursor=first["next_cursor"]), headers=headers
    ).get_json()
    assert [i["id"] for i in second["items"]] == [str(hc_data["inspections"]["C"].id)]
    assert second["next_cursor"] is None


def test_bad_paging_arguments_are_422(client, world, login_as, hc_data):
    headers = login_as("regulator")
    response = client.get(inspections_url(world, limit=0), headers=headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["limit"]
    response = client.get(inspections_url(world, cursor="not-a-cursor"), headers=headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["cursor"]


def test_an_empty_enterprise_has_zero_counts(client, world, login_as):
    body = client.get(summary_url(world), headers=login_as("regulator")).get_json()
    assert body["hazards"] == {"total": 0, "open": 0, "overdue": 0, "major_open": 0}
    assert body["inspections"]["total"] == 0
    assert body["inspections"]["last_finished_at"] is None
    page = client.get(inspections_url(world), headers=login_as("regulator")).get_json()
    assert page == {"items": [], "next_cursor": None}
