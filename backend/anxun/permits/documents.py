"""Printable permit (作业票) and the permit register (特殊作业台账) as PDF and Excel."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import select

from anxun.core import clock
from anxun.core.errors import ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs.models import Enterprise
from anxun.permits import queries, rules
from anxun.permits.models import Permit
from anxun.reports.render import chinese_date, chinese_moment, render_pdf
from anxun.reports.xlsx import style_table

MSG_RANGE = "开始日期不能晚于结束日期。"
REGISTER_HEADERS = [
    "序号",
    "作业票编号",
    "作业类别及级别",
    "作业地点",
    "作业内容",
    "有效期",
    "申请人",
    "监护人",
    "开始时间",
    "关闭时间",
    "状态",
    "气体分析（不合格次数）",
]


# Titles of the forms in GB 30871—2022 附录A (表A.1 动火安全作业票 …).
FORM_TITLES = {
    "hot_work": "动火安全作业票",
    "confined_space": "受限空间安全作业票",
    "blinding": "盲板抽堵安全作业票",
    "height": "高处安全作业票",
    "lifting": "吊装安全作业票",
    "temporary_power": "临时用电安全作业票",
    "excavation": "动土安全作业票",
    "road_closure": "断路安全作业票",
}


def _last(view: dict, action: str) -> dict | None:
    return next((t for t in reversed(view["transitions"]) if t["action"] == action), None)


def permit_pdf(permit: Permit) -> bytes:
    """The permit in its form of GB 30871—2022 附录A, every signature, time and reading on it."""
    view = queries.permit_view(permit)
    enterprise = db.session.get(Enterprise, permit.enterprise_id)
    view["enterprise_name"] = enterprise.name
    view["applied_at"] = permit.created_at
    view["start_signature"] = _last(view, "start")
    view["close_signature"] = _last(view, "close")
    approvals = {a["step"]: a for a in view["approvals"]}
    view["signature_rows"] = [
        {
            "label": step["label"],
            "approver": step["approver"],
            "opinion": approvals.get(step["code"], {}).get("opinion", ""),
            "approved_at": approvals.get(step["code"], {}).get("approved_at"),
        }
        for step in view["approval_steps"]
    ]
    for reading in view["readings"]:
        reading["gas_label"] = (
            rules.TOXIC_LIMITS[reading["substance"]][0]
            if reading["substance"]
            else rules.GAS_LABELS[reading["gas"]]
        )
    grade_boxes = [(g, rules.GRADE_LABELS[g]) for g in rules.GRADES.get(permit.kind, ())]
    return render_pdf(
        "permit.html",
        {"p": view, "standard": rules.STANDARD, "grade_boxes": grade_boxes},
        title=FORM_TITLES[permit.kind],
        org_name=enterprise.name,
        period=f"编号 {permit.number}",
    )


def register_range(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    today = clock.today_local()
    start = date_from if date_from is not None else today.replace(day=1)
    end = date_to if date_to is not None else today
    if start > end:
        raise ValidationFailed(MSG_RANGE, [field_error("from", MSG_RANGE)])
    return start, end


def _moment(value: datetime | None) -> str:
    return chinese_moment(value) if value is not None else ""


def register_rows(enterprise: Enterprise, date_from: date, date_to: date) -> list[dict]:
    start = datetime.combine(date_from, datetime.min.time(), clock.CHINA_TZ)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), clock.CHINA_TZ)
    permits = db.session.scalars(
        select(Permit)
        .where(
            Permit.enterprise_id == enterprise.id,
            Permit.valid_from >= start,
            Permit.valid_from < end,
        )
        .order_by(Permit.valid_from, Permit.number)
    ).all()
    names, places = queries.lookups(permits)
    now = clock.now()
    rows = []
    for number, permit in enumerate(permits, start=1):
        row = queries.summary(permit, names, places, now)
        failed = sum(not r.is_within_limit for r in permit.readings)
        rows.append(
            {
                "number": number,
                "permit_number": permit.number,
                "label": row["label"],
                "place": row["place"]["name"],
                "content": permit.content,
                "window": f"{_moment(permit.valid_from)} 至 {_moment(permit.valid_to)}",
                "applicant": row["applicant"],
                "guardian": row["guardian"],
                "started": _moment(permit.started_at),
                "closed": _moment(permit.closed_at),
                "state": row["state"]["label"],
                "readings": f"{len(permit.readings)} 次（不合格 {failed}）",
            }
        )
    return rows


def _period(date_from: date, date_to: date) -> str:
    return f"{chinese_date(date_from)}至{chinese_date(date_to)}"


def register_pdf(enterprise: Enterprise, date_from: date, date_to: date) -> bytes:
    rows = register_rows(enterprise, date_from, date_to)
    return render_pdf(
        "permit_register.html",
        {"rows": rows, "headers": REGISTER_HEADERS},
        title="特殊作业台账",
        org_name=enterprise.name,
        period=_period(date_from, date_to),
    )


def register_xlsx(enterprise: Enterprise, date_from: date, date_to: date) -> bytes:
    rows = register_rows(enterprise, date_from, date_to)
    book = Workbook()
    sheet = book.active
    sheet.title = "特殊作业台账"
    sheet.append([f"{enterprise.name} 特殊作业台账（{_period(date_from, date_to)}）"])
    sheet.append(REGISTER_HEADERS)
    keys = [
        "number",
        "permit_number",
        "label",
        "place",
        "content",
        "window",
        "applicant",
        "guardian",
        "started",
        "closed",
        "state",
        "readings",
    ]
    for row in rows:
        sheet.append([row[k] for k in keys])
    style_table(sheet, 2, [6, 20, 16, 16, 30, 30, 10, 10, 18, 18, 10, 14], "A3")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
