"""Pure mapping to the national hazardous-chemicals dual-prevention data chain (domain.md §1.3–1.4).

Entity order, parents first: risk unit → risk event → control measure → check task → check record →
hazard. Field names and code tables are those repeated verbatim across independent implementations of
the national spec [C]; the transport details (encryption, batch receipts) are not confirmed and are not
modelled here.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from anxun.risk.registry.measure_checklist import CODE as MEASURE_CHECKLIST_CODE
from anxun.risk.registry.measure_checklist import measure_id_from_item

CHINA = timezone(timedelta(hours=8))
NAMESPACE = uuid.UUID("6f1c9a52-52d4-4f3e-9d0c-0b1b7a2f6a11")

ENTITY_PATHS = {
    "risk_unit": "sec_security_risk_unit",
    "risk_event": "sec_security_risk_events",
    "control_measure": "sec_security_risk_control_measures",
    "check_task": "sec_hidden_check_mission",
    "check_record": "sec_hidden_check_record",
    "hazard": "sec_hidden_danger_info",
}
# Park spec codes (1 重大 … 4 低); another platform uses 0–3, so endpoints may override.
RISK_CLASS = {"red": 1, "orange": 2, "yellow": 3, "blue": 4}
CLASSIFY1 = {"engineering": 1, "maintenance": 2, "operation": 3, "emergency": 4}
DATA_SRC = {"automatic_monitoring": 1, "hazard_inspection": 2}
DANGER_LEVEL = {"general": 0, "major": 1}
DANGER_STATE = {
    "reported": 0,
    "confirmed": 0,
    "rectifying": 0,
    "pending_verification": 1,
    "awaiting_signoff": 1,
    "closed": 9,
}
# dangerSrc: where the hazard was found. Our inspection types and sources → national codes.
DANGER_SRC = {
    "patrol": 1,
    "daily": 1,
    "weekly": 1,
    "monthly": 1,
    "comprehensive": 2,
    "special": 3,
    "seasonal": 4,
    "holiday": 5,
    "responsibility": 1,
    "agency": 8,
    "direct": 10,
    "regulator": 10,
}
MANAGEMENT_CLASS = {"behaviour": 1, "thing": 2, "management": 3, "environment": 2}
CHECK_CYCLE = {  # our unit → (multiplier, national unit 小时/天/月/年)
    "hour": (1, "小时"),
    "shift": (1, "天"),
    "day": (1, "天"),
    "week": (7, "天"),
    "month": (1, "月"),
    "quarter": (3, "月"),
    "year": (1, "年"),
}
WORK_DAY_TYPE = {"every_day": 0, "workdays": 1, "non_workdays": 2}
WORK_TYPE = {"head": 1, "technical": 2, "operational": 3}


def entity_id(kind: str, local_id) -> str:
    """Stable 32-char id for rows whose own id is an integer (UUIDs are sent as they are)."""
    if isinstance(local_id, uuid.UUID):
        return local_id.hex
    return uuid.uuid5(NAMESPACE, f"anxun:{kind}:{local_id}").hex


def stamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def common(
    company_code: str, created: datetime, updated: datetime, actor: str, deleted: bool
) -> dict:
    return {
        "companyCode": company_code,
        "deleted": 1 if deleted else 0,
        "createDate": stamp(created),
        "createBy": actor,
        "updateDate": stamp(updated),
        "updateBy": actor,
    }


def risk_unit(unit: dict, company_code: str, risk_class=RISK_CLASS) -> dict:
    level = unit.get("level")
    return {
        "id": entity_id("risk_unit", unit["id"]),
        "hazardCode": unit["hazard_code"],
        "hazardDep": unit["department"],
        "hazardLiablePerson": unit["responsible_name"],
        "riskUnitName": unit["name"],
        "riskClass": risk_class.get(level) if level else None,
        **common(
            company_code, unit["created_at"], unit["updated_at"], unit["actor"], unit["deleted"]
        ),
    }


def risk_event(event: dict, company_code: str) -> dict:
    return {
        "id": entity_id("risk_event", event["id"]),
        "riskUnitId": entity_id("risk_unit", event["risk_unit_id"]),
        "riskEventName": event["name"],
        **common(
            company_code, event["created_at"], event["updated_at"], event["actor"], event["deleted"]
        ),
    }


def control_measure(measure: dict, company_code: str) -> dict:
    return {
        "id": entity_id("control_measure", measure["id"]),
        "riskEventId": entity_id("risk_event", measure["risk_event_id"]),
        "dataSrc": DATA_SRC[measure["data_source"]],
        "riskMeasureDesc": measure["description"],
        "classify1": CLASSIFY1[measure["classify1"]],
        "classify2": measure["classify2"],
        "classify3": measure["classify3"],
        "troubleshootContent": measure["check_content"] or measure["description"],
        **common(
            company_code,
            measure["created_at"],
            measure["updated_at"],
            measure["actor"],
            measure["deleted"],
        ),
    }


def check_task(plan: dict, company_code: str, measure_id: int | None) -> dict:
    multiplier, unit = CHECK_CYCLE[plan["frequency_unit"]]
    hourly = plan["frequency_unit"] == "hour"
    return {
        "id": entity_id("check_task", plan["id"]),
        "riskMeasureId": entity_id("control_measure", measure_id) if measure_id else None,
        "troubleshootContent": plan["title"],
        "checkCycle": plan["frequency_every"] * multiplier,
        "checkCycleUnit": unit,
        "taskStartTime": stamp(plan["anchor_at"]),
        "workStartTime": plan["work_start"].strftime("%H:%M:%S") if hourly else None,
        "workEndTime": plan["work_end"].strftime("%H:%M:%S") if hourly else None,
        "workDayType": WORK_DAY_TYPE[plan["day_type"]],
        "workType": 0,
        "taskNum": None,
        **common(
            company_code, plan["created_at"], plan["created_at"], plan["actor"], not plan["active"]
        ),
    }


def check_record(record: dict, company_code: str, plan_id: int | None) -> dict:
    return {
        "id": entity_id("check_record", record["id"]),
        "checkTaskId": entity_id("check_task", plan_id) if plan_id else None,
        "checkTime": stamp(record["finished_at"]),
        "checkStatus": 1 if record["failed"] else 0,
        "mobileMe": record["device_id"],
        "isDefend": 1 if record["inspection_type"] == "responsibility" else 0,
        "createByMobile": record["inspector_phone"],
        "updateByMobile": record["inspector_phone"],
        **common(
            company_code, record["received_at"], record["received_at"], record["actor"], False
        ),
    }


def hazard(item: dict, company_code: str) -> dict:
    """One sec_hidden_danger_info record."""
    state = item["state"]
    funds = item["funds"]
    return {
        "id": entity_id("hazard", item["id"]),
        "hazardCode": item["hazard_code"],
        "riskMeasureId": entity_id("control_measure", item["control_measure_id"])
        if item["control_measure_id"]
        else None,
        "checkRecordId": entity_id("check_record", item["inspection_id"])
        if item["inspection_id"]
        else None,
        "dangerName": item["title"],
        "dangerLevel": DANGER_LEVEL[item["level"] or item["proposed_level"]],
        "registTime": stamp(item["reported_at"]),
        "registrant": item["reporter_name"],
        "dangerSrc": DANGER_SRC.get(item["found_by"], 10),
        "enforcementId": item.get("enforcement_id"),
        "dangerManageType": 0 if item["is_fixed_on_spot"] else 1,
        "hazardDangerType": 8,
        "hazardCategory": 0,
        "dangerDesc": item["description"] or item["title"],
        "dangerReason": item.get("reason") or "",
        "controlMeasures": item["measures"] or "",
        "cost": float(funds) / 10000 if funds is not None else None,  # 万元
        "liablePerson": item["responsible_name"] or "",
        "dangerManageDeadline": item["deadline"].isoformat() + " 00:00:00"
        if item["deadline"]
        else None,
        "checkAcceptPerson": item["verifier_name"] if state == "closed" else None,
        "checkAcceptTime": stamp(item["closed_at"]) if state == "closed" else None,
        "checkAcceptComment": item.get("accept_comment") if state == "closed" else None,
        "dangerState": DANGER_STATE.get(state, 0),
        "managementClassification": MANAGEMENT_CLASS.get(item["category"] or "thing", 2),
        "occurrenceLink": None,
        **common(
            company_code,
            item["reported_at"],
            item["updated_at"],
            item["actor"],
            state == "rejected",
        ),
    }


ORDER = ["risk_unit", "risk_event", "control_measure", "check_task", "check_record", "hazard"]
# The only risk-object field any national record carries (risk_unit.hazardCode).
OBJECT_FIELDS_IN_CHAIN = frozenset({"hazard_code"})


def chain(records: dict) -> list[tuple[str, dict]]:
    """(entity, record) pairs in the order the platform requires: parents before children."""
    return [(kind, records[kind]) for kind in ORDER if records.get(kind) is not None]


def batches(records: dict[str, list[dict]]) -> list[tuple[str, list[dict]]]:
    """(entity, records) pairs, parents before children, one batch per entity endpoint; empty
    entities are left out and each batch keeps its records' order."""
    return [(kind, list(records[kind])) for kind in ORDER if records.get(kind)]


