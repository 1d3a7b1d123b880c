"""Response schemas for the regulator's enterprise drill-down."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, PageQuerySchema


class OversightCodeLabelSchema(BaseSchema):
    code = fields.String()
    label = fields.String(allow_none=True)


class OversightHazardCountsSchema(BaseSchema):
    total = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()
    major_open = fields.Integer()


class OversightInspectionCountsSchema(BaseSchema):
    total = fields.Integer()
    recent = fields.Integer(metadata={"description": "近 recent_days 天内完成的检查数"})
    recent_days = fields.Integer()
    flagged = fields.Integer(metadata={"description": "带有合理性提示的检查数"})
    last_finished_at = fields.DateTime(allow_none=True)


class EnterpriseOversightSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    uscc = fields.String()
    region_code = fields.String()
    region_name = fields.String(allow_none=True)
    industries = fields.List(fields.Nested(OversightCodeLabelSchema))
    size_class = fields.Nested(OversightCodeLabelSchema)
    address = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    head_name = fields.String()
    head_phone = fields.String(
        allow_none=True, metadata={"description": "仅监管部门可见（个人信息）"}
    )
    has_major_hazard_source = fields.Boolean()
    hazards = fields.Nested(OversightHazardCountsSchema)
    inspections = fields.Nested(OversightInspectionCountsSchema)
    grade = fields.Dict(
        metadata={"description": "今日企业风险等级及其说明（与 /grade 相同的计算）"}
    )


class OversightPlaceRefSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class OversightFlagSchema(BaseSchema):
    code = fields.String()
    message = fields.String(allow_none=True)


class OversightFailedItemSchema(BaseSchema):
    item_id = fields.String()
    item_text = fields.String(allow_none=True)
    note = fields.String()
    photo_ids = fields.List(fields.String())


class OversightResultsSchema(BaseSchema):
    answered = fields.Integer()
    pass_ = fields.Integer(data_key="pass", attribute="pass")
    fail = fields.Integer()
    na = fields.Integer()


class OversightInspectionSchema(BaseSchema):
    id = fields.String()
    verification_code = fields.String(metadata={"description": "校验码（打印在排查记录上）"})
    enterprise_id = fields.Integer()
    inspector_user_id = fields.Integer()
    inspector_name = fields.String(allow_none=True)
    place = fields.Nested(OversightPlaceRefSchema, allow_none=True)
    checklist_title = fields.String(allow_none=True)
    inspection_type = fields.Nested(OversightCodeLabelSchema)
    source = fields.Nested(OversightCodeLabelSchema)
    qr_scanned = fields.Boolean()
    started_at = fields.DateTime()
    finished_at = fields.DateTime()
    received_at = fields.DateTime()
    results = fields.Nested(OversightResultsSchema)
    failed_items = fields.List(fields.Nested(OversightFailedItemSchema))
    flags = fields.List(fields.Nested(OversightFlagSchema))
    photo_ids = fields.List(fields.String())
    hazard_count = fields.Integer()


class OversightInspectionPageSchema(BaseSchema):
    items = fields.List(fields.Nested(OversightInspectionSchema))
    next_cursor = fields.String(allow_none=True)


class OversightInspectionQuerySchema(PageQuerySchema):
    """Cursor paging only; pages are smaller than elsewhere because each row carries photos."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    inspection_id = fields.UUID(
        load_default=None,
        metadata={"description": "只返回这一条记录（工作台按校验码打开时）"},
    )
