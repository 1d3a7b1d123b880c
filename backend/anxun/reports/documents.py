"""Printable documents of the hazard loop: inspection record, rectification notice, ledger, statistics."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import exists, func, or_, select

from anxun.accounts.models import User
from anxun.checklists.citations import paper_citation, paper_citations
from anxun.checklists.export import SHORT_HASH, limit_text, number_text
from anxun.checklists.loader import INSPECTION_TYPE_LABELS, iter_items, profile_item_ids
from anxun.checklists.models import ChecklistVersion
from anxun.core import clock, storage
from anxun.core.auth import Actor
from anxun.core.errors import NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards import workflow
from anxun.hazards.models import Hazard, HazardTransition
from anxun.hazards.queries import CATEGORY_LABELS, REPORT_LABEL, step_evidence
from anxun.inspections.codes import verification_code
from anxun.inspections.models import SOURCE_LABELS as INSPECTION_SOURCE_LABELS
from anxun.inspections.models import (
    Inspection,
    InspectionPlan,
    Media,
    Place,
    TaskOccurrence,
)
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.oversight.numbering import document_number
from anxun.reports import statistics
from anxun.reports.ledger import ledger_xlsx
from anxun.reports.render import chinese_date, chinese_moment, render_pdf

RESULT_LABELS = {"pass": "合格", "fail": "不合格", "na": "不适用"}
# The ledger's 来源 column (隐患台账).
LEDGER_SOURCE_LABELS = {
    "self_inspection": "排查",
    "direct": "直接上报",
    "regulator": "监管",
    "agency": "第三方",
}
LEDGER_LEVEL_LABELS = {"general": "一般", "major": "重大"}
UNCONFIRMED = "待确认"
NONE = "—"
# The type word of the enterprise's 隐患整改通知单 series (澄化隐改〔2026〕12号).
NOTICE_TYPE_WORD = "隐改"
MSG_INSPECTION_NOT_FOUND = "未找到该检查记录，或您无权查看。"
MSG_HAZARD_NOT_FOUND = "未找到该隐患，或您无权查看。"
MSG_RANGE = "开始日期不能晚于结束日期。"
MSG_FUTURE_PERIOD = "该统计期尚未开始。"
# 16号令 on the quarterly and annual statistics; the article (第十四条) is not yet confirmed, so
# paper prints the document alone (citations.py) while the data keeps the pending mark.
FILING_DOCUMENTS = {
    "SAWS16": {
        "title": "安全生产事故隐患排查治理暂行规定",
        "number": "国家安全生产监督管理总局令第16号",
    }
}
FILING_REF = {"doc": "SAWS16", "clause": "第十四条", "verify": "pending"}
FILING_BASIS = paper_citation(FILING_REF, FILING_DOCUMENTS)


# ---- shared helpers ------------------------------------------------------------------------


def media_root() -> Path:
    """Where photos live: ANXUN_MEDIA_DIR, or <INSTANCE_PATH>/media when unset."""
    instance = Path(current_app.config["INSTANCE_PATH"])
    configured = current_app.config.get("ANXUN_MEDIA_DIR") or ""
    return instance / configured if configured else instance / "media"


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(clock.CHINA_TZ) if moment is not None else None


def local_text(moment: datetime | None) -> str:
    """A UTC moment as Beijing time, e.g. "2026年11月25日 10:30"."""
    return chinese_moment(moment) if moment is not None else NONE


def date_text(day: date | None) -> str:
    """A date as formal documents write it, e.g. "2026年12月14日"."""
    return chinese_date(day) if day is not None else NONE


def funds_text(funds: Decimal | None) -> str:
    """Funds as stored (元), e.g. "12000.00 元"."""
    return f"{funds} 元" if funds is not None else NONE


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.CHINA_TZ)


def _user_names(user_ids) -> dict[int, str]:
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {key: value for key, value in rows}


def _place_names(place_ids) -> dict[int, str]:
    wanted = {p for p in place_ids if p is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Place.id, Place.name).where(Place.id.in_(wanted)))
    return {key: value for key, value in rows}


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def photos(enterprise_id: int, ids, root: Path) -> list[dict]:
    """Photos to embed, in the given order: a file:// URI, or `missing` when the file is gone.

    Only the enterprise's own media are used; ids that name nothing are left out.
    """
    wanted = [u for u in (_as_uuid(i) for i in ids or []) if u is not None]
    if not wanted:
        return []
    rows = db.session.scalars(
        select(Media).where(Media.id.in_(wanted), Media.enterprise_id == enterprise_id)
    ).all()
    by_id = {m.id: m for m in rows}
    shown = []
    for media_id in dict.fromkeys(wanted):
        media = by_id.get(media_id)
        if media is not None:
            uri = _stored_uri(root, media.storage_path, media.content_type) or _stored_uri(
                root, media.thumb_path, "image/jpeg"
            )
            shown.append({"id": str(media.id), "uri": uri})
    return shown


def _stored_uri(root: Path, relative: str, content_type: str) -> str | None:
    """What WeasyPrint may read for a stored photo: a file:// URI inside the local media folder,
    or, with object storage, the bytes themselves as a data: URI (None when missing)."""
    if storage.is_object_storage():
        try:
            return storage.data_uri(storage.media_store().read(relative), content_type)
        except FileNotFoundError:
            return None
    path = _stored_file(root, relative)
    return path.as_uri() if path else None


def _stored_file(root: Path, relative: str) -> Path | None:
    """An existing file inside the media folder (WeasyPrint may read only what we hand it)."""
    base = root.resolve()
    path = (base / relative).resolve()
    return path if path.is_file() and base in path.parents else None


def _enterprise(enterprise_id: int) -> Enterprise:
    return db.session.get(Enterprise, enterprise_id)


# ---- 排查记录 inspection record -------------------------------------------------------------


def get_inspection(actor: Actor, inspection_id: uuid.UUID) -> Inspection:
    """An inspection of an enterprise the actor may read; anything else is 404."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(MSG_INSPECTION_NOT_FOUND)
    try:
        scoping.get_enterprise(actor, inspection.enterprise_id, scoping.READ, scoping.DOCUMENTS)
    except NotFound as exc:
        raise NotFound(MSG_INSPECTION_NOT_FOUND) from exc
    return inspection


