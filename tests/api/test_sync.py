"""POST /api/v1/sync: a phone's outbox in one request, each item with its own result (#18)."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from anxun.core import clock
from anxun.hazards.models import Hazard, HazardTransition
from anxun.inspections.models import Inspection
from tests.inspection_helpers import items_of, payload, upload_photo


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


@pytest.fixture
def checklist(client, officer):
    return client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_each_item_gets_its_own_result_and_one_refusal_rejects_nothing_else(
    client, db, officer, checklist, world
):
    item = next(i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na")
    failed = payload(checklist, failures={item["id"]: [upload_photo(client, officer)]})
    incomplete = payload(checklist)
    incomplete["answers"] = incomplete["answers"][:3]
    unknown_photo = str(uuid.uuid4())
    missing_media = payload(checklist, failures={item["id"]: [unknown_photo]})
    reported = client.post(
        "/api/v1/hazards",
        json={
            "enterprise_id": world["enterprise"]["hc"],
            "title": "储罐区防护罩破损",
            "media_ids": [upload_photo(client, officer)],
        },
        headers=officer,
    ).get_json()
    step = {
        "action": "confirm",
        "expected_state": "reported",
        "client_id": str(uuid.uuid4()),
        "level": "general",
        "category": "thing",
        "deadline": (clock.today_local() + timedelta(days=7)).isoformat(),
    }
    batch = {
        "items": [
            {"kind": "inspection", "id": "a", "body": failed},
            {"kind": "inspection", "id": "b", "body": incomplete},
            {"kind": "inspection", "id": "c", "body": missing_media},
            {"kind": "transition", "id": "d", "hazard_id": reported["id"], "body": step},
            {"kind": "transition", "id": "e", "hazard_id": str(uuid.uuid4()), "body": step},
        ]
    }
    response = client.post("/api/v1/sync", json=batch, headers=officer)
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert [(r["index"], r["id"], r["status"]) for r in results] == [
        (0, "a", 201),
        (1, "b", 422),
        (2, "c", 409),
        (3, "d", 200),
        (4, "e", 404),
    ]
    assert results[0]["body"]["id"] == failed["id"]
    assert [h["item_id"] for h in results[0]["body"]["hazards"]] == [item["id"]]
    assert results[1]["problem"]["type"] == "/problems/validation"
    assert results[1]["problem"]["errors"][0]["field"] == "answers"
    assert results[2]["problem"]["missing_media"] == [unknown_photo]
    assert results[3]["body"]["state"]["code"] == "confirmed"
    # First writes and refusals are no replays.
    assert [r["replayed"] for r in results] == [False] * 5
    assert (results[0]["body"]["replayed"], results[3]["body"]["replayed"]) == (False, False)
    # Only the accepted items were stored; the refused ones wrote nothing.
    assert count(db, Inspection) == 1
    assert count(db, Hazard, Hazard.inspection_id == uuid.UUID(failed["id"])) == 1

    # The phone retries the whole batch (its answer was lost): stored items answer as replays.
    again = client.post("/api/v1/sync", json=batch, headers=officer).get_json()["results"]
    assert [r["status"] for r in again] == [200, 422, 409, 200, 404]
    assert [r["replayed"] for r in again] == [True, False, False, True, False]
    assert again[0]["body"] == {**results[0]["body"], "replayed": True}
    assert again[3]["body"]["state"]["code"] == "confirmed"
    assert again[3]["body"]["replayed"] is True
    assert count(db, Inspection) == 1
    assert count(db, HazardTransition, HazardTransition.action == "confirm") == 1
    # The receipt in a batch is the one POST /inspections answers.
    single = client.post("/api/v1/inspections", json=failed, headers=officer)
    assert (single.status_code, single.get_json()) == (200, again[0]["body"])


def test_a_malformed_batch_is_refused_whole(client, officer, checklist):
    too_many = {"items": [{"kind": "inspection", "body": payload(checklist)}] * 51}
    response = client.post("/api/v1/sync", json=too_many, headers=officer)
    assert response.status_code == 422
    unknown = {"items": [{"kind": "photo", "body": {}}]}
    response = client.post("/api/v1/sync", json=unknown, headers=officer)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "items.0.kind"
    assert client.post("/api/v1/sync", json={"items": []}).status_code == 401


@pytest.mark.parametrize(
    ("username", "inspection_status"),
    [("head-con", 404), ("regulator", 403), ("auditor", 403), ("rectifier-hc", 201)],
)
def test_items_are_scoped_like_their_single_endpoints(
    client, db, login_as, officer, checklist, world, username, inspection_status
):
    """Another enterprise's staff, a regulator or an auditor cannot write through the batch what
    the single endpoints refuse them; nothing of a refused item is stored."""
    reported = client.post(
        "/api/v1/hazards",
        json={
            "enterprise_id": world["enterprise"]["hc"],
            "title": "储罐区防护罩破损",
            "media_ids": [upload_photo(client, officer)],
        },
        headers=officer,
    ).get_json()
    body = payload(checklist, enterprise_id=world["enterprise"]["hc"])
    step = {
        "action": "confirm",
        "expected_state": "reported",
        "client_id": str(uuid.uuid4()),
        "level": "general",
        "category": "thing",
        "deadline": (clock.today_local() + timedelta(days=7)).isoformat(),
    }
    headers = login_as(username)
    single = client.post(
        "/api/v1/inspections",
        json=payload(checklist, enterprise_id=world["enterprise"]["hc"]),
        headers=headers,
    ).status_code
    stored_before = count(db, Inspection)
    batch = {
        "items": [
            {"kind": "inspection", "id": "a", "body": body},
            {"kind": "transition", "id": "b", "hazard_id": reported["id"], "body": step},
        ]
    }
    response = client.post("/api/v1/sync", json=batch, headers=headers)
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert results[0]["status"] == inspection_status == (201 if single in (200, 201) else single)
    if inspection_status != 201:
        assert count(db, Inspection) == stored_before == 0
        # The hazard step is refused too (a rectifier may not confirm either): state unchanged.
        assert results[1]["status"] in (403, 404)
        assert db.session.get(Hazard, uuid.UUID(reported["id"])).state == "reported"


def test_a_refused_answer_in_a_batch_is_named_by_its_check_item(client, officer, checklist):
    body = payload(checklist)
    body["answers"][2]["result"] = "maybe"
    batch = {"items": [{"kind": "inspection", "id": "a", "body": body}]}
    [result] = client.post("/api/v1/sync", json=batch, headers=officer).get_json()["results"]
    assert result["status"] == 422
    assert [e["field"] for e in result["problem"]["errors"]] == [
        f"answers[{body['answers'][2]['item_id']}].result"
    ]


def test_a_copy_refused_after_its_row_was_written_is_refused_again_in_the_same_batch(
    client, db, officer, checklist, monkeypatch
):
    """The inspection's row goes in (a Core INSERT, the object then joined to the session as if
    loaded) before the other domains react; when one of them refuses, the item's rollback removes
    the row and the object, and a second copy in the same batch meets the same refusal (not a
    stale record, not a 500)."""
    from anxun.core import events
    from anxun.core.errors import Conflict

    def refuse(event):
        raise Conflict("处理被拒绝。")

    monkeypatch.setattr(events, "publish", refuse)
    body = payload(checklist)
    item = {"kind": "inspection", "id": body["id"], "body": body}
    answer = client.post("/api/v1/sync", json={"items": [item, item]}, headers=officer)
    assert answer.status_code == 200, answer.get_json()
    results = answer.get_json()["results"]
    assert [r["status"] for r in results] == [409, 409]
    assert count(db, Inspection, Inspection.id == uuid.UUID(body["id"])) == 0
