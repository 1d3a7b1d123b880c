"""Checklist exports: the blank paper form (空白检查表) as PDF and the item list as Excel."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anxun.checklists.citations import paper_citations, paper_guidance
from anxun.checklists.loader import INSPECTION_TYPE_LABELS
from anxun.reports.xlsx import style_table

METHOD_LABELS = {"look": "看", "ask": "问", "measure": "测", "records": "查记录"}
CATEGORY_LABELS = {
    "thing": "物的状态",
    "behaviour": "人的行为",
    "management": "管理",
    "environment": "环境",
}
ANSWER_TYPE_LABELS = {
    "pass_fail_na": "合格/不合格/不适用",
    "text": "文字记录",
    "number": "数值",
    "choice": "选择",
}
BASIS_STATUS_LABELS = {
    "in_force": "现行有效",
    "repealed": "已废止",
    "expired": "已到期失效",
    "not_yet_in_force": "尚未施行",
}
INDUSTRY_LABELS = {
    "hazardous_chemicals": "危险化学品",
    "construction": "建筑施工",
    "dust_explosion": "粉尘涉爆",
    "confined_space": "有限空间作业",
    "industry_trade": "工贸行业",
    "general": "通用",
}
PENDING = "（待核实）"
SHORT_HASH = 12

ITEM_COLUMNS = (
    ("章节", 18),
    ("编号", 12),
    ("检查内容", 60),
    ("检查方法", 10),
    ("依据", 26),
    ("重大隐患判定项", 9),
    ("类别", 10),
    ("答案类型", 18),
    ("单位", 8),
    ("下限", 8),
    ("上限", 8),
    ("需拍照", 8),
    ("待核实", 8),
    ("指引", 50),
)
BASIS_COLUMNS = (
    ("代号", 12),
    ("文件名称", 50),
    ("文号/标准号", 30),
    ("发布机关", 30),
    ("施行日期", 12),
    ("状态", 10),
    ("待核实", 8),
)


def number_text(value: int | float) -> str:
    """A limit as people write it: 21, 19.5, 0.2."""
    return format(value, ".12g")


def limit_text(answer: dict) -> str:
    """The permitted range of a number answer, e.g. "19.5～21 %vol" or "≤ 8 h"."""
    low, high, unit = answer.get("min"), answer.get("max"), answer["unit"]
    if low is not None and high is not None:
        return f"{number_text(low)}～{number_text(high)} {unit}"
    if high is not None:
        return f"≤ {number_text(high)} {unit}"
    return f"≥ {number_text(low)} {unit}"


def options_text(answer: dict) -> str:
    """Choice options in order; an option that fails the item says so."""
    return "、".join(
        option["label"] + ("（判不合格）" if option["fails"] else "")
        for option in answer["options"]
    )


def methods_text(item: dict) -> str:
    return "、".join(METHOD_LABELS[method] for method in item["method"])


def basis_text(ref: dict) -> str:
    """One basis reference in the administrators' workbook: document code and clause, flagged when
    the clause is unconfirmed (the workbook is checklist data; paper uses `paper_citations`)."""
    return f"{ref['doc']} {ref['clause']}" + (PENDING if ref.get("verify") else "")


def is_pending(item: dict) -> bool:
    """True when the item itself or any of its basis references awaits verification."""
    return bool(item.get("verify")) or any(ref.get("verify") for ref in item["basis"])


def scope_text(description: str) -> str:
    """The description's first sentence, the scope (适用于…), is what the paper form prints; the
    rest is the administrators' note on sources and what awaits verification."""
    first, mark, _ = " ".join(description.split()).partition("。")
    return first + mark


def answer_type_text(answer: dict) -> str:
    label = ANSWER_TYPE_LABELS[answer["type"]]
    return f"{label}：{options_text(answer)}" if answer["type"] == "choice" else label


