"""What the inspections domain announces and what it asks other domains (core/events.py): it knows
nothing of hazards, risk, the outbox or audits, they subscribe to these."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from anxun.checklists.models import ChecklistVersion
from anxun.core.auth import Actor
from anxun.inspections.models import Inspection, Place
from anxun.orgs.models import Enterprise

# --- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedAnswer:
    """A check item judged `fail`: the version's item (id, text, major, basis, category), the
    inspector's note and the photos."""

    item: dict
    note: str
    media_ids: tuple[str, ...]


@dataclass(frozen=True)
class InspectionSubmitted:
    """A new inspection was stored with its answers (not sent again for a replay).

    Handlers run in the submit's transaction; one that raises hazards returns them as a list of
    `RaisedHazard`, which the receipt shows."""

    actor: Actor
    inspection: Inspection
    enterprise: Enterprise
    version: ChecklistVersion
    place: Place | None
    failed: tuple[FailedAnswer, ...]


@dataclass(frozen=True)
class RaisedHazard:
    """A hazard an inspection raised, as its receipt and view show it."""

    id: str
    item_id: str | None
    proposed_level: str
    state: str


# --- questions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardsOfInspection:
    """The hazards this inspection raised, oldest first: a list of `RaisedHazard`."""

    inspection_id: uuid.UUID


@dataclass(frozen=True)
class AuditedEnterprise:
    """The enterprise id of the open audit run an auditor's inspection belongs to; a domain
    error (403/404/422) when the actor may not inspect under that run."""

    actor: Actor
    audit_run_id: int
    enterprise_id: int | None


@dataclass(frozen=True)
class HasOpenAuditRun:
    """Whether one of the actor's agencies has an open audit run on the enterprise (a bool)."""

    actor: Actor
    enterprise_id: int


@dataclass(frozen=True)
class PlaceRisk:
    """A place's highest effective risk level, `{level: {code, label}, raised}`, or None when no
    graded unit is at the place."""

    enterprise_id: int
    place_id: int
