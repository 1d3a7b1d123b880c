"""Checklist YAML loader: each rule of checklists/README.md rejects a bad file at its line."""

import hashlib
from pathlib import Path

import pytest

from anxun.checklists.loader import (
    MAX_BYTES,
    MAX_ITEMS,
    ChecklistInvalid,
    Problem,
    content_hash,
    item_index,
    iter_items,
    judge_answer,
    load_checklist,
    parse_checklist,
    profile_item_ids,
    validate_files,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "checklists"

HEADER = """\
code: test-list
title: 测试检查表
industry: hazardous_chemicals
version: "2026.1"
effective_from: 2026-11-01
applies_to: [daily, special]
description: 测试用
basis:
  - code: HC121
    title: 化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）
    number: 安监总管三〔2017〕121号
    effective: 2017-11-13
    status: in_force
  - code: QB-01
    title: 本公司动火作业管理制度
    status: in_force
    verify: pending
"""
MAJOR_ITEMS = """\
      - id: MAJ-01
        text: 主要负责人持有效的安全生产知识和管理能力考核合格证
        method: records
        basis:
          - {doc: HC121, clause: 第一项}
        major: true
        category: management
"""
SECTIONS = (
    """\
sections:
  - id: major
    title: 重大事故隐患
    items:
"""
    + MAJOR_ITEMS
    + """\
  - id: site
    title: 现场
    items:
      - id: O2-01
        text: 氧含量合格
        method: [measure, records]
        basis:
          - {doc: QB-01, clause: 第五条, verify: pending}
        category: environment
        answer: {type: number, unit: "%vol", min: 19.5, max: 21}
        guidance: 作业前检测
      - id: GAS-01
        text: 检测仪显示正常
        method: look
        category: thing
        answer:
          type: choice
          options:
            - {code: ok, label: 正常}
            - {code: leak, label: 泄漏, fails: true}
        photo_on_fail: false
        verify: pending
"""
)
PROFILES = """\
profiles:
  - code: small_micro
    title: 小微企业简版
    items: [GAS-01, O2-01]
"""
BASE = HEADER + SECTIONS + PROFILES

# A JGJ 59-2011 style scored checklist; the points and weights are test values, not the standard's.
SCORED = """\
code: jgj59-test
title: 建筑施工安全检查评分测试表
industry: construction
version: "1"
applies_to: [comprehensive]
basis:
  - code: JGJ59
    title: 建筑施工安全检查标准
    number: JGJ 59-2011
    status: in_force
scoring:
  scheme: jgj59-2011
  summary:
    - {key: safety_management, title: 安全管理, weight: 60, tables: [B.1]}
    - {key: height, title: 高处作业, weight: 40, tables: [B.13]}
  tables:
    - {key: B.1, title: 安全管理检查评定表, has_guarantee: true}
    - {key: B.13, title: 高处作业检查评定表, has_guarantee: false}
sections:
  - id: management
    title: 安全管理
    items:
      - id: B1-01
        text: 安全生产责任制健全
        method: records
        category: management
        scoring: {table: B.1, group: guarantee, points: 35}
      - id: B1-02
        text: 施工组织设计及专项方案齐全
        method: records
        category: management
        scoring: {table: B.1, group: guarantee, points: 25}
      - id: B1-03
        text: 安全标志设置符合要求
        method: look
        category: environment
        scoring: {table: B.1, group: general, points: 40}
  - id: height
    title: 高处作业
    items:
      - id: B13-01
        text: 正确佩戴安全帽
        method: look
        category: behaviour
        scoring: {table: B.13, group: general, points: 60}
      - id: B13-02
        text: 高处作业系安全带
        method: look
        category: behaviour
        scoring: {table: B.13, group: general, points: 40}
"""

INDUSTRIES = (
    "hazardous_chemicals、construction、dust_explosion、confined_space、industry_trade、general"
)
INSPECTION_TYPES = (
    "patrol、daily、weekly、monthly、seasonal、holiday、comprehensive、special、responsibility"
)

O2 = "sections[1].items[0]"
GAS = "sections[1].items[1]"
MAJ = "sections[0].items[0]"


def mutate(base: str, old: str, new: str) -> str:
    assert base.count(old) == 1, f"mutation target must occur exactly once: {old!r}"
    return base.replace(old, new)


def lines_of(text: str, needle: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if needle in line]


def line_of(text: str, needle: str) -> int:
    found = lines_of(text, needle)
    assert len(found) == 1, f"marker must occur on exactly one line: {needle!r} {found}"
    return found[0]


def found(text: str) -> list[tuple[int, str, str]]:
    doc, problems = parse_checklist(text, "t.yaml")
    assert doc is None
    return [(problem.line, problem.field, problem.message) for problem in problems]


def expected(text: str, *triples: tuple[str, str, str]) -> list[tuple[int, str, str]]:
    return sorted(
        ((line_of(text, marker), field, message) for marker, field, message in triples),
        key=lambda problem: problem[0],
    )


def test_valid_bases_have_no_problems():
    assert parse_checklist(BASE)[1] == []
    assert parse_checklist(SCORED)[1] == []


# (case id, base, old, new, [(marker on the expected line, field, message), ...])
CASES = [
    # unknown and missing fields, at every level
    (
        "header-unknown",
        BASE,
        "description: 测试用\n",
        "description: 测试用\nfoo: 1\n",
        [("foo: 1", "foo", '未知字段 "foo"')],
    ),
    (
        "header-missing",
        BASE,
        "industry: hazardous_chemicals\n",
        "",
        [("code: test-list", "industry", '缺少必填字段 "industry"')],
    ),
    (
        "header-duplicate-key",
        BASE,
        "description: 测试用\n",
        "description: 测试用\ndescription: 再写一次\n",
        [("再写一次", "description", '字段 "description" 重复')],
    ),
    (
        "basis-doc-missing",
        BASE,
        "    effective: 2017-11-13\n    status: in_force\n",
        "    effective: 2017-11-13\n",
        [("- code: HC121", "basis[0].status", '缺少必填字段 "status"')],
    ),
    (
        "basis-doc-unknown",
        BASE,
        "    number: 安监总管三",
        "    numbr: 安监总管三",
        [("numbr:", "basis[0].numbr", '未知字段 "numbr"')],
    ),
    (
        "profile-missing",
        BASE,
        "    title: 小微企业简版\n",
        "",
        [("- code: small_micro", "profiles[0].title", '缺少必填字段 "title"')],
    ),
    (
        "profile-unknown",
        BASE,
        "    title: 小微企业简版\n",
        "    title: 小微企业简版\n    note: 备注\n",
        [("note: 备注", "profiles[0].note", '未知字段 "note"')],
    ),
    (
        "section-missing",
        BASE,
        "    title: 现场\n",
        "",
        [("- id: site", "sections[1].title", '缺少必填字段 "title"')],
    ),
    (
        "section-unknown",
        BASE,
        "    title: 现场\n",
        "    title: 现场\n    name: 现场区\n",
        [("name: 现场区", "sections[1].name", '未知字段 "name"')],
    ),
    (
        "item-missing",
        BASE,
        "        text: 氧含量合格\n",
        "",
        [("- id: O2-01", f"{O2}.text", '缺少必填字段 "text"')],
    ),
    (
        "item-unknown",
        BASE,
        "guidance: 作业前检测",
        "guidence: 作业前检测",
        [("guidence:", f"{O2}.guidence", '未知字段 "guidence"')],
    ),
    (
        "answer-unknown",
        BASE,
        "min: 19.5, max: 21}",
        "min: 19.5, max: 21, step: 1}",
        [("answer: {type: number", f"{O2}.answer.step", '未知字段 "step"')],
    ),
    (
        "answer-missing-unit",
        BASE,
        'unit: "%vol", ',
        "",
        [("answer: {type: number", f"{O2}.answer.unit", '缺少必填字段 "unit"')],
    ),
    (
        "answer-missing-type",
        BASE,
        "{type: number, ",
        "{",
        [("answer: {unit", f"{O2}.answer.type", '缺少必填字段 "type"')],
    ),
    (
        "option-missing",
        BASE,
        "{code: ok, label: 正常}",
        "{code: ok}",
        [("{code: ok}", f"{GAS}.answer.options[0].label", '缺少必填字段 "label"')],
    ),
    (
        "option-unknown",
        BASE,
        "{code: ok, label: 正常}",
        "{code: ok, label: 正常, colour: green}",
        [("{code: ok", f"{GAS}.answer.options[0].colour", '未知字段 "colour"')],
    ),
    (
        "basis-ref-missing",
        BASE,
        "{doc: HC121, clause: 第一项}",
        "{doc: HC121}",
        [("{doc: HC121}", f"{MAJ}.basis[0].clause", '缺少必填字段 "clause"')],
    ),
    (
        "basis-ref-unknown",
        BASE,
        "{doc: HC121, clause: 第一项}",
        "{doc: HC121, clause: 第一项, page: 3}",
        [("{doc: HC121", f"{MAJ}.basis[0].page", '未知字段 "page"')],
    ),
    # wrong types
    (
        "type-string-got-list",
        BASE,
        "title: 测试检查表",
        "title: [测试, 检查表]",
        [("title: [测试", "title", '"title" 应为字符串，实际为列表')],
    ),
    (
        "type-string-got-number",
        BASE,
        'version: "2026.1"',
        "version: 2026.1",
        [("version:", "version", '"version" 应为字符串，实际为数字，请加引号，例如 "2026.1"')],
    ),
    (
        "type-string-got-null",
        BASE,
        "title: 测试检查表",
        "title: ~",
        [("title: ~", "title", '"title" 应为字符串，实际为空值')],
    ),
    (
        "type-string-blank",
        BASE,
        "title: 测试检查表",
        'title: "  "',
        [('title: "  "', "title", '"title" 不能为空')],
    ),
    (
        "type-list-got-string",
        BASE,
        "applies_to: [daily, special]",
        "applies_to: daily",
        [("applies_to:", "applies_to", '"applies_to" 应为列表，实际为字符串')],
    ),
    (
        "type-mapping-got-string",
        BASE,
        "{doc: HC121, clause: 第一项}",
        "HC121 第一项",
        [("HC121 第一项", f"{MAJ}.basis[0]", '"basis[0]" 应为映射，实际为字符串')],
    ),
    (
        "type-bool-got-string",
        BASE,
        "major: true",
        'major: "true"',
        [
            (
                "major:",
                f"{MAJ}.major",
                '"major" 应为布尔值（true 或 false），实际为字符串',
            )
        ],
    ),
    (
        "type-number-got-string",
        BASE,
        "min: 19.5",
        "min: low",
        [("min: low", f"{O2}.answer.min", '"min" 应为数字，实际为字符串')],
    ),
    (
        "type-date-got-list",
        BASE,
        "effective_from: 2026-11-01",
        "effective_from: [2026]",
        [
            (
                "effective_from:",
                "effective_from",
                '"effective_from" 应为日期（YYYY-MM-DD），实际为列表',
            )
        ],
    ),
    (
        "date-format",
        BASE,
        "effective_from: 2026-11-01",
        "effective_from: 11/01/2026",
        [
            (
                "effective_from:",
                "effective_from",
                '"effective_from" 的值 "11/01/2026" 应为 YYYY-MM-DD 格式的日期',
            )
        ],
    ),
    (
        "date-impossible",
        BASE,
        "effective: 2017-11-13",
        "effective: 2017-13-01",
        [
            (
                "effective: 2017-13-01",
                "basis[0].effective",
                '"effective" 的值 "2017-13-01" 不是有效日期',
            )
        ],
    ),
    # enumerations
    (
        "enum-industry",
        BASE,
        "industry: hazardous_chemicals",
        "industry: mining",
        [("industry:", "industry", f'"industry" 的值 "mining" 无效，可选值：{INDUSTRIES}')],
    ),
    (
        "enum-applies-to",
        BASE,
        "applies_to: [daily, special]",
        "applies_to: [daily, yearly]",
        [
            (
                "applies_to:",
                "applies_to[1]",
                f'"applies_to[1]" 的值 "yearly" 无效，可选值：{INSPECTION_TYPES}',
            )
        ],
    ),
    (
        "enum-basis-status",
        BASE,
        "    effective: 2017-11-13\n    status: in_force\n",
        "    effective: 2017-11-13\n    status: active\n",
        [
            (
                "status: active",
                "basis[0].status",
                '"status" 的值 "active" 无效，可选值：in_force、repealed、expired、not_yet_in_force',
            )
        ],
    ),
    (
        "expired-basis-without-end-date",
        BASE,
        "    effective: 2017-11-13\n    status: in_force\n",
        "    effective: 2017-11-13\n    status: expired\n",
        [("status: expired", "basis[0].status", "已到期失效的依据须写明失效日期 expires")],
    ),
    (
        "enum-method",
        BASE,
        "method: records",
        "method: read",
        [
            (
                "method: read",
                f"{MAJ}.method",
                '"method" 的值 "read" 无效，可选值：look、ask、measure、records',
            )
        ],
    ),
    (
        "enum-method-in-list",
        BASE,
        "method: [measure, records]",
        "method: [measure, smell]",
        [
            (
                "method: [measure, smell]",
                f"{O2}.method[1]",
                '"method[1]" 的值 "smell" 无效，可选值：look、ask、measure、records',
            )
        ],
    ),
    (
        "method-repeated",
        BASE,
        "method: [measure, records]",
        "method: [measure, measure]",
        [("method: [measure, measure]", f"{O2}.method[1]", '"method" 中 "measure" 重复')],
    ),
    (
        "enum-category",
        BASE,
        "category: thing",
        "category: object",
        [
            (
                "category: object",
                f"{GAS}.category",
                '"category" 的值 "object" 无效，可选值：thing、behaviour、management、environment',
            )
        ],
    ),
    (
        "enum-answer-type",
        BASE,
        "{type: number,",
        "{type: numeric,",
        [
            (
                "answer: {type: numeric",
                f"{O2}.answer.type",
                '"type" 的值 "numeric" 无效，可选值：pass_fail_na、text、number、choice',
            )
        ],
    ),
    (
        "answer-number-as-scalar",
        BASE,
        'answer: {type: number, unit: "%vol", min: 19.5, max: 21}',
        "answer: number",
        [
            (
                "answer: number",
                f"{O2}.answer",
                "答案类型 number 须写成映射（type 及其参数），见检查表格式说明",
            )
        ],
    ),
    (
        "enum-verify",
        BASE,
        "        verify: pending\n",
        "        verify: confirmed\n",
        [
            (
                "verify: confirmed",
                f"{GAS}.verify",
                '"verify" 的值 "confirmed" 无效，可选值：pending',
            )
        ],
    ),
    # code and id patterns
    (
        "pattern-checklist-code",
        BASE,
        "code: test-list",
        "code: Test_List",
        [
            (
                "code: Test_List",
                "code",
                '"code" 的值 "Test_List" 格式不正确：只能包含小写字母、数字和 -',
            )
        ],
    ),
    (
        "pattern-item-id",
        BASE,
        "- id: MAJ-01",
        "- id: maj-01",
        [
            (
                "- id: maj-01",
                f"{MAJ}.id",
                '"id" 的值 "maj-01" 格式不正确：'
                "须以大写字母或数字开头，只能包含英文字母、数字、_、. 和 -",
            )
        ],
    ),
    (
        "pattern-profile-code",
        BASE,
        "code: small_micro",
        "code: Small-Micro",
        [
            (
                "code: Small-Micro",
                "profiles[0].code",
                '"code" 的值 "Small-Micro" 格式不正确：只能包含小写字母、数字、_ 和 -',
            )
        ],
    ),
    (
        "pattern-basis-code",
        BASE,
        "  - code: HC121\n",
        "  - code: HC 121\n",
        [
            (
                "code: HC 121",
                "basis[0].code",
                '"code" 的值 "HC 121" 格式不正确：只能包含英文字母、数字、_、. 和 -',
            ),
            ("{doc: HC121", f"{MAJ}.basis[0].doc", '依据 "HC121" 未在文件头 basis 中声明'),
        ],
    ),
    (
        "pattern-section-id",
        BASE,
        "- id: site",
        "- id: 现场",
        [
            (
                "- id: 现场",
                "sections[1].id",
                '"id" 的值 "现场" 格式不正确：只能包含英文字母、数字、_、. 和 -',
            )
        ],
    ),
    # major hazards, basis references, answers, profiles
    (
        "major-without-basis",
        BASE,
        "        basis:\n          - {doc: HC121, clause: 第一项}\n",
        "",
        [("major: true", f"{MAJ}.major", "重大事故隐患项（major: true）必须注明依据（basis）")],
    ),
    (
        "major-with-empty-basis",
        BASE,
        "        basis:\n          - {doc: HC121, clause: 第一项}\n",
        "        basis: []\n",
        [("major: true", f"{MAJ}.major", "重大事故隐患项（major: true）必须注明依据（basis）")],
    ),
    (
        "basis-ref-undeclared",
        BASE,
        "{doc: HC121, clause: 第一项}",
        "{doc: HC999, clause: 第一项}",
        [("{doc: HC999", f"{MAJ}.basis[0].doc", '依据 "HC999" 未在文件头 basis 中声明')],
    ),
    (
        "number-without-limits",
        BASE,
        'unit: "%vol", min: 19.5, max: 21}',
        'unit: "%vol"}',
        [("answer: {type: number", f"{O2}.answer", "数值型答案须至少给出 min 或 max")],
    ),
    (
        "number-min-above-max",
        BASE,
        "min: 19.5, max: 21}",
        "min: 25, max: 21}",
        [("min: 25", f"{O2}.answer.min", '"min"（25）不能大于 "max"（21）')],
    ),
    (
        "number-unit-not-string",
        BASE,
        'unit: "%vol"',
        "unit: 1",
        [("unit: 1", f"{O2}.answer.unit", '"unit" 应为字符串，实际为数字，请加引号，例如 "1"')],
    ),
    (
        "choice-one-option",
        BASE,
        "            - {code: leak, label: 泄漏, fails: true}\n",
        "",
        [("- {code: ok", f"{GAS}.answer.options", "选择型答案至少需要两个选项")],
    ),
    (
        "profile-unknown-item",
        BASE,
        "items: [GAS-01, O2-01]",
        "items: [GAS-01, O2-99]",
        [("items: [GAS-01", "profiles[0].items[1]", '方案引用了不存在的检查项 "O2-99"')],
    ),
    (
        "profile-repeated-item",
        BASE,
        "items: [GAS-01, O2-01]",
        "items: [GAS-01, O2-01, GAS-01]",
        [("items: [GAS-01", "profiles[0].items[2]", '方案中检查项 "GAS-01" 重复')],
    ),
    (
        "profile-empty-items",
        BASE,
        "items: [GAS-01, O2-01]",
        "items: []",
        [("items: []", "profiles[0].items", '"items" 不能为空列表')],
    ),
    # empty lists
    (
        "empty-sections",
        BASE,
        SECTIONS + PROFILES,
        "sections: []\n",
        [("sections: []", "sections", '"sections" 不能为空列表')],
    ),
    (
        "empty-items",
        BASE,
        "    items:\n" + MAJOR_ITEMS,
        "    items: []\n",
        [("items: []", "sections[0].items", '"items" 不能为空列表')],
    ),
    (
        "empty-basis",
        BASE,
        HEADER[HEADER.index("basis:") :],
        "basis: []\n",
        [("basis: []", "basis", '"basis" 不能为空列表')],
    ),
    (
        "empty-applies-to",
        BASE,
        "applies_to: [daily, special]",
        "applies_to: []",
        [("applies_to:", "applies_to", '"applies_to" 不能为空列表')],
    ),
    # JGJ 59-2011 scoring
    (
        "scoring-without-header",
        BASE,
        "        guidance: 作业前检测\n",
        "        guidance: 作业前检测\n"
        "        scoring: {table: B.1, group: general, points: 100}\n",
        [
            (
                "scoring: {table: B.1",
                f"{O2}.scoring",
                "检查项设置了 scoring，但文件头没有声明 scoring",
            )
        ],
    ),
    (
        "scoring-undeclared-table",
        SCORED,
        "{table: B.13, group: general, points: 40}",
        "{table: B.99, group: general, points: 40}",
        [
            (
                "table: B.99",
                "sections[1].items[1].scoring.table",
                '评分表 "B.99" 未在文件头 scoring.tables 中声明',
            ),
            (
                "- {key: B.13",
                "scoring.tables[1]",
                '评分表 "B.13" 的检查项分值合计为 60，应为 100',
            ),
        ],
    ),
    (
        "scoring-points-sum",
        SCORED,
        "{table: B.1, group: general, points: 40}",
        "{table: B.1, group: general, points: 39}",
        [("- {key: B.1,", "scoring.tables[0]", '评分表 "B.1" 的检查项分值合计为 99，应为 100')],
    ),
    (
        "scoring-guarantee-sum",
        SCORED,
        "{table: B.1, group: guarantee, points: 25}",
        "{table: B.1, group: general, points: 25}",
        [
            (
                "- {key: B.1,",
                "scoring.tables[0]",
                '评分表 "B.1" 的保证项目分值合计为 35，应为 60',
            )
        ],
    ),
    (
        "scoring-guarantee-in-table-without",
        SCORED,
        "{table: B.13, group: general, points: 60}",
        "{table: B.13, group: guarantee, points: 60}",
        [
            (
                "group: guarantee, points: 60",
                "sections[1].items[0].scoring.group",
                '评分表 "B.13" 没有保证项目（has_guarantee: false），group 不能为 guarantee',
            )
        ],
    ),
    (
        "scoring-table-in-no-summary-row",
        SCORED,
        "weight: 60, tables: [B.1]}\n"
        "    - {key: height, title: 高处作业, weight: 40, tables: [B.13]}",
        "weight: 100, tables: [B.1]}",
        [("- {key: B.13", "scoring.tables[1]", '评分表 "B.13" 未列入任何汇总行')],
    ),
    (
        "scoring-table-in-two-summary-rows",
        SCORED,
        "weight: 40, tables: [B.13]}",
        "weight: 40, tables: [B.13, B.1]}",
        [
            (
                "weight: 40, tables: [B.13, B.1]",
                "scoring.summary[1].tables[1]",
                '评分表 "B.1" 已列入第 14 行的汇总行，每张表只能列入一行',
            )
        ],
    ),
    (
        "scoring-summary-undeclared-table",
        SCORED,
        "weight: 40, tables: [B.13]}",
        "weight: 40, tables: [B.13, B.99]}",
        [
            (
                "tables: [B.13, B.99]",
                "scoring.summary[1].tables[1]",
                '汇总行引用了未声明的评分表 "B.99"',
            )
        ],
    ),
    (
        "scoring-table-unused",
        SCORED,
        "has_guarantee: false}\n",
        "has_guarantee: false}\n"
        "    - {key: B.14, title: 施工用电检查评定表, has_guarantee: true}\n",
        [
            ("- {key: B.14", "scoring.tables[2]", '评分表 "B.14" 未列入任何汇总行'),
            ("- {key: B.14", "scoring.tables[2]", '评分表 "B.14" 未被任何检查项使用'),
        ],
    ),
    (
        "scoring-weights-sum",
        SCORED,
        "weight: 40,",
        "weight: 30,",
        [("- {key: safety_management", "scoring.summary", "汇总表权重合计为 90，应为 100")],
    ),
    (
        "scoring-points-not-positive",
        SCORED,
        "points: 60}\n",
        "points: 0}\n",
        [
            (
                "points: 0}",
                "sections[1].items[0].scoring.points",
                '"points" 应大于 0，实际为 0',
            )
        ],
    ),
    (
        "scoring-weight-not-positive",
        SCORED,
        "weight: 40,",
        "weight: -40,",
        [("weight: -40", "scoring.summary[1].weight", '"weight" 应大于 0，实际为 -40')],
    ),
    (
        "scoring-scheme",
        SCORED,
        "scheme: jgj59-2011",
        "scheme: jgj59-99",
        [
            (
                "scheme: jgj59-99",
                "scoring.scheme",
                '"scheme" 的值 "jgj59-99" 无效，可选值：jgj59-2011',
            )
        ],
    ),
    (
        "scoring-group",
        SCORED,
        "{table: B.1, group: general, points: 40}",
        "{table: B.1, group: optional, points: 40}",
        [
            (
                "group: optional",
                "sections[0].items[2].scoring.group",
                '"group" 的值 "optional" 无效，可选值：guarantee、general',
            )
        ],
    ),
    (
        "scoring-header-missing",
        SCORED,
        "  scheme: jgj59-2011\n",
        "",
        [("  summary:", "scoring.scheme", '缺少必填字段 "scheme"')],
    ),
    (
        "scoring-header-unknown",
        SCORED,
        "  scheme: jgj59-2011\n",
        "  scheme: jgj59-2011\n  rounding: 1\n",
        [("rounding: 1", "scoring.rounding", '未知字段 "rounding"')],
    ),
    (
        "scoring-summary-row-missing",
        SCORED,
        "weight: 60, ",
        "",
        [("- {key: safety_management", "scoring.summary[0].weight", '缺少必填字段 "weight"')],
    ),
    (
        "scoring-table-missing",
        SCORED,
        ", has_guarantee: false}",
        "}",
        [("- {key: B.13", "scoring.tables[1].has_guarantee", '缺少必填字段 "has_guarantee"')],
    ),
    (
        "scoring-item-missing",
        SCORED,
        "B.13, group: general, points: 40}",
        "B.13, group: general}",
        [
            (
                "{table: B.13, group: general}",
                "sections[1].items[1].scoring.points",
                '缺少必填字段 "points"',
            )
        ],
    ),
    (
        "scoring-item-unknown",
        SCORED,
        "B.13, group: general, points: 40}",
        "B.13, group: general, points: 40, note: x}",
        [
            (
                "note: x",
                "sections[1].items[1].scoring.note",
                '未知字段 "note"',
            )
        ],
    ),
    # YAML features
    (
        "merge-key",
        BASE,
        "  - code: QB-01\n    title: 本公司动火作业管理制度\n",
        "  - <<: {code: QB-01}\n    title: 本公司动火作业管理制度\n",
        [
            ("<<:", "basis[1]", '不支持 YAML 合并键 "<<"，请直接写出各字段'),
            ("<<:", "basis[1].code", '缺少必填字段 "code"'),
            ("{doc: QB-01", f"{O2}.basis[0].doc", '依据 "QB-01" 未在文件头 basis 中声明'),
        ],
    ),
    (
        "key-not-string",
        BASE,
        "description: 测试用\n",
        "description: 测试用\n1: x\n",
        [("1: x", "", "字段名应为字符串，实际为数字")],
    ),
]


@pytest.mark.parametrize(
    ("base", "old", "new", "problems"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_checklist_is_rejected_at_the_offending_line(base, old, new, problems):
    text = mutate(base, old, new)
    assert found(text) == expected(text, *problems)


DUPLICATES = [
    ("item-across-sections", BASE, "      - id: MAJ-01", "      - id: O2-01", "- id: O2-01", 1),
    ("section", BASE, "  - id: site", "  - id: major", "  - id: major", 1),
    ("basis-doc", BASE, "  - code: QB-01", "  - code: HC121", "- code: HC121", 2),
    (
        "profile",
        BASE,
        PROFILES,
        PROFILES + "  - code: small_micro\n    title: 另一版\n    items: [MAJ-01]\n",
        "- code: small_micro",
        1,
    ),
    ("choice-option", BASE, "{code: leak,", "{code: ok,", "{code: ok,", 1),
    ("scoring-table", SCORED, "- {key: B.13,", "- {key: B.1,", "- {key: B.1,", 4),
    ("scoring-summary-row", SCORED, "{key: height,", "{key: safety_management,", "safety_", 1),
]


@pytest.mark.parametrize(
    ("base", "old", "new", "marker", "problem_count"),
    [case[1:] for case in DUPLICATES],
    ids=[case[0] for case in DUPLICATES],
)
def test_duplicate_code_names_the_first_occurrence(base, old, new, marker, problem_count):
    text = mutate(base, old, new)
    first, second = lines_of(text, marker)
    problems = found(text)
    duplicates = [problem for problem in problems if "重复" in problem[2]]
    assert len(duplicates) == 1
    line, _, message = duplicates[0]
    assert line == second
    assert message.endswith(f"（首次出现在第 {first} 行）")
    # later problems (e.g. an undeclared basis, an unbalanced table) come from the same edit
    assert len(problems) == problem_count


def test_duplicate_item_message_names_id_and_first_line():
    text = mutate(BASE, "      - id: MAJ-01", "      - id: O2-01")
    first, second = lines_of(text, "- id: O2-01")
    message = f"检查项编号重复：O2-01（首次出现在第 {first} 行）"
    assert found(text) == [(second, f"{O2}.id", message)]


def test_all_problems_are_collected_in_line_order():
    text = mutate(BASE, "industry: hazardous_chemicals", "industry: mining")
    text = mutate(text, "category: thing", "category: object")
    text = mutate(text, "items: [GAS-01, O2-01]", "items: [GAS-01, O2-99]")
    lines = [line for line, _, _ in found(text)]
    assert lines == [
        line_of(text, "industry: mining"),
        line_of(text, "category: object"),
        line_of(text, "items: [GAS-01, O2-99]"),
    ]


def test_table_points_within_float_tolerance_pass():
    points = [0.1, 64.1, 35.8]
    assert sum(points) != 100  # the tolerance is what makes this table valid
    text = mutate(SCORED, "B.13, group: general, points: 60}", "B.13, group: general, points: 0.1}")
    text = mutate(text, "B.13, group: general, points: 40}", "B.13, group: general, points: 64.1}")
    text += (
        "      - id: B13-03\n        text: 临边防护到位\n        method: look\n"
        "        category: thing\n        scoring: {table: B.13, group: general, points: 35.8}\n"
    )
    assert parse_checklist(text)[1] == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "文件为空"),
        ("# 只有注释\n", 1, "文件为空"),
        ("- a\n- b\n", 1, "文件内容应为映射（字段: 值），实际为列表"),
        ("code: a\ntitle: b: c\n", 2, "YAML 语法错误：mapping values are not allowed here"),
        ("code: a\n---\ncode: b\n", 3, "一个文件只能包含一个 YAML 文档（不能有第二个 ---）"),
        ("code: a\ndescription: &d [*d]\n", 2, "YAML 别名（*）构成了循环引用"),
        ("code: a\nx: \x07\n", 2, "文件包含不允许的控制字符 U+0007"),
    ],
    ids=["empty", "only-comment", "top-level-list", "syntax", "two-documents", "cycle", "control"],
)
def test_unreadable_yaml_is_one_file_level_problem(text, line, message):
    doc, problems = parse_checklist(text, "t.yaml")
    assert doc is None
    assert problems == [Problem("t.yaml", line, message, "")]


