"""Request and response schemas for checklists."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, LabelledEnum

INDUSTRY_LABELS = {
    "hazardous_chemicals": "危险化学品",
    "construction": "房屋市政工程",
    "dust_explosion": "粉尘涉爆",
    "confined_space": "有限空间作业",
    "industry_trade": "工贸其他",
    "general": "通用",
}


class ChecklistQuerySchema(BaseSchema):
    industry = fields.String(load_default=None, validate=validate.OneOf(list(INDUSTRY_LABELS)))
    enterprise_id = fields.Integer(load_default=None)


class ChecklistVersionQuerySchema(BaseSchema):
    version = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[0-9a-fA-F]{8,64}$", error="版本应为内容哈希（至少 8 位）。"),
    )
    enterprise_id = fields.Integer(load_default=None)


class ChecklistUploadQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)


class ChecklistSummarySchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    industry = LabelledEnum(INDUSTRY_LABELS)
    version_label = fields.String()
    version_hash = fields.String()
    applies_to = fields.List(fields.String())
    item_count = fields.Integer()
    major_count = fields.Integer()
    owner_enterprise_id = fields.Integer(allow_none=True)
    loaded_at = fields.DateTime()


class ChecklistVersionRefSchema(BaseSchema):
    version_hash = fields.String()
    version_label = fields.String()
    loaded_at = fields.DateTime()


class ChecklistDetailSchema(ChecklistSummarySchema):
    document = fields.Dict()
    versions = fields.List(fields.Nested(ChecklistVersionRefSchema))


class ChecklistUploadResultSchema(ChecklistSummarySchema):
    created = fields.Boolean()
