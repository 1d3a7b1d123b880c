"""HTTP endpoints: special-work permits, their steps, documents and the bureau's live view."""

from flask import Response

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.orgs import scoping
from anxun.permits import documents, queries, services
from anxun.permits.schemas import (
    ActionSchema,
    ApprovalCreateSchema,
    CancelSchema,
    CloseSchema,
    LiveViewSchema,
    MeasureConfirmSchema,
    PermitCreateSchema,
    PermitListQuerySchema,
    PermitPageSchema,
    PermitSchema,
    ReadingCreateSchema,
    RegisterQuerySchema,
    WorkStopCreateSchema,
    WorkStopSchema,
)

blp = Blueprint("permits", __name__, url_prefix="/api/v1", description="特殊作业票")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _view(permit):
    return queries.permit_view(permit)


@blp.route("/permits", methods=["POST"])
@authenticated
@blp.arguments(PermitCreateSchema)
@blp.response(201, PermitSchema)
@blp.alt_response(200, schema=PermitSchema, description="A replay of the same draft.")
@blp.alt_response(409, description="Another permit under this id.")
def create_permit(data):
    """填报作业票 (draft): kind, grade, place, content, window, workers, guardian; idempotent."""
    permit, created = services.create_permit(current_actor(), data)
    return _view(permit), 201 if created else 200


@blp.route("/permits", methods=["GET"])
@authenticated
@blp.arguments(PermitListQuerySchema, location="query")
@blp.response(200, PermitPageSchema)
def list_permits(args):
    """Permits the caller may read that are open or whose window touches the day (default today)."""
    return {"items": queries.list_permits(current_actor(), args)}


@blp.route("/permits/live", methods=["GET"])
@authenticated
@blp.response(200, LiveViewSchema)
def live_view():
    """实时监管: special work under way by kind and grade, past window, missed re-analysis."""
    return queries.live_view(current_actor())


@blp.route("/permits/<uuid:permit_id>", methods=["GET"])
@authenticated
@blp.response(200, PermitSchema)
def get_permit(permit_id):
    """One permit with measures, readings, approvals and history (read-only for regulators)."""
    return _view(queries.get_permit(current_actor(), permit_id))


@blp.route("/permits/<uuid:permit_id>/measures", methods=["POST"])
@authenticated
@blp.arguments(MeasureConfirmSchema)
@blp.response(200, PermitSchema)
def confirm_measure(data, permit_id):
    """确认一项安全措施 at the place (QR token), with photos; a failed one may raise a hazard."""
    actor = current_actor()
    permit = services.confirm_measure(actor, queries.get_permit(actor, permit_id), data)
    return _view(permit)


@blp.route("/permits/<uuid:permit_id>/readings", methods=["POST"])
@authenticated
@blp.arguments(ReadingCreateSchema)
@blp.response(201, PermitSchema)
@blp.alt_response(200, schema=PermitSchema, description="A replay of the same reading.")
def record_reading(data, permit_id):
    """气体分析数据; out of limit it refuses the permit or suspends the work; idempotent."""
    actor = current_actor()
    permit = queries.get_permit(actor, permit_id)
    _, created = services.record_reading(actor, permit, data)
    return _view(permit), 201 if created else 200


@blp.route("/permits/<uuid:permit_id>/approvals", methods=["POST"])
@authenticated
@blp.arguments(ApprovalCreateSchema)
@blp.response(200, PermitSchema)
def approve(data, permit_id):
    """审批: the next signature in the order the rule requires."""
    actor = current_actor()
    return _view(services.approve(actor, queries.get_permit(actor, permit_id), data))


@blp.route("/permits/<uuid:permit_id>/start", methods=["POST"])
@authenticated
@blp.arguments(ActionSchema)
@blp.response(200, PermitSchema)
def start(data, permit_id):
    """监护人到场确认，作业开始."""
    actor = current_actor()
    return _view(services.start(actor, queries.get_permit(actor, permit_id), data))


@blp.route("/permits/<uuid:permit_id>/resume", methods=["POST"])
@authenticated
@blp.arguments(ActionSchema)
@blp.response(200, PermitSchema)
def resume(data, permit_id):
    """恢复作业 after a new analysis in limit."""
    actor = current_actor()
    return _view(services.resume(actor, queries.get_permit(actor, permit_id), data))


@blp.route("/permits/<uuid:permit_id>/closure", methods=["POST"])
@authenticated
@blp.arguments(CloseSchema)
@blp.response(200, PermitSchema)
def close(data, permit_id):
    """完工验收关闭: site checked, with photos."""
    actor = current_actor()
    return _view(services.close(actor, queries.get_permit(actor, permit_id), data))


@blp.route("/permits/<uuid:permit_id>/cancellation", methods=["POST"])
@authenticated
@blp.arguments(CancelSchema)
@blp.response(200, PermitSchema)
def cancel(data, permit_id):
    """取消作业票, with a reason."""
    actor = current_actor()
    return _view(services.cancel(actor, queries.get_permit(actor, permit_id), data))


@blp.route("/permits/<uuid:permit_id>/permit.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="The permit (PDF).", content_type=PDF)
def permit_pdf(permit_id):
    """作业票: every measure, reading, signature and time, printable."""
    permit = queries.get_permit(current_actor(), permit_id)
    return _download(documents.permit_pdf(permit), PDF, f"permit-{permit.number}.pdf")


@blp.route("/enterprises/<int:enterprise_id>/work-stops", methods=["POST"])
@authenticated
@blp.arguments(WorkStopCreateSchema)
@blp.response(201, WorkStopSchema)
def create_work_stop(data, enterprise_id):
    """停止特殊作业时段: permits overlapping it are refused with the reason."""
    return services.create_work_stop(current_actor(), enterprise_id, data)


def _register_scope(enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(
        current_actor(), enterprise_id, scoping.READ, scoping.DOCUMENTS
    )
    return enterprise, *documents.register_range(args["date_from"], args["date_to"])


@blp.route("/enterprises/<int:enterprise_id>/permit-register.pdf", methods=["GET"])
@authenticated
@blp.arguments(RegisterQuerySchema, location="query")
@blp.response(200, description="Permit register (PDF).", content_type=PDF)
def register_pdf(args, enterprise_id):
    """特殊作业台账: every permit whose window starts in the period (default: this month)."""
    enterprise, date_from, date_to = _register_scope(enterprise_id, args)
    pdf = documents.register_pdf(enterprise, date_from, date_to)
    return _download(pdf, PDF, f"permit-register-{date_from}-{date_to}.pdf")


@blp.route("/enterprises/<int:enterprise_id>/permit-register.xlsx", methods=["GET"])
@authenticated
@blp.arguments(RegisterQuerySchema, location="query")
@blp.response(200, description="Permit register (Excel).", content_type=XLSX)
def register_xlsx(args, enterprise_id):
    """特殊作业台账 as Excel: the same rows as the PDF."""
    enterprise, date_from, date_to = _register_scope(enterprise_id, args)
    data = documents.register_xlsx(enterprise, date_from, date_to)
    return _download(data, XLSX, f"permit-register-{date_from}-{date_to}.xlsx")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
