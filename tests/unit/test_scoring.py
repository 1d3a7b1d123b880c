"""Pass/fail summaries and JGJ 59-2011 scoring, hand-computed from reference §A2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from anxun.checklists.scoring import score_jgj59, summarize

SHIPPED = Path(__file__).resolve().parents[2] / "checklists" / "construction-jgj59.yaml"

PASS = {"result": "pass", "deduction": None}
NA = {"result": "na", "deduction": None}

# A table with the usual JGJ 59 layout: 6 guarantee items of 10 and 4 general items of 10.
STANDARD = [("guarantee", 10)] * 6 + [("general", 10)] * 4


def fail(deduction=None):
    return {"result": "fail", "deduction": deduction}


def make_doc(tables, summary):
    """A JGJ 59 checklist: tables = [(key, has_guarantee, [(group, points)])], summary rows."""
    sections = []
    for key, _has_guarantee, items in tables:
        sections.append(
            {
                "id": key,
                "title": key,
                "items": [
                    {
                        "id": f"{key}-{n:02d}",
                        "major": False,
                        "scoring": {"table": key, "group": group, "points": points},
                    }
                    for n, (group, points) in enumerate(items, 1)
                ],
            }
        )
    return {
        "scoring": {
            "scheme": "jgj59-2011",
            "summary": [
                {"key": key, "title": key, "weight": weight, "tables": keys}
                for key, weight, keys in summary
            ],
            "tables": [
                {"key": key, "title": f"{key}检查评定表", "has_guarantee": has_guarantee}
                for key, has_guarantee, _ in tables
            ],
        },
        "sections": sections,
    }


def answer_table(key, outcomes):
    """Answers for a table's items in order; an outcome is an answer dict."""
    return {f"{key}-{n:02d}": outcome for n, outcome in enumerate(outcomes, 1)}


