"""Read side of the risk map: site plans with levelled shapes, the map as PNG/PDF, the risk
notification card (风险告知卡) and the risk register (安全风险分级管控清单) as PDF."""

from __future__ import annotations

import base64
import functools
import subprocess
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import select

from anxun.core import clock
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.core.pagination import paginate
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.hazards.workflow import STATE_LABELS
from anxun.inspections.media import media_bytes
from anxun.inspections.models import Media, Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.risk.grading.control import CONTROL_LEVELS
from anxun.risk.grading.dynamic import LEVEL_ORDER, effective_level, highest
from anxun.risk.grading.methods import METHODS
from anxun.risk.map import drawing as riskmap
from anxun.risk.models import MapShape, RiskUnit, SitePlan
from anxun.risk.registry.queries import FINISHED_HAZARD_STATES, register_tree, unit_levels
from anxun.risk.registry.services import MEASURE_KINDS

# Longest side of the drawn map: enough for an A1 poster from the PNG, lighter inside the PDF.
PNG_MAX_SIDE = 4000
PDF_MAX_SIDE = 2400
# Room for the map on an A4 landscape page (273 mm wide inside the margins, below the title and
# above the legend).
PDF_MAP_BOX_MM = (273, 136)
CJK_FAMILY = "Noto Sans CJK SC"
# The card groups measures the way the national code table orders them (domain.md §1.4).
MEASURE_GROUPS = ("engineering", "maintenance", "operation", "emergency")
MEASURE_GROUP_TITLES = {
    "engineering": "工程技术措施",
    "maintenance": "维护保养措施",
    "operation": "操作行为措施",
    "emergency": "应急措施",
}
LEVELS_HIGH_FIRST = tuple(reversed(LEVEL_ORDER))
NO_LEVEL = {"level": None, "assessed_level": None, "raised": False, "open_hazards": 0}


