"""Parse the enterprise onboarding sheet (Excel or CSV, Chinese headers) into plain rows."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from anxun.orgs.rules import INDUSTRY_LABELS, SIZE_LABELS

# Header (as printed in the template) → field name.
COLUMNS = {
    "企业名称": "name",
    "统一社会信用代码": "uscc",
    "行政区划代码": "region_code",
    "行业": "industries",
    "规模": "size_class",
    "地址": "address",
    "纬度": "latitude",
    "经度": "longitude",
    "主要负责人": "head_name",
    "主要负责人电话": "head_phone",
    "安全负责人": "safety_head_name",
    "安全负责人电话": "safety_head_phone",
    "重大危险源": "has_major_hazard_source",
    "主要负责人账号": "head_username",
    "安全管理员账号": "officer_username",
    "安全管理员姓名": "officer_name",
    "初始密码": "initial_password",
}
REQUIRED = (
    "企业名称",
    "统一社会信用代码",
    "行政区划代码",
    "行业",
    "规模",
    "主要负责人",
    "主要负责人账号",
)
INDUSTRY_BY_LABEL = {label: code.value for code, label in INDUSTRY_LABELS.items()}
SIZE_BY_LABEL = {label: code.value for code, label in SIZE_LABELS.items()}
YES = {"是", "有", "y", "yes", "true", "1"}
NO = {"否", "无", "n", "no", "false", "0", ""}


class SheetError(ValueError):
    """The file itself cannot be read as the onboarding sheet."""


def read_sheet(filename: str, content: bytes) -> list[dict]:
    """Rows of {header: text} from .xlsx or .csv (UTF-8, with or without BOM)."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise SheetError("无法读取 Excel 文件。") from exc
        table = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SheetError("CSV 文件须为 UTF-8 编码。") from exc
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise SheetError("只支持 .xlsx 或 .csv 文件。")
    table = [row for row in table if any(row)]
    if not table:
        raise SheetError("文件为空。")
    headers = table[0]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise SheetError("缺少列：" + "、".join(missing))
    unknown = [h for h in headers if h and h not in COLUMNS]
    if unknown:
        raise SheetError("无法识别的列：" + "、".join(unknown))
    return [
        dict(zip(headers, row + [""] * (len(headers) - len(row)), strict=False))
        for row in table[1:]
    ]


def convert_row(raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Map one sheet row to enterprise fields; returns (data, [(field, message)])."""
    data: dict = {}
    errors: list[tuple[str, str]] = []
    for header, field in COLUMNS.items():
        value = raw.get(header, "")
        if header in REQUIRED and not value:
            errors.append((field, f"“{header}”不能为空。"))
            continue
        if field == "industries":
            labels = [
                p.strip()
                for p in value.replace("，", "、").replace(",", "、").split("、")
                if p.strip()
            ]
            codes = [INDUSTRY_BY_LABEL.get(p, p) for p in labels]
            bad = [
                p for p, c in zip(labels, codes, strict=True) if c not in INDUSTRY_BY_LABEL.values()
            ]
            if bad:
                errors.append((field, "未知行业：" + "、".join(bad)))
            data[field] = codes
        elif field == "size_class":
            code = SIZE_BY_LABEL.get(value, value)
            if code not in SIZE_BY_LABEL.values():
                errors.append((field, f"规模应为 {'/'.join(SIZE_BY_LABEL)}。"))
            data[field] = code
        elif field in ("latitude", "longitude"):
            if value:
                try:
                    data[field] = float(value)
                except ValueError:
                    errors.append((field, "应为数字。"))
        elif field == "has_major_hazard_source":
            if value.lower() not in YES | NO:
                errors.append((field, "应填“是”或“否”。"))
            data[field] = value.lower() in YES
        elif value:
            data[field] = value
    return data, errors
