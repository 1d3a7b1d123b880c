"""Every write about supervised listings (挂牌督办) of major hazards: list, delist (摘牌).

The basis is provincial practice (domain.md §4, 挂牌督办 [C for 福建]): the regulator lists a major
hazard with a deadline and a supervising office, the government discloses it publicly, and the
listing ends (摘牌) once the hazard is rectified and accepted, here: closed after 核销.
"""

from __future__ import annotations

from sqlalchemy import select

from anxun.core import audit, clock, disclosure
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, Forbidden, ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards import workflow
from anxun.hazards.models import Hazard
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Regulator
from anxun.outbox.enqueue import enqueue
from anxun.oversight.listings import rules as listing_rules
from anxun.oversight.models import SupervisedListing
from anxun.oversight.numbering import document_prefix, next_in_series, office_abbreviation

MSG_NOT_MAJOR = "只有重大隐患可以挂牌督办。"
MSG_TERMINAL = "该隐患已销号或已驳回，不能挂牌督办。"
MSG_ALREADY = "该隐患已挂牌督办。"
MSG_HAZARD_OPEN = "隐患尚未销号，不能摘牌。"
MSG_DELISTED = "该挂牌督办已摘牌。"


def covering_regulator(actor: Actor, enterprise: Enterprise) -> Regulator:
    """The actor's regulator (with a regulator role) that covers the enterprise, else 403."""
    regulator = scoping.covering_regulator(actor, enterprise)
    if regulator is None:
        raise Forbidden("只有负责该企业的监管部门人员可以执行此操作。")
    return regulator


def _next_number(regulator: Regulator, year: int) -> str:
    """Lock the regulator row so two listings of one bureau never draw the same sequence; the
    unique listing_no is the backstop (SQLite serialises writers anyway)."""
    db.session.execute(select(Regulator.id).where(Regulator.id == regulator.id).with_for_update())
    office = office_abbreviation(regulator.name)
    prefix = document_prefix(office, listing_rules.LISTING_TYPE_WORD, year)
    numbers = db.session.scalars(
        select(SupervisedListing.listing_no).where(
            SupervisedListing.regulator_id == regulator.id,
            SupervisedListing.listing_no.startswith(prefix, autoescape=True),
        )
    ).all()
    return listing_rules.listing_number(office, year, next_in_series(list(numbers), prefix))


def _validate(data: dict) -> None:
    errors = []
    if data["deadline"] < clock.today_local():
        errors.append(field_error("deadline", "督办期限不能早于今天。"))
    summary = data["public_summary"].strip()
    if not summary:
        errors.append(field_error("public_summary", "请填写公示摘要。"))
    if not data["supervising_office"].strip():
        errors.append(field_error("supervising_office", "请填写督办单位。"))
    # Both texts are published on the 公示 page.
    for field in ("public_summary", "supervising_office"):
        errors.extend(
            field_error(field, message)
            for message in disclosure.personal_data_problems(data[field])
        )
    if errors:
        raise ValidationFailed("请检查标出的字段。", errors)


def event_payload(listing: SupervisedListing, enterprise: Enterprise) -> dict:
    return {
        "listing_id": listing.id,
        "listing_no": listing.listing_no,
        "hazard_id": str(listing.hazard_id),
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "supervising_office": listing.supervising_office,
        "deadline": listing.deadline.isoformat(),
        "public_summary": listing.public_summary,
        "is_public": listing.is_public,
        "state": listing.state,
        "listed_at": listing.listed_at.isoformat(),
        "delisted_at": listing.delisted_at.isoformat() if listing.delisted_at else None,
    }


def list_hazard(actor: Actor, hazard: Hazard, data: dict) -> SupervisedListing:
    """挂牌督办 one confirmed major hazard that is still open (regulator staff covering it)."""
    enterprise = scoping.get_enterprise(actor, hazard.enterprise_id, scoping.READ)
    regulator = covering_regulator(actor, enterprise)
    _validate(data)
    if hazard.level != workflow.HazardLevel.major:
        raise ValidationFailed(MSG_NOT_MAJOR, [field_error("hazard", MSG_NOT_MAJOR)])
    if hazard.state in workflow.TERMINAL_STATES:
        raise Conflict(MSG_TERMINAL, current_state=hazard.state)
    existing = db.session.scalar(
        select(SupervisedListing.id).where(SupervisedListing.hazard_id == hazard.id)
    )
    if existing is not None:
        raise Conflict(MSG_ALREADY, listing_id=existing)
    now = clock.now()
    listing = SupervisedListing(
        hazard_id=hazard.id,
        enterprise_id=enterprise.id,
        regulator_id=regulator.id,
        listing_no=_next_number(regulator, now.astimezone(clock.CHINA_TZ).year),
        supervising_office=data["supervising_office"].strip(),
        deadline=data["deadline"],
        public_summary=data["public_summary"].strip(),
        is_public=data["is_public"],
        state="listed",
        listed_by_user_id=actor.user_id,
        listed_at=now,
    )
    db.session.add(listing)
    db.session.flush()
    audit.record(
        actor,
        "list_hazard",
        "supervised_listing",
        listing.id,
        {
            "hazard_id": str(hazard.id),
            "enterprise_id": enterprise.id,
            "regulator_id": regulator.id,
            "listing_no": listing.listing_no,
            "supervising_office": listing.supervising_office,
            "deadline": listing.deadline.isoformat(),
            "public_summary": listing.public_summary,
            "is_public": listing.is_public,
        },
    )
    enqueue(
        "hazard_listed",
        enterprise,
        "supervised_listing",
        listing.id,
        event_payload(listing, enterprise),
    )
    return listing


def _delist(actor: Actor, listing: SupervisedListing, enterprise: Enterprise, how: str) -> None:
    listing.state = "delisted"
    listing.delisted_at = clock.now()
    listing.delisted_by_user_id = actor.user_id
    db.session.flush()
    audit.record(
        actor,
        "delist_hazard",
        "supervised_listing",
        listing.id,
        {"hazard_id": str(listing.hazard_id), "listing_no": listing.listing_no, "how": how},
    )
    enqueue(
        "hazard_delisted",
        enterprise,
        "supervised_listing",
        listing.id,
        event_payload(listing, enterprise),
    )


def delist_listing(actor: Actor, listing: SupervisedListing) -> SupervisedListing:
    """摘牌 by hand: only once the hazard is closed (or rejected) and only by a covering regulator."""
    enterprise = scoping.get_enterprise(actor, listing.enterprise_id, scoping.READ)
    covering_regulator(actor, enterprise)
    if listing.state == "delisted":
        raise Conflict(MSG_DELISTED)
    hazard = db.session.get(Hazard, listing.hazard_id)
    if hazard.state not in workflow.TERMINAL_STATES:
        raise Conflict(MSG_HAZARD_OPEN, current_state=hazard.state)
    _delist(actor, listing, enterprise, "manual")
    return listing


def delist_closed_hazard(actor: Actor, hazard: Hazard, enterprise: Enterprise) -> None:
    """Called when a hazard closes (核销): its listing, if any, ends with it."""
    listing = db.session.scalar(
        select(SupervisedListing).where(
            SupervisedListing.hazard_id == hazard.id, SupervisedListing.state == "listed"
        )
    )
    if listing is not None:
        _delist(actor, listing, enterprise, "hazard_closed")
