"""HTTP endpoints for the risk registry: CRUD of the chain, the register, Excel, measure checklist."""

from flask import Response, request

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.errors import ValidationFailed, field_error
from anxun.orgs import scoping
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry import excel, queries
from anxun.risk.registry import services as registry
from anxun.risk.registry.schemas import (
    ControlMeasureCreateSchema,
    ControlMeasurePageSchema,
    ControlMeasureSchema,
    ControlMeasureWriteSchema,
    PublishResultSchema,
    RegisterImportResultSchema,
    RegisterSchema,
    RegistryListQuerySchema,
    RiskEventCreateSchema,
    RiskEventPageSchema,
    RiskEventSchema,
    RiskEventWriteSchema,
    RiskObjectCreateSchema,
    RiskObjectPageSchema,
    RiskObjectSchema,
    RiskObjectWriteSchema,
    RiskUnitCreateSchema,
    RiskUnitPageSchema,
    RiskUnitSchema,
    RiskUnitWriteSchema,
)

blp = Blueprint(
    "risk_registry", __name__, url_prefix="/api/v1", description="风险分级管控清单（风险辨识）"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(rows, next_cursor):
    return {"items": rows, "next_cursor": next_cursor}


def _unit(unit):
    return queries.with_levels([unit])[0]


def _event(event):
    return queries.with_latest_assessment([event])[0]


# --- risk objects --------------------------------------------------------------------------------


@blp.route("/enterprises/<int:enterprise_id>/risk-objects", methods=["GET"])
@authenticated
@blp.arguments(RegistryListQuerySchema, location="query")
@blp.response(200, RiskObjectPageSchema)
def list_risk_objects(args, enterprise_id):
    """Risk objects (风险分析对象) of an enterprise, without deleted ones."""
    enterprise = scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.RISK)
    return _page(*queries.list_children(RiskObject, enterprise.id, args))


@blp.route("/enterprises/<int:enterprise_id>/risk-objects", methods=["POST"])
@authenticated
@blp.arguments(RiskObjectCreateSchema)
@blp.response(201, RiskObjectSchema)
def create_risk_object(data, enterprise_id):
    """Add a risk object; a major hazard source needs its code and three 包保 persons."""
    return registry.create_risk_object(current_actor(), enterprise_id, data)


@blp.route("/risk-objects/<int:object_id>", methods=["GET"])
@authenticated
@blp.response(200, RiskObjectSchema)
def get_risk_object(object_id):
    """One risk object."""
    return queries.load_entity(current_actor(), RiskObject, object_id)


@blp.route("/risk-objects/<int:object_id>", methods=["PATCH"])
@authenticated
@blp.arguments(RiskObjectWriteSchema)
@blp.response(200, RiskObjectSchema)
def update_risk_object(data, object_id):
    """Change a risk object."""
    return registry.update_risk_object(current_actor(), object_id, data)


@blp.route("/risk-objects/<int:object_id>", methods=["DELETE"])
@authenticated
@blp.response(204)
def delete_risk_object(object_id):
    """Soft-delete a risk object with its units, events and measures."""
    registry.delete_risk_object(current_actor(), object_id)


# --- risk units ----------------------------------------------------------------------------------


@blp.route("/risk-objects/<int:object_id>/units", methods=["GET"])
@authenticated
@blp.arguments(RegistryListQuerySchema, location="query")
@blp.response(200, RiskUnitPageSchema)
def list_risk_units(args, object_id):
    """Risk units (风险分析单元) of a risk object, with assessed and effective levels."""
    parent = queries.load_entity(current_actor(), RiskObject, object_id)
    rows, next_cursor = queries.list_children(RiskUnit, parent.id, args)
    return _page(queries.with_levels(rows), next_cursor)


@blp.route("/risk-objects/<int:object_id>/units", methods=["POST"])
@authenticated
@blp.arguments(RiskUnitCreateSchema)
@blp.response(201, RiskUnitSchema)
def create_risk_unit(data, object_id):
    """Add a risk unit to a risk object."""
    return _unit(registry.create_risk_unit(current_actor(), object_id, data))


@blp.route("/risk-units/<int:unit_id>", methods=["GET"])
@authenticated
@blp.response(200, RiskUnitSchema)
def get_risk_unit(unit_id):
    """One risk unit with its assessed level and its effective level (raised while a hazard on
    it is open)."""
    return _unit(queries.load_entity(current_actor(), RiskUnit, unit_id))


@blp.route("/risk-units/<int:unit_id>", methods=["PATCH"])
@authenticated
@blp.arguments(RiskUnitWriteSchema)
@blp.response(200, RiskUnitSchema)
def update_risk_unit(data, unit_id):
    """Change a risk unit."""
    return _unit(registry.update_risk_unit(current_actor(), unit_id, data))


@blp.route("/risk-units/<int:unit_id>", methods=["DELETE"])
@authenticated
@blp.response(204)
def delete_risk_unit(unit_id):
    """Soft-delete a risk unit with its events and measures."""
    registry.delete_risk_unit(current_actor(), unit_id)


# --- risk events ---------------------------------------------------------------------------------


@blp.route("/risk-units/<int:unit_id>/events", methods=["GET"])
@authenticated
@blp.arguments(RegistryListQuerySchema, location="query")
@blp.response(200, RiskEventPageSchema)
def list_risk_events(args, unit_id):
    """Risk events (安全风险事件) of a unit, each with its latest residual assessment."""
    parent = queries.load_entity(current_actor(), RiskUnit, unit_id)
    rows, next_cursor = queries.list_children(RiskEvent, parent.id, args)
    return _page(queries.with_latest_assessment(rows), next_cursor)


