"""The risk register as Excel (风险辨识清单 / 风险分级管控清单): export, and sheet rows for import."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from anxun.reports.xlsx import style_table
from anxun.risk.grading.control import CONTROL_LEVELS
from anxun.risk.grading.levels import LEVELS
from anxun.risk.registry.services import (
    CLASSIFY1_LABELS,
    CLASSIFY1_NUMBERS,
    CLASSIFY2_LABELS,
    DATA_SOURCE_LABELS,
    MEASURE_KINDS,
)

SHEET_TITLE = "风险分级管控清单"
FACTORS = ("L", "E", "C", "S", "M")
# (header, width, entity, field): one row per control measure, the chain flattened.
COLUMNS = (
    ("序号", 6, None, None),
    ("风险分析对象", 18, "object", "name"),
    ("危险源编码", 14, "object", "hazard_code"),
    ("是否重大危险源", 8, "object", "is_major_hazard_source"),
    ("包保责任人（主要）", 10, "object", "accountable_main"),
    ("包保责任人（技术）", 10, "object", "accountable_technical"),
    ("包保责任人（操作）", 10, "object", "accountable_operational"),
    ("风险分析单元", 18, "unit", "name"),
    ("责任部门", 12, "unit", "department"),
    ("责任人", 10, "unit", "responsible_name"),
    ("安全风险事件", 22, "event", "name"),
    ("事故类型", 14, "event", "accident_types"),
    ("管控措施", 40, "measure", "description"),
    ("措施分类一", 10, "measure", "classify1"),
    ("措施分类二", 14, "measure", "classify2"),
    ("措施分类三", 12, "measure", "classify3"),
    ("数据来源", 10, "measure", "data_source"),
    ("隐患排查内容", 40, "measure", "check_content"),
    ("管控层级", 8, "measure", "control_level"),
    ("措施类别", 12, "measure", "kind"),
    ("评价方法", 8, "assessment", "method"),
    *((symbol, 6, "assessment", symbol) for symbol in FACTORS),
    ("风险值", 8, "assessment", "score"),
    ("风险等级", 10, None, None),
)
HEADERS = {header: (entity, field) for header, _, entity, field in COLUMNS}
REQUIRED = ("风险分析对象", "风险分析单元", "安全风险事件", "管控措施", "措施分类一", "措施分类二")
YES, NO = {"是", "有", "y", "yes", "true", "1"}, {"否", "无", "n", "no", "false", "0", ""}
CLASSIFY1_BY_TEXT = {
    **{label: code for code, label in CLASSIFY1_LABELS.items()},
    **{code: code for code in CLASSIFY1_LABELS},
    **{number: code for code, number in CLASSIFY1_NUMBERS.items()},
}
DATA_SOURCE_BY_TEXT = {
    **{label: code for code, label in DATA_SOURCE_LABELS.items()},
    **{code: code for code in DATA_SOURCE_LABELS},
    "自动监控": "automatic_monitoring",
}
CONTROL_LEVEL_BY_TEXT = {
    **{label: code for code, label in CONTROL_LEVELS.items()},
    **{code: code for code in CONTROL_LEVELS},
}
# 工程技术措施 or 工程技术 or the code; a blank cell keeps the measure's kind (or its default).
KIND_BY_TEXT = {
    **{label: code for code, label in MEASURE_KINDS.items()},
    **{label.removesuffix("措施"): code for code, label in MEASURE_KINDS.items()},
    **{code: code for code in MEASURE_KINDS},
}
CLASSIFY2_CODE = re.compile(r"\s*([1-4])\s*[-－—–]\s*([1-5])(?![0-9])\s*(.*)")
SPLIT = re.compile(r"[、，,；;/\s]+")


class SheetError(ValueError):
    """The file itself cannot be read as a risk register."""


# --- export --------------------------------------------------------------------------------------


def _number(value) -> int | float | None:
    if value is None:
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _assessment_cells(assessment) -> list:
    if assessment is None:
        return [None] * (len(FACTORS) + 3)
    label, colour = LEVELS[assessment.level]
    return [
        assessment.method,
        *(_number(assessment.factors.get(symbol)) for symbol in FACTORS),
        _number(assessment.score),
        f"{label}（{colour}）",
    ]


def _rows(tree: dict) -> list[list]:
    rows = []
    for obj in tree["objects"]:
        object_cells = [
            obj.name,
            obj.hazard_code,
            "是" if obj.is_major_hazard_source else "否",
            obj.accountable_main,
            obj.accountable_technical,
            obj.accountable_operational,
        ]
        if not obj.units:
            rows.append(object_cells + [None] * 19)
        for unit in obj.units:
            unit_cells = object_cells + [unit.name, unit.department, unit.responsible_name]
            if not unit.events:
                rows.append(unit_cells + [None] * 16)
            for event in unit.events:
                event_cells = unit_cells + [event.name, "、".join(event.accident_types or [])]
                assessment = _assessment_cells(event.latest_assessment)
                for measure in event.measures or [None]:
                    rows.append(event_cells + _measure_cells(measure) + assessment)
    return [[number, *row] for number, row in enumerate(rows, start=1)]


def _measure_cells(measure) -> list:
    if measure is None:
        return [None] * 8
    return [
        measure.description,
        CLASSIFY1_LABELS[measure.classify1],
        f"{measure.classify2} {CLASSIFY2_LABELS.get(measure.classify2, '')}".strip(),
        measure.classify3,
        DATA_SOURCE_LABELS[measure.data_source],
        measure.check_content,
        CONTROL_LEVELS.get(measure.control_level, "") if measure.control_level else None,
        MEASURE_KINDS[measure.kind],
    ]


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value


def register_to_xlsx(tree: dict) -> bytes:
    """The register tree (registry/queries.register_tree) as one sheet, one row per measure."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([f"{tree['enterprise_name']} 安全风险分级管控清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([header for header, _, _, _ in COLUMNS])
    for row in _rows(tree):
        sheet.append([_cell(value) for value in row])
    style_table(sheet, 2, [width for _, width, _, _ in COLUMNS], "B3")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import --------------------------------------------------------------------------------------


