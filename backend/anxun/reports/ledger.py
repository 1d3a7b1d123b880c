"""The hazard ledger (隐患台账) as an Excel workbook: one row per hazard, plus a cover sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from anxun.reports.xlsx import style_table

COLUMNS = (
    ("序号", 6),
    ("发现日期", 12),
    ("隐患名称/描述", 44),
    ("地点", 16),
    ("来源", 10),
    ("等级", 8),
    ("状态", 10),
    ("整改责任人", 12),
    ("整改措施", 36),
    ("资金（元）", 12),
    ("整改期限", 12),
    ("是否逾期", 9),
    ("验收人", 12),
    ("销号日期", 12),
)
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
DATE_COLUMNS = (2, 11, 14)
MONEY_COLUMN = 10


def _text(value):
    # Hazard titles and notes are typed by people: drop characters Excel cannot store.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _row(row: dict) -> list:
    name = row["title"] + (f"\n{row['description']}" if row["description"] else "")
    return [
        row["number"],
        row["reported_on"],
        name,
        row["place"],
        row["source"],
        row["level"],
        row["state"],
        row["responsible"],
        row["measures"],
        row["funds"],
        row["deadline"],
        "是" if row["is_overdue"] else "否",
        row["verifier"],
        row["closed_on"],
    ]


def ledger_xlsx(org_name: str, period_label: str, generated_at: str, rows: list[dict]) -> bytes:
    """The ledger workbook; `rows` come from documents.ledger_rows (dates, Decimal funds)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "隐患台账"
    sheet.append([name for name, _ in COLUMNS])
    for row in rows:
        sheet.append([_text(value) for value in _row(row)])
    style_table(sheet, 1, [width for _, width in COLUMNS], "A2")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.column in DATE_COLUMNS and isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            if cell.column == MONEY_COLUMN and isinstance(cell.value, int | float | Decimal):
                cell.number_format = MONEY_FORMAT
    sheet.auto_filter.ref = sheet.dimensions
    sheet.oddHeader.left.text = _text(org_name)
    sheet.oddHeader.right.text = f"隐患台账 {period_label}"
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"

    cover = workbook.create_sheet("说明")
    funds = sum((row["funds"] for row in rows if row["funds"] is not None), Decimal("0"))
    for pair in (
        ("企业名称", _text(org_name)),
        ("统计期间", period_label),
        ("隐患数", len(rows)),
        ("其中重大隐患", sum(row["level"] == "重大" for row in rows)),
        ("已销号", sum(row["closed_on"] is not None for row in rows)),
        ("逾期未销号", sum(row["is_overdue"] for row in rows)),
        ("整改资金合计（元）", funds),
        ("生成时间（北京时间）", generated_at),
        ("说明", "收录统计期间内发现（上报）的全部隐患；是否逾期按生成当日计算。"),
    ):
        cover.append(list(pair))
    cover.cell(row=7, column=2).number_format = MONEY_FORMAT
    for cell in cover["A"]:
        cell.font = Font(bold=True)
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 60

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
