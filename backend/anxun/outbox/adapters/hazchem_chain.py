"""Adapter for the national hazardous-chemicals data chain: sends hazards, risk-register changes and
checks of control measures, each with its parents first."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.checklists.models import ChecklistVersion
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection, InspectionPlan, TaskOccurrence
from anxun.orgs.models import Enterprise
from anxun.outbox.adapters.base import Adapter, DeliveryError, NotApplicable, Post
from anxun.outbox.adapters.webhook import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign
from anxun.outbox.mappings import hazchem
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry.queries import unit_levels


def _name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return user.display_name if user else ""


def _dated(row) -> dict:
    return {
        "created_at": row.created_at,
        "updated_at": getattr(row, "updated_at", row.created_at),
        "actor": "anxun",
        "deleted": getattr(row, "deleted_at", None) is not None,
    }


def _unit_record(unit: RiskUnit, enterprise: Enterprise) -> dict:
    risk_object = db.session.get(RiskObject, unit.risk_object_id)
    level = unit_levels(enterprise.id).get(unit.id, {}).get("assessed")
    return hazchem.risk_unit(
        {
            "id": unit.id,
            "hazard_code": risk_object.hazard_code,
            "department": unit.department,
            "responsible_name": unit.responsible_name,
            "name": unit.name,
            "level": level,
            **_dated(unit),
        },
        enterprise.hazchem_registration_code,
    )


def _event_record(event: RiskEvent, enterprise: Enterprise) -> dict:
    return hazchem.risk_event(
        {"id": event.id, "risk_unit_id": event.risk_unit_id, "name": event.name, **_dated(event)},
        enterprise.hazchem_registration_code,
    )


def _measure_record(measure: ControlMeasure, enterprise: Enterprise) -> dict:
    return hazchem.control_measure(
        {
            "id": measure.id,
            "risk_event_id": measure.risk_event_id,
            "data_source": measure.data_source,
            "description": measure.description,
            "classify1": measure.classify1,
            "classify2": measure.classify2,
            "classify3": measure.classify3,
            "check_content": measure.check_content,
            **_dated(measure),
        },
        enterprise.hazchem_registration_code,
    )


def _measure_chain(measure: ControlMeasure, enterprise: Enterprise) -> dict:
    """A control measure with its risk event and risk unit, as mapped records."""
    event = db.session.get(RiskEvent, measure.risk_event_id)
    unit = db.session.get(RiskUnit, event.risk_unit_id)
    return {
        "risk_unit": _unit_record(unit, enterprise),
        "risk_event": _event_record(event, enterprise),
        "control_measure": _measure_record(measure, enterprise),
    }


def _check_records(inspection: Inspection, enterprise: Enterprise, measure_id) -> dict:
    """The check record of an inspection and, when it ran a planned task, the check task."""
    code = enterprise.hazchem_registration_code
    records: dict = {}
    plan = None
    if inspection.task_occurrence_id:
        occurrence = db.session.get(TaskOccurrence, inspection.task_occurrence_id)
        plan = db.session.get(InspectionPlan, occurrence.plan_id)
        records["check_task"] = hazchem.check_task(
            {
                "id": plan.id,
                "title": plan.title,
                "frequency_every": plan.frequency_every,
                "frequency_unit": plan.frequency_unit,
                "anchor_at": plan.anchor_at,
                "work_start": plan.work_start,
                "work_end": plan.work_end,
                "day_type": plan.day_type,
                "created_at": plan.created_at,
                "actor": "anxun",
                "active": plan.is_active,
            },
            code,
            measure_id,
        )
    inspector = db.session.get(User, inspection.inspector_user_id)
    records["check_record"] = hazchem.check_record(
        {
            "id": inspection.id,
            "finished_at": inspection.finished_at,
            "failed": (inspection.summary or {}).get("fail", 0) > 0,
            "device_id": inspection.device_id,
            "inspection_type": inspection.inspection_type,
            "inspector_phone": inspector.phone or "",
            "received_at": inspection.received_at,
            "actor": "anxun",
        },
        code,
        plan.id if plan else None,
    )
    return records


def collect(hazard: Hazard, enterprise: Enterprise) -> dict:
    """The hazard and every parent row the national chain needs, as mapped records."""
    records: dict = {}
    measure_id = hazard.control_measure_id
    hazard_code = ""
    if measure_id:
        records.update(_measure_chain(db.session.get(ControlMeasure, measure_id), enterprise))
        hazard_code = records["risk_unit"]["hazardCode"]
    inspection = db.session.get(Inspection, hazard.inspection_id) if hazard.inspection_id else None
    found_by = hazard.source if hazard.source != "self_inspection" else "daily"
    if inspection is not None:
        found_by = inspection.inspection_type
        records.update(_check_records(inspection, enterprise, measure_id))
    records["hazard"] = hazchem.hazard(
        {
            "id": hazard.id,
            "hazard_code": hazard_code,
            "control_measure_id": measure_id,
            "inspection_id": hazard.inspection_id,
            "title": hazard.title,
            "level": hazard.level,
            "proposed_level": hazard.proposed_level,
            "reported_at": hazard.reported_at,
            "reporter_name": _name(hazard.reported_by_user_id),
            "found_by": found_by,
            "is_fixed_on_spot": hazard.is_fixed_on_spot,
            "description": hazard.description,
            "measures": hazard.measures,
            "funds": hazard.funds,
            "responsible_name": _name(hazard.responsible_user_id),
            "deadline": hazard.deadline,
            "verifier_name": _name(hazard.verified_by_user_id),
            "closed_at": hazard.closed_at,
            "state": hazard.state,
            "category": hazard.category,
            "updated_at": hazard.closed_at or hazard.reported_at,
            "actor": "anxun",
        },
        enterprise.hazchem_registration_code,
    )
    return records


# risk_register_changed entity types (the registry's) → tables. A risk object has no national
# entity: the chain starts at the risk unit, which carries its object's hazardCode (domain.md §1.2–1.3).
REGISTER_MODELS = {
    "risk_object": RiskObject,
    "risk_unit": RiskUnit,
    "risk_event": RiskEvent,
    "control_measure": ControlMeasure,
}
# Each register table and the table of its children with the column pointing at the parent.
CHILDREN = {
    RiskObject: (RiskUnit, RiskUnit.risk_object_id),
    RiskUnit: (RiskEvent, RiskEvent.risk_unit_id),
    RiskEvent: (ControlMeasure, ControlMeasure.risk_event_id),
}
RECORD_OF = {RiskUnit: _unit_record, RiskEvent: _event_record, ControlMeasure: _measure_record}
ENTITY_OF = {RiskUnit: "risk_unit", RiskEvent: "risk_event", ControlMeasure: "control_measure"}


def _children(rows: list, deleted_at=None) -> list:
    """Children of register rows: the live ones, or those deleted at `deleted_at` (the same soft
    delete as their parent; rows deleted earlier were sent deleted then)."""
    model = type(rows[0])
    child, column = CHILDREN[model]
    query = select(child).where(column.in_([row.id for row in rows])).order_by(child.id)
    query = query.where(
        child.deleted_at.is_(None) if deleted_at is None else child.deleted_at == deleted_at
    )
    return list(db.session.scalars(query))


def collect_register_change(payload: dict, enterprise: Enterprise) -> dict[str, list[dict]]:
    """The changed register row with its parents first, as mapped records per entity.

    A delete sends the rows with deleted = 1 (domain.md §1.5: deletion is the deleted flag on an
    upsert); the registry's soft delete keeps them and marks every row below in the same delete,
    so those are sent deleted too. The national chain has no risk-object entity (domain.md
    §1.2–1.3): an object change sends its units, whose hazardCode is the object's, and is not
    applicable when it changes nothing they carry or the object has no units."""
    entity_type, action = payload["entity_type"], payload["action"]
    model = REGISTER_MODELS.get(entity_type)
    if model is None:
        raise NotApplicable(f"hazchem_chain maps no record for register entity {entity_type}")
    row = db.session.get(model, payload["entity_id"])
    if row is None:
        raise DeliveryError(f"risk register {entity_type} no longer exists")
    deleted_at = row.deleted_at if action == "delete" else None
    records: dict[str, list[dict]] = {}
    if model is RiskObject:
        if not hazchem.object_change_reaches_chain(action, payload.get("changed_fields", [])):
            raise NotApplicable(
                "hazchem_chain: risk_register_changed of a risk object changes no national record"
            )
        rows = _children([row], deleted_at)
        if not rows:
            raise NotApplicable(
                "hazchem_chain: risk_register_changed of a risk object without units"
            )
    else:
        parents = []
        parent = row
        while type(parent) is not RiskUnit:
            parent = (
                db.session.get(RiskEvent, parent.risk_event_id)
                if isinstance(parent, ControlMeasure)
                else db.session.get(RiskUnit, parent.risk_unit_id)
            )
            parents.insert(0, parent)
        for parent in parents:
            records[ENTITY_OF[type(parent)]] = [RECORD_OF[type(parent)](parent, enterprise)]
        rows = [row]
    while rows:
        model = type(rows[0])
        records[ENTITY_OF[model]] = [RECORD_OF[model](item, enterprise) for item in rows]
        rows = _children(rows, deleted_at) if deleted_at and model in CHILDREN else []
    return records


def collect_inspection(inspection: Inspection, enterprise: Enterprise) -> dict[str, list[dict]]:
    """The check record of an inspection of control measures, with its measure chain and task.

    Only the risk-controls checklist generated from the register checks control measures; the
    national chain knows no other check (a check task names one riskMeasureId), so any other
    inspection is not applicable. The task names the first failed measure (the one a hazard of this
    inspection is bound to, as the hazard path sends it), else the first checked one."""
    version = db.session.get(ChecklistVersion, inspection.checklist_version_id)
    candidates = hazchem.checked_measures(
        version.code,
        version.owner_enterprise_id is not None,
        [(answer.item_id, answer.result) for answer in inspection.answers],
    )
    measure = next(
        (
            found
            for found in (db.session.get(ControlMeasure, mid) for mid in candidates)
            if found is not None and found.enterprise_id == inspection.enterprise_id
        ),
        None,
    )
    if measure is None:
        raise NotApplicable(
            f"hazchem_chain: inspection_summary of checklist {version.code} checks no control "
            "measure"
        )
    records = {
        **_measure_chain(measure, enterprise),
        **_check_records(inspection, enterprise, measure.id),
    }
    return {kind: [record] for kind, record in records.items()}


# Event types the national chain has a record for; the others (order acknowledgments, …) are
# skipped as not applicable, never dead-lettered, and so are inspections of anything but control
# measures and risk-object changes that reach no national record.
HAZARD_EVENT_TYPES = frozenset({"major_hazard_confirmed", "hazard_closed", "hazard_overdue"})
MAPPED_EVENT_TYPES = HAZARD_EVENT_TYPES | {"risk_register_changed", "inspection_summary"}


class HazchemChainAdapter(Adapter):
    name = "hazchem_chain"
    required_config = ("base_url", "secret")

    def prepare(self, envelope: dict) -> list[Post]:
        event_type, aggregate = envelope["type"], envelope["aggregate"]
        if event_type not in MAPPED_EVENT_TYPES:
            raise NotApplicable(f"hazchem_chain maps no record for event type {event_type}")
        enterprise = db.session.get(Enterprise, envelope["enterprise"]["id"])
        if event_type in HAZARD_EVENT_TYPES and aggregate["type"] == "hazard":
            hazard = db.session.get(Hazard, uuid.UUID(aggregate["id"]))
            if hazard is None:
                raise DeliveryError("hazard no longer exists")
            records = {kind: [record] for kind, record in collect(hazard, enterprise).items()}
        elif event_type == "risk_register_changed":
            records = collect_register_change(envelope["payload"], enterprise)
        elif event_type == "inspection_summary" and aggregate["type"] == "inspection":
            inspection = db.session.get(Inspection, uuid.UUID(aggregate["id"]))
            if inspection is None:
                raise DeliveryError("inspection no longer exists")
            records = collect_inspection(inspection, enterprise)
        else:
            raise NotApplicable(f"hazchem_chain maps no record for event type {event_type}")
        if not enterprise.hazchem_registration_code:
            raise DeliveryError("enterprise has no 危险化学品登记编码 (companyCode)")
        return [
            self._post(hazchem.ENTITY_PATHS[kind], batch, f"{envelope['id']}:{kind}")
            for kind, batch in hazchem.batches(records)
        ]

    def _post(self, path: str, records: list, key: str) -> Post:
        body = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self.config["secret"], body),
            IDEMPOTENCY_HEADER: key,
        }
        return Post(self.config["base_url"].rstrip("/") + "/" + path, body, headers, label=path)
