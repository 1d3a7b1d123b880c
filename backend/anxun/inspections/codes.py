"""Verification codes (校验码): the short code a printed inspection record carries instead of its id.

The code is the first 12 hex digits of the record's client UUID (48 random bits of a version-4
UUID), printed in groups of four: 1A7D-082D-93F0. Among a million records the chance that any two
share a code is under 0.2 %; a reader who types one still never gets a guess: a code that fits
several records they may see is refused (see inspections.queries.find_by_code).
"""

from __future__ import annotations

import re
import uuid

CODE_DIGITS = 12
# Records printed before the code grew to 12 digits carry 8; those still resolve.
MIN_DIGITS = 8
_SEPARATORS = re.compile(r"[\s\-－—_]")
_HEX = re.compile(r"[0-9a-f]+")


def verification_code(record_id: uuid.UUID) -> str:
    """1A7D-082D-93F0 for a record whose id starts 1a7d082d-93f0."""
    head = record_id.hex[:CODE_DIGITS].upper()
    return "-".join(head[i : i + 4] for i in range(0, CODE_DIGITS, 4))


def parse_code(text: str) -> str | None:
    """The lower-case hex digits a typed or scanned code stands for (separators, spaces and case
    ignored), or None when it is not 8 to 32 hex digits."""
    digits = _SEPARATORS.sub("", text or "").lower()
    if not MIN_DIGITS <= len(digits) <= 32 or not _HEX.fullmatch(digits):
        return None
    return digits


def id_range(digits: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The lowest and highest UUID starting with `digits`: a range the primary key index serves."""
    return uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))
