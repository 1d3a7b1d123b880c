"""Accepting inspections from devices: validate against the exact checklist version, store once,
complete the task occurrence and announce the inspection (the PWA's sync contract). Other domains
react to the announcement in the same transaction: hazards for failed items, risk units of failed
measure checks, the regulators' outbox event (inspections/events.py)."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import insert, text
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from anxun.accounts.roles import ENTERPRISE_ROLES
from anxun.checklists import queries as checklist_queries
from anxun.checklists.loader import judge_answer, profile_item_ids
from anxun.checklists.scoring import score_jgj59, summarize
from anxun.core import audit, clock, events
from anxun.core.auth import Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    ValidationFailed,
    field_error,
    item_path,
)
from anxun.core.idempotency import first_writer_wins
from anxun.extensions import db
from anxun.inspections import media as media_services
from anxun.inspections import planning
from anxun.inspections.events import (
    AuditedEnterprise,
    FailedAnswer,
    InspectionSubmitted,
    RaisedHazard,
)
from anxun.inspections.models import (
    Inspection,
    InspectionAnswer,
    InspectionPlan,
    TaskOccurrence,
)
from anxun.inspections.plausibility import flags as plausibility_flags
from anxun.orgs import scoping

# Fields that may differ between retries of the same submission (the device stamps each send).
VOLATILE_FIELDS = ("sent_at",)


def payload_digest(data: dict) -> str:
    """Digest of what the device submitted, so an exact replay is recognised."""
    stable = {k: v for k, v in data.items() if k not in VOLATILE_FIELDS}
    text = json.dumps(
        stable, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _enterprise_and_version(actor: Actor, enterprise_id: int | None, version_hash: str):
    """The enterprise the actor submits for, and the checklist version named (None if unknown
    or not the enterprise's to use), read in one statement."""
    if enterprise_id is None:
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    # The industries are read only if a regulator endpoint is configured (the outbox's fan-out).
    enterprise, version = scoping.get_enterprise(
        actor,
        enterprise_id,
        scoping.WRITE,
        with_related=False,
        joined=checklist_queries.version_for_submit_join(version_hash, enterprise_id),
    )
    if not actor.roles_in_enterprise(enterprise.id) & ENTERPRISE_ROLES:
        raise Forbidden("只有本企业人员可以提交排查记录。")
    return enterprise, version


def _expected_items(
    doc: dict, index: dict[str, dict], data: dict, occurrence: TaskOccurrence | None
) -> list[str]:
    """Which items must be answered: the plan's subset, a profile, or the whole checklist."""
    if occurrence is not None:
        plan = db.session.get(InspectionPlan, occurrence.plan_id)
        if plan.item_ids:
            return list(plan.item_ids)
        if plan.profile:
            return profile_item_ids(doc, plan.profile)
    if data.get("profile"):
        try:
            return profile_item_ids(doc, data["profile"])
        except KeyError as exc:
            raise ValidationFailed(
                "检查表没有该简版。", [field_error("profile", "检查表中没有该简版。")]
            ) from exc
    return list(index)


def _occurrence(enterprise, data: dict) -> TaskOccurrence | None:
    if data.get("task_occurrence_id") is None:
        return None
    occurrence = db.session.get(TaskOccurrence, data["task_occurrence_id"])
    if occurrence is None or occurrence.enterprise_id != enterprise.id:
        raise ValidationFailed(
            "排查任务不存在。", [field_error("task_occurrence_id", "排查任务不存在。")]
        )
    return occurrence


def _judge_answers(index: dict[str, dict], expected: list[str], answers: list[dict]) -> list[dict]:
    """Effective results per answer (`index`: the version's items by id); every problem becomes
    a field error."""
    allowed = set(expected)
    errors: list[dict] = []
    judged: list[dict] = []
    seen: set[str] = set()
    unknown = False
    for n, answer in enumerate(answers):
        item_id = answer["item_id"]
        where = item_path("answers", item_id)
        if item_id in seen:
            errors.append(field_error(f"{where}.item_id", f"检查项 {item_id} 重复作答。"))
            continue
        seen.add(item_id)
        item = index.get(item_id)
        if item is None or item_id not in allowed:
            errors.append(field_error(f"{where}.item_id", f"本次检查不包含检查项 {item_id}。"))
            unknown = True
            continue
        answer_type = item["answer"]["type"]
        needs_value = answer_type in ("number", "choice") and answer["result"] != "na"
        if needs_value and answer["value"] is None:
            errors.append(field_error(f"{where}.value", "请填写测量值或选择结果。"))
            continue
        try:
            result = judge_answer(item, answer["result"], answer["value"])
        except ValueError as exc:
            errors.append(field_error(f"{where}.value", str(exc)))
            continue
        if result == "fail" and item.get("photo_on_fail", True) and not answer["media"]:
            errors.append(field_error(f"{where}.media_ids", "不合格项须拍照留证。"))
        if answer["deduction"] is not None and "scoring" not in item:
            errors.append(field_error(f"{where}.deduction", "该检查项不计分。"))
        judged.append({**answer, "item": item, "effective": result, "position": n})
    missing = [i for i in expected if i not in seen]
    # An answer under a wrong item id leaves its intended item unanswered: one mistake, one
    # error. The unanswered items are reported once every answered id is one of this inspection's.
    if missing and not unknown:
        shown = "、".join(missing[:10]) + ("等" if len(missing) > 10 else "")
        errors.append(field_error("answers", f"还有 {len(missing)} 项未作答：{shown}。"))
    if errors:
        raise ValidationFailed("检查记录有误，请核对后重新提交。", errors)
    return judged


def _summary(doc: dict, judged: list[dict]) -> dict:
    answers = {
        a["item_id"]: {"result": a["effective"], "deduction": a["deduction"]} for a in judged
    }
    counted = summarize(doc, answers)
    summary = {
        **{key: counted["counts"][key] for key in ("pass", "fail", "na")},
        "answered": len(judged),
        "pass_rate": counted["pass_rate"],
        "major_failures": counted["major_failures"],
    }
    if doc.get("scoring"):
        summary["jgj59"] = score_jgj59(doc, answers)
    return summary


def _stored(actor: Actor, inspection_id, digest: str) -> tuple[Inspection, bool] | None:
    """The record already stored under this id: an exact replay returns it, other content is 409."""
    existing = db.session.get(Inspection, inspection_id)
    if existing is None:
        return None
    if existing.payload_digest == digest and existing.inspector_user_id == actor.user_id:
        return existing, False
    raise Conflict("该检查记录编号已用于另一份内容。", [field_error("id", "编号重复。")])


def submit_inspection(actor: Actor, data: dict) -> tuple[Inspection, bool]:
    """Store one inspection exactly once. Returns (inspection, created).

    Copies racing each other (a retry sent while the first attempt is in flight) store one record;
    the others answer as replays of it (core/idempotency.py).
    """
    digest = payload_digest(data)
    if identity_key(Inspection, data["id"]) in db.session.identity_map:
        # Already in this session (a batch that repeats an item): answer without a statement.
        return _stored(actor, data["id"], digest)
    # No lookup first: a replay is rare, and its INSERT fails on the key like a racing copy's.
    return first_writer_wins(
        lambda: _create(actor, data, digest), lambda: _stored(actor, data["id"], digest)
    )


# PostgreSQL: every answer in one statement with one parameter, the rows as a JSON array that the
# server expands, instead of binding and sending each answer's eight values. A JSON null becomes
# SQL NULL here (the ORM would store JSON 'null'); both read back as None.
_ANSWERS_FROM_JSON = text(
    """
    INSERT INTO inspection_answer
      (inspection_id, position, item_id, entered_result, result, value, note, media_ids, deduction)
    SELECT inspection_id, position, item_id, entered_result, result, value, note, media_ids,
           deduction
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS answer(
      inspection_id uuid, position integer, item_id varchar, entered_result varchar,
      result varchar, value json, note text, media_ids json, deduction numeric)
    """
)


def _insert_inspection(inspection: Inspection) -> None:
    """One Core INSERT instead of the unit of work's flush (columns left unset take their
    defaults); the object then joins the session as if it had been loaded, so the handlers, the
    receipt and a batch repeating the id find it."""
    given = vars(inspection)
    db.session.execute(
        insert(Inspection.__table__),
        {c.key: given[c.key] for c in Inspection.__table__.columns if c.key in given},
    )
    make_transient_to_detached(inspection)
    db.session.add(inspection)


def _insert_answers(rows: list[dict]) -> None:
    """All answers of an inspection in one statement, never one INSERT per answer (issue #18)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            _ANSWERS_FROM_JSON, {"rows": json.dumps(rows, ensure_ascii=False, default=str)}
        )
    else:
        db.session.execute(InspectionAnswer.__table__.insert(), rows)


def _create(actor: Actor, data: dict, digest: str) -> tuple[Inspection, bool]:
    audit_run_id = data.get("audit_run_id")
    if audit_run_id is not None:
        # An auditor's inspection under an audit run: the audits domain vouches for the run.
        run_enterprise_id = events.ask(
            AuditedEnterprise(actor, audit_run_id, data["enterprise_id"])
        )
        if data["task_occurrence_id"] is not None:  # the enterprise's own tasks stay its own
            message = "第三方审核检查不能完成企业的排查任务。"
            raise ValidationFailed(message, [field_error("task_occurrence_id", message)])
        enterprise = scoping.get_enterprise(actor, run_enterprise_id, scoping.READ)
        version = checklist_queries.get_version_for_submit(data["checklist_version"], enterprise.id)
    else:
        enterprise, version = _enterprise_and_version(
            actor, data["enterprise_id"], data["checklist_version"]
        )
    source = "agency" if audit_run_id is not None else "self_inspection"
    if version is None or version.code != data["checklist_code"]:
        raise ValidationFailed(
            "未知的检查表或版本。", [field_error("checklist_version", "未知的检查表版本。")]
        )
    doc, index = checklist_queries.parsed_version(version)
    occurrence = _occurrence(enterprise, data)
    judged = _judge_answers(index, _expected_items(doc, index, data, occurrence), data["answers"])

    place_id = (
        data["place_id"]
        if data["place_id"] is not None
        else (occurrence.place_id if occurrence else None)
    )
    place = planning.get_place(enterprise.id, place_id) if place_id is not None else None
    corrected = None
    if data["corrects_id"] is not None:
        corrected = db.session.get(Inspection, data["corrects_id"])
        if corrected is None or corrected.enterprise_id != enterprise.id:
            raise ValidationFailed(
                "被更正的记录不存在。", [field_error("corrects_id", "记录不存在。")]
            )

    media_ids = [str(m) for a in judged for m in a["media"]]
    if data["signature_media_id"]:
        media_ids.append(str(data["signature_media_id"]))
    missing = media_services.missing_media(enterprise.id, media_ids)
    if missing:
        raise MissingMedia(missing)

    received_at = clock.now()
    gps = data["gps"]
    inspection = Inspection(
        id=data["id"],
        enterprise_id=enterprise.id,
        checklist_version_id=version.id,
        task_occurrence_id=occurrence.id if occurrence else None,
        place_id=place.id if place else None,
        qr_scanned=data["qr_scanned"],
        inspection_type=data["inspection_type"],
        source=source,
        audit_run_id=audit_run_id,
        inspector_user_id=actor.user_id,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        received_at=received_at,
        latitude=gps["lat"] if gps else None,
        longitude=gps["lon"] if gps else None,
        gps_accuracy=gps["accuracy"] if gps else None,
        device_id=data["device_id"],
        signature_media_id=data["signature_media_id"],
        corrects_id=corrected.id if corrected else None,
        payload_digest=digest,
        summary=_summary(doc, judged),
        flags=plausibility_flags(
            started_at=data["started_at"],
            finished_at=data["finished_at"],
            answered_items=len(judged),
            received_at=received_at,
            sent_at=data["sent_at"],
            gps=gps,
            place_coordinates=(place.latitude, place.longitude)
            if place is not None and place.latitude is not None
            else None,
        ),
    )
    _insert_inspection(inspection)
    _insert_answers(
        [
            {
                "inspection_id": inspection.id,
                "position": a["position"],
                "item_id": a["item_id"],
                "entered_result": a["result"],
                "result": a["effective"],
                "value": a["value"],
                "note": a["note"],
                "media_ids": [str(m) for m in a["media"]],
                "deduction": a["deduction"],
            }
            for a in judged
        ]
    )

    if occurrence is not None:
        planning.complete_occurrence(occurrence.id, inspection, enterprise.id)
    failed = tuple(
        FailedAnswer(a["item"], a["note"], tuple(str(m) for m in a["media"]))
        for a in judged
        if a["effective"] == "fail"
    )
    answers = events.publish(
        InspectionSubmitted(actor, inspection, enterprise, version, place, failed)
    )
    raised: list[RaisedHazard] = [hazard for hazards in answers for hazard in hazards]
    inspection.raised_hazards = raised  # for the receipt (queries.inspection_receipt)
    # The audit entry last: PostgreSQL's chain lock is then held only until the commit.
    audit.record(
        actor,
        "submit_inspection",
        "inspection",
        inspection.id,
        {
            "checklist": version.code,
            "version": version.version_hash,
            "digest": digest,
            "summary": {k: inspection.summary.get(k) for k in ("pass", "fail", "na")},
            "hazards_raised": len(raised),
            "corrects": str(corrected.id) if corrected else None,
            "audit_run_id": audit_run_id,
        },
    )
    return inspection, True
