"""The inspection sync contract: validation, idempotent replays, missing media, hazards raised."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection, Place
from anxun.inspections.schemas import InspectionSubmitSchema
from anxun.inspections.services import payload_digest
from tests.inspection_helpers import items_of, payload, upload_photo


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


@pytest.fixture
def hc_checklist(client, officer):
    return client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def major_and_general(detail):
    items = items_of(detail["document"])
    major = next(i for i in items if i["major"] and i["answer"]["type"] == "pass_fail_na")
    general = next(i for i in items if not i["major"] and i["answer"]["type"] == "pass_fail_na")
    return major, general


def test_inspection_with_two_failures_raises_two_hazards(client, officer, hc_checklist, db):
    major, general = major_and_general(hc_checklist)
    photos = {
        major["id"]: [upload_photo(client, officer)],
        general["id"]: [upload_photo(client, officer)],
    }
    body = payload(hc_checklist, failures=photos)
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    view = response.get_json()
    total = len(items_of(hc_checklist["document"]))
    assert view["summary"]["fail"] == 2
    assert view["summary"]["pass"] == total - 2
    assert view["summary"]["major_failures"] == [major["id"]]
    levels = {h["item_id"]: h["proposed_level"] for h in view["hazards"]}
    assert levels == {major["id"]: "major", general["id"]: "general"}
    assert view["receipt"]["id"] == body["id"]
    # The answer is a small receipt; the full record, with its answers, is read with GET.
    assert "answers" not in view
    stored = client.get(f"/api/v1/inspections/{body['id']}", headers=officer).get_json()
    assert len(stored["answers"]) == total
    assert {h["id"] for h in stored["hazards"]} == {h["id"] for h in view["hazards"]}
    hazard = db.session.scalar(select(Hazard).where(Hazard.item_id == major["id"]))
    assert hazard.state == "reported"
    assert hazard.basis == major["basis"]
    assert hazard.media_ids == photos[major["id"]]
    assert hazard.source == "self_inspection"
    # People read the basis with document names, without articles that await verification.
    detail = client.get(f"/api/v1/hazards/{hazard.id}", headers=officer).get_json()
    assert [(b["doc"], b["is_clause_pending"]) for b in detail["basis"]] == [
        (ref["doc"], True) for ref in major["basis"]
    ]
    assert detail["basis"][0]["citation"] == (
        "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》（安监总管三〔2017〕121号）"
    )


def test_exact_replay_returns_the_stored_record_and_changes_nothing(
    client, officer, hc_checklist, db
):
    major, _ = major_and_general(hc_checklist)
    body = payload(hc_checklist, failures={major["id"]: [upload_photo(client, officer)]})
    first = client.post("/api/v1/inspections", json=body, headers=officer)
    assert (first.status_code, first.get_json()["replayed"]) == (201, False)
    assert len(first.get_json()["hazards"]) == 1
    counts = (count(db, Inspection), count(db, Hazard), count(db, AuditEntry))
    retry = client.post(
        "/api/v1/inspections",
        json={**body, "sent_at": datetime.now(UTC).isoformat()},
        headers=officer,
    )
    assert (retry.status_code, retry.get_json()["replayed"]) == (200, True)
    assert {**retry.get_json(), "replayed": False} == first.get_json()
    assert (count(db, Inspection), count(db, Hazard), count(db, AuditEntry)) == counts


def test_same_id_with_other_content_is_a_conflict(client, officer, hc_checklist, db):
    body = payload(hc_checklist)
    assert client.post("/api/v1/inspections", json=body, headers=officer).status_code == 201
    changed = {**body, "device_id": "another-phone"}
    response = client.post("/api/v1/inspections", json=changed, headers=officer)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert count(db, Inspection) == 1


def test_missing_media_is_409_listing_ids_then_succeeds_after_upload(
    client, officer, hc_checklist, db
):
    major, _ = major_and_general(hc_checklist)
    photo_id = str(uuid.uuid4())
    body = payload(hc_checklist, failures={major["id"]: [photo_id]})
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["type"] == "/problems/missing-media"
    assert problem["missing_media"] == [photo_id]
    assert count(db, Inspection) == 0 and count(db, Hazard) == 0
    upload_photo(client, officer, media_id=photo_id)
    assert client.post("/api/v1/inspections", json=body, headers=officer).status_code == 201


def test_out_of_limit_reading_fails_by_itself(client, officer, hc_checklist, db):
    number = next(
        i
        for i in items_of(hc_checklist["document"])
        if i["answer"]["type"] == "number" and i["answer"].get("max") is not None
    )
    body = payload(hc_checklist)
    for answer in body["answers"]:
        if answer["item_id"] == number["id"]:
            answer.update(value=number["answer"]["max"] + 0.5, result="pass")
    refused = client.post("/api/v1/inspections", json=body, headers=officer)
    assert refused.status_code == 422  # it fails, and a failed item needs its photo
    index = next(n for n, a in enumerate(body["answers"]) if a["item_id"] == number["id"])
    assert refused.get_json()["errors"] == [
        {"field": f"answers[{number['id']}].media_ids", "message": "不合格项须拍照留证。"}
    ]
    body["answers"][index]["media_ids"] = [upload_photo(client, officer)]
    accepted = client.post("/api/v1/inspections", json=body, headers=officer)
    assert accepted.status_code == 201
    assert accepted.get_json()["summary"]["fail"] == 1
    stored = db.session.get(Inspection, uuid.UUID(body["id"]))
    answer = next(a for a in stored.answers if a.item_id == number["id"])
    assert (answer.entered_result, answer.result) == ("pass", "fail")


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (lambda b: b["answers"].pop(), "answers", "还有 1 项未作答"),
        (
            lambda b: b["answers"].append({"item_id": "NOPE-1", "result": "pass"}),
            "answers[NOPE-1].item_id",
            "本次检查不包含检查项 NOPE-1。",
        ),
        (
            lambda b: b.update(checklist_version="0" * 64),
            "checklist_version",
            "未知的检查表版本。",
        ),
        (
            lambda b: b.update(finished_at="2026-11-25T00:00:00+00:00"),
            "finished_at",
            "完成时间不能早于开始时间。",
        ),
        (lambda b: b.update(started_at="2026-11-25T01:00:00"), "started_at", "日期时间须带时区。"),
    ],
)
def test_bad_submissions_are_422_with_field_messages_and_write_nothing(
    client, officer, hc_checklist, db, mutate, field, message
):
    body = payload(hc_checklist)
    mutate(body)
    audit_before = count(db, AuditEntry)
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    expected_field = field.format(last=len(body["answers"]) - 1)
    assert any(e["field"] == expected_field and message in e["message"] for e in errors), errors
    assert count(db, Inspection) == 0
    assert count(db, AuditEntry) == audit_before


def test_an_answer_under_a_wrong_item_id_is_exactly_one_error_naming_it(
    client, officer, hc_checklist, db
):
    body = payload(hc_checklist)
    intended = body["answers"][3]["item_id"]
    body["answers"][3]["item_id"] = "HC-TYPO-01"
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "answers[HC-TYPO-01].item_id", "message": "本次检查不包含检查项 HC-TYPO-01。"}
    ]
    body["answers"][3]["item_id"] = intended
    body["answers"].pop(5)
    missing = client.post("/api/v1/inspections", json=body, headers=officer)
    assert [e["field"] for e in missing.get_json()["errors"]] == ["answers"]
    assert count(db, Inspection) == 0


def test_schema_errors_in_answers_name_the_item_not_its_position(client, officer, hc_checklist):
    body = payload(hc_checklist)
    first, second = body["answers"][0]["item_id"], body["answers"][7]["item_id"]
    body["answers"][0]["result"] = "maybe"
    body["answers"][7]["media_ids"] = ["not-a-uuid"]
    del body["answers"][9]["item_id"]
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.get_json()["errors"]) == sorted(
        [f"answers[{first}].result", f"answers[{second}].media_ids.0", "answers.9.item_id"]
    )


def test_profile_submission_answers_only_the_profile(client, officer, hc_checklist):
    profile = next(p for p in hc_checklist["document"]["profiles"] if p["code"] == "small_micro")
    body = payload(hc_checklist, items=profile["items"], profile="small_micro")
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["summary"]["pass"] == len(profile["items"])


def test_plausibility_flags_fast_far_and_skewed_submissions(
    client, officer, hc_checklist, db, world
):
    place = Place(
        enterprise_id=world["enterprise"]["hc"],
        name="罐区A",
        kind="area",
        latitude=29.9821,
        longitude=121.6412,
        qr_token="TESTPLC1",
    )
    db.session.add(place)
    db.session.commit()
    finished = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    body = payload(
        hc_checklist,
        place_id=place.id,
        started_at=(finished - timedelta(seconds=30)).isoformat(),
        finished_at=finished.isoformat(),
        gps={"lat": 29.9921, "lon": 121.6412, "accuracy": 15},
        sent_at=(datetime.now(UTC) - timedelta(hours=2)).isoformat(),
    )
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    codes = {f["code"] for f in response.get_json()["flags"]}
    assert codes == {"too_fast", "gps_far", "clock_skew"}
    far = next(f for f in response.get_json()["flags"] if f["code"] == "gps_far")
    assert 1100 < far["metres"] < 1125  # 0.01° of latitude ≈ 1112 m


def test_a_correction_references_the_original_without_duplicating_hazards(
    client, officer, hc_checklist, db
):
    major, general = major_and_general(hc_checklist)
    original = payload(hc_checklist, failures={major["id"]: [upload_photo(client, officer)]})
    assert client.post("/api/v1/inspections", json=original, headers=officer).status_code == 201
    photos = {
        major["id"]: [upload_photo(client, officer)],
        general["id"]: [upload_photo(client, officer)],
    }
    correction = payload(hc_checklist, failures=photos, corrects_id=original["id"])
    response = client.post("/api/v1/inspections", json=correction, headers=officer)
    assert response.status_code == 201
    stored_correction = client.get(
        f"/api/v1/inspections/{correction['id']}", headers=officer
    ).get_json()
    assert stored_correction["corrects_id"] == original["id"]
    assert [h["item_id"] for h in response.get_json()["hazards"]] == [general["id"]]
    assert count(db, Hazard) == 2
    stored = client.get(f"/api/v1/inspections/{original['id']}", headers=officer).get_json()
    assert stored["summary"]["fail"] == 1  # the original is unchanged


def test_who_may_submit_and_read(client, login_as, hc_checklist, world):
    body = payload(hc_checklist, enterprise_id=world["enterprise"]["hc"])
    assert (
        client.post("/api/v1/inspections", json=body, headers=login_as("regulator")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/inspections", json=body, headers=login_as("auditor")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/inspections", json=body, headers=login_as("head-con")).status_code
        == 404
    )
    created = client.post("/api/v1/inspections", json=body, headers=login_as("rectifier-hc"))
    assert created.status_code == 201
    url = f"/api/v1/inspections/{body['id']}"
    assert client.get(url, headers=login_as("regulator")).status_code == 200
    assert client.get(url, headers=login_as("auditor")).status_code == 200
    assert client.get(url, headers=login_as("head-con")).status_code == 404
    listed = client.get("/api/v1/inspections", headers=login_as("head-con")).get_json()
    assert listed["items"] == []


def test_failed_control_measure_check_raises_the_units_risk_until_closed(
    client, login_as, db, world
):
    """Issue 6: a failed check of a control measure raises a hazard linked to the measure and its
    unit; the unit's effective level is raised while the hazard is open."""
    from anxun.risk.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit
    from anxun.risk.registry.queries import unit_levels

    hc = world["enterprise"]["hc"]
    head = login_as("head-hc")
    obj = RiskObject(enterprise_id=hc, name="液氨罐区")
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(
        enterprise_id=hc, risk_object_id=obj.id, name="1#液氨储罐", department="储运车间"
    )
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(enterprise_id=hc, risk_unit_id=unit.id, name="储罐泄漏中毒")
    db.session.add(event)
    db.session.flush()
    db.session.add(
        RiskAssessment(
            enterprise_id=hc,
            risk_event_id=event.id,
            method="LS",
            factors={"L": 3, "S": 4},
            band_table_code="default-LS",
            band_table_version="1",
            score=12,
            level="yellow",
            control_level="workshop",
            assessor_user_id=world["users"]["head-hc"],
            assessed_on=datetime(2026, 11, 1).date(),
        )
    )
    measure = ControlMeasure(
        enterprise_id=hc,
        risk_event_id=event.id,
        description="设置有毒气体检测报警仪",
        classify1="engineering",
        classify2="1-4",
        check_content="报警仪完好且在检定期内",
    )
    db.session.add(measure)
    db.session.commit()
    published = client.post(
        f"/api/v1/enterprises/{hc}/risk-register/publish-checklist", headers=head
    )
    assert published.status_code in (200, 201), published.get_json()
    detail = client.get("/api/v1/checklists/risk-controls", headers=head).get_json()
    item_id = f"CM-{measure.id}"
    body = payload(detail, failures={item_id: [upload_photo(client, head)]})
    response = client.post("/api/v1/inspections", json=body, headers=head)
    assert response.status_code == 201, response.get_json()
    hazard = db.session.scalar(select(Hazard).where(Hazard.item_id == item_id))
    assert (hazard.control_measure_id, hazard.risk_unit_id) == (measure.id, unit.id)
    levels = unit_levels(hc)[unit.id]
    assert (levels["assessed"], levels["effective"], levels["raised"]) == ("yellow", "orange", True)
    hazard.state = "rejected"
    db.session.commit()
    assert unit_levels(hc)[unit.id]["effective"] == "yellow"


