"""Reads of the random spot check: registries, draws with assignments, verification, public list."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.roles import Role
from anxun.core import clock, disclosure
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, NotFound
from anxun.extensions import db
from anxun.orgs.models import Enterprise, Regulator
from anxun.oversight.models import (
    Patrol,
    SpotCheckAssignment,
    SpotCheckDraw,
    SpotCheckRegistryEntry,
)
from anxun.oversight.spot_checks import draw as spot_draw

RESULT_LABELS = {
    "pending": "待检查",
    "no_issues": "未发现问题",
    "issues_found": "发现问题",
    "not_operating": "未在生产经营",
}
KIND_LABELS = {"object": "检查对象", "inspector": "执法检查人员"}
PUBLIC_LIMIT = 100


def readable_regulator_ids(actor: Actor) -> set[int] | None:
    """Regulators whose spot checks the actor may read (None: all, for platform admins)."""
    if actor.is_platform_admin:
        return None
    if not actor.regulator_ids:
        raise Forbidden("该操作需要监管部门相应角色。")
    return set(actor.regulator_ids)


def _readable(actor: Actor, regulator_id: int) -> bool:
    ids = readable_regulator_ids(actor)
    return ids is None or regulator_id in ids


def get_regulator(actor: Actor, regulator_id: int) -> Regulator:
    regulator = db.session.get(Regulator, regulator_id)
    if regulator is None or not _readable(actor, regulator_id):
        raise NotFound("未找到该监管部门，或您无权查看。")
    return regulator


def default_regulator(actor: Actor) -> Regulator:
    """The regulator a registry shows when none is named: the caller's first (by id)."""
    ids = readable_regulator_ids(actor)
    query = select(Regulator).order_by(Regulator.id)
    if ids is not None:
        query = query.where(Regulator.id.in_(ids))
    regulator = db.session.scalars(query).first()
    if regulator is None:
        raise NotFound("尚无监管部门。")
    return regulator


def get_registry_entry(actor: Actor, entry_id: int) -> SpotCheckRegistryEntry:
    entry = db.session.get(SpotCheckRegistryEntry, entry_id)
    if entry is None or not _readable(actor, entry.regulator_id):
        raise NotFound("未找到该名录条目，或您无权查看。")
    return entry


def get_draw(actor: Actor, draw_id: int) -> SpotCheckDraw:
    draw = db.session.get(SpotCheckDraw, draw_id)
    if draw is None or not _readable(actor, draw.regulator_id):
        raise NotFound("未找到该抽查，或您无权查看。")
    return draw


def get_assignment(actor: Actor, assignment_id: int) -> SpotCheckAssignment:
    assignment = db.session.get(SpotCheckAssignment, assignment_id)
    if assignment is None:
        raise NotFound("未找到该抽查任务，或您无权查看。")
    draw = db.session.get(SpotCheckDraw, assignment.draw_id)
    if not _readable(actor, draw.regulator_id):
        raise NotFound("未找到该抽查任务，或您无权查看。")
    return assignment


def _names(model, ids) -> dict:
    ids = set(ids)
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _enterprise_ref(enterprise: Enterprise | None) -> dict | None:
    if enterprise is None:
        return None
    return {"id": enterprise.id, "name": enterprise.name, "industries": enterprise.industries}


def _user_ref(user: User | None) -> dict | None:
    return None if user is None else {"id": user.id, "display_name": user.display_name}


def entry_views(entries: list[SpotCheckRegistryEntry]) -> list[dict]:
    enterprises = _names(Enterprise, [e.enterprise_id for e in entries if e.enterprise_id])
    users = _names(User, [e.user_id for e in entries if e.user_id])
    return [
        {
            "id": e.id,
            "regulator_id": e.regulator_id,
            "kind": e.kind,
            "enterprise": _enterprise_ref(enterprises.get(e.enterprise_id)),
            "inspector": _user_ref(users.get(e.user_id)),
            "is_active": e.is_active,
            "added_at": e.added_at,
        }
        for e in entries
    ]


def registry_view(actor: Actor, regulator: Regulator, args: dict) -> dict:
    """A regulator's registries, and for its admins who could still be added to them."""
    from anxun.oversight.spot_checks.services import (  # services build on these reads
        covered_enterprises,
        regulator_staff_ids,
    )

    query = select(SpotCheckRegistryEntry).where(
        SpotCheckRegistryEntry.regulator_id == regulator.id
    )
    if args.get("kind"):
        query = query.where(SpotCheckRegistryEntry.kind == args["kind"])
    if not args.get("include_inactive"):
        query = query.where(SpotCheckRegistryEntry.is_active.is_(True))
    entries = db.session.scalars(
        query.order_by(SpotCheckRegistryEntry.kind.desc(), SpotCheckRegistryEntry.id)
    ).all()
    candidates = {"objects": [], "inspectors": []}
    if Role.regulator_admin in actor.regulator_roles(regulator.id):
        active = db.session.scalars(
            select(SpotCheckRegistryEntry).where(
                SpotCheckRegistryEntry.regulator_id == regulator.id,
                SpotCheckRegistryEntry.is_active.is_(True),
            )
        ).all()
        in_objects = {e.enterprise_id for e in active if e.kind == "object"}
        in_inspectors = {e.user_id for e in active if e.kind == "inspector"}
        candidates["objects"] = [
            _enterprise_ref(e) for e in covered_enterprises(regulator) if e.id not in in_objects
        ]
        staff = _names(User, regulator_staff_ids(regulator.id) - in_inspectors)
        candidates["inspectors"] = [_user_ref(staff[i]) for i in sorted(staff)]
    return {
        "regulator": {"id": regulator.id, "name": regulator.name},
        "items": entry_views(list(entries)),
        "candidates": candidates,
        "can_manage": Role.regulator_admin in actor.regulator_roles(regulator.id),
    }


