"""Pure rules for public disclosure: no published text carries a phone or ID number."""

from __future__ import annotations

import re

# Seven or more digits in a row, allowing spaces or hyphens between them, looks like a phone
# number (mobile 11 digits, landline 7–8 plus area code); 15/18-character ID numbers are longer
# still, and an 18-character one may end in X.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-－—]?\d){6,}")
_ID_NUMBER = re.compile(r"\d{17}[0-9Xx]|\d{15}")
# A calendar date (2026-12-25, 2026/12/25, 2026.12.25; ISO timestamps start with one) is not a
# phone number, though its digits and hyphens would read as one.
_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
MSG_ID_NUMBER = "该内容会公示，不得包含身份证号码。"
MSG_PHONE = "该内容会公示，不得包含电话号码等个人信息。"
MASK = "*"


def _plain(text: str) -> str:
    """The text with full-width digits made ASCII and dates blanked; same length as the text."""
    return _DATE.sub(lambda m: "#" * len(m.group()), text.translate(_FULLWIDTH_DIGITS))


def personal_data_problems(text: str) -> list[str]:
    """Chinese messages for anything in a public text that looks like a phone or ID number."""
    plain = _plain(text)
    if _ID_NUMBER.search(plain):
        return [MSG_ID_NUMBER]
    if _DIGIT_RUN.search(plain):
        return [MSG_PHONE]
    return []


def mask(text: str) -> str:
    """The text with every phone- or ID-looking run replaced by asterisks."""
    plain = _plain(text)
    spans = [m.span() for m in _ID_NUMBER.finditer(plain)]
    spans += [m.span() for m in _DIGIT_RUN.finditer(plain)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def scrub(value):
    """A public answer (dicts, lists, scalars) with `mask` applied to every string in it."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value
