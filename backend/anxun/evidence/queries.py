"""Reading remote evidence requests: scoped lookups, lists and the views desk and phone show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select

from anxun.accounts.models import User
from anxun.checklists.queries import enterprise_item_texts
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.pagination import paginate
from anxun.evidence import rules
from anxun.evidence.models import EvidenceRequest
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise

NOT_FOUND = "未找到该远程核查，或您无权查看。"
ANSWERABLE = (rules.State.open, rules.State.expired)


def get_request(actor: Actor, request_id: int) -> EvidenceRequest:
    """A request of an enterprise the actor may read (an auditor: with the inspections area)."""
    return scoping.get_scoped(actor, EvidenceRequest, request_id, NOT_FOUND, scoping.INSPECTIONS)


def _state_clause(state: str, now):
    if state == rules.State.open:
        return and_(EvidenceRequest.state == "open", EvidenceRequest.due_at >= now)
    if state == rules.State.expired:
        return and_(EvidenceRequest.state == "open", EvidenceRequest.due_at < now)
    return EvidenceRequest.state == state


def _answerable_by(actor: Actor):
    """Requests addressed to a role the actor holds in the request's enterprise."""
    pairs = {(g.enterprise_id, g.role) for g in actor.grants if g.enterprise_id is not None}
    if not pairs:
        return EvidenceRequest.id.is_(None)
    return or_(
        *(
            and_(EvidenceRequest.enterprise_id == e, EvidenceRequest.answerer_role == r)
            for e, r in sorted(pairs)
        )
    )


def list_requests(actor: Actor, args: dict):
    """Requests the actor may read, newest first; `to_answer` keeps those the actor must answer
    that still wait for an answer (open or expired)."""
    query = (
        select(EvidenceRequest)
        .join(Enterprise, Enterprise.id == EvidenceRequest.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.INSPECTIONS))
    )
    if args.get("enterprise_id") is not None:
        query = query.where(EvidenceRequest.enterprise_id == args["enterprise_id"])
    if args.get("patrol_id") is not None:
        query = query.where(EvidenceRequest.patrol_id == args["patrol_id"])
    if args.get("state"):
        query = query.where(_state_clause(args["state"], clock.now()))
    if args.get("to_answer"):
        query = query.where(_answerable_by(actor), EvidenceRequest.state == "open")
    return paginate(query, [EvidenceRequest.id], args.get("cursor"), args["limit"], descending=True)


def _person(user: User | None) -> dict | None:
    return {"id": user.id, "name": user.display_name} if user else None


def request_view(actor: Actor, request: EvidenceRequest) -> dict:
    """One request with its target, countdown, marks and answer."""
    now = clock.now()
    state = rules.effective_state(request.state, request.due_at, now)
    place = db.session.get(Place, request.place_id) if request.place_id else None
    hazard = db.session.get(Hazard, request.hazard_id) if request.hazard_id else None
    if place is None and hazard is not None and hazard.place_id is not None:
        place = db.session.get(Place, hazard.place_id)
    enterprise = db.session.get(Enterprise, request.enterprise_id)
    answer = request.answer
    answer_view = None
    if answer is not None:
        answer_view = {
            "id": answer.id,
            "answered_by": _person(db.session.get(User, answer.answered_by_user_id)),
            "answered_at": answer.answered_at,
            "received_at": answer.received_at,
            "note": answer.note,
            "photos": [
                {
                    "media_id": p["media_id"],
                    "taken_at": datetime.fromisoformat(p["taken_at"]) if p["taken_at"] else None,
                }
                for p in answer.photos
            ],
            "gps": {
                "lat": answer.latitude,
                "lon": answer.longitude,
                "accuracy": answer.gps_accuracy,
            }
            if answer.latitude is not None
            else None,
            "distance_metres": answer.distance_metres,
            "is_late": answer.is_late,
            "flags": answer.flags,
        }
    texts = enterprise_item_texts(enterprise, request.item_ids)
    return {
        "id": request.id,
        "enterprise_id": request.enterprise_id,
        "enterprise_name": enterprise.name,
        "patrol_id": request.patrol_id,
        "place": {
            "id": place.id,
            "name": place.name,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
        if place
        else None,
        "hazard": {"id": str(hazard.id), "title": hazard.title, "state": hazard.state}
        if hazard
        else None,
        "text": request.text,
        "item_ids": request.item_ids,
        "items": [{"id": item_id, "text": texts.get(item_id, "")} for item_id in request.item_ids],
        "answerer_role": request.answerer_role,
        "deadline_hours": request.deadline_hours,
        "requester_kind": request.requester_kind,
        "requested_by": _person(db.session.get(User, request.requested_by_user_id)),
        "created_at": request.created_at,
        "due_at": request.due_at,
        "seconds_left": rules.seconds_left(request.due_at, now),
        "state": state.value,
        "is_late": bool(answer and answer.is_late),
        "is_missing": state is rules.State.expired,
        "may_answer": state in ANSWERABLE
        and request.answerer_role in actor.roles_in_enterprise(request.enterprise_id),
        "finding_id": request.finding_id,
        "order_id": request.order_id,
        "answer": answer_view,
    }