def object_change_reaches_chain(action: str, changed_fields: list[str]) -> bool:
    """Whether a risk-object change alters any national record (those of its units).

    The chain has no risk-object entity (domain.md §1.2–1.3: the upload starts at
    sec_security_risk_unit with the object's hazardCode): a new object has no units yet, an update
    matters only when it changes the hazard code the units carry, a delete removes the units with
    it (the registry deletes an object's units in the same soft delete)."""
    if action == "delete":
        return True
    if action == "update":
        return bool(OBJECT_FIELDS_IN_CHAIN & set(changed_fields))
    return False


def checked_measures(checklist_code: str, owned: bool, answers: list[tuple[str, str]]) -> list[int]:
    """Control measures an inspection checked, the one a check task should name first.

    Only the enterprise's own checklist generated from its register (risk-controls, items
    "CM-<measure id>") checks control measures; any other checklist checks none, and the national
    chain only knows checks of control measures (sec_hidden_check_mission.riskMeasureId). `answers`
    are (item id, result) pairs in checklist order; failed checks come first (the measure a
    hazard raised by this inspection is bound to), then the rest in checklist order."""
    if checklist_code != MEASURE_CHECKLIST_CODE or not owned:
        return []
    failed, other = [], []
    for item_id, result in answers:
        measure_id = measure_id_from_item(item_id)
        if measure_id is None or measure_id in failed or measure_id in other:
            continue
        (failed if result == "fail" else other).append(measure_id)
    return failed + other
