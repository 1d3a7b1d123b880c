"""Pure rules for incident reports: categories, the quick-report time limit, digests, timelines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

# The 20 categories of GB 6441-1986《企业职工伤亡事故分类》(附录A 事故类别). Not in our reference
# notes (domain.md), so the list is marked unverified until checked against the standard's text.
CATEGORY_BASIS = {
    "title": "GB 6441-1986《企业职工伤亡事故分类》附录A",
    "verified": False,
    "verify": "pending: 类别名称与顺序待核对标准原文",
}
CATEGORIES: dict[str, str] = {
    "object_strike": "物体打击",
    "vehicle": "车辆伤害",
    "machinery": "机械伤害",
    "lifting": "起重伤害",
    "electric_shock": "触电",
    "drowning": "淹溺",
    "burn_scald": "灼烫",
    "fire": "火灾",
    "fall_from_height": "高处坠落",
    "collapse": "坍塌",
    "roof_fall": "冒顶片帮",
    "water_inrush": "透水",
    "blasting": "放炮",
    "explosive_explosion": "火药爆炸",
    "gas_explosion": "瓦斯爆炸",
    "boiler_explosion": "锅炉爆炸",
    "vessel_explosion": "容器爆炸",
    "other_explosion": "其他爆炸",
    "poisoning_asphyxiation": "中毒和窒息",
    "other_injury": "其他伤害",
}

# The time limit for the first report. Our reference confirms only Art 3 of the regulation, so the
# one-hour rule of its Art 9 is data marked unverified; the limit itself is configurable
# (ANXUN_INCIDENT_QUICK_REPORT_MINUTES).
QUICK_REPORT_BASIS = {
    "title": "《生产安全事故报告和调查处理条例》（国务院令第493号）第九条",
    "note": "事故发生后，单位负责人应当于1小时内向事故发生地县级以上人民政府安全生产监督管理部门和"
    "负有安全生产监督管理职责的有关部门报告",
    "verified": False,
    "verify": "pending: 参考资料仅核实第三条",
}

REPORT_KIND_LABELS = {"quick": "快报", "follow_up": "续报"}

# A rise in casualties must be reported again (补报). Our reference confirms only Art 3 of the
# regulation, so Art 13 is data marked unverified.
ESCALATION_BASIS = {
    "title": "《生产安全事故报告和调查处理条例》（国务院令第493号）第十三条",
    "note": "自事故发生之日起30日内，事故造成的伤亡人数发生变化的，应当及时补报。"
    "道路交通事故、火灾事故自发生之日起7日内，事故造成的伤亡人数发生变化的，应当及时补报。",
    "verified": False,
    "verify": "pending: 参考资料仅核实第三条",
}
SUPPLEMENT_DAYS = 30
CASUALTY_FIELDS = ("deaths", "injuries", "missing")
CASUALTY_LABELS = {"deaths": "死亡", "injuries": "受伤", "missing": "失踪"}


def category_list() -> list[dict]:
    """The categories in the standard's order as {code, label}."""
    return [{"code": code, "label": label} for code, label in CATEGORIES.items()]


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end` (negative if `end` is earlier)."""
    return int((end - start) // timedelta(minutes=1))


def is_late(occurred_at: datetime, first_reported_at: datetime, limit_minutes: int) -> bool:
    """A quick report that reached the server more than `limit_minutes` after the incident."""
    return first_reported_at - occurred_at > timedelta(minutes=limit_minutes)


def payload_digest(payload: Mapping) -> str:
    """SHA-256 of the canonical JSON of a submitted payload (for replays under the same UUID)."""
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def timeline(occurred_at: datetime, reports: Iterable[Mapping]) -> list[dict]:
    """The incident's events in order: occurrence, then each report with minutes since occurrence.

    Each report mapping has `kind`, `sequence` and `submitted_at`.
    """
    events = [{"event": "occurred", "label": "事故发生", "at": occurred_at, "minutes": 0}]
    for report in sorted(reports, key=lambda r: r["sequence"]):
        label = REPORT_KIND_LABELS[report["kind"]]
        if report["kind"] == "follow_up":
            label = f"第{report['sequence'] - 1}次续报"
        events.append(
            {
                "event": report["kind"],
                "label": label,
                "sequence": report["sequence"],
                "at": report["submitted_at"],
                "minutes": minutes_between(occurred_at, report["submitted_at"]),
            }
        )
    return events


def escalations(occurred_at: datetime, reports: Iterable[Mapping]) -> list[dict]:
    """Follow-ups whose casualty numbers rose against the report before them (补报, 第十三条).

    Each report mapping has `sequence`, `submitted_at`, `deaths`, `injuries` and `missing`. Each
    result names the report, the counts that rose as {field: [before, after]}, and whether it came
    within the 30 days of Art 13 (measured from the occurrence).
    """
    found = []
    previous = None
    for report in sorted(reports, key=lambda r: r["sequence"]):
        if previous is not None:
            rose = {
                name: [previous[name], report[name]]
                for name in CASUALTY_FIELDS
                if report[name] > previous[name]
            }
            if rose:
                found.append(
                    {
                        "sequence": report["sequence"],
                        "at": report["submitted_at"],
                        "increases": rose,
                        "summary": "，".join(
                            f"{CASUALTY_LABELS[name]} {before}→{after} 人"
                            for name, (before, after) in rose.items()
                        ),
                        "within_supplement_window": report["submitted_at"] - occurred_at
                        <= timedelta(days=SUPPLEMENT_DAYS),
                    }
                )
        previous = report
    return found