def list_draws(actor: Actor, args: dict) -> list[dict]:
    ids = readable_regulator_ids(actor)
    query = select(SpotCheckDraw)
    if args.get("regulator_id") is not None:
        query = query.where(
            SpotCheckDraw.regulator_id == get_regulator(actor, args["regulator_id"]).id
        )
    elif ids is not None:
        query = query.where(SpotCheckDraw.regulator_id.in_(ids))
    draws = db.session.scalars(
        query.order_by(SpotCheckDraw.drawn_at.desc(), SpotCheckDraw.id.desc())
    ).all()
    regulators = _names(Regulator, [d.regulator_id for d in draws])
    return [
        {
            "id": d.id,
            "regulator": {"id": d.regulator_id, "name": regulators[d.regulator_id].name},
            "title": d.title,
            "algorithm": d.algorithm,
            "enterprise_count": d.enterprise_count,
            "inspectors_per_enterprise": d.inspectors_per_enterprise,
            "drawn_at": d.drawn_at,
            "published_at": d.published_at,
            "results_recorded": sum(1 for a in d.assignments if a.result is not None),
        }
        for d in draws
    ]


def _patrols_by_assignment(assignment_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    if not assignment_ids:
        return found
    rows = db.session.scalars(
        select(Patrol)
        .where(Patrol.spot_check_assignment_id.in_(assignment_ids))
        .order_by(Patrol.opened_at, Patrol.id)
    )
    for patrol in rows:
        found.setdefault(patrol.spot_check_assignment_id, []).append(
            {
                "id": patrol.id,
                "mode": patrol.mode,
                "is_unannounced": patrol.is_unannounced,
                "state": patrol.state,
                "opened_at": patrol.opened_at,
            }
        )
    return found


def assignment_views(actor: Actor, draw: SpotCheckDraw) -> list[dict]:
    enterprises = _names(Enterprise, [a.enterprise_id for a in draw.assignments])
    people = {u for a in draw.assignments for u in a.inspector_user_ids}
    people |= {a.recorded_by_user_id for a in draw.assignments if a.recorded_by_user_id}
    users = _names(User, people)
    patrols = _patrols_by_assignment([a.id for a in draw.assignments])
    is_admin = Role.regulator_admin in actor.regulator_roles(draw.regulator_id)
    return [
        {
            "id": a.id,
            "draw_id": draw.id,
            "position": a.position,
            "enterprise": _enterprise_ref(enterprises.get(a.enterprise_id)),
            "inspectors": [_user_ref(users.get(u)) or {"id": u} for u in a.inspector_user_ids],
            "state": a.result or "pending",
            "result_summary": a.result_summary,
            "recorded_by": _user_ref(users.get(a.recorded_by_user_id)),
            "recorded_at": a.recorded_at,
            "patrols": patrols.get(a.id, []),
            "can_record_result": is_admin or actor.user_id in a.inspector_user_ids,
        }
        for a in draw.assignments
    ]


def draw_view(actor: Actor, draw: SpotCheckDraw) -> dict:
    regulator = db.session.get(Regulator, draw.regulator_id)
    drawn_by = db.session.get(User, draw.drawn_by_user_id)
    is_admin = Role.regulator_admin in actor.regulator_roles(draw.regulator_id)
    return {
        "id": draw.id,
        "regulator": {"id": regulator.id, "name": regulator.name},
        "title": draw.title,
        "seed": draw.seed,
        "algorithm": draw.algorithm,
        "enterprise_count": draw.enterprise_count,
        "inspectors_per_enterprise": draw.inspectors_per_enterprise,
        "object_pool": list(draw.object_pool),
        "inspector_pool": list(draw.inspector_pool),
        "drawn_by": _user_ref(drawn_by),
        "drawn_at": draw.drawn_at,
        "published_at": draw.published_at,
        "basis": [spot_draw.MIN_INSPECTORS_BASIS],
        "assignments": assignment_views(actor, draw),
        "can_publish": is_admin and draw.published_at is None,
    }


def verification(draw: SpotCheckDraw) -> dict:
    """Repeat the draw from its stored seed and pools and compare with what was stored."""
    stored = [
        {
            "position": a.position,
            "enterprise_id": a.enterprise_id,
            "inspector_user_ids": list(a.inspector_user_ids),
        }
        for a in draw.assignments
    ]
    base = {
        "draw_id": draw.id,
        "algorithm": draw.algorithm,
        "seed": draw.seed,
        "object_pool": list(draw.object_pool),
        "inspector_pool": list(draw.inspector_pool),
        "enterprise_count": draw.enterprise_count,
        "inspectors_per_enterprise": draw.inspectors_per_enterprise,
        "stored": stored,
    }
    if draw.algorithm != spot_draw.ALGORITHM:
        return {
            **base,
            "reproduced": False,
            "recomputed": [],
            "differences": [f"未知的抽取算法 {draw.algorithm}。"],
        }
    try:
        recomputed = spot_draw.draw(
            draw.seed,
            list(draw.object_pool),
            list(draw.inspector_pool),
            draw.enterprise_count,
            draw.inspectors_per_enterprise,
            min_per_enterprise=1,
        )
    except spot_draw.DrawError as exc:
        return {**base, "reproduced": False, "recomputed": [], "differences": [str(exc)]}
    found = spot_draw.differences(recomputed, stored)
    return {**base, "reproduced": not found, "recomputed": recomputed, "differences": found}


def _local_date(moment) -> str | None:
    return moment.astimezone(clock.CHINA_TZ).date().isoformat() if moment else None


def public_draws() -> list[dict]:
    """Published draws for everyone: names of enterprises and inspectors, seeds and results; no
    ids, usernames or phone numbers of people."""
    draws = db.session.scalars(
        select(SpotCheckDraw)
        .where(SpotCheckDraw.published_at.is_not(None))
        .order_by(SpotCheckDraw.published_at.desc(), SpotCheckDraw.id.desc())
        .limit(PUBLIC_LIMIT)
    ).all()
    return _public_views(draws)


def _public_views(draws: list[SpotCheckDraw]) -> list[dict]:
    regulators = _names(Regulator, [d.regulator_id for d in draws])
    enterprises = _names(Enterprise, [e for d in draws for e in d.object_pool])
    users = _names(User, [u for d in draws for u in d.inspector_pool])
    # Belt and braces: whatever slipped past entry checks, no phone or ID number goes out.
    return disclosure.scrub(
        [
            {
                "id": d.id,
                "regulator": regulators[d.regulator_id].name,
                "title": d.title,
                "drawn_at": d.drawn_at.isoformat(),
                "published_at": d.published_at.isoformat(),
                "seed": d.seed,
                "algorithm": d.algorithm,
                "enterprise_count": d.enterprise_count,
                "inspectors_per_enterprise": d.inspectors_per_enterprise,
                # The pools in draw order (sorted by internal id): sampling these lists as listed
                # repeats the draw without publishing anyone's id.
                "object_pool": [enterprises[e].name for e in sorted(d.object_pool)],
                "inspector_pool": [users[u].display_name for u in sorted(d.inspector_pool)],
                "assignments": [
                    {
                        "position": a.position,
                        "enterprise": enterprises[a.enterprise_id].name,
                        "inspectors": [users[u].display_name for u in a.inspector_user_ids],
                        "result": {
                            "code": a.result or "pending",
                            "label": RESULT_LABELS[a.result or "pending"],
                        },
                        "result_summary": a.result_summary,
                        "recorded_on": _local_date(a.recorded_at),
                    }
                    for a in d.assignments
                ],
            }
            for d in draws
        ]
    )


def public_reproduction(draw_id: int) -> dict:
    """What anyone needs to repeat a published draw: both registries in draw order, the seed, the
    counts, the method in words with its references, and the published result to compare."""
    draw = db.session.get(SpotCheckDraw, draw_id)
    if draw is None or draw.published_at is None:
        raise NotFound("未找到该公开的随机抽查。")
    [view] = _public_views([draw])
    return {
        "title": view["title"],
        "regulator": view["regulator"],
        "drawn_on": draw.drawn_at.astimezone(clock.CHINA_TZ).date(),
        "published_on": draw.published_at.astimezone(clock.CHINA_TZ).date(),
        "seed": view["seed"],
        "enterprise_count": view["enterprise_count"],
        "inspectors_per_enterprise": view["inspectors_per_enterprise"],
        "object_registry": view["object_pool"],
        "inspector_registry": view["inspector_pool"],
        "method": {
            "name": spot_draw.METHOD_NAME,
            "version": draw.algorithm,
            "steps": spot_draw.METHOD_STEPS,
            "references": spot_draw.METHOD_REFERENCES,
        },
        "result": [
            {
                "position": a["position"],
                "enterprise": a["enterprise"],
                "inspectors": a["inspectors"],
            }
            for a in view["assignments"]
        ],
    }
