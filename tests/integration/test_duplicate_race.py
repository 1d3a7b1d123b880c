"""Four copies of the same new write sent at the same instant (a phone retrying while its first
attempt is still in flight): exactly one is stored and every copy gets the same 200/201 answer
(issue #18). Real HTTP against a threaded server, ten trials per kind, on both databases."""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from anxun.core import clock
from anxun.core.audit import verify_chain
from anxun.hazards.models import Hazard, HazardTransition
from anxun.inspections.models import Inspection, InspectionAnswer, Media
from tests.conftest import DEMO_PASSWORD
from tests.inspection_helpers import items_of, jpeg_bytes, payload

COPIES = 4
TRIALS = 10


@pytest.fixture
def served(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _call(base, path, *, body=None, token=None, data=None, content_type="application/json"):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    raw = data if data is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=raw, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _login(base, username):
    status, tokens = _call(
        base, "/api/v1/auth/login", body={"username": username, "password": DEMO_PASSWORD}
    )
    assert status == 200, tokens
    return tokens["access_token"]


def _at_once(send) -> list[tuple[int, dict]]:
    """Run `send()` COPIES times, released together by a barrier."""
    barrier = threading.Barrier(COPIES)
    results: list = [None] * COPIES

    def run(n):
        barrier.wait()
        try:
            results[n] = send()
        except Exception as exc:  # noqa: BLE001 - recorded and asserted by the caller
            results[n] = (type(exc).__name__, str(exc))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(COPIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _without_replayed(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "replayed"}


def _one_answer(results):
    """Exactly one copy created it, the others replayed it (and say so), and all bodies are
    otherwise equal."""
    answers = sorted((r[0], r[1]["replayed"]) for r in results)
    assert answers == [(200, True)] * (COPIES - 1) + [(201, False)], results
    assert all(_without_replayed(r[1]) == _without_replayed(results[0][1]) for r in results)


def _multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = "".join(parts) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(base, token, media_id, content):
    fields = {"id": media_id, "sha256": hashlib.sha256(content).hexdigest()}
    data, content_type = _multipart(fields, "photo.jpg", content)
    return _call(base, "/api/v1/media", token=token, data=data, content_type=content_type)


def _count(db, model, *where):
    """Counted in a short transaction of its own (SQLite: the test must not hold the write lock)."""
    try:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
    finally:
        db.session.rollback()


def test_copies_of_a_new_inspection_store_one(app, db, world, served):
    token = _login(served, "officer-hc")
    _, checklist = _call(served, "/api/v1/checklists/hazardous-chemicals", token=token)
    failing = next(
        i for i in items_of(checklist["document"]) if i["answer"]["type"] == "pass_fail_na"
    )
    status, _ = _upload(served, token, photo := str(uuid.uuid4()), jpeg_bytes())
    assert status == 201
    for trial in range(TRIALS):
        # Half the trials raise a hazard too: its row and audit entry must not double either.
        failures = {failing["id"]: [photo]} if trial % 2 else None
        body = payload(checklist, failures=failures)
        _one_answer(
            _at_once(lambda b=body: _call(served, "/api/v1/inspections", body=b, token=token))
        )
        assert _count(db, Inspection, Inspection.id == uuid.UUID(body["id"])) == 1
        assert _count(
            db, InspectionAnswer, InspectionAnswer.inspection_id == uuid.UUID(body["id"])
        ) == len(body["answers"])
        assert _count(db, Hazard, Hazard.inspection_id == uuid.UUID(body["id"])) == trial % 2
    assert verify_chain()[1] == []
    db.session.rollback()


def test_copies_of_a_new_photo_store_one(app, db, world, served):
    token = _login(served, "officer-hc")
    for trial in range(TRIALS):
        media_id = str(uuid.uuid4())
        content = jpeg_bytes(color=(trial * 20, 40, 90))
        _one_answer(_at_once(lambda m=media_id, c=content: _upload(served, token, m, c)))
        assert _count(db, Media, Media.id == uuid.UUID(media_id)) == 1
    assert verify_chain()[1] == []
    db.session.rollback()


def test_copies_of_a_hazard_step_with_one_client_id_take_it_once(app, db, world, served):
    token = _login(served, "officer-hc")
    _, photo = _upload(served, token, str(uuid.uuid4()), jpeg_bytes())
    deadline = (clock.today_local() + timedelta(days=7)).isoformat()
    for _ in range(TRIALS):
        status, hazard = _call(
            served,
            "/api/v1/hazards",
            token=token,
            body={
                "enterprise_id": world["enterprise"]["hc"],
                "title": "储罐区防护罩破损",
                "media_ids": [photo["id"]],
            },
        )
        assert status == 201, hazard
        step = {
            "action": "confirm",
            "expected_state": "reported",
            "client_id": str(uuid.uuid4()),
            "level": "general",
            "category": "thing",
            "deadline": deadline,
        }
        path = f"/api/v1/hazards/{hazard['id']}/transitions"
        results = _at_once(lambda p=path, s=step: _call(served, p, body=s, token=token))
        assert [r[0] for r in results] == [200] * COPIES, results
        assert sorted(r[1]["replayed"] for r in results) == [False] + [True] * (COPIES - 1)
        first = _without_replayed(results[0][1])
        for _, body in results[1:]:
            assert {k: v for k, v in _without_replayed(body).items() if v != first.get(k)} == {}
        assert results[0][1]["state"]["code"] == "confirmed"
        confirmed = HazardTransition.hazard_id == uuid.UUID(hazard["id"])
        assert _count(db, HazardTransition, confirmed, HazardTransition.action == "confirm") == 1
    assert verify_chain()[1] == []
    db.session.rollback()