def test_alias_expansion_bomb_is_refused():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    doc, problems = parse_checklist("\n".join(levels) + "\n")
    assert doc is None
    assert [problem.message for problem in problems] == [
        "展开别名（*）后内容过大，请不要用别名大量复制内容"
    ]


def test_plain_aliases_are_allowed():
    text = mutate(
        BASE,
        "        basis:\n          - {doc: QB-01",
        "        basis: &qb\n          - {doc: QB-01",
    )
    text = mutate(text, "        method: look\n", "        method: look\n        basis: *qb\n")
    items = item_index(load_checklist(text))
    assert items["GAS-01"]["basis"] == [{"doc": "QB-01", "clause": "第五条", "verify": "pending"}]


def test_oversized_file_is_refused():
    text = BASE + "# " + "x" * MAX_BYTES + "\n"
    assert parse_checklist(text, "big.yaml") == (
        None,
        [Problem("big.yaml", 1, "文件超过 1 MB 上限", "")],
    )


def test_more_than_max_items_is_refused():
    item = (
        "      - id: X{n}\n        text: 条目{n}\n        method: look\n        category: thing\n"
    )
    items = "".join(item.format(n=n) for n in range(1, MAX_ITEMS + 2))
    text = HEADER + "sections:\n  - id: all\n    title: 全部\n    items:\n" + items
    last = line_of(text, f"- id: X{MAX_ITEMS + 1}")
    assert found(text) == [(last, f"sections[0].items[{MAX_ITEMS}]", "检查项超过 2000 条上限")]
    text_at_limit = text[: text.index(f"      - id: X{MAX_ITEMS + 1}\n")]
    assert parse_checklist(text_at_limit)[1] == []


