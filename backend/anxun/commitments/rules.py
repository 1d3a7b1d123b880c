"""Pure rules of the daily safety commitment: kinds of special work, hazard-source states,
lateness against the cut-off, the day's status and the pre-filled form."""

from __future__ import annotations

from datetime import date, datetime, time

# 安全承诺 fields of the national hazchem data chain (domain.md §1.3): counts of special work by
# kind and grade (GB 30871—2022), maintenance and contractor jobs, start-up/shut-down, trial run.
SPECIAL_WORK_KINDS = {
    "hot_work_special": "特级动火作业",
    "hot_work_first": "一级动火作业",
    "hot_work_second": "二级动火作业",
    "confined_space": "受限空间作业",
    "blinding": "盲板抽堵作业",
    "height": "高处作业",
    "lifting": "吊装作业",
    "temporary_power": "临时用电作业",
    "excavation": "动土作业",
    "road_closure": "断路作业",
}
SOURCE_STATUS_LABELS = {"running": "正常运行", "stopped": "停用", "maintenance": "检维修"}
GRADE_LABELS = {"major": "重大风险", "high": "较大风险", "moderate": "一般风险", "low": "低风险"}
STATUS_LABELS = {
    "on_time": "已按时承诺",
    "late": "迟报",
    "missing": "未承诺",
    "pending": "待承诺",
}
DEFAULT_CUTOFF = time(9, 0)
# The usual wording of the announcement (安全承诺公告), kept editable by the head.
DEFAULT_CONTENT = (
    "今天我公司已进行安全风险研判，各项安全风险防控措施已落实到位，"
    "我承诺所有生产装置处于安全运行状态，罐区、仓库等重大危险源安全风险得到有效管控。"
)


def parse_cutoff(text: str) -> time:
    """'HH:MM' → time (ValueError otherwise)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def is_late(signed_local: datetime, commit_date: date, cutoff: time) -> bool:
    """Signed after the day's cut-off (or on a later day)."""
    return (signed_local.date(), signed_local.time()) > (commit_date, cutoff)


def day_status(signed: bool, late: bool, now_local: datetime, day: date, cutoff: time) -> str:
    """on_time / late / missing (cut-off passed, none signed) / pending (still time)."""
    if signed:
        return "late" if late else "on_time"
    if (now_local.date(), now_local.time()) > (day, cutoff):
        return "missing"
    return "pending"


def risk_grade(open_major_hazards: int, sources: list[dict], work: dict[str, int]) -> str:
    """The day's self-assessed risk: major with an open major hazard, high with special-grade hot
    work or a source under maintenance, moderate with any special work, otherwise low."""
    if open_major_hazards:
        return "major"
    if work.get("hot_work_special") or any(s["status"] == "maintenance" for s in sources):
        return "high"
    if any(work.values()):
        return "moderate"
    return "low"


def prefill(
    yesterday: dict | None, registry_sources: list[dict], work: dict[str, int], open_major: int
) -> dict:
    """Today's form: sources from the registry (status carried over from yesterday), special work
    counted from today's permits, open major hazards, text and flags from yesterday."""
    previous = {
        s["risk_object_id"]: s["status"] for s in (yesterday or {}).get("hazard_sources", [])
    }
    sources = [
        {**s, "status": previous.get(s["risk_object_id"], "running")} for s in registry_sources
    ]
    counts = {kind: int(work.get(kind, 0)) for kind in SPECIAL_WORK_KINDS}
    base = yesterday or {}
    return {
        "hazard_sources": sources,
        "special_work": counts,
        "maintenance_jobs": base.get("maintenance_jobs", 0),
        "contractor_jobs": base.get("contractor_jobs", 0),
        "is_startup": False,
        "is_shutdown": False,
        "is_trial_run": base.get("is_trial_run", False),
        "open_major_hazards": open_major,
        "content": base.get("content") or DEFAULT_CONTENT,
        "risk_grade": risk_grade(open_major, sources, counts),
    }


def work_key(kind: str, grade: str) -> str:
    """A permit's kind (and, for hot work, its grade) as a commitment count key."""
    return f"hot_work_{grade}" if kind == "hot_work" else kind
