"""Every write of remote evidence requests (远程核查): ask, answer (idempotent on the device's
UUID), cancel, and turn what was seen (or not seen) into a patrol finding or an order."""

from __future__ import annotations

import hashlib
import json

from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import Role
from anxun.checklists import queries as checklist_queries
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    StaleState,
    ValidationFailed,
    field_error,
)
from anxun.evidence import rules
from anxun.evidence.models import EvidenceAnswer, EvidenceRequest
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import TERMINAL_STATES
from anxun.inspections import media as media_services
from anxun.inspections.models import Place
from anxun.inspections.plausibility import distance_metres
from anxun.inspections.plausibility import flags as plausibility_flags
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import Engagement, Enterprise
from anxun.oversight.models import Patrol
from anxun.oversight.patrols import services as patrol_services

VOLATILE_FIELDS = ("sent_at",)
MSG_NOT_REQUESTER = (
    "只有监管部门、受委托且授权范围含排查记录的第三方机构或企业主要负责人可以发起远程核查。"
)
MSG_NOT_ANSWERER = "该远程核查须由企业指定岗位的人员回应。"
MSG_ANSWER_ID_TAKEN = "该回应编号已用于另一份内容。"
MSG_NOT_POSSIBLE = "该远程核查当前状态下不能执行此操作。"
MSG_NOT_OWN_SIDE = "只有发起方可以处理该远程核查。"
MSG_NO_PATROL = "该远程核查不属于任何巡查，不能转为巡查发现。"
MSG_ALREADY_FINDING = "该远程核查已转为巡查发现。"
MSG_ALREADY_ORDER = "该远程核查已下达整改指令书。"