def test_normalised_document_fills_defaults():
    doc = load_checklist(BASE)
    items = item_index(doc)
    assert items["MAJ-01"] == {
        "id": "MAJ-01",
        "section": "major",
        "text": "主要负责人持有效的安全生产知识和管理能力考核合格证",
        "method": ["records"],
        "basis": [{"doc": "HC121", "clause": "第一项"}],
        "major": True,
        "category": "management",
        "answer": {"type": "pass_fail_na"},
        "photo_on_fail": True,
    }
    assert items["O2-01"]["answer"] == {"type": "number", "unit": "%vol", "min": 19.5, "max": 21}
    assert items["O2-01"]["major"] is False
    assert items["GAS-01"]["answer"] == {
        "type": "choice",
        "options": [
            {"code": "ok", "label": "正常", "fails": False},
            {"code": "leak", "label": "泄漏", "fails": True},
        ],
    }
    assert items["GAS-01"]["basis"] == []
    assert items["GAS-01"]["photo_on_fail"] is False
    assert items["GAS-01"]["verify"] == "pending"
    assert doc["effective_from"] == "2026-11-01"
    assert doc["basis"][0] == {
        "code": "HC121",
        "title": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        "number": "安监总管三〔2017〕121号",
        "effective": "2017-11-13",
        "status": "in_force",
    }
    assert doc["basis"][1]["verify"] == "pending"


