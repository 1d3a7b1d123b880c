"""The one place that decides which enterprises a caller may see and what they may do there."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import lazyload

from anxun.accounts.roles import ENTERPRISE_ROLES, REGULATOR_ROLES
from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, NotFound
from anxun.extensions import db
from anxun.orgs.models import (
    Engagement,
    EngagementEnterprise,
    Enterprise,
    EnterpriseIndustry,
    Regulator,
)
from anxun.orgs.rules import jurisdiction_prefix

READ = "read"
WRITE = "write"
# Data areas an engagement's scope grants to its agency's auditors (Engagement.scope). Every read
# of an enterprise's data passes `area=` (one area, or a tuple when a response carries several:
# the engagement must grant them all); only the enterprise's basic record needs none. Incidents
# and enforcement records are read as HAZARDS: what went wrong and what was done about it.
INSPECTIONS = "inspections"
HAZARDS = "hazards"
RISK = "risk"
DOCUMENTS = "documents"
AREAS = (INSPECTIONS, HAZARDS, RISK, DOCUMENTS)

MSG_ENTERPRISE_NOT_FOUND = "未找到该企业，或您无权查看。"


def _areas(area: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if area is None:
        return ()
    return (area,) if isinstance(area, str) else tuple(area)


def _regulator_clause(regulators: list[Regulator]):
    clauses = []
    for regulator in regulators:
        prefix = jurisdiction_prefix(regulator.region_code)
        supervised = exists().where(
            EnterpriseIndustry.enterprise_id == Enterprise.id,
            EnterpriseIndustry.industry.in_(list(regulator.industries or [])),
        )
        clauses.append(and_(Enterprise.region_code.startswith(prefix, autoescape=True), supervised))
    return clauses


def valid_engagement(agency_ids) -> ColumnElement[bool]:
    """A WHERE clause over Engagement: the agencies' engagements valid today (Beijing date,
    valid_from..valid_to inclusive)."""
    today = clock.today_local()
    return and_(
        Engagement.agency_id.in_(sorted(agency_ids)),
        Engagement.valid_from <= today,
        Engagement.valid_to >= today,
    )


def _engagement_clause(agency_ids: set[int], area: str | tuple[str, ...] | None = None):
    if _areas(area):
        return Enterprise.id.in_(sorted(engaged_enterprises(agency_ids, area)))
    engaged = (
        select(EngagementEnterprise.enterprise_id)
        .join(Engagement, Engagement.id == EngagementEnterprise.engagement_id)
        .where(valid_engagement(agency_ids))
    )
    return Enterprise.id.in_(engaged)


def engaged_enterprises(
    agency_ids: set[int], area: str | tuple[str, ...] | None = None
) -> dict[int, Engagement]:
    """{enterprise id: engagement} the agencies reach today (valid_from..valid_to, Beijing date),
    limited to engagements whose scope names `area` (every one of them, for a tuple) when given;
    the lowest engagement id wins."""
    if not agency_ids:
        return {}
    # Labelled so the auditors' read log (audits/reads.py) does not take it for a data read.
    rows = db.session.execute(
        select(EngagementEnterprise.enterprise_id.label("engaged_id"), Engagement)
        .join(Engagement, Engagement.id == EngagementEnterprise.engagement_id)
        .where(valid_engagement(agency_ids))
        .order_by(Engagement.id)
    ).all()
    wanted = set(_areas(area))
    reached: dict[int, Engagement] = {}
    for enterprise_id, engagement in rows:
        if wanted <= set(engagement.scope or []):
            reached.setdefault(enterprise_id, engagement)
    return reached


def enterprise_clause(actor: Actor, access: str = READ, area: str | tuple[str, ...] | None = None):
    """A WHERE clause over Enterprise for what the actor may read (or write); with `area`, an
    auditor reaches only enterprises whose engagement scope names that data area."""
    if actor.is_platform_admin:
        return true()
    clauses = []
    if actor.enterprise_ids:
        clauses.append(Enterprise.id.in_(actor.enterprise_ids))
    if actor.regulator_ids:
        regulators = db.session.scalars(
            select(Regulator).where(Regulator.id.in_(actor.regulator_ids))
        ).all()
        clauses.extend(_regulator_clause(list(regulators)))
    if actor.agency_ids and access == READ:
        clauses.append(_engagement_clause(actor.agency_ids, area))
    return or_(*clauses) if clauses else false()


def visible_enterprises(actor: Actor):
    """A select() of enterprises the actor may read."""
    return select(Enterprise).where(enterprise_clause(actor, READ))


def get_enterprise(
    actor: Actor,
    enterprise_id: int,
    access: str = READ,
    area: str | tuple[str, ...] | None = None,
    not_found: str = MSG_ENTERPRISE_NOT_FOUND,
    with_related: bool = True,
    joined: tuple | None = None,
) -> Enterprise:
    """Load an enterprise the actor may see; out of scope is 404, read-only access to write is 403.

    `area` names the data area being read (INSPECTIONS, HAZARDS, RISK, DOCUMENTS), or a tuple of
    them: an auditor whose engagement scope lacks one gets 404, as if the enterprise were not
    engaged at all. A caller reaching the enterprise through one of its records passes that
    record's message as `not_found`: the 404 names the object that was asked for.
    `with_related=False` leaves the industries and the region row to be read when first used (a
    hot path that usually needs neither saves a statement and a join).
    `joined=(entity, on, *options)` reads one row of another table in the same statement (outer
    join on `on`): the answer is then (enterprise, that row or None)."""
    # One statement: the row if readable, and whether it is writable too.
    writable = enterprise_clause(actor, WRITE) if access == WRITE else true()
    query = select(Enterprise, writable.label("writable")).where(
        Enterprise.id == enterprise_id, enterprise_clause(actor, READ, area)
    )
    if not with_related:
        query = query.options(lazyload(Enterprise.industry_rows), lazyload(Enterprise.region))
    if joined is not None:
        entity, on, *options = joined
        query = query.add_columns(entity).outerjoin(entity, on).options(*options)
    row = db.session.execute(query).first()
    if row is None:
        raise NotFound(not_found)
    enterprise, may_write, *also = row
    if not may_write:
        raise Forbidden("您对该企业只有查看权限。")
    return (enterprise, also[0]) if joined is not None else enterprise


def get_scoped(
    actor: Actor, model, row_id, not_found: str, area: str | tuple[str, ...] | None = None
):
    """A row of `model` (a table with `enterprise_id`) belonging to an enterprise the actor may
    read; anything else is 404 with `not_found`, so its existence does not leak."""
    row = db.session.scalar(
        select(model)
        .join(Enterprise, Enterprise.id == model.enterprise_id)
        .where(model.id == row_id, enterprise_clause(actor, READ, area))
    )
    if row is None:
        raise NotFound(not_found)
    return row


def require_area(actor: Actor, enterprise_id: int, area: str | tuple[str, ...]) -> Enterprise:
    """The engagement gate for one data area of one enterprise (see get_enterprise)."""
    return get_enterprise(actor, enterprise_id, READ, area)


def require_enterprise_role(actor: Actor, enterprise: Enterprise, roles: set[str]) -> None:
    """Only staff of the enterprise holding one of `roles` (or platform admins) may act."""
    if actor.is_platform_admin:
        return
    if not actor.roles_in_enterprise(enterprise.id) & roles:
        raise Forbidden("您在该企业没有执行此操作的角色。")


def may_see_phones(actor: Actor, enterprise_id: int) -> bool:
    """Contact phones are personal data: platform admins, the enterprise's own staff and the
    supervising regulators may call; an agency's auditors may not."""
    return (
        actor.is_platform_admin
        or enterprise_id in actor.enterprise_ids
        or bool(actor.regulator_ids)
    )


