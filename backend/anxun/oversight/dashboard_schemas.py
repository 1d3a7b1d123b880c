"""Query and response schemas of the regulator overview and trends."""

from marshmallow import fields, validate

from anxun.commitments.rules import STATUS_LABELS as COMMITMENT_STATUS_LABELS
from anxun.core.schemas import BaseSchema, LabelledEnum
from anxun.orgs.rules import INDUSTRY_LABELS, Industry
from anxun.orgs.schemas import INDUSTRY_CODES
from anxun.oversight.indicators import GRADE_COLOURS, GRADE_LABELS, SORT_KEYS


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
