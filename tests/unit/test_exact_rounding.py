"""Half-up rounding to 0.01 of the risk rules: the integer form equals the definition."""

import math
from fractions import Fraction

import pytest

from anxun.risk.grading.exact import json_number, round_cent


def definition(value) -> Fraction:
    return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 200), Fraction(1, 100)),  # 0.005 → 0.01 (half up)
        (Fraction(-1, 200), Fraction(0)),  # −0.005 → 0 (half up, towards +∞)
        (Fraction(2, 3), Fraction(67, 100)),
        (Fraction(-2, 3), Fraction(-67, 100)),
        (Fraction(1249, 100000), Fraction(1, 100)),  # 0.01249 → 0.01
        (Fraction(125, 10000), Fraction(1, 100)),  # 0.0125 → 0.01
        (Fraction(49, 3), Fraction(1633, 100)),
        (7, Fraction(7)),
        (-3, Fraction(-3)),
        (0, Fraction(0)),
    ],
)
def test_round_cent_rounds_half_up_to_the_cent(value, expected):
    assert round_cent(value) == expected == definition(value)


def test_the_integer_form_equals_the_definition_on_many_fractions():
    values = [Fraction(n, d) for d in range(1, 400) for n in range(-1000, 1000, 7)]
    assert all(round_cent(v) == definition(v) for v in values)


def test_json_number_is_an_int_when_whole_else_a_float():
    assert (json_number(Fraction(30)), json_number(Fraction(2, 5) * 30)) == (30, 12)
    assert json_number(Fraction(1, 3) * 20) == 6.67
    assert json_number(None) is None