def payload_digest(data: dict) -> str:
    """Digest of what the device submitted, so an exact replay is recognised."""
    stable = {k: v for k, v in data.items() if k not in VOLATILE_FIELDS}
    text = json.dumps(
        stable, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def effective_state(request: EvidenceRequest) -> rules.State:
    return rules.effective_state(request.state, request.due_at, clock.now())


def _requester(actor: Actor, enterprise: Enterprise) -> dict:
    """Who may ask (issue #16): a bureau over its jurisdiction, an agency under a valid engagement
    whose scope names inspections, or the enterprise's head for its own staff."""
    regulator = scoping.covering_regulator(actor, enterprise)
    if regulator is not None:
        return {"requester_kind": "regulator", "regulator_id": regulator.id}
    engagement = scoping.engaged_enterprises(actor.agency_ids, scoping.INSPECTIONS).get(
        enterprise.id
    )
    if engagement is not None:
        return {
            "requester_kind": "agency",
            "regulator_id": engagement.regulator_id,
            "engagement_id": engagement.id,
        }
    if Role.head.value in actor.roles_in_enterprise(enterprise.id):
        return {"requester_kind": "enterprise"}
    raise Forbidden(MSG_NOT_REQUESTER)


def _target(enterprise: Enterprise, data: dict, errors: list[dict]):
    place = hazard = None
    if data["place_id"] is not None:
        place = db.session.get(Place, data["place_id"])
        if place is None or place.enterprise_id != enterprise.id or not place.is_active:
            errors.append(field_error("place_id", "该地点不属于该企业。"))
    if data["hazard_id"] is not None:
        hazard = db.session.get(Hazard, data["hazard_id"])
        if hazard is None or hazard.enterprise_id != enterprise.id:
            errors.append(field_error("hazard_id", "该隐患不属于该企业。"))
        elif hazard.state in TERMINAL_STATES:
            errors.append(field_error("hazard_id", "该隐患已销号或已驳回，无需远程核查。"))
    if data["place_id"] is None and data["hazard_id"] is None:
        errors.append(field_error("place_id", "请选择核查地点或整改中的隐患。"))
    return place, hazard


def _patrol(actor: Actor, enterprise: Enterprise, data: dict, errors: list[dict]):
    if data["patrol_id"] is None:
        return None
    patrol = db.session.get(Patrol, data["patrol_id"])
    if patrol is None or patrol.enterprise_id != enterprise.id:
        errors.append(field_error("patrol_id", "该巡查不属于该企业。"))
        return None
    if patrol.state != "open":
        errors.append(field_error("patrol_id", "该巡查已不在进行中。"))
    return patrol


def answerer_ids(request: EvidenceRequest) -> list[int]:
    return active_member_ids({request.answerer_role}, enterprise_id=request.enterprise_id)


def create_request(actor: Actor, data: dict) -> EvidenceRequest:
    """Ask the enterprise for live evidence of a place or a hazard within `deadline_hours`."""
    enterprise = scoping.get_enterprise(actor, data["enterprise_id"], scoping.READ)
    side = _requester(actor, enterprise)
    errors: list[dict] = []
    place, hazard = _target(enterprise, data, errors)
    patrol = _patrol(actor, enterprise, data, errors)
    known = checklist_queries.enterprise_item_texts(enterprise, data["item_ids"])
    unknown = [item_id for item_id in data["item_ids"] if item_id not in known]
    if unknown:
        errors.append(
            field_error("item_ids", f"检查项 {'、'.join(unknown)} 不在该企业使用的检查表中。")
        )
    if errors:
        raise ValidationFailed("请检查标出的字段。", errors)
    if patrol is not None:
        # Only those who may record findings on the patrol may ask under it.
        patrol_services.require_patrol_writer(actor, patrol)
    now = clock.now()
    request = EvidenceRequest(
        enterprise_id=enterprise.id,
        patrol_id=patrol.id if patrol else None,
        place_id=place.id if place else None,
        hazard_id=hazard.id if hazard else None,
        text=data["text"].strip(),
        item_ids=list(dict.fromkeys(data["item_ids"])),
        answerer_role=data["answerer_role"],
        deadline_hours=data["deadline_hours"],
        requester_kind=side["requester_kind"],
        regulator_id=side.get("regulator_id"),
        engagement_id=side.get("engagement_id"),
        requested_by_user_id=actor.user_id,
        created_at=now,
        due_at=rules.due_at(now, data["deadline_hours"]),
        state=rules.State.open.value,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        actor,
        "create_evidence_request",
        "evidence_request",
        request.id,
        {
            "enterprise_id": enterprise.id,
            "patrol_id": request.patrol_id,
            "place_id": request.place_id,
            "hazard_id": str(request.hazard_id) if request.hazard_id else None,
            "text": request.text,
            "item_ids": request.item_ids,
            "answerer_role": request.answerer_role,
            "deadline_hours": request.deadline_hours,
            "due_at": request.due_at.isoformat(),
            "requester_kind": request.requester_kind,
            "engagement_id": request.engagement_id,
        },
    )
    where = place.name if place else (hazard.title if hazard else "")
    notifications.notify(
        answerer_ids(request),
        enterprise.id,
        "evidence_requested",
        hazard,
        f"远程核查：请在 {request.deadline_hours} 小时内拍照回应",
        f"{where}：{request.text}",
        f"evidence_requested:{request.id}",
    )
    return request


def _same_answer(answer: EvidenceAnswer, request: EvidenceRequest, actor: Actor, digest: str):
    return (
        answer.request_id == request.id
        and answer.answered_by_user_id == actor.user_id
        and answer.payload_digest == digest
    )


def _place_coordinates(request: EvidenceRequest) -> tuple[float, float] | None:
    place_id = request.place_id
    if place_id is None and request.hazard_id is not None:
        place_id = db.session.get(Hazard, request.hazard_id).place_id
    place = db.session.get(Place, place_id) if place_id is not None else None
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return place.latitude, place.longitude


def submit_answer(
    actor: Actor, request: EvidenceRequest, data: dict
) -> tuple[EvidenceAnswer, bool]:
    """Store the answer once (the PWA's outbox replays it); returns (answer, created).

    Photos are uploaded first through /media (missing ones: 409 missing_media). An answer after
    the deadline is kept and marked late; the plausibility flags of inspections apply (distance
    from the place, device clock), plus the photos' capture times.
    """
    digest = payload_digest(data)
    existing = db.session.get(EvidenceAnswer, data["id"])
    if existing is not None:
        if _same_answer(existing, request, actor, digest):
            return existing, False
        raise Conflict(MSG_ANSWER_ID_TAKEN, [field_error("id", MSG_ANSWER_ID_TAKEN)])
    if request.answerer_role not in actor.roles_in_enterprise(request.enterprise_id):
        raise Forbidden(MSG_NOT_ANSWERER)
    state = effective_state(request)
    if rules.next_state(state, rules.Action.answer) is None:
        raise StaleState(MSG_NOT_POSSIBLE, current_state=state.value)
    media_ids = [str(p["media_id"]) for p in data["photos"]]
    if len(set(media_ids)) != len(media_ids):
        raise ValidationFailed("同一张照片重复提交。", [field_error("photos", "照片重复。")])
    missing = media_services.missing_media(request.enterprise_id, media_ids)
    if missing:
        raise MissingMedia(missing)

    received_at = clock.now()
    gps = data["gps"]
    coordinates = _place_coordinates(request)
    distance = (
        round(distance_metres(gps["lat"], gps["lon"], *coordinates), 1)
        if gps and coordinates
        else None
    )
    flags = [
        *plausibility_flags(
            started_at=data["answered_at"],
            finished_at=data["answered_at"],
            answered_items=0,
            received_at=received_at,
            sent_at=data["sent_at"],
            gps=gps,
            place_coordinates=coordinates,
        ),
        *rules.location_flags(gps is not None, coordinates is not None),
        *rules.photo_flags(data["photos"], data["answered_at"], request.created_at),
    ]
    is_late = rules.is_late(request.due_at, received_at)
    if is_late:
        flags.insert(0, {"code": "late", "message": "回应晚于核查期限。"})
    answer = EvidenceAnswer(
        id=data["id"],
        request=request,
        enterprise_id=request.enterprise_id,
        answered_by_user_id=actor.user_id,
        answered_at=data["answered_at"],
        received_at=received_at,
        note=data["note"].strip(),
        photos=[
            {
                "media_id": str(p["media_id"]),
                "taken_at": p["taken_at"].isoformat() if p["taken_at"] else None,
            }
            for p in data["photos"]
        ],
        latitude=gps["lat"] if gps else None,
        longitude=gps["lon"] if gps else None,
        gps_accuracy=gps.get("accuracy") if gps else None,
        distance_metres=distance,
        is_late=is_late,
        flags=flags,
        payload_digest=digest,
    )
    db.session.add(answer)
    request.state = rules.State.answered.value
    db.session.flush()
    audit.record(
        actor,
        "answer_evidence_request",
        "evidence_request",
        request.id,
        {
            "answer_id": str(answer.id),
            "digest": digest,
            "media_ids": media_ids,
            "is_late": is_late,
            "distance_metres": distance,
            "flags": [f["code"] for f in flags],
        },
    )
    return answer, True


def _require_requester_side(actor: Actor, request: EvidenceRequest) -> None:
    """The side that asked acts on the request: the bureau's staff, the agency's auditors while
    the engagement is valid, or the enterprise's head."""
    if request.requester_kind == "regulator":
        if actor.regulator_roles(request.regulator_id) & patrol_services.STAFF:
            return
    elif request.requester_kind == "agency":
        engagement = db.session.get(Engagement, request.engagement_id)
        reached = scoping.engaged_enterprises(actor.agency_ids, scoping.INSPECTIONS)
        if engagement.agency_id in actor.agency_ids and request.enterprise_id in reached:
            return
    elif Role.head.value in actor.roles_in_enterprise(request.enterprise_id):
        return
    raise Forbidden(MSG_NOT_OWN_SIDE)


def _check_action(request: EvidenceRequest, action: rules.Action) -> rules.State:
    state = effective_state(request)
    following = rules.next_state(state, action)
    if following is None:
        raise StaleState(MSG_NOT_POSSIBLE, current_state=state.value)
    return following


def cancel_request(actor: Actor, request: EvidenceRequest, data: dict) -> EvidenceRequest:
    """Withdraw a request not yet answered; the caller names the state it saw."""
    _require_requester_side(actor, request)
    state = effective_state(request)
    if state.value != data["expected_state"]:
        raise StaleState("该远程核查状态已变化，请刷新后重试。", current_state=state.value)
    request.state = _check_action(request, rules.Action.cancel).value
    request.cancelled_by_user_id = actor.user_id
    request.cancelled_at = clock.now()
    db.session.flush()
    audit.record(
        actor,
        "cancel_evidence_request",
        "evidence_request",
        request.id,
        {"from_state": state.value, "note": data["note"].strip()},
    )
    return request


def shortfall(request: EvidenceRequest) -> str:
    """How the answer fell short, in words for a finding or an order (empty when it did not)."""
    state = effective_state(request)
    if state is rules.State.expired:
        return f"逾期未回应（期限 {request.deadline_hours} 小时）"
    if request.answer is not None and request.answer.is_late:
        return "逾期回应"
    return ""


def _subject(request: EvidenceRequest) -> str:
    if request.place_id is not None:
        return db.session.get(Place, request.place_id).name
    return db.session.get(Hazard, request.hazard_id).title


def _description(request: EvidenceRequest) -> str:
    lines = [f"远程核查要求：{request.text}（{_subject(request)}）"]
    gap = shortfall(request)
    if gap:
        lines.append(f"回应情况：{gap}")
    if request.answer is not None:
        flags = "；".join(f["message"] for f in request.answer.flags)
        if flags:
            lines.append(f"提示：{flags}")
    return "\n".join(lines)


def make_finding(actor: Actor, request: EvidenceRequest, data: dict):
    """One action: the request's patrol records a finding with the answer's photos (or the
    missing answer) as its content; a replay under the same finding id returns it."""
    _require_requester_side(actor, request)
    if request.patrol_id is None:
        raise Conflict(MSG_NO_PATROL)
    if request.finding_id is not None and request.finding_id != data["id"]:
        raise Conflict(MSG_ALREADY_FINDING, finding_id=str(request.finding_id))
    _check_action(request, rules.Action.make_finding)
    patrol = db.session.get(Patrol, request.patrol_id)
    gap = shortfall(request)
    title = data["title"] or f"远程核查{gap or '发现问题'}：{_subject(request)}"
    finding, created = patrol_services.record_finding(
        actor,
        patrol,
        {
            "id": data["id"],
            "title": title[:300],
            "description": _description(request),
            "basis": data["basis"],
            "proposed_level": data["proposed_level"],
            "category": None,
            "deadline": data["deadline"],
            "media_ids": [p["media_id"] for p in request.answer.photos] if request.answer else [],
        },
    )
    if created:
        request.finding_id = finding.id
        db.session.flush()
        audit.record(
            actor,
            "evidence_request_to_finding",
            "evidence_request",
            request.id,
            {"finding_id": str(finding.id), "shortfall": gap},
        )
    return finding, created


def issue_order(actor: Actor, request: EvidenceRequest, data: dict):
    """One action: a 责令限期整改指令书 naming what the request showed (or that nothing came),
    through the patrol's order service (its officer and deadline rules apply)."""
    _require_requester_side(actor, request)
    if request.order_id is not None:
        raise Conflict(MSG_ALREADY_ORDER, order_id=request.order_id)
    _check_action(request, rules.Action.issue_order)
    text = data["text"] or _description(request)
    order = patrol_services.issue_order(
        actor,
        {
            "enterprise_id": request.enterprise_id,
            "co_officer_user_id": data["co_officer_user_id"],
            "patrol_id": request.patrol_id,
            "deadline": data["deadline"],
            "basis": data["basis"],
            "requirements": data["requirements"],
            "items": [{"text": text[:1000], "hazard_id": request.hazard_id, "basis": []}],
        },
    )
    request.order_id = order.id
    db.session.flush()
    audit.record(
        actor,
        "evidence_request_to_order",
        "evidence_request",
        request.id,
        {"order_id": order.id, "shortfall": shortfall(request)},
    )
    return order
