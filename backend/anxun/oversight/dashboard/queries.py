"""Read side of the regulator overview: one set-based row per enterprise in the jurisdiction,
totals, daily trends (a fixed number of queries however many enterprises there are), and the
enterprise drill-down: header summary and inspection feed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from anxun.accounts.models import User
from anxun.checklists.loader import INSPECTION_TYPE_LABELS
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.queries import item_texts
from anxun.commitments import queries as commitment_queries
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.db import local_date, without_jit
from anxun.core.errors import Forbidden
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.queries import SOURCE_LABELS, TERMINAL, overdue_clause
from anxun.inspections.codes import verification_code
from anxun.inspections.models import Inspection, Place
from anxun.inspections.planning_queries import local_midnight
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, EnterpriseIndustry, Region
from anxun.orgs.rules import INDUSTRY_LABELS, SIZE_LABELS, Industry
from anxun.oversight.dashboard import indicators
from anxun.oversight.models import RectificationOrder, SupervisedListing
from anxun.risk.grading import inputs as grade_inputs
from anxun.risk.grading.queries import compute_grade
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


def _latest_grades(scope_ids, cte_name: str | None = None, scope=None):
    """Each enterprise's latest grade snapshot (a subquery, or a CTE named `cte_name`), of the
    enterprises `scope_ids` selects, or of those in `scope` (a CTE of ids).

    Looked up per enterprise through the (enterprise_id, day) index, so the cost follows the
    number of enterprises, not the snapshot history (one row per enterprise and day): a GROUP BY
    over every snapshot took the overview page from 70 to 900 ms with 180 days of it at 10,004
    enterprises. PostgreSQL reads the newest row in one descending probe (LATERAL … LIMIT 1);
    SQLite, without LATERAL, finds the newest day (a correlated max) and joins its row."""
    ids = scope if scope is not None else scope_ids.subquery()
    snapshot = EnterpriseGradeSnapshot
    columns = ("colour", "score", "day", "operation_rate", "operation_windows")
    if db.engine.dialect.name == "postgresql":
        newest = (
            select(*(getattr(snapshot, c).label(c) for c in columns))
            .where(snapshot.enterprise_id == ids.c.id)
            .order_by(snapshot.day.desc())
            .limit(1)
            .lateral("newest_grade")
        )
        query = select(
            ids.c.id.label("enterprise_id"), *(newest.c[c] for c in columns)
        ).select_from(ids.join(newest, true()))
    else:
        older = aliased(snapshot)
        day = select(func.max(older.day)).where(older.enterprise_id == ids.c.id).scalar_subquery()
        latest = select(ids.c.id.label("enterprise_id"), day.label("day")).subquery()
        query = select(
            snapshot.enterprise_id.label("enterprise_id"),
            *(getattr(snapshot, c).label(c) for c in columns),
        ).join(
            latest,
            and_(latest.c.enterprise_id == snapshot.enterprise_id, latest.c.day == snapshot.day),
        )
    return query.cte(cte_name) if cte_name else query.subquery()


def _aggregate_sources(scope_ids, now: datetime, ack_days: int) -> dict:
    """The rows each per-enterprise figure counts, as WHERE conditions over its own table (one
    definition for the per-enterprise aggregates and the totals), and the order conditions.
    `scope_ids` None leaves out the enterprise condition (the caller joins the scope)."""

    def in_scope(column) -> tuple:
        return () if scope_ids is None else (column.in_(scope_ids),)

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
    return {
        # Only open hazards are read (the partial index ix_hazard_open_enterprise): closed and
        # rejected ones, most of a mature province's millions, never enter the aggregate.
        "hazards": (
            *in_scope(Hazard.enterprise_id),
            Hazard.state.not_in(indicators.FINISHED_HAZARD_STATES),
        ),
        "orders": in_scope(RectificationOrder.enterprise_id),
        "listings": (
            *in_scope(SupervisedListing.enterprise_id),
            SupervisedListing.state == "listed",
        ),
        "issued": issued,
        "escalated": escalated,
    }


def _aggregates(
    scope_ids, today: date, now: datetime, ack_days: int, only: str | None = None
) -> dict:
    """Per-enterprise grouped subqueries over the enterprises `scope_ids` selects: open hazards,
    last inspection, unacknowledged/escalated orders, listed major hazards, latest grade. With
    `only`, just that one, as a CTE (overview_<only>) that one statement can read twice."""
    sources = _aggregate_sources(scope_ids, now, ack_days)
    hazards = (
        select(
            Hazard.enterprise_id.label("enterprise_id"),
            func.count().label("open"),
            _count_if(Hazard.deadline < today).label("overdue"),
            _count_if(Hazard.level == "major").label("major"),
        )
        .where(*sources["hazards"])
        .group_by(Hazard.enterprise_id)
    )
    inspections = (
        select(
            Inspection.enterprise_id.label("enterprise_id"),
            func.max(Inspection.finished_at).label("last_at"),
        )
        .where(Inspection.enterprise_id.in_(scope_ids))
        .group_by(Inspection.enterprise_id)
    )
    orders = (
        select(
            RectificationOrder.enterprise_id.label("enterprise_id"),
            _count_if(sources["issued"]).label("unacknowledged"),
            _count_if(sources["escalated"]).label("escalated"),
        )
        .where(*sources["orders"])
        .group_by(RectificationOrder.enterprise_id)
    )
    listings = (
        select(
            SupervisedListing.enterprise_id.label("enterprise_id"),
            func.count(SupervisedListing.id).label("listed"),
        )
        .where(*sources["listings"])
        .group_by(SupervisedListing.enterprise_id)
    )
    selects = {
        "hazards": hazards,
        "inspections": inspections,
        "orders": orders,
        "listings": listings,
    }
    if only == "grades":
        return {"grades": _latest_grades(scope_ids, "overview_grades")}
    if only:
        return {only: selects[only].cte(f"overview_{only}")}
    return {
        **{name: query.subquery() for name, query in selects.items()},
        "grades": _latest_grades(scope_ids),
    }


def _overview_select(conditions: list, today: date, now: datetime, ack_days: int):
    a = _aggregates(select(Enterprise.id).where(*conditions), today, now, ack_days)
    hazards, inspections, orders = a["hazards"], a["inspections"], a["orders"]
    listings, grades = a["listings"], a["grades"]
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
    risk/grading/inputs.operation_rates), so the overview, the facts panel and the grade agree."""
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


