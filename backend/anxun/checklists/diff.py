"""Pure comparison of two checklist versions, item by item: what a standard change altered."""

# A new version of a checklist with legal force (a new major-hazard criterion, a revised
# standard) changes what was judged under the old one. This module says exactly what changed:
# items added and removed; per item its wording, major flag, basis (document, clause, verify),
# limits and answer, category, method and profile membership; and the basis documents in the
# header (number, status, effective date). It reads only normalised documents (loader.py).

from __future__ import annotations

from dataclasses import dataclass, field

from anxun.checklists.loader import iter_items

# Item fields compared, in report order, with their Chinese labels.
ITEM_FIELDS = {
    "text": "条文",
    "major": "重大隐患判定",
    "basis": "依据",
    "answer": "答案与限值",
    "category": "隐患类别",
    "method": "检查方法",
    "section": "分组",
    "profiles": "适用方案",
}
# Changes that alter how an existing finding is graded: the confirmer must judge it again.
REJUDGE_FIELDS = ("major", "basis")
DOCUMENT_FIELDS = {
    "title": "名称",
    "number": "文号",
    "issuer": "发布机关",
    "effective": "施行日期",
    "status": "效力状态",
    "expires": "失效日期",
    "verify": "待核实",
}
KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object

    @property
    def label(self) -> str:
        return ITEM_FIELDS.get(self.field) or DOCUMENT_FIELDS.get(self.field, self.field)


@dataclass(frozen=True)
class ItemChange:
    """One item added, removed or changed; `changes` lists the changed fields."""

    item_id: str
    kind: str
    old: dict | None
    new: dict | None
    changes: tuple[FieldChange, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)

    @property
    def needs_rejudging(self) -> bool:
        """A finding raised by this item must be judged again: the item is gone, or whether it
        is major, or the basis it cites, changed."""
        return self.kind == "removed" or any(f in REJUDGE_FIELDS for f in self.fields)


@dataclass(frozen=True)
class DocumentChange:
    """A basis document of the header added, removed or changed (e.g. its status)."""

    code: str
    kind: str
    old: dict | None
    new: dict | None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ChecklistDiff:
    code: str
    old_version: str
    new_version: str
    items: tuple[ItemChange, ...] = ()
    documents: tuple[DocumentChange, ...] = ()
    profiles_removed: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.documents or self.profiles_removed)

    def of_kind(self, kind: str) -> list[ItemChange]:
        return [change for change in self.items if change.kind == kind]

    @property
    def removed_item_ids(self) -> set[str]:
        return {change.item_id for change in self.items if change.kind == "removed"}

    @property
    def rejudge_item_ids(self) -> set[str]:
        return {change.item_id for change in self.items if change.needs_rejudging}


def _profiles_of(doc: dict) -> dict[str, list[str]]:
    """Item id → codes of the profiles that include it."""
    membership: dict[str, list[str]] = {}
    for profile in doc.get("profiles") or []:
        for item_id in profile["items"]:
            membership.setdefault(item_id, []).append(profile["code"])
    return membership


def _items(doc: dict) -> dict[str, dict]:
    membership = _profiles_of(doc)
    return {
        item["id"]: {**item, "profiles": sorted(membership.get(item["id"], []))}
        for item in iter_items(doc)
    }


def _field_changes(old: dict, new: dict, names) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


def diff_checklists(old: dict, new: dict) -> ChecklistDiff:
    """Compare two normalised versions of a checklist (the old one first)."""
    old_items, new_items = _items(old), _items(new)
    items: list[ItemChange] = []
    for item_id, item in new_items.items():
        before = old_items.get(item_id)
        if before is None:
            items.append(ItemChange(item_id, "added", None, item))
            continue
        changes = _field_changes(before, item, ITEM_FIELDS)
        if changes:
            items.append(ItemChange(item_id, "changed", before, item, changes))
    items.extend(
        ItemChange(item_id, "removed", item, None)
        for item_id, item in old_items.items()
        if item_id not in new_items
    )
    old_docs = {d["code"]: d for d in old.get("basis") or []}
    new_docs = {d["code"]: d for d in new.get("basis") or []}
    documents: list[DocumentChange] = []
    for code, doc in new_docs.items():
        before = old_docs.get(code)
        if before is None:
            documents.append(DocumentChange(code, "added", None, doc))
        elif changes := _field_changes(before, doc, DOCUMENT_FIELDS):
            documents.append(DocumentChange(code, "changed", before, doc, changes))
    documents.extend(
        DocumentChange(code, "removed", doc, None)
        for code, doc in old_docs.items()
        if code not in new_docs
    )
    new_profiles = {p["code"] for p in new.get("profiles") or []}
    removed_profiles = tuple(
        p["code"] for p in old.get("profiles") or [] if p["code"] not in new_profiles
    )
    return ChecklistDiff(
        code=new["code"],
        old_version=old["version"],
        new_version=new["version"],
        items=tuple(items),
        documents=tuple(documents),
        profiles_removed=removed_profiles,
    )


def _plain(change: FieldChange) -> dict:
    return {"field": change.field, "label": change.label, "old": change.old, "new": change.new}


def diff_as_dict(diff: ChecklistDiff) -> dict:
    """The diff as JSON-ready data (API and `--json`); kinds are codes named by KIND_LABELS."""
    return {
        "code": diff.code,
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "counts": {kind: len(diff.of_kind(kind)) for kind in KIND_LABELS},
        "items": [
            {
                "item_id": change.item_id,
                "kind": change.kind,
                "text": (change.new or change.old)["text"],
                "is_major": bool((change.new or change.old)["major"]),
                "needs_rejudging": change.needs_rejudging,
                "changes": [_plain(c) for c in change.changes],
            }
            for change in diff.items
        ],
        "documents": [
            {
                "code": change.code,
                "kind": change.kind,
                "number": (change.new or change.old).get("number"),
                "changes": [_plain(c) for c in change.changes],
            }
            for change in diff.documents
        ],
        "profiles_removed": list(diff.profiles_removed),
    }


def _short(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and value and isinstance(value[0], dict) and "doc" in value[0]:
        return "；".join(f"{ref['doc']} {ref['clause']}" for ref in value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    if value is None:
        return "（无）"
    return str(value)


def diff_lines(diff: ChecklistDiff) -> list[str]:
    """Human-readable report, one line per change (the CLI's default output)."""
    lines = [f"{diff.code}: {diff.old_version} → {diff.new_version}"]
    if diff.is_empty:
        return [*lines, "  无变化"]
    for change in diff.items:
        item = change.new or change.old
        mark = " [需重新判定]" if change.needs_rejudging and change.kind != "added" else ""
        lines.append(f"  {KIND_LABELS[change.kind]} {change.item_id}{mark}: {item['text']}")
        lines.extend(f"      {c.label}: {_short(c.old)} → {_short(c.new)}" for c in change.changes)
    for change in diff.documents:
        doc = change.new or change.old
        lines.append(f"  依据{KIND_LABELS[change.kind]} {change.code}: {doc.get('number', '')}")
        lines.extend(f"      {c.label}: {_short(c.old)} → {_short(c.new)}" for c in change.changes)
    lines.extend(f"  删除方案 {code}" for code in diff.profiles_removed)
    counts = ", ".join(f"{KIND_LABELS[k]} {len(diff.of_kind(k))}" for k in KIND_LABELS)
    lines.append(f"  合计：{counts}")
    return lines
