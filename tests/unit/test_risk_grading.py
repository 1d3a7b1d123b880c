"""Risk grading rules, hand-computed from reference domain.md §1.6 and §2 (LEC, LS, MES, grades)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from anxun.risk.grading.bands import (
    DEFAULT_BANDS,
    LEC_BANDS,
    MES_BANDS,
    Band,
    BandTable,
    band_for,
    validate_band_table,
)
from anxun.risk.grading.control import DEFAULT_CONTROL_MAP, ControlMap, validate_control_map
from anxun.risk.grading.effectiveness import operation_effectiveness
from anxun.risk.grading.enterprise import (
    DEFAULT_GRADE_CONFIG,
    GradeInputs,
    colour_for_score,
    enterprise_grade,
    validate_grade_config,
)
from anxun.risk.grading.evaluation import describe_method, evaluate
from anxun.risk.grading.exact import FactorError
from anxun.risk.grading.methods import reachable_scores

# --- LEC, domain.md §2.2: D = L×E×C; >320 red, (160, 320] orange, (70, 160] yellow, ≤70 blue ----
# Products are discrete, so each boundary is tested with the reachable neighbours on both sides:
# nothing lies strictly between 300 and 360, 150 and 180, 70 and 75, or 20 and 21.
LEC_CASES = [
    # L, E, C, D, level, band label
    (10, 10, 100, 10000, "red", "极其危险"),
    (6, 6, 15, 540, "red", "极其危险"),
    (3, 3, 40, 360, "red", "极其危险"),  # lowest reachable D above 320
    (10, 10, 3, 300, "orange", "高度危险"),  # highest reachable D ≤ 320
    (3, 6, 15, 270, "orange", "高度危险"),  # STYLE.md §4 example
    (6, 2, 15, 180, "orange", "高度危险"),  # lowest reachable D above 160
    (10, 1, 15, 150, "yellow", "显著危险"),  # highest reachable D ≤ 160
    (0.5, 10, 15, 75, "yellow", "显著危险"),  # lowest reachable D above 70
    (10, 1, 7, 70, "blue", "一般危险"),  # D = 70 exactly stays blue
    (1, 3, 7, 21, "blue", "一般危险"),  # lowest reachable D above 20
    (0.5, 3, 15, 22.5, "blue", "一般危险"),
    (10, 2, 1, 20, "blue", "稍有危险"),  # D = 20 exactly
    (0.1, 0.5, 1, 0.05, "blue", "稍有危险"),  # float maths would give 0.05000000000000001
]


@pytest.mark.parametrize(("L", "E", "C", "score", "level", "band"), LEC_CASES)
def test_lec_scores_and_grades_by_the_default_bands(L, E, C, score, level, band):
    result = evaluate("LEC", {"L": L, "E": E, "C": C})
    assert result["score"] == score
    assert result["level"]["code"] == level
    assert result["band"]["label"] == band
    assert result["band_table"] == {"code": "lec-default", "version": "1", "verify": None}


def test_lec_result_is_complete_and_explained():
    assert evaluate("LEC", {"L": 6, "E": 6, "C": 15}) == {
        "method": "LEC",
        "factors": {"L": 6, "E": 6, "C": 15},
        "score": 540,
        "level": {"code": "red", "label": "重大", "colour": "红"},
        "band": {
            "label": "极其危险",
            "lower": 320,
            "lower_inclusive": False,
            "upper": None,
            "upper_inclusive": False,
            "description": "D > 320：极其危险，重大风险（一级）",
        },
        "control_level": {"code": "company", "label": "公司级", "verify": "pending"},
        "explanation": "D = L×E×C = 6×6×15 = 540 > 320，属重大风险（红色）",
        "band_table": {"code": "lec-default", "version": "1", "verify": None},
    }


@pytest.mark.parametrize(
    ("factors", "explanation"),
    [
        (
            {"L": 3, "E": 6, "C": 15},
            "D = L×E×C = 3×6×15 = 270，160 < 270 ≤ 320，属较大风险（橙色）",
        ),
        ({"L": 0.1, "E": 0.5, "C": 1}, "D = L×E×C = 0.1×0.5×1 = 0.05 ≤ 20，属低风险（蓝色）"),
    ],
)
def test_lec_explanation_states_the_band_inequality(factors, explanation):
    assert evaluate("LEC", factors)["explanation"] == explanation


def test_products_are_exact_not_float_approximations():
    # 0.1×0.5 and 0.2×0.5×3 are not exact in binary floating point (§2.2 warning).
    assert 0.2 * 0.5 * 3 != 0.3
    assert evaluate("LEC", {"L": 0.2, "E": 0.5, "C": 3})["score"] == 0.3
    result = evaluate("LEC", {"L": 0.1, "E": 0.5, "C": 1})
    assert result["score"] == 0.05
    assert result["factors"] == {"L": 0.1, "E": 0.5, "C": 1}
    assert evaluate("LEC", {"L": 10.0, "E": 6, "C": 15})["score"] == 900


@pytest.mark.parametrize(
    ("score", "level", "band"),
    [
        (Fraction(32001, 100), "red", "极其危险"),
        (320, "orange", "高度危险"),
        (Fraction(16001, 100), "orange", "高度危险"),
        (160, "yellow", "显著危险"),
        (70.01, "yellow", "显著危险"),
        (70, "blue", "一般危险"),
        (20.01, "blue", "一般危险"),
        (20, "blue", "稍有危险"),
    ],
)
def test_lec_band_edges_not_reachable_by_products(score, level, band):
    # 320 and 160 cannot be produced by the factor tables; the band edges still hold exactly.
    found = band_for(score, LEC_BANDS)
    assert (found.level, found.label) == (level, band)


# --- LS, domain.md §2.3: R = L×S; 20–25 red, 15–16 orange, 9–12 yellow, 4–8 blue, 1–3 blue --------
LS_CASES = [
    (5, 5, 25, "red", "重大风险"),
    (4, 5, 20, "red", "重大风险"),
    (4, 4, 16, "orange", "较大风险"),
    (3, 5, 15, "orange", "较大风险"),
    (3, 4, 12, "yellow", "一般风险"),
    (3, 3, 9, "yellow", "一般风险"),
    (2, 4, 8, "blue", "低风险"),
    (2, 2, 4, "blue", "低风险"),
    (1, 3, 3, "blue", "稍有危险"),
    (1, 1, 1, "blue", "稍有危险"),
]


@pytest.mark.parametrize(("L", "S", "score", "level", "band"), LS_CASES)
def test_ls_matrix_grades_every_band_edge(L, S, score, level, band):
    result = evaluate("LS", {"L": L, "S": S})
    assert result["score"] == score
    assert result["level"]["code"] == level
    assert result["band"]["label"] == band
    assert result["band_table"] == {"code": "ls-default", "version": "1", "verify": "pending"}


def test_ls_reachable_products_are_the_25_cell_matrix_values():
    assert reachable_scores("LS") == tuple(
        Fraction(n) for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25)
    )


# --- MES, domain.md §2.4: R = M×E×S; >180 / 90–150 / 50–80 / 20–48 / ≤18 ------------------------
MES_CASES = [
    (5, 10, 10, 500, "red", "一级"),
    (5, 10, 4, 200, "red", "一级"),  # lowest reachable R above 180
    (3, 6, 10, 180, "orange", "二级"),  # the product the reference puts in no band
    (5, 3, 10, 150, "orange", "二级"),
    (3, 3, 10, 90, "orange", "二级"),
    (5, 2, 8, 80, "yellow", "三级"),  # highest reachable R below 90
    (5, 10, 1, 50, "yellow", "三级"),
    (3, 2, 8, 48, "blue", "四级"),  # highest reachable R below 50
    (5, 2, 2, 20, "blue", "四级"),
    (3, 6, 1, 18, "blue", "五级"),  # highest reachable R below 20
    (1, 0.5, 1, 0.5, "blue", "五级"),
]


@pytest.mark.parametrize(("M", "E", "S", "score", "level", "band"), MES_CASES)
def test_mes_grades_every_band_edge(M, E, S, score, level, band):
    result = evaluate("MES", {"M": M, "E": E, "S": S})
    assert result["score"] == score
    assert result["level"]["code"] == level
    assert result["band"]["label"] == band
    assert result["band_table"] == {"code": "mes-default", "version": "1", "verify": "pending"}


def test_mes_enumeration_finds_180_between_the_reference_bands():
    scores = reachable_scores("MES")
    assert Fraction(180) in scores
    # Nothing reachable in the other holes of the reference ranges.
    for low, high in ((18, 20), (48, 50), (80, 90), (150, 180), (180, 200)):
        assert [s for s in scores if low < s < high] == []
    assert [s for s in scores if 150 <= s <= 200] == [150, 180, 200]


def test_mes_bands_as_printed_in_the_reference_leave_180_ungraded():
    literal = BandTable(
        code="mes-literal",
        version="1",
        method="MES",
        bands=(
            Band("red", "一级", 180, False, None, False),
            Band("orange", "二级", 90, True, 150, True),
            Band("yellow", "三级", 50, True, 80, True),
            Band("blue", "四级", 20, True, 48, True),
            Band("blue", "五级", None, False, 18, True),
        ),
    )
    with pytest.raises(ValueError) as excinfo:
        validate_band_table(literal)
    assert str(excinfo.value) == (
        "风险分级表 mes-literal 有误：以下可能出现的 R 值不在任何区间内：180。"
    )


def test_mes_band_table_is_marked_pending():
    assert MES_BANDS.verify == "pending"
    assert describe_method("MES")["factors"][2]["verify"] == "pending"


# --- factor errors ---------------------------------------------------------------------------------

LEC_L = "L 的取值应为 10、6、3、1、0.5、0.2、0.1 之一。"


@pytest.mark.parametrize(
    ("method", "factors", "errors"),
    [
        ("LEC", {"L": 5, "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ("LEC", {"L": 0.3, "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ("LEC", {"L": "6", "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ("LEC", {"L": True, "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ("LEC", {"L": None, "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ("LEC", {"L": float("nan"), "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        (
            "LEC",
            {"L": 6, "E": 7, "C": 15},
            [{"field": "E", "message": "E 的取值应为 10、6、3、2、1、0.5 之一。"}],
        ),
        (
            "LEC",
            {"L": 6, "E": 6, "C": 10},
            [{"field": "C", "message": "C 的取值应为 100、40、15、7、3、1 之一。"}],
        ),
        (
            "LEC",
            {"L": 6, "C": 15},
            [{"field": "E", "message": "请填写 E（暴露于危险环境的频繁程度）的取值。"}],
        ),
        (
            "LEC",
            {"L": 6, "E": 6, "C": 15, "S": 2},
            [{"field": "S", "message": "S 不是 LEC 法的评价因子。"}],
        ),
        (
            "LS",
            {"L": 6, "S": 0},
            [
                {"field": "L", "message": "L 的取值应为 5、4、3、2、1 之一。"},
                {"field": "S", "message": "S 的取值应为 5、4、3、2、1 之一。"},
            ],
        ),
        (
            "MES",
            {"M": 2, "E": 6, "S": 6, "C": 1},
            [
                {"field": "M", "message": "M 的取值应为 5、3、1 之一。"},
                {"field": "S", "message": "S 的取值应为 10、8、4、2、1 之一。"},
                {"field": "C", "message": "C 不是 MES 法的评价因子。"},
            ],
        ),
        (
            "LEC",
            {},
            [
                {"field": "L", "message": "请填写 L（事故发生的可能性）的取值。"},
                {"field": "E", "message": "请填写 E（暴露于危险环境的频繁程度）的取值。"},
                {"field": "C", "message": "请填写 C（发生事故可能造成的后果）的取值。"},
            ],
        ),
        ("lec", {"L": 6}, [{"field": "method", "message": "评价方法应为 LEC、LS、MES 之一。"}]),
        (
            "LEC",
            [6, 6, 15],
            [{"field": "factors", "message": "评价因子应为“因子: 取值”形式的对象。"}],
        ),
    ],
)
def test_bad_factors_are_refused_with_field_messages(method, factors, errors):
    with pytest.raises(FactorError) as excinfo:
        evaluate(method, factors)
    assert excinfo.value.errors == errors
    assert isinstance(excinfo.value, ValueError)


# --- custom band tables and validation -------------------------------------------------------------

# A provincial variant noted in §2.2: everything above 160 is 重大.
STRICT_LEC = BandTable(
    code="lec-strict",
    version="2024-1",
    method="LEC",
    bands=(
        Band("red", "重大风险", 160, False, None, False, "D > 160"),
        Band("orange", "较大风险", 70, False, 160, True, "70 < D ≤ 160"),
        Band("yellow", "一般风险", 20, False, 70, True, "20 < D ≤ 70"),
        Band("blue", "低风险", None, False, 20, True, "D ≤ 20"),
    ),
    source="某省地方标准",
)


@pytest.mark.parametrize(
    ("factors", "level"),
    [
        ({"L": 6, "E": 2, "C": 15}, "red"),  # 180
        ({"L": 10, "E": 1, "C": 15}, "orange"),  # 150
        ({"L": 10, "E": 1, "C": 7}, "yellow"),  # 70
        ({"L": 10, "E": 2, "C": 1}, "blue"),  # 20
    ],
)
def test_a_custom_band_table_replaces_the_default(factors, level):
    result = evaluate("LEC", factors, bands=STRICT_LEC)
    assert result["level"]["code"] == level
    assert result["band_table"] == {"code": "lec-strict", "version": "2024-1", "verify": None}


def test_a_band_table_for_another_method_is_refused():
    with pytest.raises(ValueError, match="风险分级表 ls-default 适用于 LS 法，不能用于 LEC 法。"):
        evaluate("LEC", {"L": 6, "E": 6, "C": 15}, bands=DEFAULT_BANDS["LS"])


@pytest.mark.parametrize("table", list(DEFAULT_BANDS.values()), ids=lambda t: t.code)
def test_default_band_tables_are_valid(table):
    assert validate_band_table(table) is None
    for score in reachable_scores(table.method):
        band_for(score, table)


def ls_table(*bands):
    return BandTable(code="ls-test", version="1", method="LS", bands=tuple(bands))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            ls_table(
                Band("red", "", 16, True, 25, True),
                Band("orange", "", 15, True, 16, True),
                Band("blue", "", 1, True, 15, False),
            ),
            "风险分级表 ls-test 有误：第 1 个区间与第 2 个区间重叠。",
        ),
        (
            ls_table(
                Band("red", "", 20, True, 25, True),
                Band("yellow", "", 9, True, 15, False),
                Band("blue", "", 1, True, 9, False),
            ),
            "风险分级表 ls-test 有误：以下可能出现的 R 值不在任何区间内：15、16。",
        ),
        (
            ls_table(Band("purple", "", 1, True, 25, True)),
            "风险分级表 ls-test 有误：第 1 个区间的风险等级 purple 未知，"
            "应为 red、orange、yellow、blue 之一。",
        ),
        (
            ls_table(Band("red", "", 25, True, 1, True)),
            "风险分级表 ls-test 有误：第 1 个区间（25 ≤ R ≤ 1）为空；"
            "以下可能出现的 R 值不在任何区间内：1、2、3、4、5、6、8、9、10、12 等 14 个值。",
        ),
        (
            ls_table(
                Band("blue", "", 10, True, 25, True),
                Band("red", "", 1, True, 10, False),
            ),
            "风险分级表 ls-test 有误：第 1 个区间分值更高，风险等级却低于第 2 个区间。",
        ),
        (
            ls_table(Band("red", "", "1", True, 25, True)),
            "风险分级表 ls-test 有误：第 1 个区间的上下限应为数字或留空；"
            "以下可能出现的 R 值不在任何区间内：1、2、3、4、5、6、8、9、10、12 等 14 个值。",
        ),
    ],
)
def test_invalid_band_tables_are_refused(table, message):
    with pytest.raises(ValueError) as excinfo:
        validate_band_table(table)
    assert str(excinfo.value) == message


def test_touching_bands_overlap_only_when_both_edges_are_inclusive():
    touching = ls_table(Band("red", "", 20, True, 25, True), Band("blue", "", 1, True, 20, True))
    with pytest.raises(ValueError, match="第 1 个区间与第 2 个区间重叠"):
        validate_band_table(touching)
    assert (
        validate_band_table(
            replace(
                touching,
                bands=(touching.bands[0], replace(touching.bands[1], upper_inclusive=False)),
            )
        )
        is None
    )


def test_band_table_with_unknown_method_or_no_bands_is_refused():
    with pytest.raises(ValueError, match="评价方法 HAZOP 未知"):
        validate_band_table(replace(LEC_BANDS, method="HAZOP"))
    with pytest.raises(ValueError, match="没有任何分级区间"):
        validate_band_table(replace(LEC_BANDS, bands=()))


def test_an_invalid_custom_table_is_refused_by_evaluate():
    broken = replace(STRICT_LEC, bands=STRICT_LEC.bands[:3])
    with pytest.raises(ValueError, match="不在任何区间内"):
        evaluate("LEC", {"L": 6, "E": 6, "C": 15}, bands=broken)


def test_band_for_a_score_outside_every_band():
    with pytest.raises(ValueError, match="分值 30 不在风险分级表 ls-default 的任何区间内。"):
        band_for(30, DEFAULT_BANDS["LS"])


# --- control levels, domain.md §2.5 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("factors", "control"),
    [
        ({"L": 5, "S": 5}, ("company", "公司级")),  # red
        ({"L": 4, "S": 4}, ("company", "公司级")),  # orange
        ({"L": 3, "S": 3}, ("workshop", "车间级")),  # yellow
        ({"L": 2, "S": 2}, ("team", "班组级")),  # blue
    ],
)
def test_default_control_levels(factors, control):
    result = evaluate("LS", factors)
    assert (result["control_level"]["code"], result["control_level"]["label"]) == control
    assert result["control_level"]["verify"] == "pending"


def test_a_custom_control_map_assigns_post_level():
    mapping = {"red": "company", "orange": "workshop", "yellow": "team", "blue": "post"}
    result = evaluate("LS", {"L": 1, "S": 2}, control_map=mapping)
    assert result["control_level"] == {"code": "post", "label": "岗位级", "verify": None}
    configured = ControlMap("plant-7", "2", mapping, source="企业制度", verify=None)
    assert evaluate("LS", {"L": 4, "S": 4}, control_map=configured)["control_level"]["code"] == (
        "workshop"
    )


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"red": "company", "orange": "company", "yellow": "workshop"},
            "管控层级配置 custom 有误：缺少低风险（blue）的管控层级。",
        ),
        (
            {"red": "board", "orange": "company", "yellow": "workshop", "blue": "team"},
            "管控层级配置 custom 有误：重大风险的管控层级 board 未知，"
            "应为 company、workshop、team、post 之一。",
        ),
        (
            {
                "red": "company",
                "orange": "company",
                "yellow": "workshop",
                "blue": "team",
                "green": "post",
            },
            "管控层级配置 custom 有误：风险等级 green 未知。",
        ),
    ],
)
def test_invalid_control_maps_are_refused(mapping, message):
    with pytest.raises(ValueError) as excinfo:
        evaluate("LS", {"L": 1, "S": 1}, control_map=mapping)
    assert str(excinfo.value) == message


def test_default_control_map_is_valid_and_pending():
    assert validate_control_map(DEFAULT_CONTROL_MAP) is None
    assert DEFAULT_CONTROL_MAP.verify == "pending"


def test_describe_method_lists_factor_tables_and_bands():
    lec = describe_method("LEC")
    assert lec["formula"] == "D = L×E×C"
    assert [f["symbol"] for f in lec["factors"]] == ["L", "E", "C"]
    assert lec["factors"][0]["values"][4] == {"value": 0.5, "description": "很不可能，可以设想"}
    assert [v["value"] for v in lec["factors"][2]["values"]] == [100, 40, 15, 7, 3, 1]
    assert lec["bands"]["bands"][1] == {
        "level": "orange",
        "label": "高度危险",
        "lower": 160,
        "lower_inclusive": False,
        "upper": 320,
        "upper_inclusive": True,
        "description": "160 < D ≤ 320：高度危险，较大风险（二级）",
    }
    assert describe_method("LS")["bands"]["verify"] == "pending"


# --- enterprise grade (§2.6 cut-offs; weights are Anxun's documented default) --------------------


def inputs(**overrides):
    """An enterprise scoring 100: every rate 1, every count 0, no veto."""
    values = {
        "open_major_hazards": 0,
        "overdue_hazards": 0,
        "online_operation_rate": 1,
        "hazard_closure_rate": 1,
        "red_units": 0,
        "orange_units": 0,
        "major_hazard_sources": 0,
        "vetoes": (),
    }
    return GradeInputs(**{**values, **overrides})


def test_a_clean_enterprise_scores_100_blue():
    result = enterprise_grade(inputs())
    assert result["score"] == 100
    assert result["colour"] == {"code": "blue", "label": "蓝", "reason": "得分 100，评为蓝色。"}
    assert [c["points"] for c in result["components"]] == [30, 20, 15, 15, 10, 5, 5]
    assert result["config_version"] == "anxun-enterprise-grade-1"


def test_mixed_enterprise_is_hand_computed():
    # 0.95×30 + 0.8×20 + (15−2×3) + (15−1×10) + (10−1×2) + (5−3×1) + (5−2×1)
    # = 28.5 + 16 + 9 + 5 + 8 + 2 + 3 = 71.5 → 橙 (60 ≤ 71.5 < 75)
    result = enterprise_grade(
        inputs(
            online_operation_rate=0.95,
            hazard_closure_rate=0.8,
            overdue_hazards=2,
            open_major_hazards=1,
            red_units=1,
            orange_units=3,
            major_hazard_sources=2,
        )
    )
    assert result["score"] == 71.5
    assert result["colour"]["code"] == "orange"
    assert [(c["code"], c["input"], c["weight"], c["points"]) for c in result["components"]] == [
        ("online_operation_rate", 0.95, 30, 28.5),
        ("hazard_closure_rate", 0.8, 20, 16),
        ("overdue_hazards", 2, 15, 9),
        ("open_major_hazards", 1, 15, 5),
        ("red_units", 1, 10, 8),
        ("orange_units", 3, 5, 2),
        ("major_hazard_sources", 2, 5, 3),
    ]
    assert result["components"][0]["explanation"] == "在线运行率 95%，得 95% × 30 = 28.5 分。"
    assert result["components"][2]["explanation"] == (
        "超期未整改隐患 2 项，每项扣 3 分，扣 6 分，得 9 分（满分 15）。"
    )
    assert result["vetoes"] == []


def test_count_deductions_are_capped_at_the_weight():
    result = enterprise_grade(inputs(overdue_hazards=6))
    overdue = result["components"][2]
    assert (overdue["points"], overdue["deduction"]) == (0, 15)
    assert overdue["explanation"] == (
        "超期未整改隐患 6 项，每项扣 3 分，应扣 18 分，以满分 15 分为限，得 0 分（满分 15）。"
    )
    assert result["score"] == 85


def test_missing_rates_follow_the_documented_defaults():
    result = enterprise_grade(inputs(online_operation_rate=None, hazard_closure_rate=None))
    online, closure = result["components"][:2]
    assert (online["input"], online["points"]) == (None, 0)
    assert (
        online["explanation"]
        == "统计期内没有到期的排查任务，在线运行率无数据（不是 0%），按规则本项不得分，得 0 分（满分 30）。"
    )
    assert (closure["input"], closure["points"]) == (None, 20)
    assert result["score"] == 70


# Scores built from the defaults: closure 0.9995 gives 19.99 instead of 20.
@pytest.mark.parametrize(
    ("overrides", "score", "colour"),
    [
        ({"red_units": 5}, 90, "blue"),
        ({"red_units": 5, "hazard_closure_rate": 0.9995}, 89.99, "yellow"),
        ({"open_major_hazards": 2, "orange_units": 5, "major_hazard_sources": 5}, 75, "yellow"),
        (
            {
                "open_major_hazards": 2,
                "orange_units": 5,
                "major_hazard_sources": 5,
                "hazard_closure_rate": 0.9995,
            },
            74.99,
            "orange",
        ),
        (
            {
                "overdue_hazards": 5,
                "open_major_hazards": 2,
                "orange_units": 5,
                "major_hazard_sources": 5,
            },
            60,
            "orange",
        ),
        (
            {
                "overdue_hazards": 5,
                "open_major_hazards": 2,
                "orange_units": 5,
                "major_hazard_sources": 5,
                "hazard_closure_rate": 0.9995,
            },
            59.99,
            "red",
        ),
    ],
)
def test_enterprise_colour_thresholds(overrides, score, colour):
    result = enterprise_grade(inputs(**overrides))
    assert result["score"] == score
    assert result["colour"]["code"] == colour


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (0, "red"),
        (59.99, "red"),
        (60, "orange"),
        (74.99, "orange"),
        (75, "yellow"),
        (89.99, "yellow"),
        (90, "blue"),
        (100, "blue"),
    ],
)
def test_colour_for_score_cut_offs(score, colour):
    assert colour_for_score(score)["code"] == colour


def test_colour_follows_the_published_rounded_score():
    # 19.9992 + 70 = 89.9992 is published as 90, so it must be blue, not yellow.
    result = enterprise_grade(inputs(red_units=5, hazard_closure_rate=0.99996))
    assert (result["score"], result["colour"]["code"]) == (90, "blue")


def test_any_veto_forces_red_and_says_so():
    result = enterprise_grade(
        inputs(
            vetoes=[
                {"kind": "interview", "date": "2024-05-10"},
                {"kind": "suspension", "date": date(2024, 6, 1)},
            ]
        )
    )
    assert result["score"] == 100
    assert result["colour"] == {
        "code": "red",
        "label": "红",
        "reason": "存在否决项（约谈、停产整顿），直接评为红色（按得分 100 应为蓝色）。",
    }
    assert result["vetoes"] == [
        {
            "kind": "interview",
            "label": "约谈",
            "date": "2024-05-10",
            "explanation": "2024-05-10 约谈，属否决项。",
        },
        {
            "kind": "suspension",
            "label": "停产整顿",
            "date": "2024-06-01",
            "explanation": "2024-06-01 停产整顿，属否决项。",
        },
    ]


def test_enterprise_grade_is_deterministic_and_explains_its_formula():
    facts = inputs(online_operation_rate=0.875, overdue_hazards=1, vetoes=[{"kind": "interview"}])
    assert enterprise_grade(facts) == enterprise_grade(facts)
    formula = enterprise_grade(facts)["formula"]
    assert formula.startswith(
        "总分（满分 100）是各评分项得分之和：在线运行率按比例得分，满分 30 分；"
        "隐患整改闭环率按比例得分，满分 20 分；"
    )
    assert "超期未整改隐患每项扣 3 分，本项满分 15 分、扣完为止" in formula
    assert (
        "低于 60 分为红，60 分至不足 75 分为橙，75 分至不足 90 分为黄，90 分及以上为蓝" in formula
    )
    # Plain language: no function notation or bare operators.
    assert not any(token in formula for token in ("max(", "×", "−", "<", "≥"))


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"overdue_hazards": -1},
            [{"field": "overdue_hazards", "message": "超期未整改隐患数量应为非负整数。"}],
        ),
        (
            {"red_units": True},
            [{"field": "red_units", "message": "重大风险（红色）单元数量应为非负整数。"}],
        ),
        (
            {"online_operation_rate": 1.2},
            [
                {
                    "field": "online_operation_rate",
                    "message": "在线运行率应为 0 到 1 之间的数，或留空。",
                }
            ],
        ),
        (
            {"hazard_closure_rate": "0.5"},
            [
                {
                    "field": "hazard_closure_rate",
                    "message": "隐患整改闭环率应为 0 到 1 之间的数，或留空。",
                }
            ],
        ),
        (
            {"vetoes": [{"kind": "warning"}]},
            [
                {
                    "field": "vetoes[0].kind",
                    "message": "第 1 个否决项的类型应为 interview（约谈）、suspension（停产整顿）之一。",
                }
            ],
        ),
        (
            {"vetoes": [{"kind": "interview", "date": 20240510}]},
            [{"field": "vetoes[0].date", "message": "第 1 个否决项的日期应为日期或留空。"}],
        ),
        ({"vetoes": "interview"}, [{"field": "vetoes", "message": "否决项应为列表。"}]),
    ],
)
def test_bad_grade_inputs_are_refused(overrides, errors):
    with pytest.raises(FactorError) as excinfo:
        enterprise_grade(inputs(**overrides))
    assert excinfo.value.errors == errors


def test_custom_grade_config_changes_thresholds_and_weights():
    config = replace(DEFAULT_GRADE_CONFIG, version="province-x-1", yellow_below=95)
    result = enterprise_grade(inputs(red_units=3), config)  # 100 − 6 = 94
    assert (result["score"], result["colour"]["code"]) == (94, "yellow")
    assert result["config_version"] == "province-x-1"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"red_below": 80}, "颜色分界应满足 0 < 红 < 橙 < 黄 ≤ 100"),
        (
            {"components": DEFAULT_GRADE_CONFIG.components[:-1]},
            "各评分项权重之和应为 100，实为 95",
        ),
    ],
)
def test_invalid_grade_configs_are_refused(changes, message):
    config = replace(DEFAULT_GRADE_CONFIG, **changes)
    with pytest.raises(ValueError, match=message):
        validate_grade_config(config)
    with pytest.raises(ValueError, match=message):
        enterprise_grade(inputs(), config)


# --- operation effectiveness, domain.md §1.6 [M]: E = (A + B) × α -----------------------------------

EFFECTIVENESS_CASES = [
    # planned, completed, baobao, to_rectify, accepted, too_few, veto, A, B, E
    (20, 18, 5, 10, 8, 0, False, 40, 40, 80),  # 18/20×50−5 = 40; 8/10×50 = 40
    (20, 20, 0, 10, 10, 0, False, 50, 50, 100),
    (3, 2, 0, 3, 1, 0, False, 33.33, 16.67, 50),  # 100/3 + 50/3 = 50 exactly
    (10, 1, 10, 4, 1, 20, False, 0, 0, 0),  # 5−10 and 12.5−20 are floored at 0
    (8, 6, 2.5, 4, 3, 1.5, False, 35, 36, 71),  # 37.5−2.5 = 35; 37.5−1.5 = 36
    (20, 18, 5, 10, 8, 0, True, 40, 40, 0),  # a veto makes α = 0
    (0, 0, 5, 4, 4, 0, False, 0, 50, 50),  # no planned task → 0 % → A = 0−5 floored
    (10, 10, 0, 0, 0, 20, False, 50, 30, 80),  # nothing to rectify → 100 % → B = 50−20
]


@pytest.mark.parametrize(
    ("planned", "completed", "baobao", "due", "accepted", "too_few", "veto", "a", "b", "score"),
    EFFECTIVENESS_CASES,
)
def test_operation_effectiveness(
    planned, completed, baobao, due, accepted, too_few, veto, a, b, score
):
    result = operation_effectiveness(planned, completed, baobao, due, accepted, too_few, veto)
    assert (result["a"]["value"], result["b"]["value"], result["score"]) == (a, b, score)
    assert result["alpha"] == (0 if veto else 1)
    assert result["verify"] == "pending"


def test_operation_effectiveness_explains_each_part():
    result = operation_effectiveness(20, 18, 5, 10, 8, 0, False)
    assert result["a"] == {
        "value": 40,
        "percent": 90,
        "deduction": 5,
        "explanation": "A = 18 ÷ 20 × 50 − 5 = 40。",
    }
    assert result["explanation"] == "E = (40 + 40) × 1 = 80。"
    vetoed = operation_effectiveness(0, 0, 5, 0, 0, 0, True)
    assert (
        vetoed["a"]["explanation"]
        == "本期无计划任务，完成率按 0 计，A = 0 × 50 − 5 = -5，按 0 计。"
    )
    assert vetoed["b"]["explanation"] == "本期无应整改隐患，验收率按 100% 计，B = 1 × 50 − 0 = 50。"
    assert vetoed["explanation"] == "E = (0 + 50) × 0 = 0（存在否决项，α = 0）。"


@pytest.mark.parametrize(
    ("args", "errors"),
    [
        (
            (10, 11, 0, 5, 5, 0, False),
            [{"field": "completed_tasks", "message": "已完成任务数不能大于计划完成任务数。"}],
        ),
        (
            (10, 10, 0, 5, 6, 0, False),
            [{"field": "hazards_accepted", "message": "已验收隐患数不能大于应整改隐患数。"}],
        ),
        (
            (-1, 0, -2, 5, 5, 0, 1),
            [
                {"field": "planned_tasks", "message": "计划完成任务数应为非负整数。"},
                {"field": "baobao_deduction", "message": "包保责任履职不到位扣分应为非负数。"},
                {"field": "veto", "message": "是否存在否决项应为 true 或 false。"},
            ],
        ),
        (
            (10, 5.5, 0, 5, True, "3", False),
            [
                {"field": "completed_tasks", "message": "已完成任务数应为非负整数。"},
                {"field": "hazards_accepted", "message": "已验收隐患数应为非负整数。"},
                {"field": "too_few_hazards_deduction", "message": "隐患数量过少扣分应为非负数。"},
            ],
        ),
    ],
)
def test_bad_effectiveness_inputs_are_refused(args, errors):
    with pytest.raises(FactorError) as excinfo:
        operation_effectiveness(*args)
    assert excinfo.value.errors == errors
