"""Report rendering: the blank checklist form as a real PDF (CJK embedded) and the Excel export."""

import subprocess
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from anxun.checklists.export import (
    checklist_form_context,
    checklist_form_pdf,
    checklist_to_xlsx,
    limit_text,
)
from anxun.checklists.loader import content_hash, iter_items, load_checklist
from anxun.reports.render import render_html

ROOT = Path(__file__).resolve().parents[2]
HAZCHEM = ROOT / "checklists" / "hazardous-chemicals.yaml"

SMALL_YAML = """\
code: demo
title: 演示检查表
industry: general
version: "7"
applies_to: [daily, holiday]
basis:
  - {code: QB-01, title: "本公司<b>动火</b>管理制度", status: in_force, verify: pending}
sections:
  - id: site
    title: 现场
    items:
      - id: D-01
        text: "<script>alert(1)</script>消防通道畅通"
        method: look
        category: environment
      - id: D-02
        text: 储罐区现场状况
        method: [look, records]
        basis: [{doc: QB-01, clause: "3.1", verify: pending}]
        category: thing
        answer:
          type: choice
          options:
            - {code: ok, label: 正常}
            - {code: leak, label: 泄漏, fails: true}
      - id: D-03
        text: '=HYPERLINK("http://example.invalid","点击")'
        method: ask
        category: management
"""


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def hazchem() -> dict:
    return load_checklist(HAZCHEM.read_text(encoding="utf-8"), str(HAZCHEM))


@pytest.fixture(scope="module")
def small() -> dict:
    return load_checklist(SMALL_YAML, "demo.yaml")


@pytest.fixture(scope="module")
def form_pdf(hazchem, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("form") / "hazardous-chemicals.pdf"
    pdf = checklist_form_pdf(hazchem, content_hash(hazchem), org_name="安巡化工有限公司")
    path.write_bytes(pdf)
    return path


@pytest.fixture(scope="module")
def form_text(form_pdf) -> str:
    return run("pdftotext", str(form_pdf), "-")


@pytest.fixture(scope="module")
def workbook(hazchem):
    return load_workbook(BytesIO(checklist_to_xlsx(hazchem, content_hash(hazchem))))


def rows_by_id(sheet) -> dict[str, tuple]:
    return {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}


# ---- the blank form as PDF ------------------------------------------------------------


def test_a_chinese_font_is_installed():
    assert run("fc-list", ":lang=zh").strip()


def test_form_pdf_embeds_a_cjk_font(form_pdf):
    lines = run("pdffonts", str(form_pdf)).splitlines()[2:]
    embedded_cjk = [line for line in lines if "CJK" in line and line.split()[-5] == "yes"]
    assert embedded_cjk, lines


def test_form_pdf_is_a4_with_several_pages(form_pdf):
    info = dict(
        line.split(":", 1) for line in run("pdfinfo", str(form_pdf)).splitlines() if ":" in line
    )
    assert info["Page size"].split("(")[0].split() == ["595.276", "x", "841.89", "pts"]
    assert int(info["Pages"]) > 1


def test_form_pdf_text_shows_title_version_items_and_page_footer(form_text, hazchem):
    compact = "".join(form_text.split())
    assert "危险化学品企业安全风险隐患排查表" in compact
    assert "版本2026.1" in compact
    assert "版本标识" + content_hash(hazchem)[:12] in compact
    assert "【重大隐患判定项】主要负责人和安全生产管理人员依法经考核合格" in compact
    assert "限值：19.5～21%vol" in compact
    # Bases as on every paper document: full name and number, the clause only where verified;
    # AQ 3067's pending clause 5.1.1 prints as the standard alone, with no 待核实 mark.
    assert "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》" in compact
    assert "（安监总管三〔2017〕121号）" in compact
    # The scope is the description's first sentence; its note on unverified sources stays off.
    assert (
        "适用范围：适用于危险化学品生产、经营（带储存）企业和化工企业的日常、定期、综合和专项排查。"
        in compact
    )
    assert "尚未取得并核对其官方文本" not in compact
    assert "《化工和危险化学品生产经营企业重大生产安全事故隐患判定准则》（AQ3067—2026）" in compact
    assert "判定准则》（AQ3067—2026）5.1.1" not in compact
    assert "（待核实）" not in compact and "标注“待核实”" not in compact
    assert "第1页/共" in compact
    for label in ("企业名称", "检查地点", "检查人", "检查时间", "天气/班次", "企业负责人签字"):
        assert label in compact
    assert "2017〕121号" in compact  # the basis legend gives the document number


def test_every_page_has_the_org_header_and_a_numbered_footer(form_text):
    pages = [page for page in form_text.split("\f") if page.strip()]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        compact = "".join(page.split())
        assert compact.startswith("安巡化工有限公司hazardous-chemicals版本2026.1")
        assert f"第{number}页/共{total}页" in compact
    # the header text is drawn once per page, not also as hidden text in the body
    assert form_text.count("安巡化工有限公司") == total + 1  # plus the 企业名称 field


# ---- the form rows and HTML ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"type": "number", "unit": "%vol", "min": 19.5, "max": 21}, "19.5～21 %vol"),
        ({"type": "number", "unit": "h", "min": None, "max": 8}, "≤ 8 h"),
        ({"type": "number", "unit": "倍", "min": 1.25, "max": None}, "≥ 1.25 倍"),
    ],
)
def test_limit_text_spells_the_permitted_range(answer, expected):
    assert limit_text(answer) == expected


