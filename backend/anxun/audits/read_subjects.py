"""What an auditor's logged request read, in words: the read log shows people "下载 隐患台账（PDF）"
rather than "GET /api/v1/enterprises/3/hazard-ledger.pdf" (issue #13). Pure."""

from __future__ import annotations

# The URL's last named segment → what it holds; the nearest named segment wins.
SUBJECTS = {
    "assessments": "风险评估",
    "audit-runs": "审核记录",
    "categories": "分类",
    "checklists": "检查表",
    "control-measures": "管控措施",
    "diff": "检查表版本差异",
    "enterprises": "企业信息",
    "events": "风险事件",
    "evidence-requests": "远程核查",
    "export": "检查表",
    "follow-ups": "复查记录",
    "form": "检查表",
    "grade": "企业风险等级",
    "hazard-ledger": "隐患台账",
    "hazard-statistics": "隐患统计",
    "hazards": "隐患",
    "history": "历史记录",
    "incidents": "事故报告",
    "inspections": "排查记录",
    "labels": "检查点二维码标签",
    "listings": "挂牌督办",
    "map": "风险四色分布图",
    "measures": "管控措施",
    "media": "照片",
    "notice": "隐患整改通知单",
    "operation-rate": "在线运行率",
    "orders": "整改指令书",
    "patrols": "巡查记录",
    "places": "检查点",
    "plans": "排查计划",
    "record": "排查记录表",
    "rejudge-items": "待重新判定事项",
    "report": "报告",
    "risk-card": "风险告知卡",
    "risk-events": "风险事件",
    "risk-objects": "风险分析对象",
    "risk-register": "风险分级管控清单",
    "risk-units": "风险分析单元",
    "site-plans": "厂区平面图",
    "stop-periods": "停产停业期",
    "tasks": "排查任务",
    "thumb": "照片",
    "transitions": "隐患流转记录",
    "units": "风险分析单元",
    "users": "人员",
    "versions": "检查表版本",
}
FORMATS = {"pdf": "（PDF）", "xlsx": "（Excel）", "png": "（图片）"}
FALLBACK = "企业数据"


def read_subject(method: str, path: str) -> str:
    """ "GET /api/v1/enterprises/3/hazard-ledger.pdf" → "下载 隐患台账（PDF）"."""
    segments = [s for s in path.split("?", 1)[0].split("/") if s]
    for segment in reversed(segments):
        name, dot, extension = segment.partition(".")
        if name in SUBJECTS:
            shown = FORMATS.get(extension, "") if dot else ""
            verb = "下载" if shown else "查看"
            if method.upper() not in ("GET", "HEAD"):
                verb = "操作"
            return f"{verb} {SUBJECTS[name]}{shown}"
    return f"查看 {FALLBACK}" if method.upper() in ("GET", "HEAD") else f"操作 {FALLBACK}"
