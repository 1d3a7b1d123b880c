"""Outbox events raised outside the hazard loop: inspection summaries, risk-register changes and
audit-chain checkpoints.

Callers invoke these inside the transaction of the change, so an event exists exactly when the
change was committed."""

from __future__ import annotations

from anxun.core import checkpoint_signing
from anxun.core.audit import AuditCheckpoint
from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.outbox.enqueue import enqueue, enqueue_platform
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit

INSPECTION_SUMMARY = "inspection_summary"
RISK_REGISTER_CHANGED = "risk_register_changed"
AUDIT_CHECKPOINT = "audit_checkpoint"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def inspection_summary(inspection, version, place, hazards_raised: int, enterprise: Enterprise):
    """An accepted inspection: what was checked, where, when, the counts and the hazards raised."""
    summary = inspection.summary or {}
    payload = {
        "inspection_id": str(inspection.id),
        "enterprise_id": enterprise.id,
        "inspection_type": inspection.inspection_type,
        "source": inspection.source,
        "checklist": {
            "code": version.code,
            "version": version.version_hash,
            "version_label": version.version_label,
        },
        "place": {"id": place.id, "name": place.name} if place is not None else None,
        "started_at": _iso(inspection.started_at),
        "finished_at": _iso(inspection.finished_at),
        "received_at": _iso(inspection.received_at),
        "counts": {key: summary.get(key, 0) for key in ("pass", "fail", "na")},
        "hazards_raised": hazards_raised,
        "corrects_id": str(inspection.corrects_id) if inspection.corrects_id else None,
    }
    return enqueue(INSPECTION_SUMMARY, enterprise, "inspection", inspection.id, payload)


def _risk_object_of(row) -> RiskObject:
    """Walk measure → event → unit → object."""
    if isinstance(row, ControlMeasure):
        row = db.session.get(RiskEvent, row.risk_event_id)
    if isinstance(row, RiskEvent):
        row = db.session.get(RiskUnit, row.risk_unit_id)
    if isinstance(row, RiskUnit):
        row = db.session.get(RiskObject, row.risk_object_id)
    return row


def risk_register_changed(entity_type: str, row, action: str, change: dict | None = None):
    """A registry row was created, updated or deleted: which one, and under which risk object."""
    risk_object = _risk_object_of(row)
    enterprise = db.session.get(Enterprise, row.enterprise_id)
    payload = {
        "entity_type": entity_type,
        "entity_id": row.id,
        "action": action,
        "risk_object": {
            "id": risk_object.id,
            "name": risk_object.name,
            "hazard_code": risk_object.hazard_code,
            "is_major_hazard_source": risk_object.is_major_hazard_source,
        },
        "changed_fields": sorted(change) if change else [],
    }
    return enqueue(RISK_REGISTER_CHANGED, enterprise, entity_type, row.id, payload)


def audit_checkpoint(checkpoint: AuditCheckpoint, public_key_pem: str):
    """A signed chain head for the regulators' platforms to keep as outside witnesses.

    The audit chain is one chain for the whole platform, so every active endpoint receives it:
    each regulator that keeps a copy is one more party an insider would have to corrupt to
    rewrite history. The payload holds only positions and hashes, no enterprise data; with the
    public key a witness checks the signature over checkpoint_signing.message(signed)."""
    payload = {
        "format": checkpoint_signing.FORMAT,
        "algorithm": checkpoint_signing.ALGORITHM,
        "signed": checkpoint.signed_fields(),
        "signature": checkpoint.signature,
        "public_key": public_key_pem,
    }
    return enqueue_platform(AUDIT_CHECKPOINT, "audit_checkpoint", checkpoint.id, payload)