def is_enterprise_staff(actor: Actor, enterprise_id: int) -> bool:
    return bool(actor.roles_in_enterprise(enterprise_id) & ENTERPRISE_ROLES)


def regulator_for(actor: Actor, roles: set[str]) -> Regulator:
    """The regulator in which the actor holds one of `roles` (the first, by id)."""
    for regulator_id in sorted(actor.regulator_ids):
        if actor.regulator_roles(regulator_id) & roles:
            return db.session.get(Regulator, regulator_id)
    raise Forbidden("该操作需要监管部门相应角色。")


def covering_regulator(actor: Actor, enterprise: Enterprise) -> Regulator | None:
    """The first regulator (by id) where the actor holds a regulator role and which covers the
    enterprise; None when there is none."""
    for regulator_id in sorted(actor.regulator_ids):
        if not actor.regulator_roles(regulator_id) & REGULATOR_ROLES:
            continue
        regulator = db.session.get(Regulator, regulator_id)
        if regulator_covers(regulator, enterprise.region_code, enterprise.industries):
            return regulator
    return None


class Supervision(Protocol):
    """What decides whom a regulator supervises: a `Regulator`, or a row read with its columns."""

    region_code: str
    industries: list[str] | None


def regulator_covers(regulator: Supervision, region_code: str, industries: list[str]) -> bool:
    """Whether an enterprise with this region and these industries falls under the regulator."""
    return region_code.startswith(jurisdiction_prefix(regulator.region_code)) and bool(
        set(industries) & set(regulator.industries or [])
    )
