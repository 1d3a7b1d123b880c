"""The control-measure checklist: a valid risk-controls checklist built from registry measures."""

import ast
from pathlib import Path

import pytest

from anxun.checklists.loader import item_index, parse_checklist
from anxun.risk.registry.measure_checklist import build_measure_checklist, measure_id_from_item

MODULE = (
    Path(__file__).resolve().parents[2]
    / "backend"
    / "anxun"
    / "risk"
    / "registry"
    / "measure_checklist.py"
)


def measure(id_, unit_id, unit_name, classify1="engineering", **overrides):
    values = {
        "id": id_,
        "description": f"措施{id_}",
        "check_content": "",
        "classify1": classify1,
        "data_source": "hazard_inspection",
        "risk_unit_id": unit_id,
        "unit_name": unit_name,
        "event_name": f"事件{id_}",
    }
    values.update(overrides)
    return values


MEASURES = [
    measure(7, 2, "液氨输送泵", "maintenance", check_content="查看机封更换记录"),
    measure(3, 1, "1号储罐", "engineering", check_content="  检查液位联锁投用  "),
    measure(5, 1, "1号储罐", "operation", event_name="误操作: 超装"),
    measure(4, 1, "1号储罐", "emergency"),
    measure(6, 1, "1号储罐", data_source="automatic_monitoring"),
    measure(8, 2, "液氨输送泵", deleted_at="2026-03-01T00:00:00+00:00"),
    measure(9, 3, "123"),
]


@pytest.fixture
def doc():
    text = build_measure_checklist("宁波澄江化工有限公司", MEASURES, version="3")
    parsed, problems = parse_checklist(text, "risk-controls.yaml")
    assert problems == []
    return parsed


def test_header_names_the_enterprises_register_as_basis(doc):
    assert doc["code"] == "risk-controls"
    assert doc["industry"] == "general"
    assert doc["version"] == "3"
    assert doc["applies_to"] == ["daily", "weekly", "monthly", "special"]
    assert doc["basis"] == [
        {"code": "REG", "title": "宁波澄江化工有限公司 安全风险分级管控清单", "status": "in_force"}
    ]


def test_one_section_per_unit_and_one_item_per_checkable_measure(doc):
    assert [(s["id"], s["title"]) for s in doc["sections"]] == [
        ("RU-1", "1号储罐"),
        ("RU-2", "液氨输送泵"),
        ("RU-3", "123"),
    ]
    assert [[i["id"] for i in s["items"]] for s in doc["sections"]] == [
        ["CM-3", "CM-4", "CM-5"],
        ["CM-7"],
        ["CM-9"],
    ]


@pytest.mark.parametrize(
    ("item_id", "text", "category", "clause"),
    [
        ("CM-3", "检查液位联锁投用", "thing", "1号储罐 / 事件3"),
        ("CM-4", "措施4", "management", "1号储罐 / 事件4"),
        ("CM-5", "措施5", "behaviour", "1号储罐 / 误操作: 超装"),
        ("CM-7", "查看机封更换记录", "thing", "液氨输送泵 / 事件7"),
    ],
)
def test_items_carry_text_category_basis_and_guidance(doc, item_id, text, category, clause):
    item = item_index(doc)[item_id]
    assert item["text"] == text
    assert item["category"] == category
    assert item["method"] == ["look"]
    assert item["basis"] == [{"doc": "REG", "clause": clause}]
    assert item["guidance"] == f"措施{measure_id_from_item(item_id)}"
    assert item["major"] is False


def test_the_same_measures_give_the_same_text():
    shuffled = list(reversed(MEASURES))
    assert build_measure_checklist("甲", MEASURES) == build_measure_checklist("甲", shuffled)


def test_no_checkable_measure_is_an_error():
    only_monitored = [measure(1, 1, "储罐", data_source="automatic_monitoring")]
    with pytest.raises(ValueError, match="没有可排查的管控措施"):
        build_measure_checklist("甲", only_monitored)


@pytest.mark.parametrize(
    ("item_id", "measure_id"),
    [
        ("CM-1", 1),
        ("CM-12345", 12345),
        ("CM-0", None),
        ("CM-012", None),
        ("CM-", None),
        ("cm-12", None),
        ("CM-12a", None),
        ("HC-MAJ-01", None),
        ("", None),
        (None, None),
    ],
)
def test_measure_id_from_item(item_id, measure_id):
    assert measure_id_from_item(item_id) == measure_id


def test_the_module_is_pure():
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "re", "yaml"}