@functools.cache
def cjk_font() -> riskmap.FontFile | None:
    """The Noto CJK SC face for map labels (fc-match), or None when it is not installed."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", CJK_FAMILY],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, rest = found.partition("|")
    index, _, family = rest.partition("|")
    # fc-match always answers with some font; only a CJK face can draw the labels.
    if "CJK" not in family or not Path(path).is_file():
        return None
    return riskmap.FontFile(path, int(index or 0))


# ---- site plans ---------------------------------------------------------------------------


def get_site_plan(actor: Actor, site_plan_id: int, access: str = scoping.READ) -> SitePlan:
    """A site plan the actor may see (404 otherwise; 403 when read-only and `access` is WRITE)."""
    plan = db.session.get(SitePlan, site_plan_id)
    try:
        if plan is None:
            raise NotFound()
        scoping.get_enterprise(actor, plan.enterprise_id, access, scoping.RISK)
    except NotFound as exc:
        raise NotFound("未找到该平面图，或您无权查看。") from exc
    return plan


def list_site_plans(actor: Actor, enterprise_id: int, args: dict):
    enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.RISK)
    query = select(SitePlan).where(SitePlan.enterprise_id == enterprise.id)
    columns = {"id": [SitePlan.id], "title": [SitePlan.title, SitePlan.id]}[args["sort"]]
    rows, next_cursor = paginate(query, columns, args["cursor"], args["limit"])
    return list(rows), next_cursor


def target_levels(enterprise_id: int) -> dict[tuple[str, int], dict]:
    """Level facts of every drawable target, keyed ("risk_unit", id) / ("place", id).

    A unit has its effective (dynamic) level; a place the highest effective level of the live
    units at it, None when none of them is graded."""
    levels = unit_levels(enterprise_id)
    units = db.session.execute(
        select(RiskUnit.id, RiskUnit.name, RiskUnit.place_id).where(RiskUnit.id.in_(list(levels)))
    ).all()
    places = db.session.execute(
        select(Place.id, Place.name).where(
            Place.enterprise_id == enterprise_id, Place.is_active.is_(True)
        )
    ).all()
    result: dict[tuple[str, int], dict] = {}
    at_place: dict[int, list[dict]] = {}
    for unit_id, name, place_id in units:
        facts = levels[unit_id]
        result[("risk_unit", unit_id)] = {
            "name": name,
            "level": facts["effective"],
            "assessed_level": facts["assessed"],
            "raised": facts["raised"],
            "open_hazards": facts["open_hazards"],
        }
        if place_id is not None:
            at_place.setdefault(place_id, []).append(facts)
    for place_id, name in places:
        facts = at_place.get(place_id, [])
        level = highest(f["effective"] for f in facts)
        assessed = highest(f["assessed"] for f in facts)
        result[("place", place_id)] = {
            "name": name,
            "level": level,
            "assessed_level": assessed,
            "raised": level != assessed,
            "open_hazards": sum(f["open_hazards"] for f in facts),
        }
    return result


def levelled_shapes(plan: SitePlan) -> list[dict]:
    """The plan's shapes whose targets still exist, each with its target's name and level."""
    targets = target_levels(plan.enterprise_id)
    shapes = db.session.scalars(
        select(MapShape).where(MapShape.site_plan_id == plan.id).order_by(MapShape.id)
    )
    result = []
    for shape in shapes:
        facts = targets.get((shape.target_type, shape.target_id))
        if facts is None:
            continue
        result.append(
            {
                "id": shape.id,
                "target_type": shape.target_type,
                "target_id": shape.target_id,
                "target_name": facts["name"],
                "shape": shape.shape,
                "points": shape.points,
                "label": shape.label or facts["name"],
                "level": facts["level"],
                "level_label": riskmap.level_label(facts["level"]),
                "colour": riskmap.hex_colour(facts["level"]),
                "assessed_level": facts["assessed_level"],
                "raised": facts["raised"],
                "open_hazards": facts["open_hazards"],
            }
        )
    return result


def _figures(shapes: list[dict]) -> list[riskmap.Figure]:
    return [
        riskmap.Figure(
            shape=s["shape"],
            points=tuple((float(x), float(y)) for x, y in s["points"]),
            level=s["level"],
            label=s["label"],
            raised=s["raised"],
        )
        for s in shapes
    ]


def legend(shapes: list[dict]) -> list[dict]:
    return [
        {"level": level, "label": text, "colour": riskmap.hex_colour(level)}
        for level, text in riskmap.legend_entries(_figures(shapes))
    ]


def plan_detail(plan: SitePlan) -> SitePlan:
    """Attach `shapes` (with levels) and `legend` for dumping."""
    plan.shapes = levelled_shapes(plan)
    plan.legend = legend(plan.shapes)
    return plan


def _local_time() -> str:
    return clock.now().astimezone(clock.CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _base_image(plan: SitePlan) -> bytes:
    return media_bytes(db.session.get(Media, plan.media_id))


def map_png(plan: SitePlan) -> bytes:
    """The map for posting on site: plan, coloured shapes, caption and legend band."""
    enterprise = db.session.get(Enterprise, plan.enterprise_id)
    caption = f"{enterprise.name}　{plan.title}　生成时间：{_local_time()}"
    return riskmap.draw_risk_map(
        _base_image(plan),
        _figures(levelled_shapes(plan)),
        font=cjk_font(),
        caption=caption,
        max_side=PNG_MAX_SIDE,
    )


def _fit_width_mm(width: int, height: int) -> float:
    """The printed width that fits the plan into PDF_MAP_BOX_MM keeping its proportions."""
    box_width, box_height = PDF_MAP_BOX_MM
    return round(min(box_width, box_height * width / height), 1)


def map_pdf(plan: SitePlan) -> bytes:
    """A4 landscape: title, the drawn plan, the legend and the list of what is drawn."""
    from anxun.reports.render import render_pdf

    enterprise = db.session.get(Enterprise, plan.enterprise_id)
    shapes = levelled_shapes(plan)
    image = riskmap.draw_risk_map(
        _base_image(plan), _figures(shapes), font=cjk_font(), legend=False, max_side=PDF_MAX_SIDE
    )
    context = {
        "plan": plan,
        "image": "data:image/png;base64," + base64.b64encode(image).decode(),
        "image_width_mm": _fit_width_mm(plan.width, plan.height),
        "legend": legend(shapes),
        "shapes": shapes,
        "raised_note": riskmap.RAISED_NOTE,
        "target_labels": {"place": "地点", "risk_unit": "风险分析单元"},
        "level_labels": riskmap.LEVEL_LABELS,
    }
    return render_pdf(
        "risk_map.html",
        context,
        title=f"{plan.title}　安全风险四色分布图",
        org_name=enterprise.name,
    )


# ---- risk notification card ---------------------------------------------------------------


def get_place(actor: Actor, place_id: int) -> Place:
    place = db.session.get(Place, place_id)
    try:
        if place is None:
            raise NotFound()
        scoping.get_enterprise(actor, place.enterprise_id, area=scoping.RISK)
    except NotFound as exc:
        raise NotFound("未找到该地点，或您无权查看。") from exc
    return place


def _level_view(level: str | None) -> dict:
    return {
        "code": level or "none",
        "label": riskmap.level_label(level),
        "colour": riskmap.hex_colour(level),
    }


def card_units(place: Place) -> list:
    """The live risk units at the place, with events, grouped measures and levels."""
    tree = register_tree(db.session.get(Enterprise, place.enterprise_id))
    units = [unit for obj in tree["objects"] for unit in obj.units if unit.place_id == place.id]
    for unit in units:
        unit.level_view = _level_view(unit.levels["effective"])
        unit.assessed_view = _level_view(unit.levels["assessed"])
        for event in unit.events:
            assessment = event.latest_assessment
            event.level_view = _level_view(assessment.level if assessment else None)
        unit.measure_groups = [
            {
                "code": group,
                "title": MEASURE_GROUP_TITLES[group],
                "measures": [
                    {"text": measure.description, "event": event.name}
                    for event in unit.events
                    for measure in event.measures
                    if measure.classify1 == group
                ],
            }
            for group in MEASURE_GROUPS
        ]
    return units


def open_hazards_at(place: Place, unit_ids: list[int]) -> list[dict]:
    """Hazards not closed or rejected, found at the place or on a unit at it (oldest first)."""
    where = Hazard.place_id == place.id
    if unit_ids:
        where = where | Hazard.risk_unit_id.in_(unit_ids)
    hazards = db.session.scalars(
        select(Hazard)
        .where(
            Hazard.enterprise_id == place.enterprise_id,
            where,
            Hazard.state.not_in(FINISHED_HAZARD_STATES),
        )
        .order_by(Hazard.reported_at, Hazard.id)
    )
    return [
        {
            "title": hazard.title,
            "state": STATE_LABELS.get(hazard.state, hazard.state),
            "level": "重大隐患" if hazard.level == "major" else "一般隐患",
            "deadline": hazard.deadline,
        }
        for hazard in hazards
    ]


def _qr_svg(url: str) -> Markup:
    import segno

    # segno's inline SVG is generated markup, safe to embed as is.
    return Markup(segno.make(url, error="m").svg_inline(omitsize=True, border=0))  # noqa: S704


def risk_card_pdf(place: Place, base_url: str) -> bytes:
    """风险告知卡: the place's risks, consequences, controls, emergency measures, responsible
    persons, open hazards, emergency phone, and a QR code opening the place in the PWA."""
    from anxun.reports.render import render_pdf

    enterprise = db.session.get(Enterprise, place.enterprise_id)
    units = card_units(place)
    level = highest(unit.levels["effective"] for unit in units)
    url = f"{base_url.rstrip('/')}/#/p/{place.qr_token}"
    context = {
        "place": place,
        "enterprise": enterprise,
        "level": _level_view(level),
        "raised": any(unit.levels["raised"] for unit in units),
        "units": units,
        "hazards": open_hazards_at(place, [unit.id for unit in units]),
        "qr": _qr_svg(url),
        "qr_url": url,
        "control_levels": CONTROL_LEVELS,
    }
    return render_pdf(
        "risk_card.html",
        context,
        title="安全风险告知卡",
        org_name=enterprise.name,
        period=place.name,
    )


# ---- risk register ------------------------------------------------------------------------


def _figure(value) -> str:
    """A factor or score as printed: 3, 0.5, 270 (no trailing zeros)."""
    number = Decimal(str(value))
    return f"{number.normalize():f}" if number != number.to_integral_value() else f"{int(number)}"


def assessment_view(assessment) -> dict | None:
    """The method, each factor with its value and the score under its symbol (D for LEC, R for
    LS and MES), as a register prints them."""
    if assessment is None:
        return None
    method = METHODS.get(assessment.method)
    symbols = [factor.symbol for factor in method.factors] if method else list(assessment.factors)
    return {
        "method": assessment.method,
        "factors": [
            {"symbol": symbol, "value": _figure(assessment.factors[symbol])}
            for symbol in symbols
            if assessment.factors.get(symbol) is not None
        ],
        "score_symbol": method.score_symbol if method else "",
        "score": _figure(assessment.score),
    }


def _measure_groups(event) -> list[dict]:
    """The event's measures under the five kinds, each kind listed even when empty."""
    return [
        {
            "code": kind,
            "title": title,
            "measures": [
                {
                    "text": measure.description,
                    "control_level": CONTROL_LEVELS.get(measure.control_level or ""),
                }
                for measure in event.measures
                if measure.kind == kind
            ],
        }
        for kind, title in MEASURE_KINDS.items()
    ]


