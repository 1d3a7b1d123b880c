"""Read queries for the risk registry: scoped loads, child lists, the register tree, unit levels."""

from __future__ import annotations

from sqlalchemy import func, select

from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.risk.grading.dynamic import effective_level, highest
from anxun.risk.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit

# Hazard states that no longer raise a unit's risk.
FINISHED_HAZARD_STATES = ("closed", "rejected")
ENTITY_LABELS = {
    RiskObject: "风险分析对象",
    RiskUnit: "风险分析单元",
    RiskEvent: "安全风险事件",
    ControlMeasure: "管控措施",
}
# Each entity's parent link: lists are scoped to one parent.
PARENT_COLUMNS = {
    RiskObject: RiskObject.enterprise_id,
    RiskUnit: RiskUnit.risk_object_id,
    RiskEvent: RiskEvent.risk_unit_id,
    ControlMeasure: ControlMeasure.risk_event_id,
}
SORT_COLUMNS = {
    RiskObject: {"id": [RiskObject.id], "name": [RiskObject.name, RiskObject.id]},
    RiskUnit: {"id": [RiskUnit.id], "name": [RiskUnit.name, RiskUnit.id]},
    RiskEvent: {"id": [RiskEvent.id], "name": [RiskEvent.name, RiskEvent.id]},
    ControlMeasure: {"id": [ControlMeasure.id], "name": [ControlMeasure.id]},
}


def load_entity(actor: Actor, model, entity_id: int, access: str = scoping.READ):
    """A non-deleted registry row the actor may see (404 otherwise; 403 when read-only and
    `access` is WRITE)."""
    row = db.session.get(model, entity_id)
    message = f"未找到该{ENTITY_LABELS[model]}，或您无权查看。"
    if row is None or row.deleted_at is not None:
        raise NotFound(message)
    try:
        scoping.get_enterprise(actor, row.enterprise_id, access, scoping.RISK)
    except NotFound as exc:
        raise NotFound(message) from exc
    return row


def list_children(model, parent_id: int, args: dict):
    """One page of the non-deleted children of a parent, sorted as asked."""
    query = select(model).where(PARENT_COLUMNS[model] == parent_id, model.deleted_at.is_(None))
    columns = SORT_COLUMNS[model][args["sort"]]
    rows, next_cursor = paginate(query, columns, args["cursor"], args["limit"])
    return list(rows), next_cursor


def latest_assessments(event_ids: list[int], kind: str = "residual") -> dict[int, RiskAssessment]:
    """The latest assessment of each event (by assessed date, then id)."""
    if not event_ids:
        return {}
    rows = db.session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.risk_event_id.in_(event_ids), RiskAssessment.kind == kind)
        .order_by(RiskAssessment.assessed_on, RiskAssessment.id)
    ).all()
    return {row.risk_event_id: row for row in rows}


def unit_levels(enterprise_id: int, unit_ids: list[int] | None = None) -> dict[int, dict]:
    """Assessed and effective level of each non-deleted risk unit of an enterprise (see
    unit_levels_by_enterprise), optionally only of `unit_ids`."""
    return unit_levels_by_enterprise([enterprise_id], unit_ids).get(enterprise_id, {})


def unit_levels_by_enterprise(
    enterprise_ids: list[int], unit_ids: list[int] | None = None
) -> dict[int, dict[int, dict]]:
    """{enterprise id: {unit id: levels}} for the non-deleted risk units of the enterprises, in
    four queries however many enterprises are asked for.

    assessed: the highest level among the latest residual assessments of the unit's non-deleted
    events (None when none is graded); open_hazards: hazards on the unit not closed or rejected;
    effective: assessed, raised one step while a hazard is open (dynamic risk)."""
    query = (
        select(RiskUnit.id, RiskUnit.enterprise_id)
        .join(RiskObject, RiskObject.id == RiskUnit.risk_object_id)
        .where(
            RiskUnit.enterprise_id.in_(enterprise_ids),
            RiskUnit.deleted_at.is_(None),
            RiskObject.deleted_at.is_(None),
        )
    )
    if unit_ids is not None:
        query = query.where(RiskUnit.id.in_(unit_ids))
    units = dict(db.session.execute(query.order_by(RiskUnit.id)).all())
    if not units:
        return {}
    unit_select = query.with_only_columns(RiskUnit.id)
    # The latest residual assessment of each non-deleted event wins (by assessed date, then id).
    latest: dict[int, tuple[int, str]] = {}
    for event_id, unit_id, level in db.session.execute(
        select(RiskEvent.id, RiskEvent.risk_unit_id, RiskAssessment.level)
        .join(RiskAssessment, RiskAssessment.risk_event_id == RiskEvent.id)
        .where(
            RiskEvent.risk_unit_id.in_(unit_select),
            RiskEvent.deleted_at.is_(None),
            RiskAssessment.kind == "residual",
        )
        .order_by(RiskAssessment.assessed_on, RiskAssessment.id)
    ):
        latest[event_id] = (unit_id, level)
    graded: dict[int, list[str]] = {unit_id: [] for unit_id in units}
    for unit_id, level in latest.values():
        graded[unit_id].append(level)
    open_counts = dict(
        db.session.execute(
            select(Hazard.risk_unit_id, func.count(Hazard.id))
            .where(
                Hazard.risk_unit_id.in_(unit_select),
                Hazard.state.not_in(FINISHED_HAZARD_STATES),
            )
            .group_by(Hazard.risk_unit_id)
        ).all()
    )
    result: dict[int, dict[int, dict]] = {}
    for unit_id, enterprise_id in units.items():
        assessed = highest(graded[unit_id])
        open_hazards = open_counts.get(unit_id, 0)
        effective = effective_level(assessed, open_hazards)
        result.setdefault(enterprise_id, {})[unit_id] = {
            "assessed": assessed,
            "open_hazards": open_hazards,
            "effective": effective,
            "raised": effective != assessed,
        }
    return result


