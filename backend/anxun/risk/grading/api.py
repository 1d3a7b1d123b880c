"""HTTP endpoints for the risk calculator, band tables, risk assessments and enterprise grades."""

from anxun.core import clock
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.orgs import scoping
from anxun.risk.grading import queries, services
from anxun.risk.grading.schemas import (
    AssessmentCreateSchema,
    AssessmentSchema,
    BandTableCreateSchema,
    BandTableSchema,
    EvaluateSchema,
    EvaluationSchema,
    GradeDaySchema,
    GradeHistoryQuerySchema,
    GradeSchema,
    MethodSchema,
    OwnerQuerySchema,
)

blp = Blueprint(
    "risk_grading", __name__, url_prefix="/api/v1", description="风险评价、分级表与企业风险等级"
)
HISTORY_DAYS = 90


@blp.route("/risk/evaluate", methods=["POST"])
@authenticated
@blp.arguments(EvaluateSchema)
@blp.response(200, EvaluationSchema)
def evaluate(data):
    """Score and grade one risk with LEC, LS or MES without saving anything."""
    return queries.evaluate_risk(current_actor(), data)


@blp.route("/risk/methods", methods=["GET"])
@authenticated
@blp.response(200, MethodSchema(many=True))
def list_methods():
    """Each method's factor tables and default bands, for pickers."""
    return queries.describe_methods()


@blp.route("/risk/band-tables", methods=["GET"])
@authenticated
@blp.arguments(OwnerQuerySchema, location="query")
@blp.response(200, BandTableSchema(many=True))
def list_band_tables(args):
    """Every version of a province's (region:33) or an enterprise's (enterprise:12) tables."""
    return queries.list_band_tables(current_actor(), args["owner"], args["method"])


@blp.route("/risk/band-tables", methods=["POST"])
@authenticated
@blp.arguments(OwnerQuerySchema, location="query")
@blp.arguments(BandTableCreateSchema)
@blp.response(201, BandTableSchema)
def configure_band_table(args, data):
    """Store a new version of a band table (and control-level mapping) for the owner."""
    return services.configure_band_table(current_actor(), args["owner"], data)


@blp.route("/risk-events/<int:event_id>/assessments", methods=["POST"])
@authenticated
@blp.arguments(AssessmentCreateSchema)
@blp.response(201, AssessmentSchema)
def assess_risk_event(data, event_id):
    """Grade a risk event by the enterprise's band table and keep the assessment."""
    return services.assess_risk_event(current_actor(), event_id, data)


@blp.route("/risk-events/<int:event_id>/assessments", methods=["GET"])
@authenticated
@blp.response(200, AssessmentSchema(many=True))
def list_assessments(event_id):
    """The assessment history of a risk event, newest first."""
    return queries.list_assessments(current_actor(), event_id)


@blp.route("/enterprises/<int:enterprise_id>/grade", methods=["GET"])
@authenticated
@blp.response(200, GradeSchema)
def enterprise_grade(enterprise_id):
    """Today's explained enterprise grade (stored as the day's snapshot) with 90 days of trend."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.RISK)
    result, _ = services.refresh_enterprise_grade(actor, enterprise)
    history = queries.grade_history(enterprise.id, clock.today_local(), HISTORY_DAYS)
    return {**result, "history": history}


@blp.route("/enterprises/<int:enterprise_id>/grade/history", methods=["GET"])
@authenticated
@blp.arguments(GradeHistoryQuerySchema, location="query")
@blp.response(200, GradeDaySchema(many=True))
def enterprise_grade_history(args, enterprise_id):
    """Stored daily grades of the last `days` days, oldest first."""
    enterprise = scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.RISK)
    return queries.grade_history(enterprise.id, clock.today_local(), args["days"])
