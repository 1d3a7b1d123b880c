"""The examples of the OpenAPI document (anxun/core/api_examples.py) are true: each one is valid
against its own schema, and each request example, sent to the seeded world, is accepted with an
answer that matches the documented response schema.

A few example values name rows of one particular database; `real` lists them and the test sends
the world's own values in their place (by field name and example value): the checklist version
hash, the two tasks and their places, the place of the direct report, the rectifier's user id, the
demo password and the photo's SHA-256. Everything else, client UUIDs included, is sent as written.
The clock is frozen on the examples' morning, so their times and deadlines hold as written.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.converter import to_json_schema

from anxun.core import api_examples as ex
from tests.conftest import DEMO_PASSWORD
from tests.inspection_helpers import jpeg_bytes, upload_photo

METHODS = ("get", "post", "put", "patch", "delete")
EXAMPLES_MORNING = datetime(2026, 11, 25, 3, 10, tzinfo=UTC)  # 11:10 in China
PLAN_ITEMS = ["HC-MAJ-01", "HC-MAJ-02", "HC-01A", "HC-MAJ-03"]


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def validator(spec: dict, schema: dict, *, response: bool):
    """A JSON Schema validator for an OpenAPI 3.0 schema of this document (nullable, $refs)."""

    def convert(node):
        return to_json_schema(node, "nullable", is_response_schema=response)

    components = {name: convert(s) for name, s in spec["components"]["schemas"].items()}
    root = {**convert(schema), "components": {"schemas": components}}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def errors_of(spec, schema, value, *, response: bool) -> list[str]:
    checker = validator(spec, schema, response=response)
    return [f"{e.instance_path}: {e.message}" for e in checker.iter_errors(value)]


def documented_examples(spec):
    """(where, schema, value, is_response) of every example in the document."""

    def of(media, where):
        if "example" in media:
            yield where, media["schema"], media["example"]
        for name, named in (media.get("examples") or {}).items():
            yield f"{where} {name}", media["schema"], named["value"]

    responses = spec["components"].get("responses", {})
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            for kind, media in (operation.get("requestBody") or {}).get("content", {}).items():
                for where, schema, value in of(media, f"{method} {path} request {kind}"):
                    yield where, schema, value, False
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = responses[response["$ref"].rsplit("/", 1)[1]]
                for kind, media in response.get("content", {}).items():
                    for where, schema, value in of(media, f"{method} {path} {status} {kind}"):
                        yield where, schema, value, True


def test_the_main_write_operations_have_examples(spec):
    wanted = {(m, p) for m, p in ex.EXAMPLES}
    found = {
        (where.split()[0], where.split()[1])
        for where, _schema, _value, is_response in documented_examples(spec)
        if not is_response
    }
    assert wanted <= found
    transitions = spec["paths"]["/api/v1/hazards/{hazard_id}/transitions"]["post"]
    named = transitions["requestBody"]["content"]["application/json"]["examples"]
    assert {"confirm", "plan", "submit_rectification", "verify_pass"} <= set(named)
    problem = spec["paths"]["/api/v1/inspections"]["post"]["responses"]["422"]
    assert problem["content"]["application/problem+json"]["example"] == ex.VALIDATION_PROBLEM


def test_every_example_in_the_document_is_valid_against_its_own_schema(spec):
    wrong = []
    for where, schema, value, is_response in documented_examples(spec):
        wrong += [f"{where} {e}" for e in errors_of(spec, schema, value, response=is_response)]
    assert wrong == []


def real(value, values: dict):
    """The example with the world's own values for those naming rows of one database:
    `values` maps (field name, example value) to the value to send."""
    if isinstance(value, dict):
        return {key: _swapped(key, inner, values) for key, inner in value.items()}
    if isinstance(value, list):
        return [real(inner, values) for inner in value]
    return value


def _swapped(key, value, values: dict):
    try:
        return values[(key, value)]
    except (KeyError, TypeError):  # not listed, or a list or an object
        return real(value, values)


def request_example(spec, method, path, name=None, content_type="application/json"):
    media = spec["paths"][path][method]["requestBody"]["content"][content_type]
    return media["examples"][name]["value"] if name else media["example"]


def shape_differences(example, answer, where="") -> list[str]:
    """Where the example's fields differ from the real answer's (lists entry by entry, or by their
    first entries when their lengths differ):
    an example shows every field the answer has, and no other."""
    if isinstance(example, dict) and isinstance(answer, dict):
        found = [f"{where}.{k} only in the example" for k in example.keys() - answer.keys()]
        found += [f"{where}.{k} missing from the example" for k in answer.keys() - example.keys()]
        for key in example.keys() & answer.keys():
            found += shape_differences(example[key], answer[key], f"{where}.{key}")
        return found
    if isinstance(example, list) and isinstance(answer, list) and example and answer:
        pairs = (
            zip(example, answer, strict=False)
            if len(example) == len(answer)
            else [(example[0], answer[0])]
        )
        return [
            d for i, (e, a) in enumerate(pairs) for d in shape_differences(e, a, f"{where}[{i}]")
        ]
    return []


def check_answer(spec, method, path, response, statuses=(200, 201)):
    """The answer is a success, valid against its documented schema, and shaped like the
    documented example of its status."""
    assert response.status_code in statuses, response.get_json()
    documented = spec["paths"][path][method]["responses"][str(response.status_code)]
    media = documented["content"]["application/json"]
    assert errors_of(spec, media["schema"], response.get_json(), response=True) == []
    if "example" in media:
        assert shape_differences(media["example"], response.get_json()) == []
    return response.get_json()


def two_tasks_and_a_place(client, officer, enterprise_id) -> dict:
    """Two places on a daily plan of the examples' four items, and a third place: the world's
    values for the examples' tasks and places."""
    places = []
    for name in ("罐区 T-101 储罐", "罐区 T-102 储罐", "甲类仓库"):
        response = client.post(
            f"/api/v1/enterprises/{enterprise_id}/places",
            json={"name": name, "kind": "area"},
            headers=officer,
        )
        assert response.status_code == 201, response.get_json()
        places.append(response.get_json()["id"])
    me = client.get("/api/v1/me", headers=officer).get_json()
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/plans",
        json={
            "title": "罐区日常巡检",
            "checklist_code": "hazardous-chemicals",
            "item_ids": PLAN_ITEMS,
            "inspection_type": "daily",
            "frequency_every": 1,
            "frequency_unit": "day",
            "work_start": "00:00:00",
            "work_end": "23:59:00",
            "place_ids": places[:2],
            "assignee_user_id": me["id"],
        },
        headers=officer,
    )
    assert response.status_code == 201, response.get_json()
    tasks = client.get("/api/v1/tasks?assignee=me&due=today", headers=officer).get_json()
    by_place = {t["place"]["id"]: t for t in tasks["items"]}
    first, second = by_place[places[0]], by_place[places[1]]
    assert first["checklist_version"] == second["checklist_version"]
    return {
        ("checklist_version", ex.CHECKLIST_VERSION): first["checklist_version"],
        ("task_occurrence_id", ex.TASK_ID): first["id"],
        ("task_occurrence_id", ex.SYNCED_TASK_ID): second["id"],
        ("place_id", ex.PLACE_ID): places[0],
        ("place_id", ex.SYNCED_PLACE_ID): places[1],
        ("place_id", ex.REPORT_PLACE_ID): places[2],
    }


