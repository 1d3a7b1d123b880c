"""Read queries for organisations, always filtered by what the caller may see."""

from sqlalchemy import exists, or_, select

from anxun.core.auth import Actor
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import (
    Agency,
    Engagement,
    EngagementEnterprise,
    Enterprise,
    EnterpriseIndustry,
    Region,
    Regulator,
)


class _WithoutPhones:
    """An enterprise as an agency's auditor reads it: the contact phones withheld."""

    head_phone = None
    safety_head_phone = None

    def __init__(self, enterprise: Enterprise):
        self._enterprise = enterprise

    def __getattr__(self, name):
        return getattr(self._enterprise, name)


def enterprise_view(actor: Actor, enterprise: Enterprise):
    """The enterprise as the actor may read it (scoping.may_see_phones decides the phones)."""
    if scoping.may_see_phones(actor, enterprise.id):
        return enterprise
    return _WithoutPhones(enterprise)


def get_enterprise(actor: Actor, enterprise_id: int):
    return enterprise_view(actor, scoping.get_enterprise(actor, enterprise_id))


def list_enterprises(actor: Actor, args: dict):
    query = scoping.visible_enterprises(actor)
    if args.get("industry"):
        query = query.where(
            exists().where(
                EnterpriseIndustry.enterprise_id == Enterprise.id,
                EnterpriseIndustry.industry == args["industry"],
            )
        )
    if args.get("region_code"):
        query = query.where(
            Enterprise.region_code.startswith(args["region_code"].rstrip("0") or "0")
        )
    if args.get("q"):
        term = f"%{args['q']}%"
        query = query.where(or_(Enterprise.name.like(term), Enterprise.uscc.like(term)))
    sort = {
        "id": [Enterprise.id],
        "name": [Enterprise.name, Enterprise.id],
        "region_code": [Enterprise.region_code, Enterprise.id],
    }[args["sort"]]
    items, next_cursor = paginate(query, sort, args.get("cursor"), args["limit"])
    return [enterprise_view(actor, e) for e in items], next_cursor


def list_regions(parent: str | None):
    query = select(Region).order_by(Region.code)
    query = query.where(Region.parent_code == parent if parent else Region.parent_code.is_(None))
    return db.session.scalars(query).all()


def list_regulators(actor: Actor):
    query = select(Regulator).order_by(Regulator.id)
    if not actor.is_platform_admin:
        query = query.where(Regulator.id.in_(actor.regulator_ids))
    return db.session.scalars(query).all()


def list_agencies(actor: Actor):
    """Agencies are public service providers: any signed-in user may see the register."""
    return db.session.scalars(select(Agency).order_by(Agency.id)).all()


def list_engagements(actor: Actor):
    query = select(Engagement).order_by(Engagement.id)
    if not actor.is_platform_admin:
        covers_mine = exists().where(
            EngagementEnterprise.engagement_id == Engagement.id,
            EngagementEnterprise.enterprise_id.in_(actor.enterprise_ids),
        )
        query = query.where(
            or_(
                Engagement.agency_id.in_(actor.agency_ids),
                Engagement.regulator_id.in_(actor.regulator_ids),
                covers_mine,
            )
        )
    return db.session.scalars(query).all()
