"""Pure exact arithmetic of the risk rules (fractions, half-up cents) and their input error."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


class FactorError(ValueError):
    """Bad input to a risk rule; `errors` is a list of {field, message} with zh-CN messages."""

    def __init__(self, errors: list[dict]):
        super().__init__("；".join(error["message"] for error in errors))
        self.errors = errors


def is_finite_number(value) -> bool:
    """True for a finite int or float; bools and strings are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def exact_value(value) -> Fraction:
    """The exact value of a number; floats by their decimal text, so 0.1 stays 1/10."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    return Fraction(value)


def round_cent(value: Fraction) -> Fraction:
    """Round half-up to 0.01: floor(value × 100 + 1/2) / 100, in integers for a fraction or an
    int, floor((200 n + d) / 2d) for n/d (the daily snapshot rounds ~80 numbers per enterprise)."""
    if isinstance(value, Fraction | int):
        n, d = value.numerator, value.denominator
        return Fraction((200 * n + d) // (2 * d), 100)
    return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


def json_number(value: Fraction | None) -> int | float | None:
    """A JSON-friendly number rounded to 0.01: an int when whole, else a float."""
    if value is None:
        return None
    rounded = round_cent(value)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def number_text(value: Fraction) -> str:
    return str(json_number(value))
