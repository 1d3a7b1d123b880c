"""Which assessments a new band table would grade to another level (standards/band_change.py)."""

import pytest

from anxun.risk.grading.bands import Band, BandTable
from anxun.standards.band_change import GradedAssessment, LevelChange, level_changes

# A stricter LEC table: red above 150 (the default puts 160 < D ≤ 320 in orange).
STRICT = BandTable(
    code="enterprise-7-lec",
    version="2",
    method="LEC",
    bands=(
        Band("red", "重大", 150, False, None, False),
        Band("orange", "较大", 70, False, 150, True),
        Band("yellow", "一般", 20, False, 70, True),
        Band("blue", "低", None, False, 20, True),
    ),
)


def graded(id_, factors, level, method="LEC", code="lec-default", version="1"):
    return GradedAssessment(id_, method, factors, level, code, version)


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        # D = 6×2×15 = 180: orange by the default bands (160 < D ≤ 320), red by STRICT (> 150).
        (
            graded(1, {"L": 6, "E": 2, "C": 15}, "orange"),
            LevelChange(
                1, "orange", "red", 180, "D = L×E×C = 6×2×15 = 180 > 150，属重大风险（红色）"
            ),
        ),
        # D = 3×3×15 = 135: yellow by default (70 < D ≤ 160), orange by STRICT (70 < D ≤ 150).
        (
            graded(2, {"L": 3, "E": 3, "C": 15}, "yellow"),
            LevelChange(
                2,
                "yellow",
                "orange",
                135,
                "D = L×E×C = 3×3×15 = 135，70 < 135 ≤ 150，属较大风险（橙色）",
            ),
        ),
        # D = 1×1×15 = 15: blue in both tables, so the grade stands and nothing is listed.
        (graded(3, {"L": 1, "E": 1, "C": 15}, "blue"), None),
        # D = 6×6×15 = 540: red in both.
        (graded(4, {"L": 6, "E": 6, "C": 15}, "red"), None),
        # Already graded by this very version: nothing to re-judge.
        (graded(5, {"L": 6, "E": 2, "C": 15}, "red", code="enterprise-7-lec", version="2"), None),
        # Graded by the table's previous version to orange: listed.
        (
            graded(6, {"L": 6, "E": 2, "C": 15}, "orange", code="enterprise-7-lec", version="1"),
            LevelChange(
                6, "orange", "red", 180, "D = L×E×C = 6×2×15 = 180 > 150，属重大风险（红色）"
            ),
        ),
        # Another method is graded by another table.
        (graded(7, {"L": 4, "S": 5}, "red", method="LS", code="ls-default"), None),
    ],
)
def test_only_assessments_whose_level_changes_are_listed(assessment, expected):
    assert level_changes([assessment], STRICT) == ([expected] if expected else [])


def test_several_assessments_keep_their_order():
    found = level_changes(
        [
            graded(10, {"L": 3, "E": 3, "C": 15}, "yellow"),
            graded(11, {"L": 1, "E": 1, "C": 15}, "blue"),
            graded(12, {"L": 6, "E": 2, "C": 15}, "orange"),
        ],
        STRICT,
    )
    assert [(c.assessment_id, c.old_level, c.new_level) for c in found] == [
        (10, "yellow", "orange"),
        (12, "orange", "red"),
    ]
