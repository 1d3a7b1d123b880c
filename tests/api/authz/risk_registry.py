"""Matrix rows: the risk registry (object → unit → event → measure), register, Excel, checklist."""

from tests.api.authz.common import HC_READ, Row, unique
from tests.factories_risk import (
    event_payload,
    measure_payload,
    object_payload,
    unit_payload,
    upload,
    xlsx_bytes,
)

# Head and safety officer of hc (and platform admins) keep its registry; others only read it.
HC_KEEPERS = HC_READ | {
    "rectifier-hc": "forbid",
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
}
HC_REGISTER = "/api/v1/enterprises/<int:enterprise_id>/risk-register"


def _tree(world):
    from anxun.extensions import db
    from tests.factories_risk import make_tree

    ids = make_tree(world["enterprise"]["hc"])
    db.session.commit()
    return {"tree": ids}


def _hc(ctx):
    return ctx["enterprise"]["hc"]


def _major_source(world):
    from anxun.extensions import db
    from anxun.risk.models import RiskObject

    obj = RiskObject(enterprise_id=world["enterprise"]["hc"], name="矩阵重大危险源")
    obj.is_major_hazard_source = True
    db.session.add(obj)
    db.session.commit()
    return {"major_source": obj.id}


def _sheet(ctx):
    headers = [
        "风险分析对象",
        "风险分析单元",
        "安全风险事件",
        "管控措施",
        "措施分类一",
        "措施分类二",
    ]
    n = next(unique)
    row = [f"矩阵对象{n}", "单元", "泄漏", "定期巡检", "维护保养", "2-2"]
    return upload(xlsx_bytes([row], headers))


def _crud(rule_parent, parent_key, item_rule, item_key, payload, patch):
    """Rows for GET/POST on a child collection and GET/PATCH/DELETE on one item; the keys name
    the path parameter (`<int:object_id>` → "object") and the row of the setup tree."""
    parent_url = rule_parent.replace(f"<int:{parent_key}_id>", "{}")
    item_url = item_rule.replace(f"<int:{item_key}_id>", "{}")

    def parent(ctx):
        return parent_url.format(
            _hc(ctx) if parent_key == "enterprise" else ctx["tree"][parent_key]
        )

    def item(ctx):
        return item_url.format(ctx["tree"][item_key])

    return [
        Row("GET", rule_parent, parent, HC_READ, setup=_tree),
        Row("POST", rule_parent, parent, HC_KEEPERS, json=lambda c: payload(), setup=_tree),
        Row("GET", item_rule, item, HC_READ, setup=_tree),
        Row("PATCH", item_rule, item, HC_KEEPERS, json=lambda c: patch, setup=_tree),
        Row("DELETE", item_rule, item, HC_KEEPERS, setup=_tree),
    ]


ROWS = [
    *_crud(
        "/api/v1/enterprises/<int:enterprise_id>/risk-objects",
        "enterprise",
        "/api/v1/risk-objects/<int:object_id>",
        "object",
        object_payload,
        {"description": "矩阵测试"},
    ),
    *_crud(
        "/api/v1/risk-objects/<int:object_id>/units",
        "object",
        "/api/v1/risk-units/<int:unit_id>",
        "unit",
        unit_payload,
        {"department": "矩阵测试部"},
    ),
    *_crud(
        "/api/v1/risk-units/<int:unit_id>/events",
        "unit",
        "/api/v1/risk-events/<int:event_id>",
        "event",
        event_payload,
        {"consequence": "矩阵测试"},
    ),
    *_crud(
        "/api/v1/risk-events/<int:event_id>/measures",
        "event",
        "/api/v1/control-measures/<int:measure_id>",
        "measure",
        measure_payload,
        {"check_content": "矩阵测试"},
    ),
    Row("GET", HC_REGISTER, lambda c: f"/api/v1/enterprises/{_hc(c)}/risk-register", HC_READ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/accountability",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/accountability?from=2026-01-01&to=2026-03-31",
        HC_READ,
        setup=_major_source,
    ),
    Row(
        "PUT",
        "/api/v1/risk-objects/<int:object_id>/accountable-persons",
        lambda c: f"/api/v1/risk-objects/{c['major_source']}/accountable-persons",
        HC_KEEPERS,
        json=lambda c: {"main_user_id": c["users"]["head-hc"]},
        setup=_major_source,
    ),
    Row(
        "GET",
        HC_REGISTER + ".xlsx",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/risk-register.xlsx",
        HC_READ,
        setup=_tree,
    ),
    Row(
        "POST",
        HC_REGISTER + "/import",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/risk-register/import",
        HC_KEEPERS,
        kwargs=_sheet,
    ),
    Row(
        "POST",
        HC_REGISTER + "/publish-checklist",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/risk-register/publish-checklist",
        HC_KEEPERS,
        setup=_tree,
    ),
]