def table_of(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


def row_of(result, key):
    return next(r for r in result["rows"] if r["key"] == key)


SINGLE = make_doc([("T", True, STANDARD)], [("only", 100, ["T"])])


def test_civilised_construction_example_from_reference():
    # Reference §A2 ✔: 文明施工 保证 50 + 一般 36 = 86 → A1 = 15 × 86 / 100 = 12.9.
    doc = make_doc(
        [("B.2", True, STANDARD), ("X", True, STANDARD)],
        [("civilized_construction", 15, ["B.2"]), ("rest", 85, ["X"])],
    )
    answers = answer_table("B.2", [fail(2)] * 5 + [PASS] + [fail(1)] * 4)
    answers |= answer_table("X", [PASS] * 10)

    result = score_jgj59(doc, answers)

    table = table_of(result, "B.2")
    assert (table["guarantee_earned"], table["guarantee_full"]) == (50, 60)
    assert (table["general_earned"], table["general_full"]) == (36, 40)
    assert (table["raw"], table["score"], table["zeroed"]) == (86, 86, False)
    row = row_of(result, "civilized_construction")
    assert (row["score_c"], row["a1"]) == (86, 12.9)
    # 12.9 + 85 × 100 / 100 = 97.9
    assert result["total"] == 97.9
    assert result["grade"] == {"code": "excellent", "label": "优良"}


@pytest.mark.parametrize(
    ("guarantee", "general", "zeroed", "zero_code", "score"),
    [
        # guarantee subtotal exactly 40 is not below 40: 40 + 40 = 80
        ([fail(4)] * 5 + [PASS], [PASS] * 4, False, None, 80),
        # 39.5 < 40 → the sub-table scores 0
        ([fail(4)] * 5 + [fail(4.5)], [PASS] * 4, True, "guarantee_below_40", 0),
        # one guarantee item fully deducted (default = its points) → 0 although subtotal is 50
        ([fail()] + [PASS] * 5, [PASS] * 4, True, "guarantee_item_zero", 0),
        # an explicit deduction of the full 10 points is the same
        ([fail(10)] + [PASS] * 5, [PASS] * 4, True, "guarantee_item_zero", 0),
        # 9.5 of 10 deducted leaves 0.5: not zero, 50.5 + 40 = 90.5
        ([fail(9.5)] + [PASS] * 5, [PASS] * 4, False, None, 90.5),
        # a general item at 0 does not trigger the zero rule: 60 + 30 = 90
        ([PASS] * 6, [fail()] + [PASS] * 3, False, None, 90),
        # deductions are capped at the item's points: 25 on a 10-point general item → 90
        ([PASS] * 6, [fail(25)] + [PASS] * 3, False, None, 90),
        # and a capped guarantee deduction scores that item 0 → table 0
        ([fail(25)] + [PASS] * 5, [PASS] * 4, True, "guarantee_item_zero", 0),
    ],
)
def test_sub_table_zero_rule_and_capping(guarantee, general, zeroed, zero_code, score):
    # Reference §A2: zero if any 保证项目 scores 0 or the 保证 subtotal is < 40;
    # deductions per item capped at the item's value.
    result = score_jgj59(SINGLE, answer_table("T", guarantee + general))

    table = table_of(result, "T")
    assert table["zeroed"] is zeroed
    assert table["zero_code"] == zero_code
    assert table["score"] == score
    assert (table["zero_reason"] is None) is (not zeroed)


def test_capped_deduction_is_reported_per_item():
    result = score_jgj59(SINGLE, answer_table("T", [PASS] * 6 + [fail(25)] + [PASS] * 3))

    item = table_of(result, "T")["items"][6]
    assert item == {
        "id": "T-07",
        "group": "general",
        "points": 10,
        "result": "fail",
        "deducted": 10,
        "earned": 0,
    }


def test_pass_deducts_nothing_even_with_a_deduction_given():
    answers = answer_table("T", [{"result": "pass", "deduction": 5}] + [PASS] * 9)

    assert table_of(score_jgj59(SINGLE, answers), "T")["score"] == 100


def test_missing_items_are_converted_over_the_items_checked():
    # Reference §A2: A2 = D / E × 100, E = full marks of the items actually checked.
    # Two general items not checked: E = 80; D = 60 + (10 - 3) + 10 = 77 → 96.25.
    answers = answer_table("T", [PASS] * 6 + [fail(3), PASS, NA, NA])

    table = table_of(score_jgj59(SINGLE, answers), "T")

    assert (table["raw"], table["general_full"], table["converted"]) == (77, 20, 96.25)
    assert table["score"] == 96.25


def test_unanswered_items_count_as_not_checked():
    answers = answer_table("T", [PASS] * 6 + [fail(3), PASS])  # T-09 and T-10 absent

    assert table_of(score_jgj59(SINGLE, answers), "T")["score"] == 96.25


@pytest.mark.parametrize(
    ("deductions", "zeroed", "score"),
    [
        # one guarantee item missing: guarantee full 50, earned 50 - 17 = 33; 33/50 < 40/60 → 0
        ([4, 4, 4, 4, 1], True, 0),
        # earned 34; 34/50 ≥ 40/60 → (34 + 40) / 90 × 100 = 82.222… → 82.22
        ([4, 4, 4, 4, 0], False, 82.22),
    ],
)
def test_missing_guarantee_item_uses_the_40_of_60_share(deductions, zeroed, score):
    guarantee = [fail(d) if d else PASS for d in deductions] + [NA]
    table = table_of(score_jgj59(SINGLE, answer_table("T", guarantee + [PASS] * 4)), "T")

    assert (table["guarantee_full"], table["zeroed"], table["score"]) == (50, zeroed, score)
    if zeroed:
        assert table["zero_code"] == "guarantee_share_below"


def test_table_with_every_item_na_is_excluded_and_the_total_converted():
    # Row "a" (weight 10) has nothing applicable; row "b" (90) scores 80 → A1 = 72,
    # total = 72 / 90 × 100 = 80.
    doc = make_doc(
        [("T1", True, STANDARD), ("T2", True, STANDARD)],
        [("a", 10, ["T1"]), ("b", 90, ["T2"])],
    )
    answers = answer_table("T1", [NA] * 10) | answer_table(
        "T2", [PASS] * 6 + [fail()] * 2 + [PASS] * 2
    )

    result = score_jgj59(doc, answers)

    assert table_of(result, "T1")["applicable"] is False
    assert table_of(result, "T1")["score"] is None
    assert row_of(result, "a")["score_c"] is None
    assert row_of(result, "a")["a1"] is None
    assert row_of(result, "b")["a1"] == 72
    assert (result["earned"], result["possible"], result["total"]) == (72, 90, 80)
    assert result["grade"]["code"] == "excellent"


SCAFFOLD = make_doc(
    [("B.3", True, STANDARD), ("B.4", True, STANDARD), ("B.8", True, STANDARD)],
    [("scaffold", 10, ["B.3", "B.4", "B.8"]), ("rest", 90, ["X"])],
)
SCAFFOLD["scoring"]["tables"].append({"key": "X", "title": "X", "has_guarantee": False})
SCAFFOLD["sections"].append(
    {
        "id": "X",
        "title": "X",
        "items": [{"id": "X-01", "scoring": {"table": "X", "group": "general", "points": 100}}],
    }
)


@pytest.mark.parametrize(
    ("b4", "score_c", "a1", "total", "grade"),
    [
        # B.3 = 90, B.4 = 70, B.8 not on site: C = (90 + 70) / 2 = 80, A1 = 8, total = 98
        ([PASS] * 6 + [fail()] * 3 + [PASS], 80, 8, 98, "excellent"),
        # B.4 zeroed counts as 0 in the mean: C = 45, A1 = 4.5, total 94.5 but 不合格
        ([fail()] + [PASS] * 9, 45, 4.5, 94.5, "fail"),
    ],
)
def test_scaffold_row_is_the_mean_of_its_applicable_tables(b4, score_c, a1, total, grade):
    # Reference §A2: 脚手架 = arithmetic mean of the sub-tables of the scaffold types on site.
    answers = (
        answer_table("B.3", [PASS] * 9 + [fail()])
        | answer_table("B.4", b4)
        | answer_table("B.8", [NA] * 10)
        | {"X-01": PASS}
    )

    result = score_jgj59(SCAFFOLD, answers)

    row = row_of(result, "scaffold")
    assert (row["score_c"], row["a1"]) == (score_c, a1)
    assert result["total"] == total
    assert result["grade"]["code"] == grade


GRADED = make_doc([("G", False, [("general", 50), ("general", 50)])], [("only", 100, ["G"])])


@pytest.mark.parametrize(
    ("deduction", "total", "code", "label"),
    [
        (0, 100, "excellent", "优良"),
        (20, 80, "excellent", "优良"),
        (20.01, 79.99, "pass", "合格"),
        (30, 70, "pass", "合格"),
        (30.01, 69.99, "fail", "不合格"),
    ],
)
def test_grade_boundaries(deduction, total, code, label):
    # JGJ 59-2011 5.0.2 (reference §A2): 优良 ≥ 80; 合格 70 ≤ total < 80; 不合格 < 70.
    result = score_jgj59(GRADED, {"G-01": fail(deduction), "G-02": PASS})

    assert result["total"] == total
    assert result["grade"] == {"code": code, "label": label}


def test_any_zero_sub_table_fails_even_with_total_at_least_80():
    doc = make_doc(
        [("B.1", True, STANDARD), ("X", True, STANDARD)],
        [("safety_management", 10, ["B.1"]), ("rest", 90, ["X"])],
    )
    answers = answer_table("B.1", [fail()] + [PASS] * 9) | answer_table("X", [PASS] * 10)

    result = score_jgj59(doc, answers)

    assert result["total"] == 90
    assert result["zero_tables"] == ["B.1"]
    assert result["grade"] == {"code": "fail", "label": "不合格"}


def test_table_without_guarantee_items_is_not_zeroed_by_the_guarantee_rule():
    # B.13 and B.19 have no 保证项目, so only a zero score (not the 40/60 rule) zeroes them.
    result = score_jgj59(GRADED, {"G-01": fail(), "G-02": fail(49)})

    table = table_of(result, "G")
    assert (table["zeroed"], table["score"]) == (False, 1)


def test_table_without_guarantee_items_scoring_zero_fails_the_site():
    # JGJ 59-2011 5.0.2: 不合格 when any 分项检查评分表 scores zero, whatever its kind. A 高处作业
    # table (no 保证项目) deducted in full, beside a perfect table, used to come back 合格.
    doc = make_doc(
        [("B.13", False, [("general", 10)] * 3), ("X", True, STANDARD)],
        [("height", 10, ["B.13"]), ("rest", 90, ["X"])],
    )
    answers = answer_table("B.13", [fail()] * 3) | answer_table("X", [PASS] * 10)

    result = score_jgj59(doc, answers)

    table = table_of(result, "B.13")
    assert (table["score"], table["zeroed"], table["zero_code"]) == (0, True, "table_scored_zero")
    assert result["total"] == 90
    assert result["zero_tables"] == ["B.13"]
    assert result["grade"] == {"code": "fail", "label": "不合格"}


def test_table_with_guarantee_items_zeroed_by_its_own_rule_keeps_that_reason():
    # A table whose items were all deducted in full is zero by the 保证项目 rule first.
    result = score_jgj59(SINGLE, answer_table("T", [fail()] * 10))

    table = table_of(result, "T")
    assert (table["score"], table["zero_code"]) == (0, "guarantee_item_zero")
    assert result["zero_tables"] == ["T"]
    assert result["grade"]["code"] == "fail"


def test_nothing_checked_gives_no_total_and_no_grade():
    result = score_jgj59(SINGLE, {})

    assert (result["total"], result["grade"], result["zero_tables"]) == (None, None, [])


def test_displayed_numbers_round_half_up_to_two_places():
    # 2 of 3 points checked: 2/3 × 100 = 66.666… → 66.67; A1 = 66.67 for weight 100.
    doc = make_doc(
        [("G", False, [("general", 2), ("general", 1), ("general", 97)])], [("r", 100, ["G"])]
    )

    result = score_jgj59(doc, {"G-01": PASS, "G-02": fail(), "G-03": NA})

    assert table_of(result, "G")["score"] == 66.67
    assert result["total"] == 66.67


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"NOPE": PASS}, "unknown item"),
        ({"T-01": fail(-1)}, "negative"),
        ({"T-01": {"result": "maybe"}}, "result must be"),
        ({"T-01": fail("3")}, "not a number"),
    ],
)
def test_bad_answers_are_refused(answers, message):
    for function in (score_jgj59, summarize):
        with pytest.raises(ValueError, match=message):
            function(SINGLE, answers)


