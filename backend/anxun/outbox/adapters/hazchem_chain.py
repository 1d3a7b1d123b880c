"""Adapter for the national hazardous-chemicals data chain: sends a hazard with its parents first."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

from anxun.accounts.models import User
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection, InspectionPlan, TaskOccurrence
from anxun.orgs.models import Enterprise
from anxun.outbox.adapters.base import Adapter, DeliveryError, NotApplicable
from anxun.outbox.adapters.webhook import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign
from anxun.outbox.mappings import hazchem
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry_queries import unit_levels


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


def collect(hazard: Hazard, enterprise: Enterprise) -> dict:
    """The hazard and every parent row the national chain needs, as mapped records."""
    code = enterprise.hazchem_registration_code
    records: dict = {}
    measure_id = hazard.control_measure_id
    hazard_code = ""
    if measure_id:
        measure = db.session.get(ControlMeasure, measure_id)
        event = db.session.get(RiskEvent, measure.risk_event_id)
        unit = db.session.get(RiskUnit, event.risk_unit_id)
        risk_object = db.session.get(RiskObject, unit.risk_object_id)
        hazard_code = risk_object.hazard_code
        level = unit_levels(enterprise.id).get(unit.id, {}).get("assessed")
        records["risk_unit"] = hazchem.risk_unit(
            {
                "id": unit.id,
                "hazard_code": hazard_code,
                "department": unit.department,
                "responsible_name": unit.responsible_name,
                "name": unit.name,
                "level": level,
                **_dated(unit),
            },
            code,
        )
        records["risk_event"] = hazchem.risk_event(
            {"id": event.id, "risk_unit_id": unit.id, "name": event.name, **_dated(event)}, code
        )
        records["control_measure"] = hazchem.control_measure(
            {
                "id": measure.id,
                "risk_event_id": event.id,
                "data_source": measure.data_source,
                "description": measure.description,
                "classify1": measure.classify1,
                "classify2": measure.classify2,
                "classify3": measure.classify3,
                "check_content": measure.check_content,
                **_dated(measure),
            },
            code,
        )
    inspection = db.session.get(Inspection, hazard.inspection_id) if hazard.inspection_id else None
    found_by = hazard.source if hazard.source != "self_inspection" else "daily"
    if inspection is not None:
        found_by = inspection.inspection_type
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
        code,
    )
    return records


# Event types the national chain has a record for; the others (inspection summaries, risk-register
# changes, order acknowledgments, …) are skipped as not applicable, never dead-lettered.
MAPPED_EVENT_TYPES = frozenset({"major_hazard_confirmed", "hazard_closed", "hazard_overdue"})


class HazchemChainAdapter(Adapter):
    name = "hazchem_chain"
    required_config = ("base_url", "secret")

    def send(self, envelope: dict) -> int:
        if envelope["type"] not in MAPPED_EVENT_TYPES or envelope["aggregate"]["type"] != "hazard":
            raise NotApplicable(f"hazchem_chain maps no record for event type {envelope['type']}")
        hazard = db.session.get(Hazard, uuid.UUID(envelope["aggregate"]["id"]))
        enterprise = db.session.get(Enterprise, envelope["enterprise"]["id"])
        if hazard is None:
            raise DeliveryError("hazard no longer exists")
        if not enterprise.hazchem_registration_code:
            raise DeliveryError("enterprise has no 危险化学品登记编码 (companyCode)")
        status = 0
        for kind, record in hazchem.chain(collect(hazard, enterprise)):
            status = self._post(hazchem.ENTITY_PATHS[kind], [record], f"{envelope['id']}:{kind}")
        return status

    def _post(self, path: str, records: list, key: str) -> int:
        body = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()
        request = urllib.request.Request(
            self.config["base_url"].rstrip("/") + "/" + path,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(self.config["secret"], body),
                IDEMPOTENCY_HEADER: key,
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=float(self.config.get("timeout_seconds", 10))
            ) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"{path}: HTTP {exc.code}", status=exc.code) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"{path}: network: {getattr(exc, 'reason', exc)}") from exc
