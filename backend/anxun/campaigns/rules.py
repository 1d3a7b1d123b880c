"""Pure campaign rules: stages, completion by the self-check deadline, self-check vs inspector
differences, the campaign checklist written in the desk, and the 举一反三 notice text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import yaml

STAGE_LABELS = {
    "self_check": "企业自查自改",
    "supervision": "部门督导检查",
    "follow_up": "回头看",
}
STATE_LABELS = {"draft": "草稿", "running": "进行中", "closed": "已结束"}
SUPERVISOR_LABELS = {"regulator": "本部门执法人员", "agency": "受委托的第三方机构"}
COMPLETION_LABELS = {
    "on_time": "按期完成",
    "late": "逾期完成",
    "not_done": "未完成",
    "open": "自查中",
}
# What the inspector of a stage is called in a difference's wording.
CHECKER_WORDS = {"supervision": "督查", "follow_up": "回头看"}
RESULT_WORDS = {"pass": "合格", "fail": "不合格", "na": "不适用"}
SIZE_CLASSES = ("large", "medium", "small", "micro")
CHECKLIST_CODE_PREFIX = "campaign-"
NOTICE_BASIS_CODE = "NOTICE"


@dataclass(frozen=True)
class Stages:
    """The three stage windows of a campaign (local dates, inclusive)."""

    self_check_start: date
    self_check_end: date
    supervision_start: date
    supervision_end: date
    follow_up_start: date
    follow_up_end: date


def stage_problems(stages: Stages) -> list[tuple[str, str]]:
    """(field, message) for stage dates out of order; empty when they follow each other."""
    order = [
        ("self_check_start", stages.self_check_start),
        ("self_check_end", stages.self_check_end),
        ("supervision_start", stages.supervision_start),
        ("supervision_end", stages.supervision_end),
        ("follow_up_start", stages.follow_up_start),
        ("follow_up_end", stages.follow_up_end),
    ]
    problems = []
    for (_, earlier), (name, later) in zip(order, order[1:], strict=False):
        if later < earlier:
            problems.append((name, "各阶段日期须依次排列：自查自改 → 督导检查 → 回头看。"))
    return problems


def current_stage(stages: Stages, today: date) -> str | None:
    """The stage `today` falls in (None before the campaign, between stages or after it)."""
    if stages.self_check_start <= today <= stages.self_check_end:
        return "self_check"
    if stages.supervision_start <= today <= stages.supervision_end:
        return "supervision"
    if stages.follow_up_start <= today <= stages.follow_up_end:
        return "follow_up"
    return None


def completion(done_on: date | None, deadline: date, today: date) -> str:
    """on_time / late (done after the self-check deadline) / not_done (deadline passed) / open."""
    if done_on is not None:
        return "on_time" if done_on <= deadline else "late"
    return "not_done" if today > deadline else "open"


def differences(stage: str, own: dict[str, str | None], checked: dict[str, str]) -> list[dict]:
    """Item by item where the inspector's result differs from the enterprise's self-check.

    own: {item_id: result or None (not self-checked)}; checked: {item_id: result}. Items the
    inspector marked na are not compared."""
    checker = CHECKER_WORDS[stage]
    rows = []
    for item_id, result in checked.items():
        mine = own.get(item_id)
        if result == "na" or mine == result:
            continue
        if mine == "na" and result == "pass":
            continue
        rows.append(
            {
                "item_id": item_id,
                "self_result": mine,
                "check_result": result,
                "label": ("未自查" if mine is None else f"自查{RESULT_WORDS[mine]}")
                + f"、{checker}{RESULT_WORDS[result]}",
                "is_missed_by_self_check": result == "fail",
            }
        )
    return rows


def campaign_checklist_yaml(
    code: str,
    title: str,
    industry: str,
    version: str,
    notice: dict,
    items: list[str],
) -> str:
    """A short checklist written for one campaign, in the checklist YAML format; every item cites
    the campaign notice (notice: title, number, issuer)."""
    doc = {
        "code": code,
        "title": title,
        "industry": industry,
        "version": version,
        "applies_to": ["special"],
        "description": f"专项整治检查表，依据{notice['title']}（{notice['number']}）。",
        "basis": [
            {
                "code": NOTICE_BASIS_CODE,
                "title": notice["title"],
                "number": notice["number"],
                "issuer": notice["issuer"],
                "status": "in_force",
            }
        ],
        "sections": [
            {
                "id": "S1",
                "title": "专项检查内容",
                "items": [
                    {
                        "id": f"C-{n:02d}",
                        "text": text,
                        "method": "look",
                        "category": "management",
                        "basis": [{"doc": NOTICE_BASIS_CODE, "clause": "检查内容"}],
                    }
                    for n, text in enumerate(items, start=1)
                ],
            }
        ],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def analogy_notice(
    category_label: str, occurred_at: datetime, industry_label: str, cause_texts: list[str]
) -> str:
    """The notice of a 举一反三 campaign: quotes the incident in neutral words (no enterprise name,
    no people), then asks the same-industry enterprises to check the cause items."""
    causes = "；".join(cause_texts)
    return (
        f"{occurred_at.year}年{occurred_at.month}月{occurred_at.day}日，本辖区一家"
        f"{industry_label}企业发生一起{category_label}事故。为深刻汲取事故教训，做到"
        f"“一厂出事故、千厂受教育”，请辖区同行业企业对照下列内容举一反三开展自查自改："
        f"{causes}。发现隐患的，按规定登记并限期整改。"
    )


def is_zero_hazard(done: bool, hazards_found: int) -> bool:
    """零隐患: a completed self-check that reported nothing, a sign worth a call."""
    return done and hazards_found == 0