def test_score_requires_the_jgj59_scheme():
    with pytest.raises(ValueError, match="scheme"):
        score_jgj59({"sections": []}, {})


SUMMARY_DOC = {
    "sections": [
        {
            "id": "a",
            "items": [{"id": "M1", "major": True}, {"id": "G1"}, {"id": "M2", "major": True}],
        },
        {"id": "b", "items": [{"id": "G2", "major": False}, {"id": "M3", "major": True}]},
    ]
}


@pytest.mark.parametrize(
    ("answers", "counts", "pass_rate", "major_failures"),
    [
        (
            {"M3": fail(), "G1": PASS, "M1": fail(), "G2": PASS, "M2": NA},
            {"pass": 2, "fail": 2, "na": 1, "unanswered": 0, "total": 5},
            0.5,
            ["M1", "M3"],
        ),
        (
            {"M1": PASS, "G1": PASS, "G2": fail()},
            {"pass": 2, "fail": 1, "na": 0, "unanswered": 2, "total": 5},
            0.6667,
            [],
        ),
        (
            {"M1": NA},
            {"pass": 0, "fail": 0, "na": 1, "unanswered": 4, "total": 5},
            None,
            [],
        ),
    ],
)
def test_summarize_counts_rate_and_major_failures(answers, counts, pass_rate, major_failures):
    result = summarize(SUMMARY_DOC, answers)

    assert result == {"counts": counts, "pass_rate": pass_rate, "major_failures": major_failures}