@pytest.mark.parametrize(
    ("old", "new", "answer"),
    [
        (
            'answer: {type: number, unit: "%vol", min: 19.5, max: 21}',
            "answer: text",
            {"type": "text"},
        ),
        (
            'answer: {type: number, unit: "%vol", min: 19.5, max: 21}',
            "answer: {type: pass_fail_na}",
            {"type": "pass_fail_na"},
        ),
        (
            "min: 19.5, max: 21}",
            "max: 21.0}",
            {"type": "number", "unit": "%vol", "min": None, "max": 21},
        ),
    ],
    ids=["text", "mapping-form", "max-only"],
)
def test_answer_forms_normalise(old, new, answer):
    assert item_index(load_checklist(mutate(BASE, old, new)))["O2-01"]["answer"] == answer


def test_profiles_default_to_empty_list():
    assert load_checklist(HEADER + SECTIONS)["profiles"] == []


def test_iteration_and_profiles_follow_checklist_order():
    doc = load_checklist(BASE)
    assert [(item["section"], item["id"]) for item in iter_items(doc)] == [
        ("major", "MAJ-01"),
        ("site", "O2-01"),
        ("site", "GAS-01"),
    ]
    assert profile_item_ids(doc, None) == ["MAJ-01", "O2-01", "GAS-01"]
    assert profile_item_ids(doc, "small_micro") == ["O2-01", "GAS-01"]
    with pytest.raises(KeyError):
        profile_item_ids(doc, "large")