def test_list_pages_newest_first_with_a_cursor(client, officer, hc_checklist, frozen_clock):
    ids = []
    for minute in range(3):
        frozen_clock(datetime(2026, 11, 25, 3, minute, tzinfo=UTC))
        body = payload(hc_checklist)
        assert client.post("/api/v1/inspections", json=body, headers=officer).status_code == 201
        ids.append(body["id"])
    first = client.get("/api/v1/inspections?limit=2", headers=officer).get_json()
    rest = client.get(
        f"/api/v1/inspections?limit=2&cursor={first['next_cursor']}", headers=officer
    ).get_json()
    assert [i["id"] for i in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None
    assert "answers" not in first["items"][0]


def test_scanning_a_place_shows_its_effective_risk_level(client, login_as, db, world):
    from anxun.risk.models import RiskAssessment, RiskEvent, RiskObject, RiskUnit

    hc = world["enterprise"]["hc"]
    place = Place(enterprise_id=hc, name="液氨罐区", kind="area", qr_token="RISKPLC1")
    db.session.add(place)
    db.session.flush()
    obj = RiskObject(enterprise_id=hc, name="罐区")
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(enterprise_id=hc, risk_object_id=obj.id, name="1#储罐", place_id=place.id)
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(enterprise_id=hc, risk_unit_id=unit.id, name="泄漏")
    db.session.add(event)
    db.session.flush()
    db.session.add(
        RiskAssessment(
            enterprise_id=hc,
            risk_event_id=event.id,
            method="LS",
            factors={"L": 3, "S": 3},
            band_table_code="default-LS",
            band_table_version="1",
            score=9,
            level="yellow",
            control_level="workshop",
            assessor_user_id=world["users"]["head-hc"],
            assessed_on=datetime(2026, 11, 1).date(),
        )
    )
    db.session.commit()
    officer = login_as("officer-hc")
    looked_up = client.get("/api/v1/places/by-token/RISKPLC1", headers=officer).get_json()
    assert looked_up["risk"] == {"level": {"code": "yellow", "label": "一般风险"}, "raised": False}
    db.session.add(
        Hazard(
            id=uuid.uuid4(),
            enterprise_id=hc,
            source="direct",
            title="储罐阀门渗漏",
            proposed_level="general",
            state="reported",
            risk_unit_id=unit.id,
            reported_by_user_id=world["users"]["officer-hc"],
        )
    )
    db.session.commit()
    raised = client.get("/api/v1/places/by-token/RISKPLC1", headers=officer).get_json()["risk"]
    assert (raised["level"]["code"], raised["raised"]) == ("orange", True)


# A submission as a phone sends it, fixed so its digest can be pinned.
PINNED_SUBMISSION = {
    "id": "5b0c3a52-6f1e-4d8e-9a51-3f5c2f0e7a11",
    "checklist_code": "hazardous-chemicals",
    "checklist_version": "a" * 64,
    "started_at": "2026-11-25T01:00:00+00:00",
    "finished_at": "2026-11-25T01:20:00+00:00",
    "device_id": "dev-1",
    "answers": [
        {"item_id": "HC-01A", "result": "pass", "value": 12},
        {
            "item_id": "HC-MAJ-01",
            "result": "fail",
            "note": "证书过期",
            "media_ids": ["0f6b7a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"],
        },
    ],
}
# payload_digest of PINNED_SUBMISSION as the server computed it while the request field was still
# `answers[].media`: a record sent then and retried now must be recognised as a replay.
DIGEST_BEFORE_RENAME = "532aca894cdd657683395638a9c4934fe1cd80b94107fd6631220664a1f323e4"


def test_the_replay_digest_did_not_change_when_answers_media_became_media_ids():
    loaded = InspectionSubmitSchema().load(PINNED_SUBMISSION)
    assert payload_digest(loaded) == DIGEST_BEFORE_RENAME


def test_the_stored_digest_is_over_the_loaded_answers_so_a_sync_retry_replays(
    client, officer, hc_checklist, db
):
    major, _ = major_and_general(hc_checklist)
    body = payload(hc_checklist, failures={major["id"]: [upload_photo(client, officer)]})
    first = client.post("/api/v1/inspections", json=body, headers=officer)
    assert first.status_code == 201
    # The stored digest is what the old schema loaded: the photos under the internal key `media`.
    stored = db.session.get(Inspection, uuid.UUID(body["id"]))
    loaded = InspectionSubmitSchema().load(body)
    assert all("media" in a and "media_ids" not in a for a in loaded["answers"])
    assert stored.payload_digest == payload_digest(loaded)
    retry = client.post(
        "/api/v1/sync",
        json={"items": [{"kind": "inspection", "id": body["id"], "body": body}]},
        headers=officer,
    )
    [result] = retry.get_json()["results"]
    assert (result["status"], result["replayed"]) == (200, True)
