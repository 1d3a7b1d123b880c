"""HTTP endpoints for regions, enterprises (incl. bulk onboarding), regulators, agencies, engagements."""

from flask import request

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.errors import ValidationFailed, field_error
from anxun.orgs import queries, scoping, services
from anxun.orgs.importer import SheetError, read_sheet
from anxun.orgs.schemas import (
    AgencySchema,
    EngagementCreateSchema,
    EngagementSchema,
    EnterpriseCreateSchema,
    EnterpriseListQuerySchema,
    EnterprisePageSchema,
    EnterpriseSchema,
    EnterpriseWriteSchema,
    ImportResultSchema,
    RegionQuerySchema,
    RegionSchema,
    RegulatorSchema,
)

blp = Blueprint("orgs", __name__, url_prefix="/api/v1", description="企业、监管部门与第三方机构")


@blp.route("/regions", methods=["GET"])
@authenticated
@blp.arguments(RegionQuerySchema, location="query")
@blp.response(200, RegionSchema(many=True))
def list_regions(args):
    """Administrative divisions (GB/T 2260) under a parent code; provinces without one."""
    return queries.list_regions(args["parent"])


@blp.route("/enterprises", methods=["GET"])
@authenticated
@blp.arguments(EnterpriseListQuerySchema, location="query")
@blp.response(200, EnterprisePageSchema)
def list_enterprises(args):
    """Enterprises the caller may see, with cursor pagination and an explicit sort."""
    items, next_cursor = queries.list_enterprises(current_actor(), args)
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/enterprises", methods=["POST"])
@authenticated
@blp.arguments(EnterpriseCreateSchema)
@blp.response(201, EnterpriseSchema)
def create_enterprise(data):
    """Register an enterprise (regulator admin within its jurisdiction, or platform admin)."""
    return services.create_enterprise(current_actor(), data)


@blp.route("/enterprises/import", methods=["POST"])
@authenticated
@blp.response(201, ImportResultSchema)
def import_enterprises():
    """Bulk onboarding from an .xlsx or .csv sheet (multipart field `file`); all or nothing."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed("请上传文件。", [field_error("file", "请上传 .xlsx 或 .csv 文件。")])
    try:
        rows = read_sheet(upload.filename, upload.read())
    except SheetError as exc:
        raise ValidationFailed(str(exc), [field_error("file", str(exc))]) from exc
    result = services.import_enterprises(current_actor(), rows)
    return {"imported": len(result["enterprises"]), **result}


@blp.route("/enterprises/<int:enterprise_id>", methods=["GET"])
@authenticated
@blp.response(200, EnterpriseSchema)
def get_enterprise(enterprise_id):
    """One enterprise, if the caller may see it (404 otherwise)."""
    return queries.get_enterprise(current_actor(), enterprise_id)


@blp.route("/enterprises/<int:enterprise_id>", methods=["PATCH"])
@authenticated
@blp.arguments(EnterpriseWriteSchema)
@blp.response(200, EnterpriseSchema)
def update_enterprise(data, enterprise_id):
    """Correct enterprise data: regulator admins all fields, the head contact fields."""
    actor = current_actor()
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    return services.update_enterprise(actor, enterprise, data)


@blp.route("/regulators", methods=["GET"])
@authenticated
@blp.response(200, RegulatorSchema(many=True))
def list_regulators():
    """The caller's own regulators (all for platform admins)."""
    return queries.list_regulators(current_actor())


@blp.route("/agencies", methods=["GET"])
@authenticated
@blp.response(200, AgencySchema(many=True))
def list_agencies():
    """The register of third-party agencies."""
    return queries.list_agencies(current_actor())


@blp.route("/engagements", methods=["GET"])
@authenticated
@blp.response(200, EngagementSchema(many=True))
def list_engagements():
    """Engagements the caller is party to (agency, commissioner or covered enterprise)."""
    return queries.list_engagements(current_actor())


@blp.route("/engagements", methods=["POST"])
@authenticated
@blp.arguments(EngagementCreateSchema)
@blp.response(201, EngagementSchema)
def create_engagement(data):
    """Engage an agency for named enterprises, for a limited time."""
    return services.create_engagement(current_actor(), data)
