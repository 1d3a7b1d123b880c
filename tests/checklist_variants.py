"""A standard change for tests, derived from the shipped hazardous-chemicals checklist: one
ordinary item becomes major and one ordinary item is removed (and dropped from its profiles)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from anxun.checklists.loader import load_checklist

SHIPPED = Path(__file__).resolve().parents[1] / "checklists" / "hazardous-chemicals.yaml"


@dataclass(frozen=True)
class Variant:
    text: str
    promoted: str  # ordinary → major
    removed: str


def changed_hazchem(text: str | None = None, version: str = "2026.9-test") -> Variant:
    """The shipped checklist (or `text`) with the first two ordinary items that cite a basis
    changed: the first becomes major, the second is removed."""
    text = text if text is not None else SHIPPED.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    ordinary = [
        (section, item)
        for section in data["sections"]
        for item in section["items"]
        if not item.get("major") and item.get("basis")
    ]
    (_, promoted), (section, removed) = ordinary[0], ordinary[1]
    promoted["major"] = True
    section["items"].remove(removed)
    for profile in data.get("profiles") or []:
        profile["items"] = [i for i in profile["items"] if i != removed["id"]]
    data["version"] = version
    changed = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    load_checklist(changed, "variant.yaml")  # fails loudly if the edit broke the file
    return Variant(changed, promoted["id"], removed["id"])