def checklist_form_context(doc: dict, version_hash: str) -> dict:
    """Template context of checklist_form.html: sections of numbered, pre-formatted rows. Bases
    read as on every paper document: full name and number, the clause only where verified; the
    guidance without its unverified (待核) sentences."""
    documents = {basis["code"]: basis for basis in doc["basis"]}
    number = 0
    sections = []
    for section in doc["sections"]:
        rows = []
        for item in section["items"]:
            number += 1
            answer = item["answer"]
            rows.append(
                {
                    "number": number,
                    "id": item["id"],
                    "text": item["text"],
                    "major": item["major"],
                    "guidance": paper_guidance(item.get("guidance", "")),
                    "answer_type": answer["type"],
                    "limits": limit_text(answer) if answer["type"] == "number" else "",
                    "unit": answer.get("unit", ""),
                    "options": [option["label"] for option in answer.get("options", [])],
                    "options_text": options_text(answer) if answer["type"] == "choice" else "",
                    "methods": methods_text(item),
                    "basis": paper_citations(item["basis"], documents),
                }
            )
        sections.append({"title": section["title"], "rows": rows})
    basis_docs = [
        {
            "code": basis["code"],
            "title": basis["title"],
            "number": basis.get("number", ""),
            "status": BASIS_STATUS_LABELS[basis["status"]],
        }
        for basis in doc["basis"]
    ]
    return {
        "checklist": {
            "code": doc["code"],
            "version": doc["version"],
            "industry": INDUSTRY_LABELS[doc["industry"]],
            "description": scope_text(doc.get("description", "")),
            "inspection_types": [INSPECTION_TYPE_LABELS[kind] for kind in doc["applies_to"]],
        },
        "version_hash": version_hash,
        "short_hash": version_hash[:SHORT_HASH],
        "sections": sections,
        "item_count": number,
        "basis_docs": basis_docs,
    }


def checklist_form_pdf(
    doc: dict, version_hash: str, *, org_name: str = "", generated_at: datetime | None = None
) -> bytes:
    """The blank printable form of one checklist version, for inspections on paper."""
    from anxun.reports.render import render_pdf  # here, so the Excel export stays light

    return render_pdf(
        "checklist_form.html",
        checklist_form_context(doc, version_hash),
        title=doc["title"],
        org_name=org_name,
        period=f"{doc['code']} 版本 {doc['version']}",
        generated_at=generated_at,
    )


def _cell_text(value):
    # Checklists may be uploaded by anyone: strip characters Excel cannot store.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _write_sheet(sheet, columns: tuple[tuple[str, int], ...], rows: list[list]) -> None:
    sheet.append([name for name, _ in columns])
    for row in rows:
        sheet.append([_cell_text(value) for value in row])
    style_table(sheet, 1, [width for _, width in columns], "A2")
    sheet.auto_filter.ref = sheet.dimensions


def _item_row(section: dict, item: dict) -> list:
    answer = item["answer"]
    return [
        section["title"],
        item["id"],
        item["text"],
        methods_text(item),
        "；".join(basis_text(ref) for ref in item["basis"]),
        "是" if item["major"] else "否",
        CATEGORY_LABELS[item["category"]],
        answer_type_text(answer),
        answer.get("unit"),
        answer.get("min"),
        answer.get("max"),
        "是" if item["photo_on_fail"] else "否",
        "是" if is_pending(item) else "否",
        item.get("guidance"),
    ]


def checklist_to_xlsx(doc: dict, version_hash: str) -> bytes:
    """Excel workbook of a normalised checklist: items, basis documents and the version."""
    workbook = Workbook()
    items = workbook.active
    items.title = "检查表"
    rows = [_item_row(section, item) for section in doc["sections"] for item in section["items"]]
    _write_sheet(items, ITEM_COLUMNS, rows)

    basis_rows = [
        [
            basis["code"],
            basis["title"],
            basis.get("number"),
            basis.get("issuer"),
            basis.get("effective"),
            BASIS_STATUS_LABELS[basis["status"]],
            "是" if basis.get("verify") else "否",
        ]
        for basis in doc["basis"]
    ]
    _write_sheet(workbook.create_sheet("依据文件"), BASIS_COLUMNS, basis_rows)

    version_rows = [
        ["编号", doc["code"]],
        ["名称", doc["title"]],
        ["版本", doc["version"]],
        ["版本标识", version_hash],
        ["行业", f"{INDUSTRY_LABELS[doc['industry']]}（{doc['industry']}）"],
        ["施行日期", doc.get("effective_from")],
        ["适用排查类型", "、".join(INSPECTION_TYPE_LABELS[kind] for kind in doc["applies_to"])],
        ["检查项数", len(rows)],
    ]
    _write_sheet(workbook.create_sheet("版本"), (("项目", 14), ("内容", 80)), version_rows)

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