def test_every_request_example_is_accepted_and_answered_as_documented(
    client, spec, world, login_as, frozen_clock
):
    frozen_clock(EXAMPLES_MORNING)
    officer, rectifier, head = (login_as(u) for u in ("officer-hc", "rectifier-hc", "head-hc"))
    values = {
        ("password", ex.PASSWORD): DEMO_PASSWORD,
        ("responsible_user_id", ex.RECTIFIER_ID): world["users"]["rectifier-hc"],
        **two_tasks_and_a_place(client, officer, world["enterprise"]["hc"]),
    }

    login = real(request_example(spec, "post", "/api/v1/auth/login"), values)
    check_answer(spec, "post", "/api/v1/auth/login", client.post("/api/v1/auth/login", json=login))

    # The photo is the example's file; its hash is the world's.
    photo = jpeg_bytes()
    values[("sha256", ex.PHOTO_SHA256)] = hashlib.sha256(photo).hexdigest()
    form = real(
        request_example(spec, "post", "/api/v1/media", content_type="multipart/form-data"), values
    )
    form["file"] = (io.BytesIO(photo), "photo.jpg")
    uploaded = client.post(
        "/api/v1/media", data=form, headers=officer, content_type="multipart/form-data"
    )
    check_answer(spec, "post", "/api/v1/media", uploaded)

    # The failed answer without its photo: the documented 422.
    inspection = real(request_example(spec, "post", "/api/v1/inspections"), values)
    no_photo = {**inspection, "answers": [dict(a) for a in inspection["answers"]]}
    no_photo["answers"][0].update(result="fail", note="证书已过期")
    refused = client.post("/api/v1/inspections", json=no_photo, headers=officer)
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    assert refused.get_json() == ex.VALIDATION_PROBLEM

    receipt = check_answer(
        spec,
        "post",
        "/api/v1/inspections",
        client.post("/api/v1/inspections", json=inspection, headers=officer),
    )
    [raised] = receipt["hazards"]
    assert raised["item_id"] == "HC-01A"

    upload_photo(client, officer, media_id=ex.REPORT_PHOTO_ID)
    report = real(request_example(spec, "post", "/api/v1/hazards"), values)
    reported = check_answer(
        spec,
        "post",
        "/api/v1/hazards",
        client.post("/api/v1/hazards", json=report, headers=officer),
    )
    assert reported["id"] == ex.REPORTED_HAZARD_ID

    # The hazard's steps, each by who takes it.
    upload_photo(client, rectifier, media_id=ex.AFTER_PHOTO_ID)
    path = "/api/v1/hazards/{hazard_id}/transitions"
    url = path.replace("{hazard_id}", raised["id"])
    steps = [("confirm", officer), ("plan", officer)]
    steps += [("submit_rectification", rectifier), ("verify_pass", head)]
    for name, headers in steps:
        body = real(request_example(spec, "post", path, name), values)
        step = check_answer(spec, "post", path, client.post(url, json=body, headers=headers))
        assert step["replayed"] is False
    assert step["state"]["code"] == "closed"

    batch = real(request_example(spec, "post", "/api/v1/sync"), values)
    synced = check_answer(
        spec, "post", "/api/v1/sync", client.post("/api/v1/sync", json=batch, headers=officer)
    )
    assert [r["status"] for r in synced["results"]] == [201, 200]
