"""Request and response schemas for the risk registry, its Excel import and the measure checklist."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.risk.grading.control import CONTROL_LEVELS
from anxun.risk.registry.measure_checklist import measure_item_id
from anxun.risk.registry.services import (
    CLASSIFY1_LABELS,
    CLASSIFY2_LABELS,
    DATA_SOURCE_LABELS,
    LEVEL_LABELS,
    LEVEL_NOTE_RAISED,
    MEASURE_KINDS,
)

# Content rules (lengths, code tables, 包保 persons, place ownership) live in services.py so the
# Excel import applies the very same checks; these schemas check types only.
SORTS = validate.OneOf(["id", "name"])


def _create_variant(schema_cls, required: tuple[str, ...]):
    """The create schema: the write schema with `required` fields mandatory."""

    class Create(schema_cls):
        def on_bind_field(self, field_name, field_obj):
            if field_name in required:
                field_obj.required = True

    Create.__name__ = schema_cls.__name__.replace("Write", "Create")
    return Create


class RiskObjectWriteSchema(BaseSchema):
    name = fields.String()
    hazard_code = fields.String()
    is_major_hazard_source = fields.Boolean()
    description = fields.String()
    accountable_main = fields.String()
    accountable_technical = fields.String()
    accountable_operational = fields.String()


class RiskUnitWriteSchema(BaseSchema):
    name = fields.String()
    department = fields.String()
    responsible_name = fields.String()
    place_id = Int(allow_none=True)


class RiskEventWriteSchema(BaseSchema):
    name = fields.String()
    consequence = fields.String()
    accident_types = fields.List(fields.String())


class ControlMeasureWriteSchema(BaseSchema):
    description = fields.String()
    classify1 = fields.String(
        metadata={"description": "engineering/maintenance/operation/emergency"}
    )
    classify2 = fields.String(metadata={"description": "国家代码表 1-1 … 4-5"})
    classify3 = fields.String()
    data_source = fields.String(metadata={"description": "automatic_monitoring/hazard_inspection"})
    check_content = fields.String()
    control_level = fields.String(
        allow_none=True, metadata={"description": "company/workshop/team/post"}
    )
    kind = fields.String(
        metadata={
            "description": "措施类别 engineering/management/training/ppe/emergency"
            "（工程技术、管理、培训教育、个体防护、应急处置）；新建时省略则按措施分类一推定"
        }
    )


RiskObjectCreateSchema = _create_variant(RiskObjectWriteSchema, ("name",))
RiskUnitCreateSchema = _create_variant(RiskUnitWriteSchema, ("name",))
RiskEventCreateSchema = _create_variant(RiskEventWriteSchema, ("name",))
ControlMeasureCreateSchema = _create_variant(
    ControlMeasureWriteSchema, ("description", "classify1", "classify2")
)


class RegistryListQuerySchema(PageQuerySchema):
    sort = fields.String(load_default="id", validate=SORTS)


class LatestAssessmentSchema(BaseSchema):
    id = fields.Integer()
    kind = LabelledEnum({"inherent": "固有风险", "residual": "剩余风险"})
    method = fields.String()
    factors = fields.Dict()
    score = fields.Float()
    level = LabelledEnum(LEVEL_LABELS)
    control_level = LabelledEnum(CONTROL_LEVELS)
    band_table_code = fields.String()
    band_table_version = fields.String()
    explanation = fields.String()
    assessor_user_id = fields.Integer()
    assessed_on = fields.Date()


class ControlMeasureSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    risk_event_id = fields.Integer()
    description = fields.String()
    classify1 = LabelledEnum(CLASSIFY1_LABELS)
    classify2 = LabelledEnum(CLASSIFY2_LABELS)
    classify3 = fields.String()
    data_source = LabelledEnum(DATA_SOURCE_LABELS)
    check_content = fields.String()
    control_level = LabelledEnum(CONTROL_LEVELS)
    kind = LabelledEnum(MEASURE_KINDS)
    check_item_id = fields.Function(
        lambda m: measure_item_id(m.id) if m.data_source == "hazard_inspection" else None,
        metadata={"description": "风险管控措施排查表（risk-controls）中对应的检查项编号"},
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RiskEventSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    risk_unit_id = fields.Integer()
    name = fields.String()
    consequence = fields.String()
    accident_types = fields.List(fields.String())
    latest_assessment = fields.Nested(LatestAssessmentSchema, allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RiskUnitSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    risk_object_id = fields.Integer()
    name = fields.String()
    department = fields.String()
    responsible_name = fields.String()
    place_id = fields.Integer(allow_none=True)
    assessed_level = LabelledEnum(LEVEL_LABELS, attribute="levels.assessed")
    effective_level = LabelledEnum(LEVEL_LABELS, attribute="levels.effective")
    raised = fields.Boolean(attribute="levels.raised")
    open_hazards = fields.Integer(attribute="levels.open_hazards")
    level_note = fields.Function(lambda u: LEVEL_NOTE_RAISED if u.levels["raised"] else "")
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RiskObjectSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    name = fields.String()
    hazard_code = fields.String()
    is_major_hazard_source = fields.Boolean()
    description = fields.String()
    accountable_main = fields.String()
    accountable_technical = fields.String()
    accountable_operational = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RegisterEventSchema(RiskEventSchema):
    measures = fields.List(fields.Nested(ControlMeasureSchema))


class RegisterUnitSchema(RiskUnitSchema):
    events = fields.List(fields.Nested(RegisterEventSchema))


class RegisterObjectSchema(RiskObjectSchema):
    units = fields.List(fields.Nested(RegisterUnitSchema))


class RegisterCountsSchema(BaseSchema):
    objects = fields.Integer()
    units = fields.Integer()
    events = fields.Integer()
    measures = fields.Integer()


class RegisterSchema(BaseSchema):
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    counts = fields.Nested(RegisterCountsSchema)
    objects = fields.List(fields.Nested(RegisterObjectSchema))


def _page(item_schema):
    class Page(BaseSchema):
        items = fields.List(fields.Nested(item_schema))
        next_cursor = fields.String(allow_none=True)

    Page.__name__ = item_schema.__name__.replace("Schema", "PageSchema")
    return Page


RiskObjectPageSchema = _page(RiskObjectSchema)
RiskUnitPageSchema = _page(RiskUnitSchema)
RiskEventPageSchema = _page(RiskEventSchema)
ControlMeasurePageSchema = _page(ControlMeasureSchema)


class RegisterImportCountsSchema(BaseSchema):
    objects = fields.Integer()
    units = fields.Integer()
    events = fields.Integer()
    measures = fields.Integer()
    assessments = fields.Integer()


class RegisterImportUpdatedSchema(BaseSchema):
    objects = fields.Integer()
    units = fields.Integer()
    events = fields.Integer()
    measures = fields.Integer()


class RegisterImportResultSchema(BaseSchema):
    rows = fields.Integer()
    created = fields.Nested(RegisterImportCountsSchema)
    updated = fields.Nested(RegisterImportUpdatedSchema)


class PublishResultSchema(BaseSchema):
    code = fields.String()
    version_hash = fields.String()
    version_label = fields.String()
    item_count = fields.Integer()
    created = fields.Boolean()
