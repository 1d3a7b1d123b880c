"""Pure rules for official document numbers (文书编号): 镇应急责改〔2026〕3号 for a bureau's
rectification order, 镇应急督〔2026〕1号 for its listing, 澄化隐改〔2026〕12号 for an enterprise's
rectification notice; and the 机关代字 a bureau's numbers start with."""

from __future__ import annotations


def document_prefix(office_abbreviation: str, type_word: str, year: int) -> str:
    """The part of a document number before its sequence, e.g. 镇应急责改〔2026〕."""
    return f"{office_abbreviation}{type_word}〔{year}〕"


def document_number(office_abbreviation: str, type_word: str, year: int, sequence: int) -> str:
    """A document number such as 镇应急责改〔2026〕3号.

    The form 〔year〕n号 follows 党政机关公文格式 GB/T 9704-2012 §7.2.4 (year in 六角括号, no leading
    zeros); the 机关代字 and the type word are each bureau's own choice.
    """
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{document_prefix(office_abbreviation, type_word, year)}{sequence}号"


def next_in_series(existing_numbers: list[str], prefix: str) -> int:
    """The next sequence after the numbers already issued under `prefix` (others are ignored)."""
    used = [
        int(number[len(prefix) : -1])
        for number in existing_numbers
        if number.startswith(prefix)
        and number.endswith("号")
        and number[len(prefix) : -1].isdigit()
    ]
    return max(used, default=0) + 1


# The bureau words an office abbreviation (机关代字) keeps; longest names first.
BUREAU_SHORT_NAMES = (
    ("住房和城乡建设", "住建"),
    ("应急管理", "应急"),
    ("市场监督管理", "市监"),
    ("消防救援", "消防"),
)
# Administrative division suffixes, from the largest to the smallest.
DIVISION_SUFFIXES = ("自治区", "自治州", "自治县", "省", "市", "盟", "区", "县", "旗")


def split_division(name: str) -> tuple[str, str]:
    """Split "宁波市镇海区应急管理局" into ("镇海区", "应急管理局"): the smallest division and the rest."""
    division, rest = "", name
    while True:
        # A suffix at position 0 starts the bureau word (市场监督管理局), not a division.
        hits = [(i, s) for s in DIVISION_SUFFIXES if (i := rest.find(s)) > 0]
        if not hits:
            return division, rest
        cut, suffix = min(hits, key=lambda hit: (hit[0], -len(hit[1])))
        division, rest = rest[: cut + len(suffix)], rest[cut + len(suffix) :]


def office_abbreviation(regulator_name: str) -> str:
    """The 机关代字 of a bureau: first character of its smallest division + the bureau word.

    宁波市镇海区应急管理局 → 镇应急; 宁波市镇海区住房和城乡建设局 → 镇住建; 浙江省应急管理厅 → 浙应急.
    A bureau word not in the table keeps its first two characters.
    """
    name = regulator_name.strip()
    if not name:
        raise ValueError("regulator name is empty")
    division, bureau = split_division(name)
    short = next((abbr for word, abbr in BUREAU_SHORT_NAMES if bureau.startswith(word)), None)
    if short is None:
        short = bureau[:2] if bureau else name[:2]
    return f"{division[:1]}{short}" if division else short
