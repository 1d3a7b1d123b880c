"""Query and response schemas of the regulator overview, trends and the enterprise drill-down."""

from marshmallow import fields, validate

from anxun.commitments.rules import STATUS_LABELS as COMMITMENT_STATUS_LABELS
from anxun.core.schemas import BaseSchema, LabelledEnum, PageQuerySchema
from anxun.orgs.rules import INDUSTRY_LABELS, Industry
from anxun.orgs.schemas import INDUSTRY_CODES
from anxun.oversight.dashboard.indicators import GRADE_COLOURS, GRADE_LABELS, SORT_KEYS


class JurisdictionFilterSchema(BaseSchema):
    # Query strings carry text, so integers here are parsed leniently.
    industry = fields.String(load_default=None, validate=validate.OneOf(INDUSTRY_CODES))
    region_code = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^\d{2,6}$", error="行政区划代码应为 2 至 6 位数字。"),
        metadata={"description": "行政区划代码前缀，如 3302 或 330211"},
    )


class OverviewQuerySchema(JurisdictionFilterSchema):
    grade = fields.String(
        load_default=None,
        validate=validate.OneOf([*GRADE_COLOURS, "none"]),
        metadata={"description": "企业风险等级颜色：red/orange/yellow/blue，none 为未评定"},
    )
    stale_days = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "只看最近 N 天没有排查记录的企业"},
    )
    sort = fields.String(load_default="name", validate=validate.OneOf(SORT_KEYS))
    order = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1), metadata={"description": "页码，从 1 开始"}
    )
    per_page = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "每页企业数（1–500）；不传则返回全部（合计始终覆盖全部筛选结果）"},
    )


class TrendsQuerySchema(JurisdictionFilterSchema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366))


class RegionRefSchema(BaseSchema):
    code = fields.String()
    name = fields.String()


def _industries(row: dict) -> list[dict]:
    return [{"code": i, "label": INDUSTRY_LABELS.get(Industry(i), i)} for i in row["industries"]]


class OverviewRowSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    region = fields.Nested(RegionRefSchema)
    industries = fields.Function(_industries)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    grade = LabelledEnum(GRADE_LABELS, allow_none=True)
    grade_score = fields.Float(allow_none=True)
    grade_day = fields.Date(allow_none=True)
    open_hazards = fields.Integer()
    overdue_hazards = fields.Integer()
    open_major_hazards = fields.Integer()
    operation_rate = fields.Float(allow_none=True)
    last_inspection_at = fields.DateTime(allow_none=True)
    unacknowledged_orders = fields.Integer()
    escalated_orders = fields.Integer()
    listed_major_hazards = fields.Integer()
    commitment = LabelledEnum(
        COMMITMENT_STATUS_LABELS,
        allow_none=True,
        metadata={"description": "危险化学品企业今日安全承诺：已按时承诺/迟报/未承诺/待承诺"},
    )


class GradeCountsSchema(BaseSchema):
    red = fields.Integer()
    orange = fields.Integer()
    yellow = fields.Integer()
    blue = fields.Integer()
    none = fields.Integer()


class OverviewTotalsSchema(BaseSchema):
    enterprises = fields.Integer()
    open_hazards = fields.Integer()
    overdue_hazards = fields.Integer()
    open_major_hazards = fields.Integer()
    unacknowledged_orders = fields.Integer()
    escalated_orders = fields.Integer()
    listed_major_hazards = fields.Integer()
    average_operation_rate = fields.Float(allow_none=True)
    grades = fields.Nested(GradeCountsSchema)


class OverviewSchema(BaseSchema):
    items = fields.List(fields.Nested(OverviewRowSchema))
    totals = fields.Nested(OverviewTotalsSchema)
    total = fields.Integer(metadata={"description": "筛选后的企业总数（全部页）"})
    page = fields.Integer()
    per_page = fields.Integer(allow_none=True)
    operation_rate_period = fields.Function(
        lambda o: {
            "from": o["operation_rate_period"]["from"].isoformat(),
            "to": o["operation_rate_period"]["to"].isoformat(),
        }
    )
    ack_days = fields.Integer()
    generated_at = fields.DateTime()


class TrendDaySchema(BaseSchema):
    day = fields.Date()
    hazards_reported = fields.Integer()
    hazards_closed = fields.Integer()
    overdue_open = fields.Integer()
    inspections = fields.Integer()


class TrendsSchema(BaseSchema):
    days = fields.List(fields.Nested(TrendDaySchema))
    grades = fields.Nested(GradeCountsSchema)
    enterprises = fields.Integer()
    generated_at = fields.DateTime()


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
    media_ids = fields.List(fields.String())


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
    media_ids = fields.List(fields.String())
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
