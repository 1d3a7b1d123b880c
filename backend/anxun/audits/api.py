"""HTTP endpoints: agency audit runs, signed reports and auditors' read log."""

from flask import Response

from anxun.audits import queries, services
from anxun.audits.report import report_filename
from anxun.audits.schemas import (
    AuditorReadPageSchema,
    AuditRunCreateSchema,
    AuditRunDetailSchema,
    AuditRunListQuerySchema,
    AuditRunPageSchema,
    AuditRunSchema,
    FindingCreateSchema,
    FindingSchema,
    ReadListQuerySchema,
    SignatureSchema,
    VerificationSchema,
)
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.reports.api import attachment

blp = Blueprint("audits", __name__, url_prefix="/api/v1", description="第三方审核")
PDF = "application/pdf"


@blp.route("/audit-runs", methods=["GET"])
@authenticated
@blp.arguments(AuditRunListQuerySchema, location="query")
@blp.response(200, AuditRunPageSchema)
def list_audit_runs(args):
    """Audit runs the caller may see: its agency's, those it commissioned, those of its enterprise."""
    rows, next_cursor = queries.list_audit_runs(current_actor(), args)
    return {"items": queries.run_summaries(rows), "next_cursor": next_cursor}


@blp.route("/audit-runs", methods=["POST"])
@authenticated
@blp.arguments(AuditRunCreateSchema)
@blp.response(201, AuditRunSchema)
def open_audit_run(data):
    """An auditor opens an audit of an engaged enterprise (engagement valid today)."""
    run = services.open_audit_run(current_actor(), data)
    return queries.run_summaries([run])[0]


@blp.route("/audit-runs/<int:run_id>", methods=["GET"])
@authenticated
@blp.response(200, AuditRunDetailSchema)
def get_audit_run(run_id):
    """One audit run with its inspections and findings."""
    return queries.run_detail(queries.get_audit_run(current_actor(), run_id))


@blp.route("/audit-runs/<int:run_id>/findings", methods=["POST"])
@authenticated
@blp.arguments(FindingCreateSchema)
@blp.response(201, FindingSchema)
def record_finding(data, run_id):
    """A finding not tied to a check item; it becomes a hazard with source agency."""
    actor = current_actor()
    return services.record_finding(actor, queries.get_audit_run(actor, run_id), data)


@blp.route("/audit-runs/<int:run_id>/signature", methods=["POST"])
@authenticated
@blp.arguments(SignatureSchema)
@blp.response(200, AuditRunSchema)
def sign_audit_run(data, run_id):
    """Render the audit report, sign it with the agency's key and close the run."""
    actor = current_actor()
    run = services.sign_audit_run(actor, queries.get_audit_run(actor, run_id), data)
    return queries.run_summaries([run])[0]


@blp.route("/audit-runs/<int:run_id>/report.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="The signed audit report (PDF).", content_type=PDF)
def audit_report(run_id):
    """The signed report exactly as stored; 409 /problems/tampered-report when its hash changed."""
    run = queries.get_audit_run(current_actor(), run_id)
    response = Response(services.signed_report(run), mimetype=PDF)
    response.headers["Content-Disposition"] = attachment(
        report_filename(run), f"audit-report-{run.id}.pdf"
    )
    return response


@blp.route("/audit-runs/<int:run_id>/verification", methods=["GET"])
@authenticated
@blp.response(200, VerificationSchema)
def verify_audit_report(run_id):
    """Check the stored report: signature intact over the whole file, known signer, same hash."""
    return services.verify_stored_report(queries.get_audit_run(current_actor(), run_id))


@blp.route("/auditor-reads", methods=["GET"])
@authenticated
@blp.arguments(ReadListQuerySchema, location="query")
@blp.response(200, AuditorReadPageSchema)
def list_auditor_reads(args):
    """Who of which agency read which enterprise's data, newest first."""
    rows, next_cursor = queries.list_reads(current_actor(), args)
    return {"items": queries.read_views(rows), "next_cursor": next_cursor}
