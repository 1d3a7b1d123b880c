"""Matrix rows: supervised listings of major hazards (the public list is in PUBLIC)."""

from datetime import timedelta

from tests.api.authz.common import ALL_OK, HC_READ, Row

# Listing and delisting: the regulators covering hc; everyone else who sees hc is refused.
REGULATE_HC = HC_READ | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}


def _commit(result: dict) -> dict:
    from anxun.extensions import db

    db.session.commit()
    return result


def _major(world):
    from tests.factories_hazards import hazard_in

    return _commit({"hazard": str(hazard_in("rectifying", level="major").id)})


def _listing(world, closed=False):
    from anxun.core import clock
    from anxun.oversight.listings import services as listing_services
    from tests.factories_hazards import actor, hazard_in

    hazard = hazard_in("rectifying", level="major")
    listing = listing_services.list_hazard(
        actor("regulator"),
        hazard,
        {
            "supervising_office": "镇海区应急管理局",
            "deadline": clock.today_local() + timedelta(days=30),
            "public_summary": "矩阵测试挂牌督办",
            "is_public": True,
        },
    )
    if closed:
        hazard.state = "closed"
        hazard.closed_at = clock.now()
    return _commit({"listing": listing.id})


def _listing_body(ctx):
    from anxun.core import clock

    return {
        "supervising_office": "镇海区应急管理局",
        "deadline": (clock.today_local() + timedelta(days=30)).isoformat(),
        "public_summary": "矩阵测试挂牌督办",
    }


ROWS = [
    Row(
        "POST",
        "/api/v1/hazards/<uuid:hazard_id>/listing",
        lambda c: f"/api/v1/hazards/{c['hazard']}/listing",
        REGULATE_HC,
        json=_listing_body,
        setup=_major,
    ),
    Row("GET", "/api/v1/listings", lambda c: "/api/v1/listings", ALL_OK),
    Row(
        "GET",
        "/api/v1/listings/<int:listing_id>",
        lambda c: f"/api/v1/listings/{c['listing']}",
        HC_READ,
        setup=_listing,
    ),
    Row(
        "POST",
        "/api/v1/listings/<int:listing_id>/delisting",
        lambda c: f"/api/v1/listings/{c['listing']}/delisting",
        REGULATE_HC,
        setup=lambda world: _listing(world, closed=True),
    ),
]
