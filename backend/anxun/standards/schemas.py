"""Request and response schemas for standard changes: re-judge lists, resolution, summary."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, LabelledEnum
from anxun.standards.models import SUBJECTS
from anxun.standards.queries import KIND_LABELS, LEVEL_LABELS, SUBJECT_LABELS


class RejudgeQuerySchema(BaseSchema):
    # Query strings carry text, so integers here are parsed leniently.
    enterprise_id = fields.Integer(load_default=None)
    state = fields.String(
        load_default="open",
        validate=validate.OneOf(["open", "resolved", "all"]),
        metadata={"description": "open：待重新判定（默认）；resolved：已处理；all：全部"},
    )
    subject = fields.String(load_default=None, validate=validate.OneOf(SUBJECTS))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class RejudgeResolveSchema(BaseSchema):
    resolution = fields.String(required=True, validate=validate.Length(max=1000))


class RejudgeItemSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String(allow_none=True)
    subject = LabelledEnum(SUBJECT_LABELS)
    subject_title = fields.String(allow_none=True)
    hazard_id = fields.UUID(allow_none=True)
    plan_id = fields.Integer(allow_none=True)
    assessment_id = fields.Integer(allow_none=True)
    item_id = fields.String(allow_none=True)
    reason = fields.String()
    explanation = fields.List(
        fields.String(),
        metadata={"description": "变更内容与处理要求（中文，不含检查项代码和分级表代码）"},
    )
    old_level = LabelledEnum(
        LEVEL_LABELS, allow_none=True, metadata={"description": "原等级（隐患或风险）"}
    )
    new_level = LabelledEnum(
        LEVEL_LABELS, allow_none=True, metadata={"description": "按新标准的等级（隐患或风险）"}
    )
    change = fields.Dict()
    standard = fields.String()
    standard_change_id = fields.Integer()
    created_at = fields.DateTime()
    is_resolved = fields.Boolean()
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by_user_id = fields.Integer(allow_none=True)
    resolution = fields.String(allow_none=True)


class RejudgeEnterpriseSchema(BaseSchema):
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    open_hazards = fields.Integer()
    open_plans = fields.Integer()
    open_assessments = fields.Integer()
    open_total = fields.Integer()
    resolved = fields.Integer()


class StandardChangeSchema(BaseSchema):
    id = fields.Integer()
    kind = LabelledEnum(KIND_LABELS)
    code = fields.String()
    title = fields.String()
    old_label = fields.String(metadata={"description": "原版本的名称（如 第1版、2024版）"})
    new_label = fields.String(metadata={"description": "新版本的名称"})
    summary = fields.Dict()
    created_at = fields.DateTime()


class StandardChangeSummarySchema(BaseSchema):
    enterprises = fields.List(fields.Nested(RejudgeEnterpriseSchema))
    changes = fields.List(fields.Nested(StandardChangeSchema))