def test_form_context_numbers_items_across_sections(hazchem):
    context = checklist_form_context(hazchem, "f" * 64)
    rows = [row for section in context["sections"] for row in section["rows"]]
    assert [row["number"] for row in rows] == list(range(1, len(list(iter_items(hazchem))) + 1))
    first = rows[0]
    assert (first["id"], first["major"], first["methods"]) == ("HC-MAJ-01", True, "查记录")
    # HC121 awaits verification (whether AQ 3067 repeals it), so its clause stays off paper too.
    assert first["basis"] == [
        "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
        "（安监总管三〔2017〕121号）",
        "《化工和危险化学品生产经营企业重大生产安全事故隐患判定准则》（AQ 3067—2026）",
    ]
    assert context["short_hash"] == "f" * 12


def test_html_escapes_checklist_text(small):
    html = render_html("checklist_form.html", checklist_form_context(small, "0" * 64), title="演示")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;消防通道畅通" in html
    assert "本公司&lt;b&gt;动火&lt;/b&gt;管理制度" in html


def test_html_lists_choice_options_and_no_software_lines(small):
    html = render_html(
        "checklist_form.html",
        checklist_form_context(small, "0" * 64),
        title="演示",
        generated_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
    )
    assert '<html lang="zh-CN">' in html
    assert "选项：正常、泄漏（判不合格）" in html
    assert "□正常" in html and "□泄漏" in html
    # The pending clause 3.1 is left off the paper; the document is named in full, escaped.
    assert "《本公司&lt;b&gt;动火&lt;/b&gt;管理制度》" in html
    assert "3.1" not in html and "待核实" not in html
    assert "□日常排查" in html and "□节假日排查" in html
    # Printed documents carry no generation time or time-zone note (issue #13).
    assert "生成时间" not in html and "北京时间" not in html


# ---- Excel -------------------------------------------------------------------------------


def test_workbook_has_items_basis_and_version_sheets(workbook):
    assert workbook.sheetnames == ["检查表", "依据文件", "版本"]
    header = [cell.value for cell in workbook["检查表"][1]]
    assert header == [
        "章节",
        "编号",
        "检查内容",
        "检查方法",
        "依据",
        "重大隐患判定项",
        "类别",
        "答案类型",
        "单位",
        "下限",
        "上限",
        "需拍照",
        "待核实",
        "指引",
    ]
    assert all(cell.font.bold for cell in workbook["检查表"][1])
    assert workbook["检查表"].freeze_panes == "A2"


def test_workbook_has_one_row_per_item(workbook, hazchem):
    ids = [row[1] for row in workbook["检查表"].iter_rows(min_row=2, values_only=True)]
    assert ids == [item["id"] for item in iter_items(hazchem)]


def test_workbook_rows_carry_major_flag_limits_and_pending(workbook):
    rows = rows_by_id(workbook["检查表"])
    major = rows["HC-MAJ-01"]
    assert major[5] == "是"
    assert major[4] == "HC121 第一项；AQ3067 5.1.1（待核实）"
    assert major[12] == "是"
    oxygen = rows["HC-09A"]
    assert oxygen[5] == "否"
    assert (oxygen[7], oxygen[8], oxygen[9], oxygen[10]) == ("数值", "%vol", 19.5, 21)
    permit = rows["HC-01A"]
    assert (permit[8], permit[9], permit[10]) == ("h", None, 8)


def test_workbook_basis_and_version_sheets(workbook, hazchem):
    basis = {row[0]: row for row in workbook["依据文件"].iter_rows(min_row=2, values_only=True)}
    assert basis["HC121"][2] == "安监总管三〔2017〕121号"
    assert (basis["HC121"][5], basis["HC121"][6]) == ("现行有效", "是")
    assert basis["GB30871"][6] == "否"
    version = dict(workbook["版本"].iter_rows(min_row=2, values_only=True))
    assert version["编号"] == "hazardous-chemicals"
    assert version["版本"] == "2026.1"
    assert version["版本标识"] == content_hash(hazchem)
    assert version["行业"] == "危险化学品（hazardous_chemicals）"


def test_workbook_keeps_formula_like_text_as_text(small):
    sheet = load_workbook(BytesIO(checklist_to_xlsx(small, "0" * 64)))["检查表"]
    cell = sheet["C4"]
    assert cell.value == '=HYPERLINK("http://example.invalid","点击")'
    assert cell.data_type == "s"
    assert sheet["H3"].value == "选择：正常、泄漏（判不合格）"