def _latest_colour():
    """The colour of an enterprise's latest grade snapshot (NULL when it has none)."""
    return (
        select(EnterpriseGradeSnapshot.colour)
        .where(EnterpriseGradeSnapshot.enterprise_id == Enterprise.id)
        .order_by(EnterpriseGradeSnapshot.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def _filter_conditions(actor: Actor, args: dict, now: datetime) -> list:
    """Scope, industry, region and enterprise filters plus the grade and stale filters, all as
    conditions on Enterprise (so the page, the totals and the rows read the same set)."""
    conditions = _scope_conditions(actor, args)
    grade = args.get("grade")
    if grade == "none":
        conditions.append(_latest_colour().is_(None))
    elif grade:
        conditions.append(_latest_colour() == grade)
    if args.get("stale_days") is not None:
        # No inspection finished since the cutoff: the last one is older, or there is none.
        cutoff = indicators.stale_cutoff(now, args["stale_days"])
        conditions.append(
            ~exists().where(
                Inspection.enterprise_id == Enterprise.id, Inspection.finished_at >= cutoff
            )
        )
    return conditions


def _has_todays_rate(grades, today: date):
    """The latest snapshot is today's and recorded the rate (see _operation_rates)."""
    return and_(
        grades.c.day.is_not(None), grades.c.day == today, grades.c.operation_windows.is_not(None)
    )


def _name_key(column):
    # Python's str.lower() order by code point: ASCII case folded, then binary comparison
    # (SQLite's default; PostgreSQL's "C" collation, whose lower() also folds ASCII only).
    return (
        func.lower(column.collate("C"))
        if db.engine.dialect.name == "postgresql"
        else func.lower(column)
    )


# The per-enterprise aggregate and column a sort reads.
_SORT_COLUMNS = {
    "open_hazards": ("hazards", "open"),
    "overdue_hazards": ("hazards", "overdue"),
    "open_major_hazards": ("hazards", "major"),
    "last_inspection_at": ("inspections", "last_at"),
    "unacknowledged_orders": ("orders", "unacknowledged"),
    "escalated_orders": ("orders", "escalated"),
    "listed_major_hazards": ("listings", "listed"),
}


def _page_select(conditions, sort, descending, today, now, ack_days):
    """The filtered enterprises' ids with the ORDER BY of indicators.sort_rows (by the sort
    key, missing values last whatever the direction, ties by id ascending), and the aggregate
    the sort joined, as a CTE the totals of the same statement read too ({} for name/region)."""
    scope_ids = select(Enterprise.id).where(*conditions)
    query = select(Enterprise.id).where(*conditions)
    shared: dict = {}
    nullable = True
    if sort == "name":
        key, nullable = _name_key(Enterprise.name), False
    elif sort == "region_code":
        key = Enterprise.region_code
        key = key.collate("C") if db.engine.dialect.name == "postgresql" else key
    elif sort in ("grade", "operation_rate"):
        shared = _aggregates(scope_ids, today, now, ack_days, only="grades")
        grades = shared["grades"]
        query = query.outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        if sort == "grade":
            key = case(
                *((grades.c.colour == c, r) for c, r in indicators.GRADE_RANK.items()), else_=None
            )
        else:
            key = case((_has_todays_rate(grades, today), grades.c.operation_rate), else_=None)
    else:
        source, column = _SORT_COLUMNS[sort]
        shared = _aggregates(scope_ids, today, now, ack_days, only=source)
        sub = shared[source]
        query = query.outerjoin(sub, sub.c.enterprise_id == Enterprise.id)
        key = sub.c[column]
        if source != "inspections":
            key, nullable = func.coalesce(key, 0), False
    order = [key.is_(None)] if nullable else []
    order += [key.desc() if descending else key.asc(), Enterprise.id]
    return query, order, shared


def _fallback_rate_page(conditions, descending, page, per_page, today, fallback_rates):
    """The page sorted by operation rate when some enterprises have no snapshot of today: their
    rate is computed in Python, so this sort (rare: before the day's snapshot job) is done on
    (id, rate) pairs."""
    grades = _latest_grades(select(Enterprise.id).where(*conditions))
    key = case((_has_todays_rate(grades, today), grades.c.operation_rate), else_=None)
    pairs = db.session.execute(
        select(Enterprise.id, key.label("rate"))
        .outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        .where(*conditions)
    ).all()
    rows = [{"id": i, "operation_rate": fallback_rates.get(i, rate)} for i, rate in pairs]
    ordered = [r["id"] for r in indicators.sort_rows(rows, "operation_rate", descending)]
    return ordered[(page - 1) * per_page : page * per_page] if per_page else ordered


def _totals_select(conditions, today, now, ack_days, shared: dict):
    """One row: the sums over the filtered set, the sum and number of today's snapshot rates,
    and how many enterprises have one.

    Each figure is one aggregate over its own table restricted to the filtered enterprises: the
    totals need no per-enterprise row, so nothing is grouped by enterprise or joined back to it.
    The filtered enterprises' ids are a CTE, evaluated once and joined (their ids are unique, so
    a join counts as IN would). A per-enterprise aggregate the page's sort already groups
    (`shared`, a CTE) is summed instead, so the statement reads those rows once. Every
    enterprise has a region (foreign key, not null), so the count needs no join to it."""
    scope = select(Enterprise.id.label("id")).where(*conditions).cte("overview_scope")
    a = _aggregate_sources(None, now, ack_days)
    if "hazards" in shared:
        h = shared["hazards"]
        hazards = select(
            func.sum(h.c.open).label("open_hazards"),
            func.sum(h.c.overdue).label("overdue_hazards"),
            func.sum(h.c.major).label("open_major_hazards"),
        )
    else:
        hazards = (
            select(
                func.count().label("open_hazards"),
                _count_if(Hazard.deadline < today).label("overdue_hazards"),
                _count_if(Hazard.level == "major").label("open_major_hazards"),
            )
            .select_from(Hazard)
            .join(scope, scope.c.id == Hazard.enterprise_id)
            .where(*a["hazards"])
        )
    if "orders" in shared:
        o = shared["orders"]
        orders = select(
            func.sum(o.c.unacknowledged).label("unacknowledged_orders"),
            func.sum(o.c.escalated).label("escalated_orders"),
        )
    else:
        orders = (
            select(
                _count_if(a["issued"]).label("unacknowledged_orders"),
                _count_if(a["escalated"]).label("escalated_orders"),
            )
            .select_from(RectificationOrder)
            .join(scope, scope.c.id == RectificationOrder.enterprise_id)
            .where(*a["orders"])
        )
    if "listings" in shared:
        listings = select(func.sum(shared["listings"].c.listed).label("listed_major_hazards"))
    else:
        listings = (
            select(func.count().label("listed_major_hazards"))
            .select_from(SupervisedListing)
            .join(scope, scope.c.id == SupervisedListing.enterprise_id)
            .where(*a["listings"])
        )
    grades = shared.get("grades")
    if grades is None:
        grades = _latest_grades(None, scope=scope)
    has_rate = _has_todays_rate(grades, today)
    known = and_(has_rate, grades.c.operation_rate.is_not(None))
    graded = select(
        *(_count_if(grades.c.colour == c).label(c) for c in indicators.GRADE_COLOURS),
        func.sum(case((known, grades.c.operation_rate), else_=None)).label("rate_sum"),
        _count_if(known).label("rate_count"),
        _count_if(has_rate).label("with_rate"),
    )
    enterprises = select(func.count().label("enterprises")).select_from(scope)
    # One-row aggregates side by side (joined ON true: no cartesian-product warning).
    parts = [q.subquery() for q in (enterprises, hazards, orders, listings, graded)]
    row = parts[0]
    for part in parts[1:]:
        row = row.join(part, true())
    return select(row)


def _summary_and_page(conditions, sort, descending, page, per_page, today, now, ack_days):
    """The totals (as _totals_select) and the page's ids.

    A page is one statement: the totals row, left joined to the page's ids numbered in the
    sort's order (none past the end). Without `per_page`, every id: the totals and the ordered
    ids are two statements (no totals columns repeated on 10,000 rows)."""
    query, order, shared = _page_select(conditions, sort, descending, today, now, ack_days)
    totals_select = _totals_select(conditions, today, now, ack_days, shared)
    if per_page:
        ranked = query.add_columns(func.row_number().over(order_by=order).label("position"))
        ranked = ranked.order_by(*order).limit(per_page).offset((page - 1) * per_page)
        ranked = ranked.subquery("overview_page")
        summary = totals_select.subquery("overview_totals")
        records = db.session.execute(
            select(summary, ranked.c.id)
            .select_from(summary.outerjoin(ranked, true()))
            .order_by(ranked.c.position)
        ).all()
        values = records[0]._mapping
        ids = [r.id for r in records if r.id is not None]
    else:
        values = db.session.execute(totals_select).one()._mapping
        ids = list(db.session.scalars(query.order_by(*order)))
    totals = {c: int(values[c] or 0) for c in indicators.TOTAL_COLUMNS}
    totals["enterprises"] = int(values["enterprises"])
    grades_count = {c: int(values[c] or 0) for c in indicators.GRADE_COLOURS}
    grades_count["none"] = totals["enterprises"] - sum(grades_count.values())
    totals["grades"] = grades_count
    missing = totals["enterprises"] > int(values["with_rate"] or 0)
    return totals, float(values["rate_sum"] or 0), int(values["rate_count"] or 0), missing, ids


def _missing_rates(conditions, today) -> dict[int, float | None]:
    """Rates computed from the task windows for the filtered enterprises without a rate of
    today on their snapshot (every enterprise, before the day's snapshot job has run)."""
    grades = _latest_grades(select(Enterprise.id).where(*conditions))
    missing = db.session.scalars(
        select(Enterprise.id)
        .outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        .where(*conditions, or_(grades.c.enterprise_id.is_(None), ~_has_todays_rate(grades, today)))
    ).all()
    rates = grade_inputs.operation_rates(missing, today) if missing else {}
    return {i: rates.get(i) for i in missing}


def _rows(conditions, today, now, ack_days, known_rates=None) -> list[dict]:
    """Overview rows of the enterprises matching `conditions` (a page), in no particular order."""
    query, _, _ = _overview_select(conditions, today, now, ack_days)
    records = db.session.execute(query).all()
    industries = _industries_of(conditions)
    if known_rates is not None:
        rates = {r.id: known_rates.get(r.id, r.operation_rate) for r in records}
    else:
        rates = _operation_rates(records, today)
    commitments = commitment_queries.statuses_for([r.id for r in records], today, now)
    return [
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


def overview(actor: Actor, args: dict, now: datetime, today: date, ack_days: int) -> dict:
    """Rows for the enterprises in the caller's jurisdiction matching the filters, sorted, with
    totals over the whole filtered set.

    Computed in SQL: the totals and the page's ids in one statement (the ids by ORDER BY … LIMIT
    joining only the sort column's aggregate, which the totals then sum instead of reading its
    rows again), then the rows, industries and commitments of the page's enterprises only. Today's operation rate comes from the grade snapshot; enterprises
    without one (before the day's snapshot job) have theirs computed, for the average and sort."""
    require_overseer(actor)
    without_jit(db.session)
    conditions = _filter_conditions(actor, args, now)
    sort = args.get("sort") or "name"
    descending = args.get("order") == "desc"
    page, per_page = args.get("page") or 1, args.get("per_page")
    totals, rate_sum, rate_count, missing, ids = _summary_and_page(
        conditions, sort, descending, page, per_page, today, now, ack_days
    )
    fallback = _missing_rates(conditions, today) if missing else None
    if fallback:
        computed = [rate for rate in fallback.values() if rate is not None]
        rate_sum, rate_count = rate_sum + sum(computed), rate_count + len(computed)
    totals["average_operation_rate"] = round(rate_sum / rate_count, 4) if rate_count else None
    if fallback is not None and sort == "operation_rate":
        ids = _fallback_rate_page(conditions, descending, page, per_page, today, fallback)
    if per_page:
        rows = _rows([Enterprise.id.in_(ids)], today, now, ack_days, fallback) if ids else []
    else:
        rows = _rows(conditions, today, now, ack_days, fallback)
    by_id = {r["id"]: r for r in rows}
    return {
        # An enterprise removed between the page's ids and its rows is left out, not a 500.
        "items": [by_id[i] for i in ids if i in by_id],
        "total": totals["enterprises"],
        "page": page,
        "per_page": per_page,
        "totals": totals,
        "operation_rate_period": dict(
            zip(("from", "to"), grade_inputs.operation_period(today), strict=True)
        ),
        "ack_days": ack_days,
        "generated_at": now,
    }


def overview_row(actor: Actor, enterprise_id: int, now: datetime, today: date, ack_days: int):
    """The overview row of one enterprise in the caller's jurisdiction (None outside it)."""
    require_overseer(actor)
    conditions = _scope_conditions(actor, {"enterprise_id": enterprise_id})
    rows = _rows(conditions, today, now, ack_days)
    return rows[0] if rows else None


def _hazard_facts(scope_ids, first: date, today: date) -> list[indicators.HazardFacts]:
    """The facts of the hazards any day of the window counts, counted in SQL: one row per China
    local reported day, local closed day, deadline and state, with the number of hazards sharing
    them (HazardFacts.count). The province's 30 days at 2,000,000 hazards: 302,323 hazards in
    14,255 rows. (The series reads of the state only whether it is rejected; grouping by that
    instead would save a fifth of the rows and make the facts' state a made-up one.)

    Those hazards are the ones reported or closed in the window, or still open and past their
    deadline on some day of it (an open hazard due later counts on no day)."""
    start, end = local_midnight(first), local_midnight(today + timedelta(days=1))
    facts = (
        select(
            local_date(Hazard.reported_at).label("reported_on"),
            local_date(Hazard.closed_at).label("closed_on"),
            Hazard.deadline.label("deadline"),
            Hazard.state.label("state"),
        )
        .where(
            Hazard.enterprise_id.in_(scope_ids),
            Hazard.reported_at < end,
            or_(
                Hazard.reported_at >= start,
                Hazard.closed_at >= start,
                and_(
                    Hazard.closed_at.is_(None),
                    Hazard.state != "rejected",
                    Hazard.deadline < today,
                ),
            ),
        )
        .subquery("trend_hazard")
    )
    # Grouped by the subquery's columns, so whatever the columns are computed from may be
    # parameters (PostgreSQL matches GROUP BY expressions by their text, two parameters differ).
    keys = (facts.c.reported_on, facts.c.closed_on, facts.c.deadline, facts.c.state)
    rows = db.session.execute(select(*keys, func.count()).group_by(*keys)).all()
    return [
        indicators.HazardFacts(
            reported_on=reported_on, closed_on=closed_on, deadline=deadline, state=state, count=n
        )
        for reported_on, closed_on, deadline, state, n in rows
    ]


def _inspections_per_day(scope_ids, first: date, today: date) -> dict[date, int]:
    """Inspections finished per local day of the window (corrections are not new inspections)."""
    start, end = local_midnight(first), local_midnight(today + timedelta(days=1))
    day = local_date(Inspection.finished_at)
    rows = db.session.execute(
        select(day, func.count())
        .where(
            Inspection.enterprise_id.in_(scope_ids),
            Inspection.corrects_id.is_(None),
            Inspection.finished_at >= start,
            Inspection.finished_at < end,
        )
        .group_by(day)
    ).all()
    return dict(rows)


def trends(actor: Actor, args: dict, now: datetime, today: date) -> dict:
    """Per local day of the last `days` days: hazards reported and closed, overdue hazards open
    at the end of the day, inspections finished; plus today's grade distribution.

    The database does the counting: hazards grouped by the facts the series reads, inspections
    per local day; Python only adds up the groups' runs of overdue days (indicators)."""
    require_overseer(actor)
    conditions = _scope_conditions(actor, args)
    scope_ids = select(Enterprise.id).where(*conditions)
    first = today - timedelta(days=args["days"] - 1)
    hazards = _hazard_facts(scope_ids, first, today)
    inspections = _inspections_per_day(scope_ids, first, today)
    grades = _latest_grades(scope_ids)
    colours = db.session.scalars(
        select(grades.c.colour)
        .select_from(Enterprise)
        .outerjoin(grades, grades.c.enterprise_id == Enterprise.id)
        .where(*conditions)
    ).all()
    return {
        "days": indicators.daily_series(hazards, inspections, first, today),
        "grades": indicators.grade_distribution(colours),
        "enterprises": len(colours),
        "generated_at": now,
    }


RECENT_DAYS = 30
# The header carries inspection and hazard counts and the grade (with its 约谈 veto): an auditor
# needs all three areas in the engagement scope; the inspection feed needs inspections.
SUMMARY_AREAS = (scoping.INSPECTIONS, scoping.HAZARDS, scoping.RISK)
FEED_AREAS = scoping.INSPECTIONS


def get_supervised_enterprise(
    actor: Actor, enterprise_id: int, area: str | tuple[str, ...]
) -> Enterprise:
    """An enterprise the actor oversees: regulators covering it, auditors engaged for `area`,
    platform admins.

    Out of scope is 404 (as everywhere); the enterprise's own staff see it but this view is the
    supervising side's, so they get 403.
    """
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.READ, area)
    if not (actor.is_platform_admin or actor.regulator_ids or actor.agency_ids):
        raise Forbidden("企业监管详情仅供监管部门与受委托的第三方机构查看。")
    return enterprise


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(Hazard).where(*conditions)) or 0


def hazard_counts(enterprise_id: int) -> dict:
    """Open, overdue (past deadline and still open) and open major hazards, as the grade counts
    them (a major hazard is one confirmed as major)."""
    mine = Hazard.enterprise_id == enterprise_id
    is_open = Hazard.state.not_in(TERMINAL)
    return {
        "total": _count(mine),
        "open": _count(mine, is_open),
        "overdue": _count(mine, overdue_clause(clock.today_local())),
        "major_open": _count(mine, is_open, Hazard.level == "major"),
    }


def inspection_counts(enterprise_id: int) -> dict:
    """All inspections, those finished in the last RECENT_DAYS days, flagged ones, the latest."""
    mine = Inspection.enterprise_id == enterprise_id
    since = clock.now() - timedelta(days=RECENT_DAYS)
    total, recent, last = db.session.execute(
        select(
            func.count(),
            func.count(case((Inspection.finished_at >= since, 1))),
            func.max(Inspection.finished_at),
        ).where(mine)
    ).one()
    # JSON emptiness is spelled differently per database; the flag lists are short.
    flagged = sum(1 for flags in db.session.scalars(select(Inspection.flags).where(mine)) if flags)
    return {
        "total": total,
        "recent": recent,
        "recent_days": RECENT_DAYS,
        "flagged": flagged,
        "last_finished_at": last,
    }


def enterprise_summary(actor: Actor, enterprise: Enterprise) -> dict:
    """The drill-down header: facts, counts and today's explained grade (computed, not stored)."""
    grade = compute_grade(enterprise.id, clock.today_local())
    return {
        "id": enterprise.id,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region_code": enterprise.region_code,
        "region_name": enterprise.region.name if enterprise.region else None,
        "industries": [
            {"code": code, "label": INDUSTRY_LABELS.get(Industry(code), code)}
            for code in enterprise.industries
        ],
        "size_class": {
            "code": enterprise.size_class,
            "label": SIZE_LABELS.get(enterprise.size_class, enterprise.size_class),
        },
        "address": enterprise.address,
        "latitude": enterprise.latitude,
        "longitude": enterprise.longitude,
        "head_name": enterprise.head_name,
        # Phones are personal data: the supervising regulator may call, an agency may not.
        "head_phone": enterprise.head_phone
        if scoping.may_see_phones(actor, enterprise.id)
        else None,
        "has_major_hazard_source": enterprise.has_major_hazard_source,
        "hazards": hazard_counts(enterprise.id),
        "inspections": inspection_counts(enterprise.id),
        "grade": grade,
    }


def list_enterprise_inspections(enterprise: Enterprise, args: dict):
    """An enterprise's inspections, newest finished first (or the one `inspection_id` names);
    returns (views, next_cursor)."""
    query = select(Inspection).where(Inspection.enterprise_id == enterprise.id)
    if args.get("inspection_id"):
        query = query.where(Inspection.id == args["inspection_id"])
    rows, next_cursor = paginate(
        query,
        [Inspection.finished_at, Inspection.id],
        args.get("cursor"),
        args["limit"],
        descending=True,
    )
    return _inspection_views(rows), next_cursor


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _inspection_views(rows: list[Inspection]) -> list[dict]:
    users = _by_id(User, [r.inspector_user_id for r in rows])
    places = _by_id(Place, [r.place_id for r in rows])
    versions = _by_id(ChecklistVersion, [r.checklist_version_id for r in rows])
    hazard_counts_by_inspection = dict(
        db.session.execute(
            select(Hazard.inspection_id, func.count())
            .where(Hazard.inspection_id.in_([r.id for r in rows]))
            .group_by(Hazard.inspection_id)
        ).all()
    )
    texts = item_texts(
        (r.checklist_version_id, a.item_id) for r in rows for a in r.answers if a.result == "fail"
    )
    return [
        _inspection_view(r, users, places, versions, hazard_counts_by_inspection, texts)
        for r in rows
    ]


def _inspection_view(
    inspection, users, places, versions, hazard_counts_by_inspection, item_texts
) -> dict:
    place = places.get(inspection.place_id)
    version = versions.get(inspection.checklist_version_id)
    inspector = users.get(inspection.inspector_user_id)
    failed = [a for a in inspection.answers if a.result == "fail"]
    media_ids = [m for a in inspection.answers for m in (a.media_ids or [])]
    return {
        "id": str(inspection.id),
        "verification_code": verification_code(inspection.id),
        "enterprise_id": inspection.enterprise_id,
        "inspector_user_id": inspection.inspector_user_id,
        "inspector_name": inspector.display_name if inspector else None,
        "place": {"id": place.id, "name": place.name} if place else None,
        "checklist_title": version.title if version else None,
        "inspection_type": {
            "code": inspection.inspection_type,
            "label": INSPECTION_TYPE_LABELS.get(inspection.inspection_type),
        },
        "source": {
            "code": inspection.source,
            "label": SOURCE_LABELS.get(inspection.source, inspection.source),
        },
        "qr_scanned": inspection.qr_scanned,
        "started_at": inspection.started_at,
        "finished_at": inspection.finished_at,
        "received_at": inspection.received_at,
        "results": _results(inspection.answers),
        "failed_items": [
            {
                "item_id": a.item_id,
                "item_text": item_texts.get((inspection.checklist_version_id, a.item_id)),
                "note": a.note,
                "media_ids": list(a.media_ids or []),
            }
            for a in failed
        ],
        "flags": [
            {"code": f.get("code"), "message": f.get("message")} for f in inspection.flags or []
        ],
        "media_ids": media_ids,
        "hazard_count": hazard_counts_by_inspection.get(inspection.id, 0),
    }


def _results(answers) -> dict:
    """Pass / fail / not-applicable counts of the recorded answers."""
    counts = {"pass": 0, "fail": 0, "na": 0}
    for answer in answers:
        counts[answer.result] += 1
    return {**counts, "answered": len(answers)}
