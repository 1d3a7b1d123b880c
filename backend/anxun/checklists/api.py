"""HTTP endpoints for checklists: list, detail by version, upload, blank PDF form, Excel export."""

from flask import Response, request

from anxun.checklists import queries, services
from anxun.checklists.diff import diff_as_dict, diff_checklists
from anxun.checklists.export import checklist_form_pdf, checklist_to_xlsx
from anxun.checklists.schemas import (
    ChecklistDetailSchema,
    ChecklistDiffSchema,
    ChecklistQuerySchema,
    ChecklistSummarySchema,
    ChecklistUploadQuerySchema,
    ChecklistUploadResultSchema,
    ChecklistVersionQuerySchema,
    DiffQuerySchema,
)
from anxun.checklists.verification import item_citations, pending_report
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.errors import ValidationFailed, field_error

blp = Blueprint("checklists", __name__, url_prefix="/api/v1", description="检查表")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _version(code: str, args: dict):
    actor = current_actor()
    enterprise = queries.caller_enterprise(actor, args.get("enterprise_id"))
    return queries.get_version(code, args.get("version"), enterprise)


@blp.route("/checklists", methods=["GET"])
@authenticated
@blp.arguments(ChecklistQuerySchema, location="query")
@blp.response(200, ChecklistSummarySchema(many=True))
def list_checklists(args):
    """Latest version of each checklist that applies to the caller's enterprise (or an industry)."""
    enterprise = queries.caller_enterprise(current_actor(), args["enterprise_id"])
    return queries.latest_versions(enterprise, args["industry"])


@blp.route("/checklists/<code>", methods=["GET"])
@authenticated
@blp.arguments(ChecklistVersionQuerySchema, location="query")
@blp.response(200, ChecklistDetailSchema)
def get_checklist(args, code):
    """One checklist: the latest version, or `?version=<hash>`; with the list of versions, each
    item's basis as field users see it (`citations`) and what awaits verification."""
    version = _version(code, args)
    version.versions = queries.version_history(version.code, version.owner_key)
    version.citations = item_citations(version.document)
    version.pending_verification = pending_report(version.document)
    return version


@blp.route("/checklists", methods=["POST"])
@authenticated
@blp.arguments(ChecklistUploadQuerySchema, location="query")
@blp.response(201, ChecklistUploadResultSchema)
@blp.alt_response(
    200, schema=ChecklistUploadResultSchema, description="Unchanged content: the existing version."
)
def upload_checklist(args):
    """Upload an enterprise's own checklist as YAML (body, or multipart field `file`)."""
    actor = current_actor()
    upload = request.files.get("file")
    if upload is not None:
        name, raw = upload.filename or "upload.yaml", upload.read()
    elif request.mimetype in YAML_TYPES:
        name, raw = "upload.yaml", request.get_data()
    else:
        raise ValidationFailed(
            "请以 YAML 格式上传检查表。",
            [field_error("file", "请上传 .yaml 文件或以 application/yaml 提交。")],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "文件须为 UTF-8 编码。", [field_error("file", "文件须为 UTF-8 编码。")]
        ) from exc
    enterprise_id = args["enterprise_id"]
    if enterprise_id is None:
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    version, created = services.upload_enterprise_checklist(actor, enterprise_id, text, name)
    version.created = created
    return version, 201 if created else 200


@blp.route("/checklists/<code>/versions/<old>/diff/<new>", methods=["GET"])
@authenticated
@blp.arguments(DiffQuerySchema, location="query")
@blp.response(200, ChecklistDiffSchema)
def diff_versions(args, code, old, new):
    """Two versions of a checklist compared item by item (hash prefixes of ≥ 8 characters):
    wording, major flag, basis, limits, profiles; and the basis documents of the header."""
    enterprise = queries.caller_enterprise(current_actor(), args["enterprise_id"])
    before = queries.get_version(code, old, enterprise)
    after = queries.get_version(code, new, enterprise)
    result = diff_as_dict(diff_checklists(before.document, after.document))
    return {**result, "old_hash": before.version_hash, "new_hash": after.version_hash}


@blp.route("/checklists/<code>/form.pdf", methods=["GET"])
@authenticated
@blp.arguments(ChecklistVersionQuerySchema, location="query")
@blp.response(200, description="Blank printable form (PDF).", content_type="application/pdf")
def checklist_form(args, code):
    """Blank paper form of a checklist version, for paper fallback."""
    version = _version(code, args)
    pdf = checklist_form_pdf(version.document, version.version_hash)
    return _download(pdf, "application/pdf", f"{version.code}-{version.version_hash[:8]}.pdf")


@blp.route("/checklists/<code>/export.xlsx", methods=["GET"])
@authenticated
@blp.arguments(ChecklistVersionQuerySchema, location="query")
@blp.response(200, description="Checklist as an Excel workbook.", content_type=XLSX)
def checklist_excel(args, code):
    """Excel export of a checklist version."""
    version = _version(code, args)
    data = checklist_to_xlsx(version.document, version.version_hash)
    return _download(data, XLSX, f"{version.code}-{version.version_hash[:8]}.xlsx")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
