"""HTTP endpoints: the daily safety commitment (phone form, signing, the bureau's list)."""

from anxun.commitments import queries, services
from anxun.commitments.schemas import (
    CommitmentCreateSchema,
    CommitmentSchema,
    DraftQuerySchema,
    DraftSchema,
    TodaySchema,
)
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint

blp = Blueprint("commitments", __name__, url_prefix="/api/v1", description="安全承诺")


@blp.route("/commitments/draft", methods=["GET"])
@authenticated
@blp.arguments(DraftQuerySchema, location="query")
@blp.response(200, DraftSchema)
def commitment_draft(args):
    """Today's form pre-filled from yesterday and the registry, and today's signed one if any."""
    return queries.draft(current_actor(), args["enterprise_id"])


@blp.route("/commitments", methods=["POST"])
@authenticated
@blp.arguments(CommitmentCreateSchema)
@blp.response(201, CommitmentSchema)
@blp.alt_response(200, schema=CommitmentSchema, description="A replay of the same commitment.")
@blp.alt_response(409, description="Another commitment under this id, or one already today.")
def make_commitment(data):
    """安全风险研判与承诺公告: the head signs today's commitment (late after the cut-off)."""
    commitment, created = services.make_commitment(current_actor(), data)
    return queries.view(commitment), 201 if created else 200


@blp.route("/commitments/today", methods=["GET"])
@authenticated
@blp.response(200, TodaySchema)
def commitments_today():
    """Today's status of every hazardous-chemicals enterprise the caller sees (未承诺 after the
    cut-off, 迟报 when signed late)."""
    return queries.today_list(current_actor())
