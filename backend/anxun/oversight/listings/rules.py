"""Pure rules for supervised listings: the listing number (public texts: core.disclosure)."""

from __future__ import annotations

from anxun.oversight.numbering import document_number

LISTING_TYPE_WORD = "督"

PUBLIC_SUMMARY_MAX = 300


def listing_number(office_abbreviation: str, year: int, sequence: int) -> str:
    """The number of a 挂牌督办 notice, e.g. 镇应急督〔2026〕1号; the 机关代字 is the one the bureau's
    rectification orders carry (numbering.office_abbreviation).

    〔year〕n号 follows 党政机关公文格式 GB/T 9704-2012 §7.2.4, as for rectification orders; the
    督 type word is this platform's choice, not a national rule.
    """
    return document_number(office_abbreviation, LISTING_TYPE_WORD, year, sequence)