@pytest.fixture(scope="module")
def shipped():
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _items(doc):
    return [item for section in doc["sections"] for item in section["items"]]


def test_shipped_checklist_tables_and_weights(shipped):
    # Reference §A2 ✔: weights 10/15/10/10/10/10/10/10/10/5; 19 tables B.1–B.19.
    summary = shipped["scoring"]["summary"]
    assert [row["weight"] for row in summary] == [10, 15, 10, 10, 10, 10, 10, 10, 10, 5]
    tables = shipped["scoring"]["tables"]
    assert [t["key"] for t in tables] == [f"B.{n}" for n in range(1, 20)]
    assert sorted(k for row in summary for k in row["tables"]) == sorted(t["key"] for t in tables)
    assert [t["key"] for t in tables if not t["has_guarantee"]] == ["B.13", "B.19"]
    for table in tables:
        items = [i["scoring"] for i in _items(shipped) if i["scoring"]["table"] == table["key"]]
        guarantee = sum(s["points"] for s in items if s["group"] == "guarantee")
        assert sum(s["points"] for s in items) == 100, table["key"]
        assert guarantee == (60 if table["has_guarantee"] else 0), table["key"]


def test_shipped_checklist_point_exceptions(shipped):
    # Reference §A2 item points: B.14 外电 10, 接地接零 20, 线路 10, 箱 20; 配电室 15, 照明 15, 档案 10.
    points = {i["id"]: i["scoring"]["points"] for i in _items(shipped)}
    assert [points[f"JGJ59-B14-{n:02d}"] for n in range(1, 8)] == [10, 20, 10, 20, 15, 15, 10]
    assert [points[f"JGJ59-B19-{n:02d}"] for n in range(1, 12)] == [
        10, 10, 8, 10, 10, 10, 8, 8, 6, 8, 12,
    ]  # fmt: skip


def test_shipped_checklist_all_pass_is_100_and_excellent(shipped):
    answers = {item["id"]: PASS for item in _items(shipped)}

    result = score_jgj59(shipped, answers)

    assert result["total"] == 100
    assert result["grade"] == {"code": "excellent", "label": "优良"}
    assert all(row["a1"] == row["weight"] for row in result["rows"])


def test_shipped_checklist_has_no_major_items(shipped):
    # JGJ 59 is a scoring standard, not a major-hazard list.
    assert not any(item.get("major", False) for item in _items(shipped))
