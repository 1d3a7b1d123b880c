"""The campaign's Excel export (per enterprise) and its summary report PDF (总结报告)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from anxun.campaigns.models import Campaign
from anxun.extensions import db
from anxun.orgs.models import Regulator
from anxun.reports.render import chinese_date, render_pdf
from anxun.reports.xlsx import style_table

HEADERS = [
    "企业名称",
    "行政区划",
    "行业",
    "完成情况",
    "完成时间",
    "发现隐患",
    "重大隐患",
    "未闭环隐患",
    "超期隐患",
    "零隐患",
    "主要负责人",
    "联系电话",
]


def export_xlsx(campaign: Campaign, view: dict) -> bytes:
    """One row per target enterprise, then a sheet of figures by region and industry."""
    book = Workbook()
    sheet = book.active
    sheet.title = "企业明细"
    sheet.append([f"{campaign.title}（{campaign.document_no or '无文号'}）"])
    sheet.append(HEADERS)
    for row in view["enterprises"]:
        sheet.append(
            [
                row["enterprise"]["name"],
                row["region"]["name"],
                "、".join(i["label"] for i in row["industries"]),
                row["completion"]["label"],
                row["done_at"].strftime("%Y-%m-%d %H:%M") if row["done_at"] else "",
                row["hazards"],
                row["major_hazards"],
                row["open_hazards"],
                row["overdue_hazards"],
                "是" if row["is_zero_hazard"] else "",
                row["head_name"],
                row["head_phone"],
            ]
        )
    style_table(sheet, 2, [28, 12, 16, 10, 17, 9, 9, 10, 9, 7, 10, 14], "B3")
    figures = book.create_sheet("分组统计")
    figures.append(["分组", "名称", "对象数", "按期完成", "逾期完成", "未完成", "自查中", "完成率"])
    for kind, groups in (("行政区划", view["by_region"]), ("行业", view["by_industry"])):
        for g in groups:
            figures.append(
                [
                    kind,
                    g["label"],
                    g["targets"],
                    g["on_time"],
                    g["late"],
                    g["not_done"],
                    g["open"],
                    f"{g['rate'] * 100:.1f}%" if g["rate"] is not None else "",
                ]
            )
    style_table(figures, 1, [10, 16, 8, 9, 9, 8, 8, 9], "A2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def summary_pdf(campaign: Campaign, view: dict) -> bytes:
    """总结报告: the figures a bureau files upward, with the laggards and 零隐患 enterprises."""
    regulator = db.session.get(Regulator, campaign.regulator_id)
    period = f"{chinese_date(campaign.self_check_start)}至{chinese_date(campaign.follow_up_end)}"
    return render_pdf(
        "campaign_summary.html",
        {"campaign": campaign, "view": view, "regulator": regulator},
        title=f"{campaign.title}总结报告",
        org_name=regulator.name,
        period=period,
    )
