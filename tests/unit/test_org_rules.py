"""Organisation rules: USCC check characters (GB 32100-2015), GB/T 2260 regions, engagement windows."""

from datetime import date

import pytest

from anxun.orgs import rules

VALID = "91330211MA2H3K5L09"  # check character computed per GB 32100-2015


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (VALID, None),
        (VALID.lower(), None),
        ("91350100M000100Y43", None),  # a published example code
        ("91330211MA2H3K5L08", "统一社会信用代码校验位不正确。"),
        ("91330211MA2H3K5L0", "统一社会信用代码应为18位。"),
        ("91330211MA2H3K5L099", "统一社会信用代码应为18位。"),
        ("91330211MA2H3K5LI9", "统一社会信用代码格式不正确。"),  # I is not a USCC character
        ("", "统一社会信用代码应为18位。"),
    ],
)
def test_uscc_problem_explains_each_kind_of_invalid_code(value, problem):
    assert rules.uscc_problem(value) == problem


def test_uscc_with_check_completes_a_body_into_a_valid_code():
    code = rules.uscc_with_check("91330211MA2H3K5L0")
    assert code == VALID
    assert rules.uscc_problem(code) is None


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("330000", rules.RegulatorLevel.province, "33", None),
        ("330200", rules.RegulatorLevel.city, "3302", "330000"),
        ("330211", rules.RegulatorLevel.county, "330211", "330200"),
    ],
)
def test_region_levels_prefixes_and_parents(code, level, prefix, parent):
    assert rules.region_level(code) is level
    assert rules.jurisdiction_prefix(code) == prefix
    assert rules.parent_region_code(code) == parent


@pytest.mark.parametrize(
    ("region", "jurisdiction", "inside"),
    [
        ("330211", "330000", True),
        ("330211", "330200", True),
        ("330211", "330211", True),
        ("330212", "330211", False),
        ("330106", "330200", False),
        ("320211", "330000", False),
    ],
)
def test_jurisdiction_is_a_region_code_prefix(region, jurisdiction, inside):
    assert rules.in_jurisdiction(region, jurisdiction) is inside


@pytest.mark.parametrize(
    ("today", "active"),
    [
        (date(2026, 1, 31), False),
        (date(2026, 2, 1), True),
        (date(2026, 6, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_engagement_window_is_inclusive_on_both_ends(today, active):
    assert rules.engagement_active(date(2026, 2, 1), date(2026, 12, 31), today) is active
