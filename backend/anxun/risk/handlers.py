"""How the risk domain reacts to inspections: a failed check of a control measure ties its hazard
to the measure's risk unit, and a scanned place shows its risk level."""

from __future__ import annotations

from anxun.core import events
from anxun.hazards.events import InspectionHazardsRaised
from anxun.inspections.events import PlaceRisk
from anxun.risk.map.drawing import level_label
from anxun.risk.map.queries import target_levels
from anxun.risk.registry import services as registry
from anxun.risk.registry.measure_checklist import CODE as MEASURE_CHECKLIST_CODE
from anxun.risk.registry.measure_checklist import measure_id_from_item


def link_failed_measure_checks(event: InspectionHazardsRaised) -> None:
    """On the enterprise's checklist generated from its own control measures (risk-controls), a
    hazard from a failed measure check raises the risk of the measure's unit while it is open."""
    version = event.submitted.version
    if version.code != MEASURE_CHECKLIST_CODE or version.owner_enterprise_id is None:
        return
    for hazard in event.hazards:
        measure_id = measure_id_from_item(hazard.item_id)
        if measure_id is not None:
            registry.link_hazard_to_measure(hazard, measure_id)


def place_risk(question: PlaceRisk) -> dict | None:
    """The place's highest effective risk level (raised while linked hazards are open)."""
    facts = target_levels(question.enterprise_id).get(("place", question.place_id))
    if not facts or facts["level"] is None:
        return None
    return {
        "level": {"code": facts["level"], "label": level_label(facts["level"])},
        "raised": facts["raised"],
    }


def register() -> None:
    events.subscribe(InspectionHazardsRaised, link_failed_measure_checks)
    events.subscribe(PlaceRisk, place_risk)
