"""Helpers to build valid inspection payloads and upload photos through the API."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta

from PIL import Image


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload_photo(client, headers, data: bytes | None = None, media_id: str | None = None, **extra):
    data = data or jpeg_bytes()
    media_id = media_id or str(uuid.uuid4())
    form = {
        "id": media_id,
        "sha256": hashlib.sha256(data).hexdigest(),
        "file": (io.BytesIO(data), "photo.jpg"),
        **extra,
    }
    response = client.post(
        "/api/v1/media", data=form, headers=headers, content_type="multipart/form-data"
    )
    assert response.status_code in (200, 201), response.get_json()
    return media_id


def items_of(doc: dict, ids: list[str] | None = None) -> list[dict]:
    items = [i for s in doc["sections"] for i in s["items"]]
    return [i for i in items if ids is None or i["id"] in ids]


def passing_answer(item: dict) -> dict:
    answer = item["answer"]
    value = None
    if answer["type"] == "number":
        low, high = answer.get("min"), answer.get("max")
        value = low if low is not None else high
    elif answer["type"] == "choice":
        value = next(o["code"] for o in answer["options"] if not o.get("fails"))
    elif answer["type"] == "text":
        value = "正常"
    return {"item_id": item["id"], "result": "pass", "value": value}


def payload(detail: dict, *, answers=None, failures=None, inspection_id=None, items=None, **extra):
    """A complete payload for the checklist `detail` (GET /checklists/<code> body).

    failures: {item_id: [media ids]} marks those items failed with photos.
    """
    failures = failures or {}
    chosen = items_of(detail["document"], items)
    if answers is None:
        answers = []
        for item in chosen:
            answer = passing_answer(item)
            if item["id"] in failures:
                answer.update(result="fail", media_ids=failures[item["id"]], note="现场发现问题")
                if item["answer"]["type"] == "number":
                    limit = item["answer"].get("max")
                    answer["value"] = (
                        (limit + 1) if limit is not None else item["answer"]["min"] - 1
                    )
            answers.append(answer)
    finished = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    body = {
        "id": inspection_id or str(uuid.uuid4()),
        "checklist_code": detail["code"],
        "checklist_version": detail["version_hash"],
        "started_at": (finished - timedelta(minutes=40)).isoformat(),
        "finished_at": finished.isoformat(),
        "device_id": "test-phone-1",
        "answers": answers,
    }
    body.update(extra)
    return body
