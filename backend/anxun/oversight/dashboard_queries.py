"""Read side of the regulator overview: one set-based row per enterprise in the jurisdiction,
totals, and daily trends. A fixed number of queries however many enterprises there are."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select

from anxun.commitments import queries as commitment_queries
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Inspection
from anxun.inspections.planning_queries import local_midnight
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, EnterpriseIndustry, Region
from anxun.oversight import indicators
from anxun.oversight.models import RectificationOrder, SupervisedListing
from anxun.risk import grade_inputs
from anxun.risk.models import EnterpriseGradeSnapshot

# The online operation rate shown is over the 30 local days up to today (as the grade's period).


def require_overseer(actor: Actor) -> None:
    """The overview is for regulators and platform admins; enterprise staff and agencies 403."""
    if not (actor.is_platform_admin or actor.regulator_ids):
        raise Forbidden("仅监管部门人员可以查看辖区总览。")


def _scope_conditions(actor: Actor, args: dict) -> list:
    conditions = [scoping.enterprise_clause(actor, scoping.READ)]
    if args.get("industry"):
        conditions.append(
            exists().where(
                EnterpriseIndustry.enterprise_id == Enterprise.id,
                EnterpriseIndustry.industry == args["industry"],
            )
        )
    if args.get("region_code"):
        conditions.append(Enterprise.region_code.startswith(args["region_code"], autoescape=True))
    if args.get("enterprise_id") is not None:
        conditions.append(Enterprise.id == args["enterprise_id"])
    return conditions


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _latest_grades(scope_ids):
    latest = (
        select(
            EnterpriseGradeSnapshot.enterprise_id.label("enterprise_id"),
            func.max(EnterpriseGradeSnapshot.day).label("day"),
        )
        .where(EnterpriseGradeSnapshot.enterprise_id.in_(scope_ids))
        .group_by(EnterpriseGradeSnapshot.enterprise_id)
        .subquery()
    )
    return (
        select(
            EnterpriseGradeSnapshot.enterprise_id.label("enterprise_id"),
            EnterpriseGradeSnapshot.colour.label("colour"),
            EnterpriseGradeSnapshot.score.label("score"),
            EnterpriseGradeSnapshot.day.label("day"),
            EnterpriseGradeSnapshot.operation_rate.label("operation_rate"),
            EnterpriseGradeSnapshot.operation_windows.label("operation_windows"),
        )
        .join(
            latest,
            and_(
                latest.c.enterprise_id == EnterpriseGradeSnapshot.enterprise_id,
                latest.c.day == EnterpriseGradeSnapshot.day,
            ),
        )
        .subquery()
    )


def _overview_select(conditions: list, today: date, now: datetime, ack_days: int):
    scope_ids = select(Enterprise.id).where(*conditions)
    is_open = Hazard.state.not_in(indicators.FINISHED_HAZARD_STATES)
    # Only open hazards are read (the partial index ix_hazard_open_enterprise): closed and
    # rejected ones, most of a mature province's millions, never enter the aggregate.
    hazards = (
        select(
            Hazard.enterprise_id.label("enterprise_id"),
            func.count().label("open"),
            _count_if(Hazard.deadline < today).label("overdue"),
            _count_if(Hazard.level == "major").label("major"),
        )
        .where(Hazard.enterprise_id.in_(scope_ids), is_open)
        .group_by(Hazard.enterprise_id)
        .subquery()
    )
    inspections = (
        select(
            Inspection.enterprise_id.label("enterprise_id"),
            func.max(Inspection.finished_at).label("last_at"),
        )
        .where(Inspection.enterprise_id.in_(scope_ids))
        .group_by(Inspection.enterprise_id)
        .subquery()
    )
    issued = and_(
        RectificationOrder.state == "issued", RectificationOrder.acknowledged_at.is_(None)
    )
    escalated = and_(
        issued,
        or_(
            RectificationOrder.escalated_at.is_not(None),
            RectificationOrder.issued_at < indicators.escalation_cutoff(now, ack_days),
        ),
    )
    orders = (
        select(
            RectificationOrder.enterprise_id.label("enterprise_id"),
            _count_if(issued).label("unacknowledged"),
            _count_if(escalated).label("escalated"),
        )
        .where(RectificationOrder.enterprise_id.in_(scope_ids))
        .group_by(RectificationOrder.enterprise_id)
        .subquery()
    )
    listings = (
        select(
            SupervisedListing.enterprise_id.label("enterprise_id"),
            func.count(SupervisedListing.id).label("listed"),
        )
        .where(SupervisedListing.enterprise_id.in_(scope_ids), SupervisedListing.state == "listed")
        .group_by(SupervisedListing.enterprise_id)
        .subquery()
    )
    grades = _latest_grades(scope_ids)
    query = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.region_code,
            Region.name.label("region_name"),
            Enterprise.latitude,
            Enterprise.longitude,
            grades.c.colour,
            grades.c.score,
            grades.c.day.label("grade_day"),
            grades.c.operation_rate,
            grades.c.operation_windows,
            func.coalesce(hazards.c.open, 0).label("open_hazards"),
            func.coalesce(hazards.c.overdue, 0).label("overdue_hazards"),
            func.coalesce(hazards.c.major, 0).label("open_major_hazards"),
            inspections.c.last_at.label("last_inspection_at"),
            func.coalesce(orders.c.unacknowledged, 0).label("unacknowledged_orders"),
            func.coalesce(orders.c.escalated, 0).label("escalated_orders"),
            func.coalesce(listings.c.listed, 0).label("listed_major_hazards"),
        )
        .join(Region, Region.code == Enterprise.region_code)
        .outerjoin(hazards, hazards.c.enterprise_id == Enterprise.id)
        .outerjoin(inspections, inspections.c.enterprise_id == Enterprise.id)
        .outerjoin(orders, orders.c.enterprise_id == Enterprise.id)
        .outerjoin(listings, listings.c.enterprise_id == Enterprise.id)
        .outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        .where(*conditions)
    )
    return query, grades, inspections


def _industries_of(conditions: list) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(EnterpriseIndustry.enterprise_id, EnterpriseIndustry.industry)
        .where(EnterpriseIndustry.enterprise_id.in_(select(Enterprise.id).where(*conditions)))
        .order_by(EnterpriseIndustry.enterprise_id, EnterpriseIndustry.industry)
    ).all()
    result: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, industry in rows:
        result[enterprise_id].append(industry)
    return result


def operation_rates(conditions: list, today: date) -> dict[int, float | None]:
    """在线运行率 of every enterprise in scope: the grade's own figure for today (one source,
    risk/grade_inputs.operation_rates), so the overview, the facts panel and the grade agree."""
    return grade_inputs.operation_rates(select(Enterprise.id).where(*conditions), today)


def _operation_rates(records, today: date) -> dict[int, float | None]:
    """Today's rate as the daily grade snapshot recorded it (the same figure: a day's rate never
    changes during that day); computed from the task windows only for enterprises without one."""
    rates, missing = {}, []
    for r in records:
        if r.grade_day == today and r.operation_windows is not None:
            rates[r.id] = r.operation_rate
        else:
            missing.append(r.id)
    if missing:
        rates.update(grade_inputs.operation_rates(missing, today))
    return rates


def overview(actor: Actor, args: dict, now: datetime, today: date, ack_days: int) -> dict:
    """Rows for the enterprises in the caller's jurisdiction matching the filters, sorted, with
    totals over the whole filtered set."""
    require_overseer(actor)
    conditions = _scope_conditions(actor, args)
    query, grades, inspections = _overview_select(conditions, today, now, ack_days)
    grade = args.get("grade")
    if grade == "none":
        query = query.where(grades.c.colour.is_(None))
    elif grade:
        query = query.where(grades.c.colour == grade)
    if args.get("stale_days") is not None:
        cutoff = indicators.stale_cutoff(now, args["stale_days"])
        query = query.where(or_(inspections.c.last_at.is_(None), inspections.c.last_at < cutoff))
    records = db.session.execute(query).all()
    industries = _industries_of(conditions)
    rates = _operation_rates(records, today)
    commitments = commitment_queries.statuses_for([r.id for r in records], today, now)
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "region_code": r.region_code,
            "region": {"code": r.region_code, "name": r.region_name},
            "industries": industries.get(r.id, []),
            "latitude": r.latitude,
            "longitude": r.longitude,
            "grade": r.colour,
            "grade_score": r.score,
            "grade_day": r.grade_day,
            "open_hazards": int(r.open_hazards),
            "overdue_hazards": int(r.overdue_hazards),
            "open_major_hazards": int(r.open_major_hazards),
            "operation_rate": rates.get(r.id),
            "last_inspection_at": r.last_inspection_at,
            "unacknowledged_orders": int(r.unacknowledged_orders),
            "escalated_orders": int(r.escalated_orders),
            "listed_major_hazards": int(r.listed_major_hazards),
            "commitment": commitments.get(r.id),
        }
        for r in records
    ]
    sort = args.get("sort") or "name"
    rows = indicators.sort_rows(rows, sort, descending=args.get("order") == "desc")
    page, per_page = args.get("page") or 1, args.get("per_page")
    shown = rows[(page - 1) * per_page : page * per_page] if per_page else rows
    return {
        "items": shown,
        "total": len(rows),
        "page": page,
        "per_page": per_page,
        "totals": indicators.totals(rows),
        "operation_rate_period": dict(
            zip(("from", "to"), grade_inputs.operation_period(today), strict=True)
        ),
        "ack_days": ack_days,
        "generated_at": now,
    }


def trends(actor: Actor, args: dict, now: datetime, today: date) -> dict:
    """Per local day of the last `days` days: hazards reported and closed, overdue hazards open
    at the end of the day, inspections finished; plus today's grade distribution."""
    require_overseer(actor)
    conditions = _scope_conditions(actor, args)
    scope_ids = select(Enterprise.id).where(*conditions)
    first = today - timedelta(days=args["days"] - 1)
    start, end = local_midnight(first), local_midnight(today + timedelta(days=1))
    hazard_rows = db.session.execute(
        select(Hazard.reported_at, Hazard.closed_at, Hazard.deadline, Hazard.state).where(
            Hazard.enterprise_id.in_(scope_ids),
            Hazard.reported_at < end,
            or_(
                Hazard.reported_at >= start,
                Hazard.closed_at >= start,
                and_(Hazard.closed_at.is_(None), Hazard.state != "rejected"),
            ),
        )
    ).all()
    hazards = [
        indicators.HazardFacts(
            reported_on=indicators.local_day(r.reported_at),
            closed_on=indicators.local_day(r.closed_at) if r.closed_at else None,
            deadline=r.deadline,
            state=r.state,
        )
        for r in hazard_rows
    ]
    inspection_days = [
        indicators.local_day(finished)
        for finished in db.session.scalars(
            select(Inspection.finished_at).where(
                Inspection.enterprise_id.in_(scope_ids),
                Inspection.corrects_id.is_(None),
                Inspection.finished_at >= start,
                Inspection.finished_at < end,
            )
        )
    ]
    grades = _latest_grades(scope_ids)
    colours = db.session.scalars(
        select(grades.c.colour)
        .select_from(Enterprise)
        .outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        .where(*conditions)
    ).all()
    return {
        "days": indicators.daily_series(hazards, inspection_days, first, today),
        "grades": indicators.grade_distribution(colours),
        "enterprises": len(colours),
        "generated_at": now,
    }