def test_content_hash_is_sha256_of_canonical_json():
    assert (
        content_hash({"b": 1, "a": "安"}) == hashlib.sha256('{"a":"安","b":1}'.encode()).hexdigest()
    )


def test_content_hash_ignores_comments_order_and_formatting():
    reformatted = mutate(
        BASE,
        "code: test-list\ntitle: 测试检查表\n",
        "# 注释\ntitle: '测试检查表'\ncode: test-list\n",
    )
    reformatted = mutate(
        reformatted,
        "applies_to: [daily, special]",
        "applies_to:\n  - daily   # 日常\n  - special",
    )
    reformatted = mutate(reformatted, "min: 19.5, max: 21}", "max: 21.0, min: 19.5}")
    assert reformatted != BASE
    assert content_hash(load_checklist(reformatted)) == content_hash(load_checklist(BASE))


def test_content_hash_changes_when_item_text_changes():
    changed = mutate(BASE, "text: 氧含量合格", "text: 氧含量合格（作业前）")
    assert content_hash(load_checklist(changed)) != content_hash(load_checklist(BASE))


NUMBER_ITEM = {"answer": {"type": "number", "unit": "%vol", "min": 19.5, "max": 21}}
MAX_ONLY_ITEM = {"answer": {"type": "number", "unit": "mg/m3", "min": None, "max": 10}}
CHOICE_ITEM = {
    "answer": {
        "type": "choice",
        "options": [
            {"code": "ok", "label": "正常", "fails": False},
            {"code": "leak", "label": "泄漏", "fails": True},
        ],
    }
}
TEXT_ITEM = {"answer": {"type": "text"}}
PLAIN_ITEM = {"answer": {"type": "pass_fail_na"}}


