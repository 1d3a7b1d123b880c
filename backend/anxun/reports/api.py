"""HTTP endpoints for the hazard-loop documents: record, notice, ledger and statistics (PDF, Excel)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from marshmallow import fields

from anxun.core import clock
from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint
from anxun.core.schemas import BaseSchema, Money
from anxun.hazards.queries import get_hazard
from anxun.orgs import scoping
from anxun.reports import documents

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="隐患排查治理文书与统计")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerQuerySchema(BaseSchema):
    date_from = fields.Date(
        data_key="from",
        load_default=None,
        metadata={"description": "开始日期（含），默认本月 1 日（北京时间）"},
    )
    date_to = fields.Date(
        data_key="to", load_default=None, metadata={"description": "结束日期（含），默认今天"}
    )


class StatisticsQuerySchema(BaseSchema):
    period = fields.String(
        required=True, metadata={"description": "季度如 2026Q3，年度如 2026", "example": "2026Q3"}
    )


class PeriodSchema(BaseSchema):
    code = fields.String()
    label = fields.String()
    start = fields.Date()
    end = fields.Date()
    filing_deadline = fields.Date(metadata={"description": "报送期限（16号令，条款号待核实）"})


class StateCountsSchema(BaseSchema):
    reported = fields.Integer()
    confirmed = fields.Integer()
    rectifying = fields.Integer()
    pending_verification = fields.Integer()
    awaiting_signoff = fields.Integer()
    closed = fields.Integer()
    rejected = fields.Integer()
    total = fields.Integer()


class LevelStateSchema(BaseSchema):
    general = fields.Nested(StateCountsSchema)
    major = fields.Nested(StateCountsSchema)
    unconfirmed = fields.Nested(StateCountsSchema)
    total = fields.Nested(StateCountsSchema)


class MajorHazardSchema(BaseSchema):
    id = fields.String(attribute="key")
    title = fields.String()
    reported_on = fields.Date()
    state = fields.String()
    deadline = fields.Date(allow_none=True)
    is_overdue = fields.Boolean()
    is_carried_over = fields.Boolean()


class HazardStatisticsSchema(BaseSchema):
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    period = fields.Nested(PeriodSchema)
    as_of = fields.Date(metadata={"description": "数据截止日：统计期末与今天中较早者"})
    by_level_state = fields.Nested(LevelStateSchema)
    found = fields.Integer()
    rejected = fields.Integer()
    closed_of_found = fields.Integer()
    closed_in_period = fields.Integer()
    closure_rate = fields.Float(
        allow_none=True,
        metadata={"description": "本期发现且已销号 ÷（本期发现 − 已驳回），分母为 0 时为 null"},
    )
    open_at_end = fields.Integer()
    overdue_at_end = fields.Integer()
    carried_over = fields.Integer()
    funds_total = Money(
        digits=16, metadata={"description": "本期发现且有整改方案的隐患资金合计（元）"}
    )
    major_hazards = fields.List(fields.Nested(MajorHazardSchema))


def attachment(filename: str, ascii_fallback: str) -> str:
    """Content-Disposition naming a Chinese file name (RFC 6266/5987), with an ASCII fallback."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route("/inspections/<uuid:inspection_id>/record.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="Inspection record (PDF).", content_type=PDF)
def inspection_record(inspection_id):
    """排查记录: answers by section, photos of failed items, hazards raised, signature lines."""
    inspection = documents.get_inspection(current_actor(), inspection_id)
    pdf = documents.inspection_record_pdf(inspection, documents.media_root())
    return _download(pdf, PDF, f"inspection-{inspection.id.hex[:8]}.pdf")


@blp.route("/hazards/<uuid:hazard_id>/notice.pdf", methods=["GET"])
@authenticated
@blp.response(200, description="Rectification notice (PDF).", content_type=PDF)
def rectification_notice(hazard_id):
    """隐患整改通知单: the hazard, its basis, the 五定 plan, photos and history."""
    hazard = get_hazard(current_actor(), hazard_id)
    pdf = documents.rectification_notice_pdf(hazard, documents.media_root())
    response = Response(pdf, mimetype=PDF)
    response.headers["Content-Disposition"] = attachment(
        f"隐患整改通知单-{documents.notice_number(hazard)}.pdf", f"notice-{hazard.id.hex[:8]}.pdf"
    )
    return response


def _ledger(enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(
        current_actor(), enterprise_id, scoping.READ, scoping.DOCUMENTS
    )
    date_from, date_to = documents.ledger_range(
        args["date_from"], args["date_to"], clock.today_local()
    )
    return enterprise, date_from, date_to


@blp.route("/enterprises/<int:enterprise_id>/hazard-ledger.pdf", methods=["GET"])
@authenticated
@blp.arguments(LedgerQuerySchema, location="query")
@blp.response(200, description="Hazard ledger (PDF).", content_type=PDF)
def hazard_ledger_pdf(args, enterprise_id):
    """隐患台账: every hazard reported from `from` to `to` (defaults: this month up to today)."""
    enterprise, date_from, date_to = _ledger(enterprise_id, args)
    pdf = documents.hazard_ledger_pdf(enterprise, date_from, date_to)
    return _download(pdf, PDF, f"hazard-ledger-{date_from}-{date_to}.pdf")


@blp.route("/enterprises/<int:enterprise_id>/hazard-ledger.xlsx", methods=["GET"])
@authenticated
@blp.arguments(LedgerQuerySchema, location="query")
@blp.response(200, description="Hazard ledger (Excel).", content_type=XLSX)
def hazard_ledger_xlsx(args, enterprise_id):
    """隐患台账 as Excel: the same rows as the PDF."""
    enterprise, date_from, date_to = _ledger(enterprise_id, args)
    data = documents.hazard_ledger_xlsx(enterprise, date_from, date_to)
    return _download(data, XLSX, f"hazard-ledger-{date_from}-{date_to}.xlsx")


def _statistics_scope(enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(
        current_actor(), enterprise_id, scoping.READ, scoping.DOCUMENTS
    )
    return enterprise, documents.statistics_period(args["period"], clock.today_local())


@blp.route("/enterprises/<int:enterprise_id>/hazard-statistics", methods=["GET"])
@authenticated
@blp.arguments(StatisticsQuerySchema, location="query")
@blp.response(200, HazardStatisticsSchema)
def hazard_statistics(args, enterprise_id):
    """隐患排查治理情况统计 for a quarter (`2026Q3`) or a year (`2026`), as numbers."""
    enterprise, period = _statistics_scope(enterprise_id, args)
    return documents.hazard_statistics(enterprise, period, clock.today_local())


@blp.route("/enterprises/<int:enterprise_id>/hazard-statistics.pdf", methods=["GET"])
@authenticated
@blp.arguments(StatisticsQuerySchema, location="query")
@blp.response(200, description="Hazard statistics form (PDF).", content_type=PDF)
def hazard_statistics_pdf(args, enterprise_id):
    """隐患排查治理情况统计表, to be signed by the 主要负责人 and filed (16号令)."""
    enterprise, period = _statistics_scope(enterprise_id, args)
    pdf = documents.hazard_statistics_pdf(enterprise, period)
    return _download(pdf, PDF, f"hazard-statistics-{period.code}.pdf")
