"""Comparing two checklist versions item by item: wording, major flag, basis, limits, profiles."""

from __future__ import annotations

import copy

import pytest

from anxun.checklists.diff import diff_as_dict, diff_checklists, diff_lines
from anxun.checklists.loader import load_checklist
from tests.checklist_variants import SHIPPED, changed_hazchem

BASE = {
    "code": "demo",
    "title": "示例检查表",
    "industry": "general",
    "version": "1",
    "applies_to": ["daily"],
    "basis": [
        {
            "code": "OLD",
            "title": "旧标准",
            "number": "安监总管三〔2017〕121号",
            "status": "in_force",
        },
        {"code": "NEW", "title": "新标准", "number": "AQ 3067—2026", "status": "in_force"},
    ],
    "profiles": [{"code": "small", "title": "简版", "items": ["A-1", "A-2"]}],
    "sections": [
        {
            "id": "s",
            "title": "分组",
            "items": [
                {
                    "id": "A-1",
                    "text": "消防通道畅通",
                    "method": ["look"],
                    "basis": [{"doc": "OLD", "clause": "第一项"}],
                    "major": False,
                    "category": "thing",
                    "answer": {"type": "pass_fail_na"},
                    "photo_on_fail": True,
                },
                {
                    "id": "A-2",
                    "text": "可燃气体浓度",
                    "method": ["measure"],
                    "basis": [{"doc": "OLD", "clause": "第二项"}],
                    "major": False,
                    "category": "environment",
                    "answer": {"type": "number", "unit": "%LEL", "max": 25},
                    "photo_on_fail": True,
                },
                {
                    "id": "A-3",
                    "text": "安全标志齐全",
                    "method": ["look"],
                    "basis": [],
                    "major": False,
                    "category": "thing",
                    "answer": {"type": "pass_fail_na"},
                    "photo_on_fail": True,
                },
            ],
        }
    ],
}


def changed(edit) -> dict:
    doc = copy.deepcopy(BASE)
    doc["version"] = "2"
    edit(doc)
    return doc


def items_of(doc):
    return {item["id"]: item for item in doc["sections"][0]["items"]}


def test_identical_versions_have_no_changes():
    diff = diff_checklists(BASE, copy.deepcopy(BASE))
    assert diff.is_empty
    assert diff_lines(diff) == ["demo: 1 → 1", "  无变化"]


@pytest.mark.parametrize(
    ("edit", "fields", "needs_rejudging"),
    [
        (lambda d: items_of(d)["A-1"].update(text="消防通道保持畅通"), ("text",), False),
        (lambda d: items_of(d)["A-1"].update(major=True), ("major",), True),
        (
            lambda d: items_of(d)["A-1"].update(basis=[{"doc": "NEW", "clause": "5.1.1"}]),
            ("basis",),
            True,
        ),
        (
            lambda d: items_of(d)["A-1"].update(
                basis=[{"doc": "OLD", "clause": "第一项", "verify": "pending"}]
            ),
            ("basis",),
            True,
        ),
        (
            lambda d: items_of(d)["A-2"]["answer"].update(max=20),
            ("answer",),
            False,
        ),
        (lambda d: items_of(d)["A-1"].update(category="management"), ("category",), False),
        (lambda d: d["profiles"][0]["items"].remove("A-2"), ("profiles",), False),
    ],
)
def test_each_changed_field_is_reported_and_flags_what_must_be_rejudged(
    edit, fields, needs_rejudging
):
    diff = diff_checklists(BASE, changed(edit))
    [change] = diff.items
    assert (change.kind, change.fields, change.needs_rejudging) == (
        "changed",
        fields,
        needs_rejudging,
    )


def test_limits_change_keeps_old_and_new_values():
    diff = diff_checklists(BASE, changed(lambda d: items_of(d)["A-2"]["answer"].update(max=20)))
    [field] = diff.items[0].changes
    assert (field.label, field.old["max"], field.new["max"]) == ("答案与限值", 25, 20)


def test_added_and_removed_items_and_removed_profiles():
    def edit(doc):
        section = doc["sections"][0]
        section["items"] = [i for i in section["items"] if i["id"] != "A-3"]
        section["items"].append({**items_of(BASE)["A-3"], "id": "A-4", "text": "新增检查项"})
        doc["profiles"] = []

    diff = diff_checklists(BASE, changed(edit))
    assert [(c.item_id, c.kind) for c in diff.items] == [
        ("A-1", "changed"),
        ("A-2", "changed"),
        ("A-4", "added"),
        ("A-3", "removed"),
    ]
    assert diff.removed_item_ids == {"A-3"}
    assert diff.rejudge_item_ids == {"A-3"}  # profile membership alone does not re-grade
    assert diff.profiles_removed == ("small",)


def test_basis_document_status_change_is_listed():
    def edit(doc):
        doc["basis"][0]["status"] = "repealed"

    diff = diff_checklists(BASE, changed(edit))
    [document] = diff.documents
    assert (document.code, document.kind) == ("OLD", "changed")
    assert [(c.field, c.old, c.new) for c in document.changes] == [
        ("status", "in_force", "repealed")
    ]
    assert diff.items == ()


def test_json_and_text_output_name_the_changes_in_chinese():
    diff = diff_checklists(BASE, changed(lambda d: items_of(d)["A-1"].update(major=True)))
    data = diff_as_dict(diff)
    assert data["counts"] == {"added": 0, "removed": 0, "changed": 1}
    assert data["items"][0] == {
        "item_id": "A-1",
        "kind": "changed",
        "text": "消防通道畅通",
        "is_major": True,
        "needs_rejudging": True,
        "changes": [{"field": "major", "label": "重大隐患判定", "old": False, "new": True}],
    }
    assert "      重大隐患判定: 否 → 是" in diff_lines(diff)
    assert "  修改 A-1 [需重新判定]: 消防通道畅通" in diff_lines(diff)


def test_the_hazardous_chemicals_variant_promotes_one_item_and_removes_one():
    old = load_checklist(SHIPPED.read_text(encoding="utf-8"))
    variant = changed_hazchem()
    diff = diff_checklists(old, load_checklist(variant.text))
    by_id = {c.item_id: c for c in diff.items}
    assert by_id[variant.removed].kind == "removed"
    assert by_id[variant.promoted].fields == ("major",)
    assert diff.rejudge_item_ids == {variant.promoted, variant.removed}
    assert diff.new_version == "2026.9-test"