@pytest.mark.parametrize(
    ("item", "result", "value", "effective"),
    [
        (NUMBER_ITEM, "pass", 19.5, "pass"),
        (NUMBER_ITEM, "pass", 21, "pass"),
        (NUMBER_ITEM, "pass", 20, "pass"),
        (NUMBER_ITEM, "pass", 19.49, "fail"),
        (NUMBER_ITEM, "pass", 21.01, "fail"),
        (NUMBER_ITEM, "na", 25, "fail"),
        (NUMBER_ITEM, "fail", 20, "fail"),
        (NUMBER_ITEM, "na", None, "na"),
        (MAX_ONLY_ITEM, "pass", -5, "pass"),
        (MAX_ONLY_ITEM, "pass", 10.5, "fail"),
        (CHOICE_ITEM, "pass", "ok", "pass"),
        (CHOICE_ITEM, "pass", "leak", "fail"),
        (TEXT_ITEM, "pass", "张三", "pass"),
        (PLAIN_ITEM, "fail", None, "fail"),
    ],
)
def test_judge_answer(item, result, value, effective):
    assert judge_answer(item, result, value) == effective


@pytest.mark.parametrize(
    ("item", "result", "value", "message"),
    [
        (NUMBER_ITEM, "pass", "20", "数值型检查项的读数应为数字，收到：'20'"),
        (NUMBER_ITEM, "pass", True, "数值型检查项的读数应为数字，收到：True"),
        (NUMBER_ITEM, "pass", float("nan"), "数值型检查项的读数应为有限的数字"),
        (CHOICE_ITEM, "pass", "gone", '未知的选项 "gone"，可选：ok、leak'),
        (TEXT_ITEM, "pass", 3, "文字型检查项的记录值应为字符串"),
        (PLAIN_ITEM, "pass", 3, "该检查项只需选择 合格/不合格/不适用，不记录数值"),
        (PLAIN_ITEM, "ok", None, '检查结果 "ok" 无效，应为 pass、fail 或 na'),
    ],
)
def test_judge_answer_rejects_wrong_values(item, result, value, message):
    with pytest.raises(ValueError) as excinfo:
        judge_answer(item, result, value)
    assert str(excinfo.value) == message