def with_levels(units: list[RiskUnit]) -> list[RiskUnit]:
    """Attach `levels` (see unit_levels) to each unit for dumping."""
    by_enterprise: dict[int, list[int]] = {}
    for unit in units:
        by_enterprise.setdefault(unit.enterprise_id, []).append(unit.id)
    levels: dict[int, dict] = {}
    for enterprise_id, ids in by_enterprise.items():
        levels.update(unit_levels(enterprise_id, ids))
    for unit in units:
        unit.levels = levels.get(unit.id) or {
            "assessed": None,
            "open_hazards": 0,
            "effective": None,
            "raised": False,
        }
    return units


def with_latest_assessment(events: list[RiskEvent]) -> list[RiskEvent]:
    """Attach `latest_assessment` (latest residual grading or None) to each event for dumping."""
    latest = latest_assessments([event.id for event in events])
    for event in events:
        event.latest_assessment = latest.get(event.id)
    return events


def register_tree(enterprise: Enterprise) -> dict:
    """The whole registry of an enterprise, nested object → unit → event → measure."""
    objects = _live(RiskObject, enterprise.id)
    units = with_levels(_live(RiskUnit, enterprise.id))
    events = with_latest_assessment(_live(RiskEvent, enterprise.id))
    measures = _live(ControlMeasure, enterprise.id)
    _nest(events, "measures", measures, "risk_event_id")
    _nest(units, "events", events, "risk_unit_id")
    _nest(objects, "units", units, "risk_object_id")
    live_units = [unit for obj in objects for unit in obj.units]
    live_events = [event for unit in live_units for event in unit.events]
    return {
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "counts": {
            "objects": len(objects),
            "units": len(live_units),
            "events": len(live_events),
            "measures": sum(len(event.measures) for event in live_events),
        },
        "objects": objects,
    }


def _live(model, enterprise_id: int) -> list:
    return list(
        db.session.scalars(
            select(model)
            .where(model.enterprise_id == enterprise_id, model.deleted_at.is_(None))
            .order_by(model.id)
        )
    )


def _nest(parents: list, attribute: str, children: list, key: str) -> None:
    by_parent: dict[int, list] = {}
    for child in children:
        by_parent.setdefault(getattr(child, key), []).append(child)
    for parent in parents:
        setattr(parent, attribute, by_parent.get(parent.id, []))


def checkable_measures(enterprise_id: int) -> list[dict]:
    """Non-deleted hazard-inspection measures with their unit and event, for the checklist."""
    rows = db.session.execute(
        select(ControlMeasure, RiskEvent, RiskUnit)
        .join(RiskEvent, RiskEvent.id == ControlMeasure.risk_event_id)
        .join(RiskUnit, RiskUnit.id == RiskEvent.risk_unit_id)
        .join(RiskObject, RiskObject.id == RiskUnit.risk_object_id)
        .where(
            ControlMeasure.enterprise_id == enterprise_id,
            ControlMeasure.deleted_at.is_(None),
            RiskEvent.deleted_at.is_(None),
            RiskUnit.deleted_at.is_(None),
            RiskObject.deleted_at.is_(None),
            ControlMeasure.data_source == "hazard_inspection",
        )
        .order_by(RiskUnit.id, ControlMeasure.id)
    ).all()
    return [
        {
            "id": measure.id,
            "description": measure.description,
            "check_content": measure.check_content,
            "classify1": measure.classify1,
            "data_source": measure.data_source,
            "risk_unit_id": unit.id,
            "unit_name": unit.name,
            "event_name": event.name,
        }
        for measure, event, unit in rows
    ]
