"""Matrix rows: checklists."""

from tests.api.authz.common import ALL_OK, HC_READ, Row

OWN_CHECKLIST = """code: matrix-own
title: 矩阵测试检查表
industry: general
version: "1"
applies_to: [special]
basis: [{code: QB-01, title: 本公司安全管理制度, status: in_force}]
sections:
  - id: s1
    title: 一
    items:
      - {id: M-01, text: 消防通道畅通, method: look, category: environment,
         basis: [{doc: QB-01, clause: 第一条}]}
"""

ROWS = [
    Row("GET", "/api/v1/checklists", lambda c: "/api/v1/checklists", ALL_OK),
    Row(
        "GET",
        "/api/v1/checklists/<code>",
        lambda c: "/api/v1/checklists/hazardous-chemicals",
        ALL_OK,
    ),
    Row(
        "GET",
        "/api/v1/checklists/<code>/form.pdf",
        lambda c: "/api/v1/checklists/seasonal-holiday/form.pdf",
        ALL_OK,
    ),
    Row(
        "GET",
        "/api/v1/checklists/<code>/export.xlsx",
        lambda c: "/api/v1/checklists/seasonal-holiday/export.xlsx",
        ALL_OK,
    ),
    Row(
        "POST",
        "/api/v1/checklists",
        lambda c: f"/api/v1/checklists?enterprise_id={c['enterprise']['hc']}",
        HC_READ
        | {
            "rectifier-hc": "forbid",
            "regulator": "forbid",
            "regulator-admin": "forbid",
            "auditor": "forbid",
        },
        kwargs=lambda c: {"data": OWN_CHECKLIST.encode(), "content_type": "application/yaml"},
    ),
]