def test_load_checklist_raises_with_every_problem():
    text = mutate(BASE, "category: thing", "category: object")
    text = mutate(text, "method: records", "method: read")
    with pytest.raises(ChecklistInvalid) as excinfo:
        load_checklist(text, "bad.yaml")
    problems = excinfo.value.problems
    assert [problem.field for problem in problems] == [f"{MAJ}.method", f"{GAS}.category"]
    assert str(problems[0]) == (
        f"bad.yaml:{line_of(text, 'method: read')}: "
        '"method" 的值 "read" 无效，可选值：look、ask、measure、records'
    )
    assert str(excinfo.value).splitlines() == [str(problem) for problem in problems]


def test_validate_files_reports_each_file(tmp_path):
    good = FIXTURES / "minimal.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(mutate(BASE, "industry: hazardous_chemicals\n", ""), encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("code: a\ntitle: é\n".encode("latin-1"))
    missing = tmp_path / "missing.yaml"
    problems = validate_files([good, bad, latin, missing])
    assert [(problem.file, problem.line, problem.message) for problem in problems] == [
        (str(bad), 1, '缺少必填字段 "industry"'),
        (str(latin), 2, "文件不是有效的 UTF-8 编码"),
        (str(missing), 1, "无法读取文件：No such file or directory"),
    ]


def test_fixture_loads_with_expected_shape():
    doc = load_checklist((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
    assert doc["code"] == "minimal-test"
    assert len(list(iter_items(doc))) == 4


SHIPPED = sorted((ROOT / "checklists").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_every_shipped_checklist_is_valid(path):
    assert [str(problem) for problem in validate_files([path])] == []
