"""HTTP endpoints: random spot-check registries, draws and results."""

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.oversight.spot_checks import queries, services
from anxun.oversight.spot_checks.schemas import (
    PublicSpotCheckDrawListSchema,
    PublicSpotCheckReproductionSchema,
    SpotCheckAssignmentSchema,
    SpotCheckDrawCreateSchema,
    SpotCheckDrawListQuerySchema,
    SpotCheckDrawListSchema,
    SpotCheckDrawSchema,
    SpotCheckRegistryAddSchema,
    SpotCheckRegistryEntryListSchema,
    SpotCheckRegistryEntrySchema,
    SpotCheckRegistryQuerySchema,
    SpotCheckRegistrySchema,
    SpotCheckResultSchema,
    SpotCheckVerificationSchema,
)

blp = Blueprint("oversight_spot_checks", __name__, url_prefix="/api/v1", description="双随机一公开")


@blp.route("/spot-checks/registry", methods=["GET"])
@authenticated
@blp.arguments(SpotCheckRegistryQuerySchema, location="query")
@blp.response(200, SpotCheckRegistrySchema)
def get_registry(args):
    """一单两库: the inspection-object and inspector registries of a regulator (default: the
    caller's); its admins also get the covered enterprises and staff not yet entered."""
    actor = current_actor()
    if args.get("regulator_id") is not None:
        regulator = queries.get_regulator(actor, args["regulator_id"])
    else:
        regulator = queries.default_regulator(actor)
    return queries.registry_view(actor, regulator, args)


@blp.route("/spot-checks/registry", methods=["POST"])
@authenticated
@blp.arguments(SpotCheckRegistryAddSchema)
@blp.response(201, SpotCheckRegistryEntryListSchema)
def add_registry_entries(data):
    """Add an enterprise or inspector; kind object without enterprise_id adds every covered
    enterprise (of `industry`, if given) not yet in the registry (regulator_admin)."""
    entries = services.add_registry_entries(current_actor(), data)
    return {"items": queries.entry_views(entries)}


@blp.route("/spot-checks/registry/<int:entry_id>", methods=["DELETE"])
@authenticated
@blp.response(200, SpotCheckRegistryEntrySchema)
def deactivate_registry_entry(entry_id):
    """Deactivate an entry: it leaves future draws, the row and past draws stay."""
    entry = services.deactivate_registry_entry(current_actor(), entry_id)
    return queries.entry_views([entry])[0]


@blp.route("/spot-checks/draws", methods=["GET"])
@authenticated
@blp.arguments(SpotCheckDrawListQuerySchema, location="query")
@blp.response(200, SpotCheckDrawListSchema)
def list_draws(args):
    """Draws of the caller's regulators, newest first."""
    return {"items": queries.list_draws(current_actor(), args)}


@blp.route("/spot-checks/draws", methods=["POST"])
@authenticated
@blp.arguments(SpotCheckDrawCreateSchema)
@blp.response(201, SpotCheckDrawSchema)
def make_draw(data):
    """Draw enterprises and inspectors ("anxun-draw-v1"); seed, pools and result are stored."""
    actor = current_actor()
    return queries.draw_view(actor, services.make_draw(actor, data))


@blp.route("/spot-checks/draws/<int:draw_id>", methods=["GET"])
@authenticated
@blp.response(200, SpotCheckDrawSchema)
def get_draw(draw_id):
    """One draw: seed, algorithm, pools, assignments with results and linked patrols."""
    actor = current_actor()
    return queries.draw_view(actor, queries.get_draw(actor, draw_id))


@blp.route("/spot-checks/draws/<int:draw_id>/verification", methods=["GET"])
@authenticated
@blp.response(200, SpotCheckVerificationSchema)
def verify_draw(draw_id):
    """Repeat the draw from its stored seed and pools; `reproduced` says whether it matches."""
    return queries.verification(queries.get_draw(current_actor(), draw_id))


@blp.route("/spot-checks/draws/<int:draw_id>/publication", methods=["POST"])
@authenticated
@blp.response(200, SpotCheckDrawSchema)
def publish_draw(draw_id):
    """一公开: publish the draw and its results on the public list (regulator_admin)."""
    actor = current_actor()
    return queries.draw_view(actor, services.publish_draw(actor, draw_id))


@blp.route("/spot-checks/assignments/<int:assignment_id>/result", methods=["POST"])
@authenticated
@blp.arguments(SpotCheckResultSchema)
@blp.response(200, SpotCheckAssignmentSchema)
@blp.alt_response(409, description="The result changed since the client saw `expected_state`.")
def record_result(data, assignment_id):
    """Record the inspection result of a drawn enterprise (its drawn inspectors or the admin)."""
    actor = current_actor()
    assignment = services.record_result(actor, assignment_id, data)
    draw = queries.get_draw(actor, assignment.draw_id)
    return next(a for a in queries.assignment_views(actor, draw) if a["id"] == assignment.id)


@blp.route("/public/spot-checks", methods=["GET"])
@blp.response(200, PublicSpotCheckDrawListSchema)
@blp.doc(security=[])
def public_spot_checks():
    """双随机一公开 (no login): published draws with seed, algorithm, both pools and the results,
    people by name only (no ids, usernames or phone numbers); the pools are listed in draw order,
    so sampling them as listed repeats the draw."""
    return {"items": queries.public_draws()}


@blp.route("/public/spot-checks/<int:draw_id>/reproduction", methods=["GET"])
@blp.response(200, PublicSpotCheckReproductionSchema)
@blp.doc(security=[])
def public_spot_check_reproduction(draw_id):
    """双随机一公开 (no login): a download with what anyone needs to repeat a published draw
    (both registries in order, seed, counts, the method in words, the result to compare)."""
    filename = f"spot-check-{draw_id}-reproduction.json"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return queries.public_reproduction(draw_id), 200, headers
