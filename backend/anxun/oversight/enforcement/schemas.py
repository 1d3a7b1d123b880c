"""Request and response schemas for enforcement records (约谈, 停产整顿)."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum
from anxun.oversight.enforcement.services import KINDS

KIND_LABELS = {code: kind["label"] for code, kind in KINDS.items()}


class EnforcementCreateSchema(BaseSchema):
    enterprise_id = Int(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    reference_no = fields.String(required=True, validate=validate.Length(min=1, max=64))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    decided_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)


class EnforcementEndSchema(BaseSchema):
    ends_on = fields.Date(required=True, metadata={"description": "停产整顿的最后一天"})


class EnforcementListQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(list(KINDS)))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class EnforcementRecordSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    regulator_id = fields.Integer()
    regulator_name = fields.String()
    kind = LabelledEnum(KIND_LABELS)
    reference_no = fields.String()
    summary = fields.String()
    decided_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    is_in_effect = fields.Boolean()
    basis = fields.List(fields.Dict())
    created_by = fields.String()
    created_at = fields.DateTime()


class EnforcementPageSchema(BaseSchema):
    items = fields.List(fields.Nested(EnforcementRecordSchema))
