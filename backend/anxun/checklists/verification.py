"""What of a checklist still awaits verification, and how its basis reads to field users: the
certain part only (citations.paper_citation), with a flag where an article was held back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from anxun.checklists.citations import clause_is_verified, document_name, paper_citation

# Why a fact is listed in the pending report (shown in the CLI and the checklist detail API).
REASONS = {
    "document": "文件本身待核实（名称、文号、效力或与新标准的关系）",
    "clause": "条款待核实",
    "clause_of_pending_document": "所属文件待核实，条款暂不印出",
    "item": "检查项内容待核实",
}


def _documents(doc: Mapping) -> dict[str, Mapping]:
    return {basis["code"]: basis for basis in doc.get("basis") or []}


def people_citations(refs: Iterable[Mapping], documents: Mapping[str, Mapping]) -> list[dict]:
    """Each distinct printed text once, as {text, is_clause_pending}: what the phone and the desk
    show. `is_clause_pending` says an article was cited but held back until it is verified."""
    shown: dict[str, dict] = {}
    for ref in refs:
        document = documents.get((ref.get("doc") or "").strip()) or {}
        held_back = bool((ref.get("clause") or "").strip()) and not clause_is_verified(
            ref, document
        )
        text = paper_citation(ref, documents)
        entry = shown.setdefault(text, {"text": text, "is_clause_pending": False})
        entry["is_clause_pending"] = entry["is_clause_pending"] or held_back
    return list(shown.values())


def item_citations(doc: Mapping) -> dict[str, list[dict]]:
    """people_citations for every check item of a normalised checklist, by item id."""
    documents = _documents(doc)
    return {
        item["id"]: people_citations(item.get("basis") or [], documents)
        for section in doc.get("sections") or []
        for item in section.get("items") or []
    }


def pending_report(doc: Mapping) -> list[dict]:
    """Every `verify: pending` fact of a normalised checklist, grouped by cited document in the
    order of the header's basis list; items whose own text is pending come last (doc None).

    Each group: {doc, name, is_document_pending, field, entries: [{item_id, clause, reason
    (a code of REASONS), field}]}.
    """
    documents = _documents(doc)
    groups: dict[str | None, dict] = {}
    for index, basis in enumerate(doc.get("basis") or []):
        groups[basis["code"]] = {
            "doc": basis["code"],
            "name": document_name(basis, basis["code"]),
            "is_document_pending": bool(basis.get("verify")),
            "field": f"basis[{index}].verify" if basis.get("verify") else None,
            "entries": [],
        }
    items_group = {
        "doc": None,
        "name": "检查项内容",
        "is_document_pending": False,
        "field": None,
        "entries": [],
    }
    for s_index, section in enumerate(doc.get("sections") or []):
        for i_index, item in enumerate(section.get("items") or []):
            path = f"sections[{s_index}].items[{i_index}]"
            if item.get("verify"):
                items_group["entries"].append(_entry(item["id"], None, "item", f"{path}.verify"))
            for r_index, ref in enumerate(item.get("basis") or []):
                code = ref.get("doc")
                document = documents.get(code) or {}
                if ref.get("verify"):
                    reason, field = "clause", f"{path}.basis[{r_index}].verify"
                elif document.get("verify") and ref.get("clause"):
                    reason, field = "clause_of_pending_document", f"{path}.basis[{r_index}]"
                else:
                    continue
                group = groups.setdefault(
                    code,
                    {
                        "doc": code,
                        "name": document_name(document, code),
                        "is_document_pending": False,
                        "field": None,
                        "entries": [],
                    },
                )
                group["entries"].append(_entry(item["id"], ref.get("clause"), reason, field))
    report = [
        group for group in groups.values() if group["is_document_pending"] or group["entries"]
    ]
    if items_group["entries"]:
        report.append(items_group)
    return report


def pending_count(report: list[dict]) -> int:
    """Facts to verify in a report: each pending document and each pending entry."""
    return sum(int(group["is_document_pending"]) + len(group["entries"]) for group in report)


def _entry(item_id: str, clause: str | None, reason: str, field: str) -> dict:
    return {
        "item_id": item_id,
        "clause": clause,
        "reason": reason,
        "field": field,
    }
