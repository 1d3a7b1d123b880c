"""Batch sync for a phone's outbox (issue #18): several inspections and hazard steps in one
request, each stored in its own transaction and answered with its own status, so one refused
item never rejects the others and a retried batch replays what was already stored."""

from __future__ import annotations

import logging

from marshmallow import ValidationError

from anxun.core.auth import Actor
from anxun.core.errors import HTTP_TITLES, DomainError, ValidationFailed, flatten_messages
from anxun.extensions import db
from anxun.hazards import queries as hazard_queries
from anxun.hazards import services as hazard_services
from anxun.hazards.schemas import HazardStepSchema, HazardTransitionSchema
from anxun.inspections import queries as inspection_queries
from anxun.inspections import services as inspection_services
from anxun.inspections.schemas import InspectionReceiptSchema, InspectionSubmitSchema

log = logging.getLogger(__name__)

MAX_ITEMS = 50
KINDS = ("inspection", "transition")


def _problem(error: DomainError) -> dict:
    body = {"type": error.type, "title": error.title, "status": error.status}
    body["detail"] = error.detail
    if error.errors:
        body["errors"] = error.errors
    body.update(error.extra)
    return body


def _inspection(actor: Actor, item: dict) -> tuple[int, dict, bool]:
    data = InspectionSubmitSchema().load(item["body"])
    inspection, created = inspection_services.submit_inspection(actor, data)
    receipt = inspection_queries.inspection_receipt(inspection, replayed=not created)
    return (201 if created else 200), InspectionReceiptSchema().dump(receipt), not created


def _transition(actor: Actor, item: dict) -> tuple[int, dict, bool]:
    if item.get("hazard_id") is None:
        raise ValidationFailed("请指定隐患。", [{"field": "hazard_id", "message": "请指定隐患。"}])
    data = HazardTransitionSchema().load(item["body"])
    hazard = hazard_queries.get_hazard(actor, item["hazard_id"])
    action = data.pop("action")
    expected_state = data.pop("expected_state")
    client_id = data.pop("client_id")
    hazard, created = hazard_services.apply_transition_once(
        actor, hazard, action, data, expected_state=expected_state, client_id=client_id
    )
    view = {**hazard_queries.hazard_view(hazard, actor), "replayed": not created}
    return 200, HazardStepSchema().dump(view), not created


def sync_item(actor: Actor, item: dict) -> dict:
    """Store one item in a transaction of its own; its result, never an exception. `replayed` is
    true only for an item answered with what an earlier copy stored."""
    result = {"kind": item["kind"], "id": item.get("id"), "replayed": False}
    try:
        handler = _inspection if item["kind"] == "inspection" else _transition
        status, body, replayed = handler(actor, item)
        db.session.commit()
        return {**result, "status": status, "body": body, "replayed": replayed}
    except ValidationError as error:
        db.session.rollback()
        failed = ValidationFailed("请检查标出的字段。", flatten_messages(error.messages))
        return {**result, "status": 422, "problem": _problem(failed)}
    except DomainError as error:
        db.session.rollback()
        return {**result, "status": error.status, "problem": _problem(error)}
    except Exception:  # a bug in one item must not lose the others' answers
        db.session.rollback()
        log.exception("sync item failed")
        body = {"type": "/problems/internal", "title": HTTP_TITLES[500], "status": 500}
        body["detail"] = "服务器处理该条记录时出错，请稍后重试。"
        return {**result, "status": 500, "problem": body}


def sync_batch(actor: Actor, items: list[dict]) -> list[dict]:
    """Every item in order (a step may follow the inspection that raised its hazard)."""
    return [{"index": n, **sync_item(actor, item)} for n, item in enumerate(items)]
