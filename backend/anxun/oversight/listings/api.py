"""HTTP endpoints: supervised listings of major hazards and their public disclosure."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.hazards import queries as hazard_queries
from anxun.oversight.listings import queries, services
from anxun.oversight.listings.schemas import (
    ListingCreateSchema,
    ListingListQuerySchema,
    ListingPageSchema,
    ListingSchema,
    PublicMajorHazardPageSchema,
    PublicQuerySchema,
    PublicRegionListSchema,
)

blp = Blueprint("oversight_listings", __name__, url_prefix="/api/v1", description="挂牌督办")


@blp.route("/hazards/<uuid:hazard_id>/listing", methods=["POST"])
@authenticated
@blp.arguments(ListingCreateSchema)
@blp.response(201, ListingSchema)
@blp.alt_response(409, description="The hazard is closed, rejected or already listed.")
def list_hazard(data, hazard_id):
    """挂牌督办 a confirmed, open major hazard (regulator staff covering the enterprise)."""
    actor = current_actor()
    hazard = hazard_queries.get_hazard(actor, hazard_id)
    listing = services.list_hazard(actor, hazard, data)
    return queries.listing_views([listing])[0]


@blp.route("/listings", methods=["GET"])
@authenticated
@blp.arguments(ListingListQuerySchema, location="query")
@blp.response(200, ListingPageSchema)
def list_listings(args):
    """Listings the caller may see: a regulator's jurisdiction, an enterprise's own."""
    return {"items": queries.listing_views(queries.list_listings(current_actor(), args))}


@blp.route("/listings/<int:listing_id>", methods=["GET"])
@authenticated
@blp.response(200, ListingSchema)
def get_listing(listing_id):
    """One listing with its hazard's state."""
    return queries.listing_views([queries.get_listing(current_actor(), listing_id)])[0]


@blp.route("/listings/<int:listing_id>/delisting", methods=["POST"])
@authenticated
@blp.response(200, ListingSchema)
@blp.alt_response(409, description="The hazard is still open, or the listing already ended.")
def delist_listing(listing_id):
    """摘牌 by hand once the hazard is closed (closing it through 核销 delists it by itself)."""
    actor = current_actor()
    listing = services.delist_listing(actor, queries.get_listing(actor, listing_id))
    return queries.listing_views([listing])[0]


@blp.route("/public/major-hazards", methods=["GET"])
@blp.arguments(PublicQuerySchema, location="query")
@blp.response(200, PublicMajorHazardPageSchema)
@blp.doc(security=[])
def public_major_hazards(args):
    """公示 (no login): publicly listed major hazards of every regulator, without personal data."""
    return {"items": queries.public_major_hazards(args["region_code"])}


@blp.route("/public/major-hazards/regions", methods=["GET"])
@blp.response(200, PublicRegionListSchema)
@blp.doc(security=[])
def public_major_hazard_regions():
    """公示 (no login): the regions that hold public listings, with the cities and provinces
    above them, by name, so the public page filters by a region picker instead of a raw code."""
    return {"items": queries.public_regions()}