@blp.route("/risk-units/<int:unit_id>/events", methods=["POST"])
@authenticated
@blp.arguments(RiskEventCreateSchema)
@blp.response(201, RiskEventSchema)
def create_risk_event(data, unit_id):
    """Add a risk event to a unit."""
    return _event(registry.create_risk_event(current_actor(), unit_id, data))


@blp.route("/risk-events/<int:event_id>", methods=["GET"])
@authenticated
@blp.response(200, RiskEventSchema)
def get_risk_event(event_id):
    """One risk event with its latest residual assessment."""
    return _event(queries.load_entity(current_actor(), RiskEvent, event_id))


@blp.route("/risk-events/<int:event_id>", methods=["PATCH"])
@authenticated
@blp.arguments(RiskEventWriteSchema)
@blp.response(200, RiskEventSchema)
def update_risk_event(data, event_id):
    """Change a risk event."""
    return _event(registry.update_risk_event(current_actor(), event_id, data))


@blp.route("/risk-events/<int:event_id>", methods=["DELETE"])
@authenticated
@blp.response(204)
def delete_risk_event(event_id):
    """Soft-delete a risk event with its measures."""
    registry.delete_risk_event(current_actor(), event_id)


# --- control measures ----------------------------------------------------------------------------


@blp.route("/risk-events/<int:event_id>/measures", methods=["GET"])
@authenticated
@blp.arguments(RegistryListQuerySchema, location="query")
@blp.response(200, ControlMeasurePageSchema)
def list_control_measures(args, event_id):
    """Control measures (管控措施) of a risk event."""
    parent = queries.load_entity(current_actor(), RiskEvent, event_id)
    return _page(*queries.list_children(ControlMeasure, parent.id, args))


@blp.route("/risk-events/<int:event_id>/measures", methods=["POST"])
@authenticated
@blp.arguments(ControlMeasureCreateSchema)
@blp.response(201, ControlMeasureSchema)
def create_control_measure(data, event_id):
    """Add a control measure; hazard-inspection measures become items of checklist risk-controls."""
    return registry.create_control_measure(current_actor(), event_id, data)


@blp.route("/control-measures/<int:measure_id>", methods=["GET"])
@authenticated
@blp.response(200, ControlMeasureSchema)
def get_control_measure(measure_id):
    """One control measure."""
    return queries.load_entity(current_actor(), ControlMeasure, measure_id)


@blp.route("/control-measures/<int:measure_id>", methods=["PATCH"])
@authenticated
@blp.arguments(ControlMeasureWriteSchema)
@blp.response(200, ControlMeasureSchema)
def update_control_measure(data, measure_id):
    """Change a control measure."""
    return registry.update_control_measure(current_actor(), measure_id, data)


@blp.route("/control-measures/<int:measure_id>", methods=["DELETE"])
@authenticated
@blp.response(204)
def delete_control_measure(measure_id):
    """Soft-delete a control measure."""
    registry.delete_control_measure(current_actor(), measure_id)


# --- the whole register --------------------------------------------------------------------------


@blp.route("/enterprises/<int:enterprise_id>/risk-register", methods=["GET"])
@authenticated
@blp.response(200, RegisterSchema)
def get_risk_register(enterprise_id):
    """The whole registry, nested, with each unit's assessed/effective level and each event's
    latest assessment."""
    return queries.register_tree(
        scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.RISK)
    )


@blp.route("/enterprises/<int:enterprise_id>/risk-register.xlsx", methods=["GET"])
@authenticated
@blp.response(200, description="The register as an Excel workbook.", content_type=XLSX)
def export_risk_register(enterprise_id):
    """The register as Excel (风险分级管控清单): one row per control measure."""
    tree = queries.register_tree(
        scoping.get_enterprise(current_actor(), enterprise_id, area=scoping.RISK)
    )
    response = Response(excel.register_to_xlsx(tree), mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="risk-register-{enterprise_id}.xlsx"'
    )
    return response


@blp.route("/enterprises/<int:enterprise_id>/risk-register/import", methods=["POST"])
@authenticated
@blp.response(200, RegisterImportResultSchema)
def import_risk_register(enterprise_id):
    """Import an .xlsx register (multipart field `file`): every row is checked first, any error
    rejects the file; rows merge into existing objects, units and events by name."""
    actor = current_actor()
    registry.writable_enterprise(actor, enterprise_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed("请上传文件。", [field_error("file", "请上传 .xlsx 文件。")])
    try:
        rows = excel.read_register(upload.filename, upload.read())
    except excel.SheetError as exc:
        raise ValidationFailed(str(exc), [field_error("file", str(exc))]) from exc
    converted = [excel.convert_row(number, cells) for number, cells in rows]
    return registry.import_register(actor, enterprise_id, converted)


@blp.route("/enterprises/<int:enterprise_id>/risk-register/publish-checklist", methods=["POST"])
@authenticated
@blp.response(201, PublishResultSchema)
@blp.alt_response(200, schema=PublishResultSchema, description="Unchanged: the latest version.")
def publish_measure_checklist(enterprise_id):
    """Store the hazard-inspection measures as checklist `risk-controls` (a no-op when unchanged)."""
    version, created = registry.publish_measure_checklist_for(current_actor(), enterprise_id)
    result = {
        "code": version.code,
        "version_hash": version.version_hash,
        "version_label": version.version_label,
        "item_count": version.item_count,
        "created": created,
    }
    return result, 201 if created else 200