def register_rows(tree: dict) -> list[dict]:
    """One row per risk event with its assessment (factors and score), level, accident types,
    measures by the five kinds and the responsible level; a unit without events still gets a
    row so gaps in the register show."""
    rows = []
    for obj in tree["objects"]:
        object_name = obj.name + ("（重大危险源）" if obj.is_major_hazard_source else "")
        for unit in obj.units:
            base = {
                "object": object_name,
                "unit": unit.name,
                "department": unit.department,
                "responsible": unit.responsible_name,
            }
            if not unit.events:
                rows.append({**base, "event": None})
            for event in unit.events:
                assessment = event.latest_assessment
                assessed = assessment.level if assessment else None
                current = effective_level(assessed, unit.levels["open_hazards"])
                rows.append(
                    {
                        **base,
                        "event": event.name,
                        "accident_types": "、".join(event.accident_types or []),
                        "assessment": assessment_view(assessment),
                        "assessed": _level_view(assessed),
                        "current": _level_view(current),
                        "raised": current != assessed,
                        "control_level": (
                            CONTROL_LEVELS.get(assessment.control_level) if assessment else None
                        ),
                        "measure_groups": _measure_groups(event),
                        "has_measures": bool(event.measures),
                    }
                )
    return rows


def level_counts(tree: dict) -> list[dict]:
    """Per level: live units by current level, events by assessed level; then 未评估."""
    units = [unit for obj in tree["objects"] for unit in obj.units]
    events = [event for unit in units for event in unit.events]
    event_levels = [e.latest_assessment.level if e.latest_assessment else None for e in events]
    return [
        {
            **_level_view(level),
            "units": sum(1 for unit in units if unit.levels["effective"] == level),
            "events": sum(1 for value in event_levels if value == level),
        }
        for level in (*LEVELS_HIGH_FIRST, None)
    ]


def register_pdf(enterprise: Enterprise) -> bytes:
    """安全风险分级管控清单 of one enterprise (A4 landscape)."""
    from anxun.reports.render import render_pdf

    tree = register_tree(enterprise)
    context = {
        "rows": register_rows(tree),
        "counts": level_counts(tree),
        "totals": tree["counts"],
        "raised_units": sum(
            1 for obj in tree["objects"] for unit in obj.units if unit.levels["raised"]
        ),
        "control_levels": CONTROL_LEVELS,
    }
    return render_pdf(
        "risk_register.html",
        context,
        title="安全风险分级管控清单",
        org_name=enterprise.name,
    )
