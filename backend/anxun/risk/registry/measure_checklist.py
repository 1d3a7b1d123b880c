"""Pure: an enterprise's checkable control measures as a checklist YAML (code risk-controls)."""

from __future__ import annotations

import re

import yaml

CODE = "risk-controls"
SOURCE_NAME = "risk-controls.yaml"
BASIS_CODE = "REG"
ITEM_PREFIX = "CM-"
APPLIES_TO = ["daily", "weekly", "monthly", "special"]
# classify1 (domain.md §1.4) → checklist item category: technical and upkeep measures are the
# state of things, operating measures are behaviour, emergency measures are management.
CATEGORY_BY_CLASSIFY1 = {
    "engineering": "thing",
    "maintenance": "thing",
    "operation": "behaviour",
    "emergency": "management",
}
_ITEM_ID = re.compile(r"CM-([1-9][0-9]*)")


def measure_item_id(measure_id: int) -> str:
    return f"{ITEM_PREFIX}{measure_id}"


def measure_id_from_item(item_id: str) -> int | None:
    """The control measure a risk-controls check item verifies ("CM-12" → 12), else None."""
    if not isinstance(item_id, str):
        return None
    match = _ITEM_ID.fullmatch(item_id)
    return int(match.group(1)) if match else None


def _checkable(measure: dict) -> bool:
    return measure.get("deleted_at") is None and measure["data_source"] == "hazard_inspection"


def build_measure_checklist(
    enterprise_name: str, measures: list[dict], *, version: str = "1"
) -> str:
    """Checklist YAML text: one section per risk unit, one item per checkable measure.

    `measures` are dicts with id, description, check_content, classify1, data_source,
    risk_unit_id, unit_name, event_name and optionally deleted_at; deleted measures and measures
    fed by automatic monitoring are left out. Raises ValueError when no measure is checkable
    (a checklist needs at least one item)."""
    sections: dict[int, dict] = {}
    for measure in sorted(measures, key=lambda m: (m["risk_unit_id"], m["id"])):
        if not _checkable(measure):
            continue
        section = sections.setdefault(
            measure["risk_unit_id"],
            {"id": f"RU-{measure['risk_unit_id']}", "title": measure["unit_name"], "items": []},
        )
        check = (measure.get("check_content") or "").strip()
        section["items"].append(
            {
                "id": measure_item_id(measure["id"]),
                "text": check or measure["description"].strip(),
                "method": ["look"],
                "category": CATEGORY_BY_CLASSIFY1[measure["classify1"]],
                "basis": [
                    {
                        "doc": BASIS_CODE,
                        "clause": f"{measure['unit_name']} / {measure['event_name']}",
                    }
                ],
                "guidance": measure["description"].strip(),
            }
        )
    if not sections:
        raise ValueError("没有可排查的管控措施（数据来源为隐患排查），无法生成检查表。")
    document = {
        "code": CODE,
        "title": f"{enterprise_name} 风险管控措施排查表",
        "industry": "general",
        "version": version,
        "applies_to": APPLIES_TO,
        "description": "由本企业安全风险分级管控清单自动生成：每个检查项对应一条隐患排查类管控措施。",
        "basis": [
            {
                "code": BASIS_CODE,
                "title": f"{enterprise_name} 安全风险分级管控清单",
                "status": "in_force",
            }
        ],
        "sections": list(sections.values()),
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
