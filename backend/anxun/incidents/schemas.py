"""Request and response schemas for incidents, their quick and follow-up reports and timelines."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, Money
from anxun.incidents.rules import CATEGORIES, REPORT_KIND_LABELS


class ReportFieldsSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "设备生成的报告 UUID（可重放）"})
    deaths = Int(required=True, validate=validate.Range(min=0, max=100000))
    injuries = Int(required=True, validate=validate.Range(min=0, max=100000))
    missing = Int(required=True, validate=validate.Range(min=0, max=100000))
    direct_loss_estimate = Money(  # incident_report.direct_loss_estimate is Numeric(14, 2)
        digits=14,
        load_default=None,
        allow_none=True,
        metadata={"description": "直接经济损失估算（元）"},
    )
    description = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    measures = fields.String(load_default="", validate=validate.Length(max=4000))


class IncidentCreateSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "设备生成的事故 UUID（可重放）"})
    enterprise_id = Int(load_default=None)
    occurred_at = fields.AwareDateTime(required=True, metadata={"description": "带时区的发生时间"})
    location = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    report = fields.Nested(ReportFieldsSchema, required=True)


class IncidentListQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)
    late = fields.Boolean(load_default=None, metadata={"description": "按快报是否超时筛选"})
    escalated = fields.Boolean(
        load_default=None, metadata={"description": "按续报伤亡人数是否上升（补报）筛选"}
    )
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class IncidentReportSchema(BaseSchema):
    id = fields.UUID()
    kind = LabelledEnum(REPORT_KIND_LABELS)
    sequence = fields.Integer()
    submitted_at = fields.DateTime()
    deaths = fields.Integer()
    injuries = fields.Integer()
    missing = fields.Integer()
    direct_loss_estimate = Money(digits=14, allow_none=True)
    description = fields.String()
    measures = fields.String()
    reported_by = fields.String()


class TimelineEventSchema(BaseSchema):
    event = fields.String()
    label = fields.String()
    sequence = fields.Integer()
    at = fields.DateTime()
    minutes = fields.Integer()
    is_escalated = fields.Boolean()


class EscalationSchema(BaseSchema):
    sequence = fields.Integer()
    at = fields.DateTime()
    increases = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer()),
        metadata={"description": "上升的人数：{deaths|injuries|missing: [上次, 本次]}"},
    )
    summary = fields.String()
    within_supplement_window = fields.Boolean(metadata={"description": "是否在事故发生后30日内"})


class IncidentSchema(BaseSchema):
    id = fields.UUID()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    occurred_at = fields.DateTime()
    location = fields.String()
    category = LabelledEnum(CATEGORIES)
    title = fields.String()
    first_reported_at = fields.DateTime()
    minutes_to_first_report = fields.Integer()
    limit_minutes = fields.Integer()
    is_late = fields.Boolean()
    reported_by = fields.String()
    report_count = fields.Integer()
    deaths = fields.Integer()
    injuries = fields.Integer()
    missing = fields.Integer()
    is_escalated = fields.Boolean(metadata={"description": "续报伤亡人数较上次报告上升（补报）"})
    reports = fields.List(fields.Nested(IncidentReportSchema))
    timeline = fields.List(fields.Nested(TimelineEventSchema))
    escalations = fields.List(fields.Nested(EscalationSchema))
    basis = fields.List(fields.Dict())


class IncidentPageSchema(BaseSchema):
    items = fields.List(fields.Nested(IncidentSchema))


class CategorySchema(BaseSchema):
    code = fields.String()
    label = fields.String()


class BasisSchema(BaseSchema):
    title = fields.String()
    verified = fields.Boolean()
    verify = fields.String()


class CategoryListSchema(BaseSchema):
    items = fields.List(fields.Nested(CategorySchema))
    basis = fields.Nested(BasisSchema)
