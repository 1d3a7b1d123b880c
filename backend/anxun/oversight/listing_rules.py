"""Pure rules for supervised listings: the listing number and what a public summary may contain."""

from __future__ import annotations

import re

from anxun.oversight.orders import document_number

LISTING_TYPE_WORD = "督"

PUBLIC_SUMMARY_MAX = 300

# Seven or more digits in a row, allowing spaces or hyphens between them, looks like a phone
# number (mobile 11 digits, landline 7–8 plus area code); 15/18-character ID numbers are longer
# still, and an 18-character one may end in X.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-－—]?\d){6,}")
_ID_NUMBER = re.compile(r"\d{17}[0-9Xx]|\d{15}")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def listing_number(office_abbreviation: str, year: int, sequence: int) -> str:
    """The number of a 挂牌督办 notice, e.g. 镇应急督〔2026〕1号; the 机关代字 is the one the bureau's
    rectification orders carry (orders.office_abbreviation).

    〔year〕n号 follows 党政机关公文格式 GB/T 9704-2012 §7.2.4, as for rectification orders; the
    督 type word is this platform's choice, not a national rule.
    """
    return document_number(office_abbreviation, LISTING_TYPE_WORD, year, sequence)


def personal_data_problems(text: str) -> list[str]:
    """Chinese messages for anything in a public text that looks like a phone or ID number."""
    plain = text.translate(_FULLWIDTH_DIGITS)
    problems = []
    if _ID_NUMBER.search(plain):
        problems.append("公示内容不得包含身份证号码。")
    elif _DIGIT_RUN.search(plain):
        problems.append("公示内容不得包含电话号码等个人信息。")
    return problems