def read_register(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(sheet row number, {header: cell value} over every known column) for each non-empty row
    below the header row (the first row naming 风险分析对象, so a title row may sit above it)."""
    if not filename.lower().endswith(".xlsx"):
        raise SheetError("只支持 .xlsx 格式的风险分级管控清单。")
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).active
        table = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise SheetError("无法读取 Excel 文件。") from exc
    header_at = next(
        (
            index
            for index, row in enumerate(table[:10])
            if "风险分析对象" in [_text(value) for value in row]
        ),
        None,
    )
    if header_at is None:
        raise SheetError("未找到表头行（应包含“风险分析对象”等列）。")
    headers = [_text(value) for value in table[header_at]]
    missing = [header for header in REQUIRED if header not in headers]
    if missing:
        raise SheetError("缺少列：" + "、".join(missing))
    unknown = [header for header in headers if header and header not in HEADERS]
    if unknown:
        raise SheetError("无法识别的列：" + "、".join(unknown))
    repeated = sorted({header for header in headers if header and headers.count(header) > 1})
    if repeated:
        raise SheetError("列重复：" + "、".join(repeated))
    rows = []
    for index, values in enumerate(table[header_at + 1 :], start=header_at + 2):
        cells = {header: None for header in headers if header}
        for header, value in zip(headers, values, strict=False):
            if header:
                cells[header] = value
        if any(_text(value) for value in cells.values()):
            rows.append((index, cells))
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _factor(value) -> int | float:
    """A factor cell as an int or float; text is read exactly ("0.5" → 0.5)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _number(value)
    try:
        number = Decimal(_text(value))
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return _number(number)


def _classify2(text: str, classify1: str | None) -> str | None:
    match = CLASSIFY2_CODE.fullmatch(text)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    if classify1 is None:
        return None
    number = CLASSIFY1_NUMBERS[classify1]
    for code, label in CLASSIFY2_LABELS.items():
        if code.startswith(number + "-") and label == text:
            return code
    return None


def _value(header: str, field: str, text: str, measure: dict, errors: list):
    """A cell's text as the field value; unreadable text adds an error and gives None."""
    if field == "is_major_hazard_source":
        if text.lower() not in YES | NO:
            errors.append((field, f"“{header}”应填“是”或“否”。"))
        return text.lower() in YES
    if field == "accident_types":
        return [part for part in SPLIT.split(text) if part]
    if field == "classify1":
        code = CLASSIFY1_BY_TEXT.get(text)
        if text and code is None:
            allowed = "、".join(CLASSIFY1_LABELS.values())
            errors.append((field, f"措施分类一“{text}”无法识别，应为{allowed}之一。"))
        return code
    if field == "classify2":
        code = _classify2(text, measure.get("classify1"))
        if text and code is None:
            errors.append((field, f"措施分类二“{text}”无法识别，应填代码，如“1-1 工艺控制”。"))
        return code
    if field == "data_source":
        code = DATA_SOURCE_BY_TEXT.get(text or "隐患排查")
        if code is None:
            errors.append((field, f"数据来源“{text}”无法识别，应为隐患排查或自动化监控。"))
        return code
    if field == "kind":
        code = KIND_BY_TEXT.get(text)
        if code is None:
            allowed = "、".join(MEASURE_KINDS.values())
            errors.append((field, f"措施类别“{text}”无法识别，应为{allowed}之一。"))
        return code
    if field == "control_level":
        code = CONTROL_LEVEL_BY_TEXT.get(text) if text else None
        if text and code is None:
            allowed = "、".join(CONTROL_LEVELS.values())
            errors.append((field, f"管控层级“{text}”无法识别，应为{allowed}之一。"))
        return code
    return text


ENTITY_NAMES = {
    "unit": ("name", "风险分析单元"),
    "event": ("name", "安全风险事件"),
    "measure": ("description", "管控措施"),
}


def _assessment(cells: dict, has_event: bool, errors: list) -> dict | None:
    given = {
        field: cells[header]
        for header, (entity, field) in HEADERS.items()
        if entity == "assessment" and _text(cells.get(header))
    }
    if not given:
        return None
    if not has_event:
        errors.append(("assessment", "填写了风险评价，但未填写安全风险事件。"))
        return None
    method = _text(given.pop("method", None)).upper()
    if not method:
        errors.append(
            ("assessment.method", "填写了评价因子或风险值，请同时填写评价方法（LEC、LS 或 MES）。")
        )
        return None
    result = {"method": method, "factors": {}, "score": None}
    for field, raw in given.items():
        try:
            number = _factor(raw)
        except ValueError:
            label = "风险值" if field == "score" else f"因子 {field} "
            errors.append((f"assessment.{field}", f"{label}应为数字，实为“{_text(raw)}”。"))
            continue
        if field == "score":
            result["score"] = number
        else:
            result["factors"][field] = number
    return result


def convert_row(row: int, cells: dict) -> dict:
    """One sheet row as {row, object, unit, event, measure, assessment, errors}.

    Entity parts hold the sheet's columns for that level (absent columns are left out, so an
    import never clears what the sheet does not carry); a level is None when its name cell is
    blank, and so are the levels below it. `errors` are (field, zh-CN message) pairs."""
    errors: list[tuple[str, str]] = []
    parts: dict[str, dict] = {"object": {}, "unit": {}, "event": {}, "measure": {}}
    filled: dict[str, list[str]] = {"object": [], "unit": [], "event": [], "measure": []}
    for header, (entity, field) in HEADERS.items():
        if entity in (None, "assessment") or header not in cells:
            continue
        text = _text(cells[header])
        if field == "kind" and not text:
            continue
        if text:
            filled[entity].append(header)
        parts[entity][field] = _value(header, field, text, parts["measure"], errors)
    converted = {"row": row, "object": parts["object"], "errors": errors}
    if not parts["object"].get("name"):
        errors.append(("object.name", "请填写风险分析对象。"))
    missing = None
    for entity, (name_field, label) in ENTITY_NAMES.items():
        if parts[entity].get(name_field):
            if missing is not None:
                errors.append((f"{entity}.{name_field}", f"填写了{label}，但未填写{missing}。"))
            converted[entity] = parts[entity] if missing is None else None
            continue
        converted[entity] = None
        if filled[entity]:
            shown = "、".join(filled[entity])
            errors.append((f"{entity}.{name_field}", f"填写了“{shown}”，但未填写{label}。"))
        missing = missing or label
    converted["assessment"] = _assessment(cells, converted["event"] is not None, errors)
    return converted