def _measured(item: dict | None, value) -> str:
    """The recorded value as people read it: "22.5 %vol", an option's label, or the text."""
    if value is None or item is None:
        return "" if value is None else str(value)
    answer = item["answer"]
    if (
        answer["type"] == "number"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return f"{number_text(value)} {answer['unit']}"
    if answer["type"] == "choice":
        labels = {str(o["code"]): o["label"] for o in answer.get("options", [])}
        return labels.get(str(value), str(value))
    return str(value)


def _limits(item: dict | None) -> str:
    if item is None or item["answer"]["type"] != "number":
        return ""
    return limit_text(item["answer"])


def _gps_text(inspection: Inspection) -> str:
    if inspection.latitude is None or inspection.longitude is None:
        return "未获取定位"
    text = f"纬度 {inspection.latitude:.6f}，经度 {inspection.longitude:.6f}"
    if inspection.gps_accuracy is not None:
        text += f"（精度 ±{round(inspection.gps_accuracy)} 米）"
    return text


def _counts(inspection: Inspection) -> dict:
    stored = (inspection.summary or {}).get("counts") or {}
    counts = {key: 0 for key in ("pass", "fail", "na")}
    for answer in inspection.answers:
        counts[answer.result] = counts.get(answer.result, 0) + 1
    decided = counts["pass"] + counts["fail"]
    rate = (inspection.summary or {}).get("pass_rate")
    if rate is None and decided:
        rate = counts["pass"] / decided
    return {
        **counts,
        "answered": len(inspection.answers),
        "total": stored.get("total", len(inspection.answers)),
        "pass_rate": f"{rate * 100:.1f}%" if rate is not None else NONE,
    }


def _profile(inspection: Inspection) -> str | None:
    """The checklist profile the inspector worked through: its plan's (None: the whole list)."""
    if inspection.task_occurrence_id is None:
        return None
    occurrence = db.session.get(TaskOccurrence, inspection.task_occurrence_id)
    plan = db.session.get(InspectionPlan, occurrence.plan_id) if occurrence else None
    return plan.profile if plan else None


def record_url(inspection: Inspection) -> str:
    """What the record's QR opens: the workspace on the enterprise's inspections with this record
    shown (login required; the workspace resolves the code through the scoped API)."""
    from anxun.core.public_url import public_base_url

    return (
        f"{public_base_url()}regulator/#/enterprise/{inspection.enterprise_id}"
        f"?tab=inspections&record={verification_code(inspection.id)}"
    )


def _record_qr(inspection: Inspection):
    """The QR of record_url()."""
    import segno
    from markupsafe import Markup

    # segno's inline SVG is generated markup, safe to embed as is.
    return Markup(  # noqa: S704
        segno.make(record_url(inspection), error="m").svg_inline(omitsize=True, border=1)
    )


def inspection_record_context(inspection: Inspection, root: Path) -> dict:
    """Template context of inspection_record.html."""
    version = db.session.get(ChecklistVersion, inspection.checklist_version_id)
    doc = version.document
    items, section_of = {}, {}
    for item in iter_items(doc):
        items[item["id"]] = item
        section_of[item["id"]] = item["section"]
    # Items are numbered as the inspector saw them: 1…n within the inspection's profile.
    try:
        shown_ids = profile_item_ids(doc, _profile(inspection))
    except KeyError:
        shown_ids = list(items)
    numbers = {item_id: number for number, item_id in enumerate(shown_ids, start=1)}
    rows_by_section: dict[str, list[dict]] = {}
    for answer in inspection.answers:
        item = items.get(answer.item_id)
        row = {
            "number": numbers.get(answer.item_id, NONE),
            "id": answer.item_id,
            "text": item["text"] if item else answer.item_id,
            "major": bool(item and item.get("major")),
            "result": answer.result,
            "result_label": RESULT_LABELS.get(answer.result, answer.result),
            "judged_by_value": answer.result != answer.entered_result,
            "value": _measured(item, answer.value),
            "limits": _limits(item),
            "note": answer.note or "",
            "photos": photos(inspection.enterprise_id, answer.media_ids, root)
            if answer.result == "fail"
            else [],
        }
        rows_by_section.setdefault(section_of.get(answer.item_id, ""), []).append(row)
    sections = [
        {"title": section["title"], "rows": rows_by_section.pop(section["id"])}
        for section in doc["sections"]
        if section["id"] in rows_by_section
    ]
    if rows_by_section:
        leftover = [row for rows in rows_by_section.values() for row in rows]
        sections.append({"title": "其他", "rows": leftover})

    users = _user_names([inspection.inspector_user_id])
    place = db.session.get(Place, inspection.place_id) if inspection.place_id else None
    hazards = db.session.scalars(
        select(Hazard)
        .where(Hazard.inspection_id == inspection.id)
        .order_by(Hazard.reported_at, Hazard.id)
    ).all()
    numbers = notice_numbers(_enterprise(inspection.enterprise_id), hazards)
    signature = (
        photos(inspection.enterprise_id, [inspection.signature_media_id], root)
        if inspection.signature_media_id
        else []
    )
    return {
        "record": {
            "id": str(inspection.id),
            "checklist_title": version.title,
            "version_label": version.version_label,
            "short_hash": version.version_hash[:SHORT_HASH],
            "version_hash": version.version_hash,
            "inspection_type": INSPECTION_TYPE_LABELS.get(
                inspection.inspection_type, inspection.inspection_type
            ),
            "source": INSPECTION_SOURCE_LABELS.get(inspection.source, inspection.source),
            "place": place.name if place else NONE,
            "inspector": users.get(inspection.inspector_user_id, NONE),
            "started_at": local_text(inspection.started_at),
            "finished_at": local_text(inspection.finished_at),
            "received_at": local_text(inspection.received_at),
            "gps": _gps_text(inspection),
            "qr_scanned": "是" if inspection.qr_scanned else "否",
            "verification_code": verification_code(inspection.id),
            "qr": _record_qr(inspection),
            "corrects_id": str(inspection.corrects_id) if inspection.corrects_id else None,
            "corrects_code": verification_code(inspection.corrects_id)
            if inspection.corrects_id
            else None,
            "flags": [
                flag.get("message") or flag.get("code", "") for flag in inspection.flags or []
            ],
        },
        "sections": sections,
        "counts": _counts(inspection),
        "hazards": [
            {
                "number": numbers[h.id],
                "title": h.title,
                "proposed_level": workflow.LEVEL_LABELS.get(h.proposed_level, h.proposed_level),
                "state": workflow.STATE_LABELS.get(h.state, h.state),
            }
            for h in hazards
        ],
        "signature": signature[0] if signature else None,
    }


def inspection_record_pdf(inspection: Inspection, root: Path) -> bytes:
    enterprise = _enterprise(inspection.enterprise_id)
    return render_pdf(
        "inspection_record.html",
        inspection_record_context(inspection, root),
        title="隐患排查记录",
        org_name=enterprise.name,
        period=f"检查日期：{chinese_date(local(inspection.finished_at).date())}",
    )


# ---- 隐患整改通知单 rectification notice -----------------------------------------------------


def enterprise_abbreviation(enterprise: Enterprise) -> str:
    """The enterprise's document 代字 (configured), else the first two characters of its name."""
    return (enterprise.document_abbreviation or "").strip() or enterprise.name[:2]


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return _local_midnight(date(year, 1, 1)), _local_midnight(date(year + 1, 1, 1))


def _series(enterprise_id: int, year: int) -> list[uuid.UUID]:
    """The enterprise's hazards discovered in `year` (Beijing), in the order the server received
    them (the id of each one's first recorded step): a hazard synced late gets the next number
    and never shifts the numbers already printed."""
    start, end = _year_bounds(year)
    rows = db.session.execute(
        select(Hazard.id, Hazard.reported_at, func.min(HazardTransition.id))
        .outerjoin(HazardTransition, HazardTransition.hazard_id == Hazard.id)
        .where(
            Hazard.enterprise_id == enterprise_id,
            Hazard.reported_at >= start,
            Hazard.reported_at < end,
        )
        .group_by(Hazard.id, Hazard.reported_at)
    ).all()
    never_stepped = float("inf")
    rows.sort(key=lambda r: (r[2] if r[2] is not None else never_stepped, r[1], str(r[0])))
    return [row[0] for row in rows]


def notice_numbers(enterprise: Enterprise, hazards) -> dict[uuid.UUID, str]:
    """Each hazard's 隐患整改通知单 number in the enterprise's own yearly series, e.g.
    澄化隐改〔2026〕12号 (the GB/T 9704 form shared with the bureaus' orders)."""
    abbreviation = enterprise_abbreviation(enterprise)
    wanted = {h.id: local(h.reported_at).year for h in hazards}
    numbers = {}
    for year in sorted(set(wanted.values())):
        for sequence, hazard_id in enumerate(_series(enterprise.id, year), start=1):
            if hazard_id in wanted:
                numbers[hazard_id] = document_number(abbreviation, NOTICE_TYPE_WORD, year, sequence)
    return numbers


def notice_number(hazard: Hazard) -> str:
    """One hazard's notice number, e.g. 澄化隐改〔2026〕12号."""
    return notice_numbers(_enterprise(hazard.enterprise_id), [hazard])[hazard.id]


def _basis(hazard: Hazard) -> list[str]:
    """The hazard's legal basis as printed: an unverified article is left off (citations.py)."""
    documents = {}
    if hazard.checklist_version_id is not None:
        version = db.session.get(ChecklistVersion, hazard.checklist_version_id)
        documents = {d["code"]: d for d in version.document.get("basis") or []}
    return paper_citations(hazard.basis or [], documents)


def _transitions(hazard_ids) -> dict[uuid.UUID, list[HazardTransition]]:
    """Each hazard's steps in order (queried, so rows added in this session are seen)."""
    wanted = set(hazard_ids)
    by_hazard: dict[uuid.UUID, list[HazardTransition]] = {h: [] for h in wanted}
    if wanted:
        rows = db.session.scalars(
            select(HazardTransition)
            .where(HazardTransition.hazard_id.in_(wanted))
            .order_by(HazardTransition.id)
        )
        for row in rows:
            by_hazard[row.hazard_id].append(row)
    return by_hazard


def _history(steps: list[HazardTransition]) -> list[dict]:
    # Paper shows the person's name; the stored label adds the account name for the audit trail.
    names = _user_names(t.actor_user_id for t in steps)
    shown = []
    for t in steps:
        note = t.note or ""
        reason = step_evidence(t.evidence).get("reason")
        if reason and reason not in note:
            note = f"原因：{reason}" + (f"；{note}" if note else "")
        shown.append(
            {
                "at": local_text(t.created_at),
                "action": REPORT_LABEL
                if t.action == "report"
                else workflow.ACTION_LABELS.get(t.action, t.action),
                "to_state": workflow.STATE_LABELS.get(t.to_state, t.to_state),
                "actor": names.get(t.actor_user_id) or t.actor_label,
                "note": note,
            }
        )
    return shown


def _after_media_ids(steps: list[HazardTransition]) -> list:
    return [
        photo
        for t in steps
        if t.action in ("fix_on_spot", "submit_rectification")
        for photo in step_evidence(t.evidence).get("after_media_ids") or []
    ]


def _level_label(hazard: Hazard) -> str:
    if hazard.level:
        return workflow.LEVEL_LABELS[hazard.level]
    proposed = workflow.LEVEL_LABELS.get(hazard.proposed_level, hazard.proposed_level)
    return f"{proposed}（{UNCONFIRMED}）"


def rectification_notice_context(hazard: Hazard, root: Path) -> dict:
    """Template context of rectification_notice.html."""
    users = _user_names(
        [hazard.reported_by_user_id, hazard.responsible_user_id, hazard.verified_by_user_id]
    )
    place = db.session.get(Place, hazard.place_id) if hazard.place_id else None
    has_plan = hazard.measures is not None
    steps = _transitions([hazard.id])[hazard.id]
    return {
        "hazard": {
            "number": notice_number(hazard),
            "title": hazard.title,
            "description": hazard.description or "",
            "place": place.name if place else NONE,
            "source": LEDGER_SOURCE_LABELS.get(hazard.source, hazard.source),
            "item_id": hazard.item_id,
            "category": CATEGORY_LABELS.get(hazard.category, hazard.category)
            if hazard.category
            else NONE,
            "level": _level_label(hazard),
            "is_major": (hazard.level or hazard.proposed_level) == "major",
            "state": workflow.STATE_LABELS.get(hazard.state, hazard.state),
            "reported_at": local_text(hazard.reported_at),
            "reported_by": users.get(hazard.reported_by_user_id, NONE),
            "deadline": date_text(hazard.deadline),
            "is_overdue": workflow.is_overdue(hazard.state, hazard.deadline, clock.today_local()),
            "is_fixed_on_spot": hazard.is_fixed_on_spot,
            "closed_at": local_text(hazard.closed_at) if hazard.closed_at else None,
            "verified_by": users.get(hazard.verified_by_user_id),
        },
        "basis": _basis(hazard),
        "plan": {
            "responsible": users.get(hazard.responsible_user_id, NONE),
            "measures": hazard.measures,
            "funds": funds_text(hazard.funds),
            "deadline": date_text(hazard.deadline),
            "contingency": hazard.contingency or NONE,
        }
        if has_plan
        else None,
        "photos": photos(hazard.enterprise_id, hazard.media_ids, root),
        "photos_after": photos(hazard.enterprise_id, _after_media_ids(steps), root),
        "history": _history(steps),
    }


def rectification_notice_pdf(hazard: Hazard, root: Path) -> bytes:
    context = rectification_notice_context(hazard, root)
    return render_pdf(
        "rectification_notice.html",
        context,
        title="隐患整改通知单",
        org_name=_enterprise(hazard.enterprise_id).name,
        period=context["hazard"]["number"],
    )


# ---- 隐患台账 hazard ledger -----------------------------------------------------------------


def ledger_range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """The ledger's dates: from the first of this month to today unless given; from ≤ to."""
    start = date_from if date_from is not None else today.replace(day=1)
    end = date_to if date_to is not None else today
    if start > end:
        raise ValidationFailed(MSG_RANGE, [field_error("from", MSG_RANGE)])
    return start, end


def _ledger_level(hazard: Hazard) -> str:
    if hazard.level:
        return LEDGER_LEVEL_LABELS[hazard.level]
    if hazard.is_fixed_on_spot:
        return LEDGER_LEVEL_LABELS[hazard.proposed_level]
    if hazard.state == "rejected":
        return NONE
    return UNCONFIRMED


def ledger_rows(enterprise_id: int, date_from: date, date_to: date, today: date) -> list[dict]:
    """Every hazard the enterprise reported from `date_from` to `date_to` (Beijing days), in order."""
    hazards = db.session.scalars(
        select(Hazard)
        .where(
            Hazard.enterprise_id == enterprise_id,
            Hazard.reported_at >= _local_midnight(date_from),
            Hazard.reported_at < _local_midnight(date_to + timedelta(days=1)),
        )
        .order_by(Hazard.reported_at, Hazard.id)
    ).all()
    users = _user_names(u for h in hazards for u in (h.responsible_user_id, h.verified_by_user_id))
    places = _place_names(h.place_id for h in hazards)
    numbers = notice_numbers(_enterprise(enterprise_id), hazards)
    rows = []
    for number, hazard in enumerate(hazards, start=1):
        overdue = workflow.is_overdue(hazard.state, hazard.deadline, today)
        rows.append(
            {
                "number": number,
                "notice_number": numbers[hazard.id],
                "reported_on": local(hazard.reported_at).date(),
                "title": hazard.title,
                "description": hazard.description or "",
                "place": places.get(hazard.place_id, ""),
                "source": LEDGER_SOURCE_LABELS.get(hazard.source, hazard.source),
                "level": _ledger_level(hazard),
                "state": workflow.STATE_LABELS.get(hazard.state, hazard.state),
                "responsible": users.get(hazard.responsible_user_id, ""),
                "measures": hazard.measures or "",
                "funds": hazard.funds,
                "deadline": hazard.deadline,
                "is_overdue": overdue,
                "verifier": users.get(hazard.verified_by_user_id, ""),
                "closed_on": local(hazard.closed_at).date() if hazard.closed_at else None,
            }
        )
    return rows


def ledger_period_label(date_from: date, date_to: date) -> str:
    return f"{chinese_date(date_from)}至{chinese_date(date_to)}"


def hazard_ledger_xlsx(enterprise: Enterprise, date_from: date, date_to: date) -> bytes:
    rows = ledger_rows(enterprise.id, date_from, date_to, clock.today_local())
    return ledger_xlsx(
        enterprise.name, ledger_period_label(date_from, date_to), local_text(clock.now()), rows
    )


def hazard_ledger_pdf(enterprise: Enterprise, date_from: date, date_to: date) -> bytes:
    today = clock.today_local()
    rows = ledger_rows(enterprise.id, date_from, date_to, today)
    context = {
        "rows": rows,
        "totals": {
            "count": len(rows),
            "major": sum(row["level"] == LEDGER_LEVEL_LABELS["major"] for row in rows),
            "closed": sum(row["closed_on"] is not None for row in rows),
            "overdue": sum(row["is_overdue"] for row in rows),
            "funds": funds_text(
                sum((row["funds"] for row in rows if row["funds"] is not None), Decimal("0"))
            ),
        },
        "today": today,
    }
    return render_pdf(
        "hazard_ledger.html",
        context,
        title="隐患台账",
        org_name=enterprise.name,
        period=ledger_period_label(date_from, date_to),
    )


# ---- 隐患排查治理情况统计表 statistics -------------------------------------------------------


def statistics_period(text: str, today: date) -> statistics.Period:
    """Parse `?period=`; a malformed or not yet started period is 422."""
    try:
        period = statistics.parse_period(text)
    except ValueError as exc:
        raise ValidationFailed(str(exc), [field_error("period", str(exc))]) from exc
    if period.start > today:
        raise ValidationFailed(MSG_FUTURE_PERIOD, [field_error("period", MSG_FUTURE_PERIOD)])
    return period


def hazard_facts(enterprise_id: int, period: statistics.Period) -> list[statistics.HazardFacts]:
    """The enterprise's hazards that can count in `period`, with their dated state history.

    Hazards reported after the period, and those that reached a final state (and saw no step)
    before it began, cannot change any number and are not loaded.
    """
    start = _local_midnight(period.start)
    stepped_since_start = exists().where(
        HazardTransition.hazard_id == Hazard.id, HazardTransition.created_at >= start
    )
    hazards = db.session.scalars(
        select(Hazard).where(
            Hazard.enterprise_id == enterprise_id,
            Hazard.reported_at < _local_midnight(period.end + timedelta(days=1)),
            or_(
                Hazard.reported_at >= start,
                Hazard.state.not_in(sorted(workflow.TERMINAL_STATES)),
                stepped_since_start,
            ),
        )
    ).all()
    steps = _transitions(h.id for h in hazards)
    facts = []
    for hazard in hazards:
        history = tuple((local(t.created_at).date(), t.to_state) for t in steps[hazard.id])
        reported_on = local(hazard.reported_at).date()
        facts.append(
            statistics.HazardFacts(
                key=str(hazard.id),
                title=hazard.title,
                level=hazard.level,
                proposed_level=hazard.proposed_level,
                reported_on=reported_on,
                deadline=hazard.deadline,
                funds=hazard.funds if hazard.measures is not None else None,
                # A hazard without recorded steps is taken to have been in its state all along.
                history=history or ((reported_on, hazard.state),),
            )
        )
    return facts


def hazard_statistics(enterprise: Enterprise, period: statistics.Period, today: date) -> dict:
    """The statistics numbers with the period and enterprise they belong to (JSON and PDF)."""
    numbers = statistics.compute(hazard_facts(enterprise.id, period), period, today)
    return {
        "enterprise_id": enterprise.id,
        "enterprise_name": enterprise.name,
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start,
            "end": period.end,
            "filing_deadline": period.filing_deadline,
        },
        **numbers,
    }


