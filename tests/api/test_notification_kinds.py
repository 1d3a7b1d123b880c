"""Every notification kind the code writes has a Chinese label, and the API shows it."""

from __future__ import annotations

import ast
from pathlib import Path

import anxun
from anxun.hazards.services import NOTICES
from anxun.notifications.services import KIND_LABELS
from tests.api.test_orders import issue

SOURCE = Path(anxun.__file__).parent
# notify() calls whose kind is not a literal, and where their kinds come from.
DYNAMIC_KINDS = {("hazards/services.py", "notice.kind"): {n.kind for n in NOTICES.values()}}


def notify_kinds() -> tuple[set[str], set[tuple[str, str]]]:
    """Literal kinds passed to notify(...) anywhere in the package, and the non-literal ones."""
    literal, dynamic = set(), set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name != "notify":
                continue
            kind = node.args[2] if len(node.args) > 2 else None
            kind = next((k.value for k in node.keywords if k.arg == "kind"), kind)
            if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                literal.add(kind.value)
            else:
                where = path.relative_to(SOURCE).as_posix()
                dynamic.add((where, ast.unparse(kind) if kind is not None else ""))
    return literal, dynamic


def test_every_kind_passed_to_notify_has_a_label():
    literal, dynamic = notify_kinds()
    assert dynamic <= set(DYNAMIC_KINDS), f"list where these kinds come from: {dynamic}"
    used = literal.union(*(DYNAMIC_KINDS[key] for key in dynamic))
    # The scan sees the hazard, order and incident notifications.
    assert {"reported", "overdue", "order_issued", "order_escalated", "incident_reported"} <= used
    assert sorted(used - set(KIND_LABELS)) == []


def test_order_notifications_are_listed_with_their_labels(client, world, login_as):
    order = issue(client, login_as, world)
    head = login_as("head-hc")
    [received] = client.get("/api/v1/notifications", headers=head).get_json()["items"]
    assert received["kind"] == {"code": "order_issued", "label": "整改指令待签收"}
    assert order["number"] in received["title"]

    signed = client.post(
        f"/api/v1/orders/{order['id']}/acknowledgment",
        json={"expected_state": "issued"},
        headers=head,
    )
    assert signed.status_code == 200, signed.get_json()
    items = client.get("/api/v1/notifications", headers=login_as("regulator")).get_json()["items"]
    assert [n["kind"] for n in items] == [{"code": "order_acknowledged", "label": "整改指令已签收"}]
