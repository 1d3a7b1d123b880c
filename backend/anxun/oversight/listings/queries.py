"""Reads about supervised listings: the caller's list, one listing, and the public disclosure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.core import clock, disclosure
from anxun.core.auth import Actor
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.orgs import rules as org_rules
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Region
from anxun.oversight.models import SupervisedListing

STATE_LABELS = {"listed": "督办中", "delisted": "已销号"}


def get_listing(actor: Actor, listing_id: int) -> SupervisedListing:
    """A listing of an enterprise the actor may read; anything else is 404."""
    return scoping.get_scoped(
        actor, SupervisedListing, listing_id, "未找到该挂牌督办，或您无权查看。", scoping.HAZARDS
    )


def is_overdue(listing: SupervisedListing, today) -> bool:
    return listing.state == "listed" and listing.deadline < today


def list_listings(actor: Actor, args: dict) -> list[SupervisedListing]:
    """Listings of the enterprises the actor may read (a regulator: its jurisdiction), newest first."""
    query = (
        select(SupervisedListing)
        .join(Enterprise, Enterprise.id == SupervisedListing.enterprise_id)
        .where(scoping.enterprise_clause(actor, scoping.READ, scoping.HAZARDS))
    )
    if args.get("state"):
        query = query.where(SupervisedListing.state == args["state"])
    if args.get("enterprise_id"):
        query = query.where(SupervisedListing.enterprise_id == args["enterprise_id"])
    overdue = args.get("overdue")
    if overdue is not None:
        late = (SupervisedListing.state == "listed") & (
            SupervisedListing.deadline < clock.today_local()
        )
        query = query.where(late if overdue else ~late)
    query = query.order_by(SupervisedListing.listed_at.desc(), SupervisedListing.id.desc())
    return list(db.session.scalars(query.limit(args.get("limit", 200))))


def listing_views(listings: list[SupervisedListing]) -> list[dict]:
    """Rows for authenticated callers: the listing with its hazard and enterprise."""
    if not listings:
        return []
    hazards = {
        h.id: h
        for h in db.session.scalars(
            select(Hazard).where(Hazard.id.in_({item.hazard_id for item in listings}))
        )
    }
    enterprises = {
        e.id: e
        for e in db.session.scalars(
            select(Enterprise).where(Enterprise.id.in_({item.enterprise_id for item in listings}))
        )
    }
    user_ids = {item.listed_by_user_id for item in listings} | {
        item.delisted_by_user_id for item in listings if item.delisted_by_user_id
    }
    names = dict(
        tuple(row)
        for row in db.session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        )
    )
    today = clock.today_local()
    views = []
    for item in listings:
        hazard = hazards[item.hazard_id]
        enterprise = enterprises[item.enterprise_id]
        views.append(
            {
                "id": item.id,
                "listing_no": item.listing_no,
                "hazard_id": item.hazard_id,
                "hazard_title": hazard.title,
                "hazard_state": hazard.state,
                "hazard_deadline": hazard.deadline,
                "enterprise_id": enterprise.id,
                "enterprise_name": enterprise.name,
                "regulator_id": item.regulator_id,
                "supervising_office": item.supervising_office,
                "deadline": item.deadline,
                "public_summary": item.public_summary,
                "is_public": item.is_public,
                "state": item.state,
                "is_overdue": is_overdue(item, today),
                "listed_at": item.listed_at,
                "listed_by": names.get(item.listed_by_user_id, ""),
                "delisted_at": item.delisted_at,
                "delisted_by": names.get(item.delisted_by_user_id, ""),
            }
        )
    return views


def _china_date(at: datetime | None) -> date | None:
    return at.astimezone(clock.CHINA_TZ).date() if at is not None else None


def public_major_hazards(region_code: str | None) -> list[dict]:
    """公示: public listings of every regulator, built from an explicit column list so nothing
    personal (names, phones, user ids, photos, descriptions) can slip into the answer."""
    query = (
        select(
            Enterprise.name,
            Enterprise.region_code,
            Region.name.label("region_name"),
            SupervisedListing.listing_no,
            SupervisedListing.public_summary,
            SupervisedListing.supervising_office,
            SupervisedListing.deadline,
            SupervisedListing.state,
            SupervisedListing.listed_at,
            SupervisedListing.delisted_at,
        )
        .join(Enterprise, Enterprise.id == SupervisedListing.enterprise_id)
        .join(Region, Region.code == Enterprise.region_code)
        .where(SupervisedListing.is_public.is_(True))
        .order_by(SupervisedListing.listed_at.desc(), SupervisedListing.id.desc())
    )
    if region_code:
        query = query.where(Enterprise.region_code.startswith(region_code, autoescape=True))
    # Belt and braces: whatever slipped past entry checks, no phone or ID number goes out.
    return disclosure.scrub(
        [
            {
                "enterprise_name": row.name,
                "region_code": row.region_code,
                "region_name": row.region_name,
                "listing_no": row.listing_no,
                "public_summary": row.public_summary,
                "supervising_office": row.supervising_office,
                "deadline": row.deadline,
                "status": {"code": row.state, "label": STATE_LABELS[row.state]},
                "listed_on": _china_date(row.listed_at),
                "delisted_on": _china_date(row.delisted_at),
            }
            for row in db.session.execute(query)
        ]
    )


def public_regions() -> list[dict]:
    """The region picker of the public page: every region (GB/T 2260) holding a public listing,
    with the cities and provinces above it, by code; `prefix` is what the list filters on."""
    held = db.session.scalars(
        select(Enterprise.region_code)
        .join(SupervisedListing, SupervisedListing.enterprise_id == Enterprise.id)
        .where(SupervisedListing.is_public.is_(True))
        .distinct()
    ).all()
    wanted = set()
    for code in held:
        while code and code not in wanted:
            wanted.add(code)
            code = org_rules.parent_region_code(code)
    regions = db.session.scalars(
        select(Region).where(Region.code.in_(wanted)).order_by(Region.code)
    ).all()
    return [
        {
            "code": region.code,
            "name": region.name,
            "level": org_rules.region_level(region.code).value,
            "parent_code": org_rules.parent_region_code(region.code),
            "prefix": org_rules.jurisdiction_prefix(region.code),
        }
        for region in regions
    ]