def _rate_text(rate: float | None) -> str:
    return f"{rate * 100:.1f}%" if rate is not None else NONE


def hazard_statistics_pdf(enterprise: Enterprise, period: statistics.Period) -> bytes:
    today = clock.today_local()
    numbers = hazard_statistics(enterprise, period, today)
    table = numbers["by_level_state"]
    context = {
        "stats": numbers,
        "states": [(s, workflow.STATE_LABELS[s]) for s in statistics.STATES],
        "levels": [(key, statistics.LEVEL_LABELS[key], table[key]) for key in statistics.LEVELS],
        "total_row": table["total"],
        "closure_rate": _rate_text(numbers["closure_rate"]),
        "funds_total": funds_text(numbers["funds_total"]),
        "majors": [
            {
                **major,
                "state_label": workflow.STATE_LABELS.get(major["state"], major["state"]),
                "deadline_text": date_text(major["deadline"]),
            }
            for major in numbers["major_hazards"]
        ],
        "is_complete": numbers["as_of"] >= period.end,
        "filing_basis": FILING_BASIS,
        "filing_kind": "季度" if period.quarter else "年度",
    }
    return render_pdf(
        "hazard_statistics.html",
        context,
        title="隐患排查治理情况统计表",
        org_name=enterprise.name,
        period=period.label,
    )
