"""包保责任 rules: the three accountable persons of a major hazard source and the checks each
duty requires, with the document and clause they come from (pure data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from anxun.inspections.scheduling import online_operation_rate

# 《危险化学品企业重大危险源安全包保责任制办法（试行）》应急厅〔2021〕12号, effective 2021-02-04 for
# three years; what replaced it is not known (reference/domain.md §1.2 and §6), so its duties stay
# as practice and every frequency below is marked for checking against the official text.
BASIS_DOCUMENT = {
    "code": "BB",
    "title": "危险化学品企业重大危险源安全包保责任制办法（试行）",
    "number": "应急厅〔2021〕12号",
}


@dataclass(frozen=True)
class Duty:
    code: str
    label: str
    frequency_every: int
    frequency_unit: str
    frequency_label: str
    clause: str
    verify: str | None


# domain.md §1.2: 主要负责人 ≥1/quarter, 技术负责人 ≥1/month, 操作负责人 ≥1/week [M] — the
# naming of the three persons is confirmed (第三至五条 ✔), the frequencies are not.
DUTIES: tuple[Duty, ...] = (
    Duty("main", "主要负责人", 1, "quarter", "每季度至少一次", "第三条、第八条", "pending"),
    Duty("technical", "技术负责人", 1, "month", "每月至少一次", "第四条、第九条", "pending"),
    Duty("operational", "操作负责人", 1, "week", "每周至少一次", "第五条、第十条", "pending"),
)
DUTY_BY_CODE = {duty.code: duty for duty in DUTIES}
DUTY_LABELS = {duty.code: duty.label for duty in DUTIES}

# The checks a 包保 plan uses unless the planner names others: the hazardous-chemicals checklist's
# section on major hazard source monitoring and accountability (HC-21, HC-21A, HC-22, HC-22A).
DEFAULT_CHECKLIST_CODE = "hazardous-chemicals"
DEFAULT_ITEM_IDS = ("HC-21", "HC-21A", "HC-22", "HC-22A")
INSPECTION_TYPE = "responsibility"


def basis_of(duty: Duty) -> dict:
    """The document and clause a duty's check frequency comes from, with its confidence mark."""
    return {**BASIS_DOCUMENT, "clause": duty.clause, "verify": duty.verify}


def plan_title(object_name: str, duty: Duty) -> str:
    """包保责任排查：1号罐区（技术负责人） — cut to the plan title's 200 characters."""
    return f"包保责任排查：{object_name}（{duty.label}）"[:200]


def completion(counts: dict[str, int]) -> dict:
    """Done on time, late, missed and open counts of a duty's plan, and the share done on time
    of those that fell due (None when none did), rounded as the 在线运行率 is."""
    done, late, missed = counts.get("done", 0), counts.get("late", 0), counts.get("missed", 0)
    due = done + late + missed
    return {
        "done": done,
        "late": late,
        "missed": missed,
        "open": counts.get("open", 0),
        "due": due,
        "rate": online_operation_rate(["done"] * done + ["late"] * late + ["missed"] * missed),
    }
