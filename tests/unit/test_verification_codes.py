"""Verification codes (校验码) of printed inspection records: format, parsing, id range."""

import uuid

import pytest

from anxun.inspections.codes import id_range, parse_code, verification_code

RECORD = uuid.UUID("1a7d082d-93f0-4c2b-9e11-5f0a6b7c8d9e")


def test_the_code_is_the_ids_first_twelve_hex_digits_in_groups_of_four():
    assert verification_code(RECORD) == "1A7D-082D-93F0"


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("1A7D-082D-93F0", "1a7d082d93f0"),
        ("1a7d 082d 93f0", "1a7d082d93f0"),
        ("1A7D－082D－93F0", "1a7d082d93f0"),  # full-width dashes from a Chinese keyboard
        ("1A7D-082D", "1a7d082d"),  # the older 8-digit code
        (str(RECORD), RECORD.hex),
        ("1A7D", None),
        ("1A7D-082D-93FG", None),
        ("校验码1A7D082D", None),
        ("1" * 33, None),
        ("", None),
    ],
)
def test_typed_codes_parse_to_hex_digits_or_none(typed, digits):
    assert parse_code(typed) == digits


def test_the_id_range_holds_exactly_the_ids_with_that_prefix():
    low, high = id_range("1a7d082d93f0")
    assert low == uuid.UUID("1a7d082d-93f0-0000-0000-000000000000")
    assert high == uuid.UUID("1a7d082d-93f0-ffff-ffff-ffffffffffff")
    assert low <= RECORD <= high
    assert not low <= uuid.UUID("1a7d082d-93f1-0000-0000-000000000000") <= high
