"""The printable 责令限期整改指令书 of a rectification order, with its 签收 block once acknowledged."""

from __future__ import annotations

from anxun.accounts.models import User
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import LEVEL_LABELS
from anxun.orgs.models import Enterprise, Regulator
from anxun.oversight.models import Patrol, RectificationOrder
from anxun.oversight.patrols.orders import PATROL_MODE_LABELS, review_authority
from anxun.reports.documents import local
from anxun.reports.render import chinese_date, render_pdf


def basis_text(ref: dict) -> str:
    """{document, clause} as 《中华人民共和国安全生产法》第六十五条."""
    document = (ref.get("document") or "").strip()
    if document and not document.startswith("《"):
        document = f"《{document}》"
    return f"{document}{(ref.get('clause') or '').strip()}"


def _name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.display_name if user else "—"


def _officers(order: RectificationOrder) -> list[dict]:
    """Both enforcement officers with their 执法证号 as kept on the order when it was issued; an
    order from before the two-officer rule keeps a blank line for the second one, to be filled
    in by hand."""
    kept = order.officers or [
        {
            "display_name": user.display_name,
            "enforcement_certificate_no": user.enforcement_certificate_no,
        }
        for user_id in (order.issued_by_user_id, order.co_officer_user_id)
        if user_id is not None and (user := db.session.get(User, user_id)) is not None
    ]
    shown = [
        {
            "name": officer.get("display_name") or "",
            "certificate_no": (officer.get("enforcement_certificate_no") or "").strip() or "　" * 8,
        }
        for officer in kept
    ]
    return (shown + [{"name": "", "certificate_no": "　" * 8}] * 2)[: max(2, len(shown))]


def _source(order: RectificationOrder) -> str:
    patrol = db.session.get(Patrol, order.patrol_id) if order.patrol_id else None
    if patrol is None:
        return "检查"
    words = PATROL_MODE_LABELS.get(patrol.mode, "检查")
    if patrol.engagement_id is not None:
        words = f"委托第三方机构{words}"
    return words


def order_context(order: RectificationOrder) -> dict:
    """Template context of rectification_order.html."""
    enterprise = db.session.get(Enterprise, order.enterprise_id)
    regulator = db.session.get(Regulator, order.regulator_id)
    items = []
    for item in order.items:
        hazard = db.session.get(Hazard, item.hazard_id) if item.hazard_id else None
        items.append(
            {
                "position": item.position,
                "text": item.text,
                "level": LEVEL_LABELS.get(hazard.level) if hazard and hazard.level else "",
                "basis": [basis_text(ref) for ref in item.basis or []],
            }
        )
    receipt = None
    if order.acknowledged_at is not None:
        receipt = {
            "by": _name(order.acknowledged_by_user_id),
            "on": chinese_date(local(order.acknowledged_at).date()),
            "note": order.acknowledgment_note,
        }
    issued = local(order.issued_at)
    return {
        "order": {
            "number": order.number,
            "enterprise": enterprise.name,
            "regulator": regulator.name,
            "source": _source(order),
            "deadline": chinese_date(order.deadline),
            "requirements": order.requirements,
            "issued_on": chinese_date(issued.date()),
            "review_authority": review_authority(regulator.name),
            "escalated_on": chinese_date(local(order.escalated_at).date())
            if order.escalated_at
            else None,
        },
        "officers": _officers(order),
        "items": items,
        "basis": [basis_text(ref) for ref in order.basis or []],
        "receipt": receipt,
    }


def order_pdf(order: RectificationOrder) -> bytes:
    context = order_context(order)
    return render_pdf(
        "rectification_order.html",
        context,
        title="责令限期整改指令书",
        org_name=context["order"]["regulator"],
        period=order.number,
    )
