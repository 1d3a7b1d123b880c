"""How the hazards domain reacts to other domains' events and answers their questions."""

from __future__ import annotations

from sqlalchemy import select

from anxun.campaigns import queries as campaign_queries
from anxun.core import events
from anxun.extensions import db
from anxun.hazards import services
from anxun.hazards.events import InspectionHazardsRaised
from anxun.hazards.models import Hazard
from anxun.inspections.events import HazardsOfInspection, InspectionSubmitted, RaisedHazard


def _raised(hazard: Hazard) -> RaisedHazard:
    return RaisedHazard(str(hazard.id), hazard.item_id, hazard.proposed_level, hazard.state)


def _items_with_hazards(inspection_id) -> set[str]:
    return set(
        db.session.scalars(select(Hazard.item_id).where(Hazard.inspection_id == inspection_id))
    )


def raise_hazards_for_failed_items(event: InspectionSubmitted) -> list[RaisedHazard]:
    """Every failed check item becomes a hazard in `reported` (安监总局令第16号 登记建档), except one
    the corrected record already raised; a campaign task's hazards are the campaign's."""
    inspection = event.inspection
    hazards: list[Hazard] = []
    if event.failed:
        already = _items_with_hazards(inspection.corrects_id) if inspection.corrects_id else set()
        campaign_id = campaign_queries.campaign_for_occurrence(inspection.task_occurrence_id)
        for failed in event.failed:
            if failed.item["id"] in already:
                continue
            hazard = services.report_hazard(
                event.actor,
                event.enterprise,
                {
                    "title": f"不符合：{failed.item['text']}",
                    "description": failed.note,
                    "place_id": inspection.place_id,
                    "media_ids": list(failed.media_ids),
                    "proposed_level": "major" if failed.item["major"] else "general",
                },
                source="campaign" if campaign_id is not None else inspection.source,
                inspection=inspection,
                item=failed.item,
                checklist_version_id=event.version.id,
                audit_run_id=inspection.audit_run_id,
                campaign_id=campaign_id,
            )
            hazards.append(hazard)
    events.publish(InspectionHazardsRaised(event, tuple(hazards)))
    return [_raised(h) for h in hazards]


def hazards_of_inspection(question: HazardsOfInspection) -> list[RaisedHazard]:
    rows = db.session.scalars(
        select(Hazard)
        .where(Hazard.inspection_id == question.inspection_id)
        .order_by(Hazard.reported_at, Hazard.id)
    )
    return [_raised(h) for h in rows]


def register() -> None:
    events.subscribe(InspectionSubmitted, raise_hazards_for_failed_items)
    events.subscribe(HazardsOfInspection, hazards_of_inspection)
