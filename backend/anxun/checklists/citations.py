"""How a legal basis and an item's guidance read on paper: nothing awaiting verification is printed
(a `verify: pending` clause or a 待核 remark stays in the data, never on the page)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# How checklist authors mark a statement not yet checked against the official text: 待核, 待核实,
# 周期待核实, 是否沿用待核, 未核实.
UNVERIFIED_MARKS = ("待核", "未核实")
_SENTENCES = re.compile(r"[^。！？]+[。！？]?")


def document_name(document: Mapping, fallback: str = "") -> str:
    """《工贸企业有限空间作业安全规定》（应急管理部令第13号）, or the fallback (a code, or a name
    already written with 《》) when the document is not in the checklist's basis list."""
    title = (document.get("title") or "").strip()
    if not title:
        return fallback.strip()
    name = title if title.startswith("《") else f"《{title}》"
    number = (document.get("number") or "").strip()
    return f"{name}（{number}）" if number else name


def clause_is_verified(ref: Mapping, document: Mapping) -> bool:
    """A clause is printed only when neither it nor its document awaits verification."""
    return not (ref.get("verify") or document.get("verify"))


def paper_citation(ref: Mapping, documents: Mapping[str, Mapping]) -> str:
    """One basis reference {doc, clause, verify?} as printed on a formal document.

    `documents` maps a checklist's basis codes to {title, number, verify?}.
    """
    code = (ref.get("doc") or "").strip()
    document = documents.get(code) or {}
    name = document_name(document, code)
    clause = (ref.get("clause") or "").strip()
    if clause and clause_is_verified(ref, document):
        return f"{name}{clause}"
    return name


def paper_citations(refs: Iterable[Mapping], documents: Mapping[str, Mapping]) -> list[str]:
    """Each reference as printed, in order; one line per distinct text (two pending clauses of the
    same document both print as the document alone, once)."""
    return list(dict.fromkeys(paper_citation(ref, documents) for ref in refs))


def is_unverified(text: str) -> bool:
    return any(mark in text for mark in UNVERIFIED_MARKS)


def paper_guidance(text: str) -> str:
    """An item's guidance as printed: each sentence with an unverified remark is left out from the
    clause (；) that carries it, since what follows in that sentence depends on it; "" when
    nothing verified remains.

    记录本季度排查次数。包保责任人现场公示要求待核实。 → 记录本季度排查次数。
    """
    kept = []
    for sentence in _SENTENCES.findall(" ".join((text or "").split())):
        if not is_unverified(sentence):
            kept.append(sentence.strip())
            continue
        head = []
        for clause in sentence.split("；"):
            if is_unverified(clause):
                break
            head.append(clause.strip())
        if head:
            kept.append("；".join(head) + "。")
    return "".join(kept)
