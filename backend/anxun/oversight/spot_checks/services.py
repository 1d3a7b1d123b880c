"""Every write of the random spot check (双随机一公开): registries, draws, results, publication.

The registries are 一单两库 (the list of check items plus the registries of inspection objects and of
inspectors); a draw picks enterprises and two or more inspectors each at random from them
(国办发〔2015〕58号, not verified against the source: see spot_draw.MIN_INSPECTORS_BASIS), and its
seed and pools are stored so that anyone can repeat it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import REGULATOR_ROLES, Role
from anxun.core import audit, clock, disclosure
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, Forbidden, StaleState, ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Regulator
from anxun.orgs.rules import jurisdiction_prefix
from anxun.oversight.models import SpotCheckAssignment, SpotCheckDraw, SpotCheckRegistryEntry
from anxun.oversight.spot_checks import draw as spot_draw
from anxun.oversight.spot_checks import queries

ADMIN_ROLES = frozenset({Role.regulator_admin})
RESULTS = ("no_issues", "issues_found", "not_operating")
PENDING = "pending"
MSG_NOT_DRAWN = "只有抽中的检查人员或监管部门管理员可以录入检查结果。"
MSG_PERSONAL_DATA = "公示内容不得包含个人信息。"


def admin_regulator(actor: Actor) -> Regulator:
    """The regulator in which the actor manages spot checks (regulator_admin), else 403."""
    return scoping.regulator_for(actor, set(ADMIN_ROLES))


def _require_admin_of(actor: Actor, regulator_id: int) -> None:
    if Role.regulator_admin not in actor.regulator_roles(regulator_id):
        raise Forbidden("只有本部门的监管部门管理员可以执行此操作。")


def covered_enterprises(regulator: Regulator, industry: str | None = None) -> list[Enterprise]:
    """Enterprises in the regulator's jurisdiction and industries (optionally of one industry)."""
    prefix = jurisdiction_prefix(regulator.region_code)
    rows = db.session.scalars(
        select(Enterprise)
        .where(Enterprise.region_code.startswith(prefix, autoescape=True))
        .order_by(Enterprise.id)
    ).all()
    return [
        e
        for e in rows
        if scoping.regulator_covers(regulator, e.region_code, e.industries)
        and (industry is None or industry in e.industries)
    ]


def regulator_staff_ids(regulator_id: int) -> set[int]:
    """Active users holding a regulator role in this regulator (who may join the inspector pool)."""
    return set(active_member_ids(REGULATOR_ROLES, regulator_id=regulator_id))


def _existing(regulator_id: int, kind: str, target_id: int) -> SpotCheckRegistryEntry | None:
    column = (
        SpotCheckRegistryEntry.enterprise_id if kind == "object" else SpotCheckRegistryEntry.user_id
    )
    return db.session.scalar(
        select(SpotCheckRegistryEntry).where(
            SpotCheckRegistryEntry.regulator_id == regulator_id,
            SpotCheckRegistryEntry.kind == kind,
            column == target_id,
        )
    )


def _enter(actor: Actor, regulator: Regulator, kind: str, target_id: int):
    """Add one entry (or reactivate a deactivated one); None when it is already active."""
    entry = _existing(regulator.id, kind, target_id)
    if entry is not None and entry.is_active:
        return None
    if entry is None:
        entry = SpotCheckRegistryEntry(regulator_id=regulator.id, kind=kind, is_active=True)
        if kind == "object":
            entry.enterprise_id = target_id
        else:
            entry.user_id = target_id
        db.session.add(entry)
        action = "add_spot_check_registry_entry"
    else:
        entry.is_active = True
        entry.added_at = clock.now()
        action = "reactivate_spot_check_registry_entry"
    db.session.flush()
    audit.record(
        actor,
        action,
        "spot_check_registry_entry",
        entry.id,
        {"regulator_id": regulator.id, "kind": kind, "target_id": target_id},
    )
    return entry


def add_registry_entries(actor: Actor, data: dict) -> list[SpotCheckRegistryEntry]:
    """Add an enterprise or an inspector to the regulator's registry, or (kind object without
    enterprise_id) every covered enterprise, optionally of one industry. Returns the new entries."""
    regulator = admin_regulator(actor)
    kind = data["kind"]
    enterprise_id, user_id, industry = (
        data.get("enterprise_id"),
        data.get("user_id"),
        data.get("industry"),
    )
    if kind == "object":
        if user_id is not None:
            raise ValidationFailed(
                "检查对象名录只收录企业。", [field_error("user_id", "检查对象不能是人员。")]
            )
        if enterprise_id is None:
            added = [
                _enter(actor, regulator, kind, e.id)
                for e in covered_enterprises(regulator, industry)
            ]
            return [entry for entry in added if entry is not None]
        if industry is not None:
            raise ValidationFailed(
                "按行业批量添加时不能同时指定企业。",
                [field_error("industry", "指定企业时不能同时指定行业。")],
            )
        enterprise = scoping.get_enterprise(actor, enterprise_id)
        if not scoping.regulator_covers(regulator, enterprise.region_code, enterprise.industries):
            raise ValidationFailed(
                "该企业不在本部门的监管范围内。",
                [field_error("enterprise_id", "该企业不在本部门的辖区或监管行业内。")],
            )
        target = enterprise.id
    else:
        if enterprise_id is not None or industry is not None:
            field = "enterprise_id" if enterprise_id is not None else "industry"
            raise ValidationFailed(
                "执法检查人员名录只收录人员。", [field_error(field, "检查人员名录不收录企业。")]
            )
        if user_id is None:
            raise ValidationFailed("请选择检查人员。", [field_error("user_id", "此项为必填项。")])
        if user_id not in regulator_staff_ids(regulator.id):
            raise ValidationFailed(
                "该人员不是本部门的执法人员。",
                [field_error("user_id", "只能添加在本部门担任监管角色的在职人员。")],
            )
        target = user_id
    entry = _enter(actor, regulator, kind, target)
    if entry is None:
        raise Conflict("该对象已在名录中。")
    return [entry]


def deactivate_registry_entry(actor: Actor, entry_id: int) -> SpotCheckRegistryEntry:
    """Take an entry out of future draws; the row stays, so past draws keep their history."""
    entry = queries.get_registry_entry(actor, entry_id)
    _require_admin_of(actor, entry.regulator_id)
    if entry.is_active:
        entry.is_active = False
        db.session.flush()
        audit.record(
            actor,
            "deactivate_spot_check_registry_entry",
            "spot_check_registry_entry",
            entry.id,
            {"kind": entry.kind, "target_id": entry.enterprise_id or entry.user_id},
        )
    return entry


def active_pools(regulator: Regulator) -> tuple[list[int], list[int]]:
    """(enterprise ids, inspector user ids) of the active registries, each sorted.

    Entries whose enterprise left the jurisdiction or whose person no longer holds a regulator role
    here are left out of the pools."""
    entries = db.session.scalars(
        select(SpotCheckRegistryEntry).where(
            SpotCheckRegistryEntry.regulator_id == regulator.id,
            SpotCheckRegistryEntry.is_active.is_(True),
        )
    ).all()
    covered = {e.id for e in covered_enterprises(regulator)}
    staff = regulator_staff_ids(regulator.id)
    objects = sorted(
        e.enterprise_id for e in entries if e.kind == "object" and e.enterprise_id in covered
    )
    inspectors = sorted(e.user_id for e in entries if e.kind == "inspector" and e.user_id in staff)
    return objects, inspectors


def _personal_data_errors(data: dict, published: tuple[str, ...]) -> list[dict]:
    """Texts published on the 双随机一公开 page carry no phone or ID number."""
    return [
        field_error(field, message)
        for field in published
        if data.get(field)
        for message in disclosure.personal_data_problems(data[field])
    ]


def _refuse_personal_data(data: dict, published: tuple[str, ...]) -> None:
    errors = _personal_data_errors(data, published)
    if errors:
        raise ValidationFailed(MSG_PERSONAL_DATA, errors)


def _public_seed() -> str:
    """A random seed whose digits never read as a phone number, so it is published unmasked."""
    seed = secrets.token_hex(16)
    while disclosure.personal_data_problems(seed):
        seed = secrets.token_hex(16)
    return seed


def make_draw(actor: Actor, data: dict) -> SpotCheckDraw:
    """Draw enterprises and inspectors with spot_draw.draw ("anxun-draw-v1") and store everything
    needed to repeat it: the seed, the algorithm, both pools and the assignments."""
    regulator = admin_regulator(actor)
    objects, inspectors = active_pools(regulator)
    _refuse_personal_data(data, ("title", "seed"))
    seed = data.get("seed") or _public_seed()
    n = data["enterprise_count"]
    k = data.get("inspectors_per_enterprise", spot_draw.MIN_INSPECTORS)
    try:
        drawn = spot_draw.draw(seed, objects, inspectors, n, k)
    except spot_draw.DrawError as exc:
        raise ValidationFailed(
            "无法按要求抽取。", [field_error(field, message) for field, message in exc.errors]
        ) from exc
    draw = SpotCheckDraw(
        regulator_id=regulator.id,
        title=data["title"].strip(),
        seed=seed,
        algorithm=spot_draw.ALGORITHM,
        enterprise_count=n,
        inspectors_per_enterprise=k,
        object_pool=objects,
        inspector_pool=inspectors,
        drawn_by_user_id=actor.user_id,
        drawn_at=clock.now(),
    )
    draw.assignments = [
        SpotCheckAssignment(
            position=row["position"],
            enterprise_id=row["enterprise_id"],
            inspector_user_ids=row["inspector_user_ids"],
        )
        for row in drawn
    ]
    db.session.add(draw)
    db.session.flush()
    audit.record(
        actor,
        "draw_spot_check",
        "spot_check_draw",
        draw.id,
        {
            "title": draw.title,
            "seed": seed,
            "algorithm": spot_draw.ALGORITHM,
            "enterprise_count": n,
            "inspectors_per_enterprise": k,
            "object_pool": objects,
            "inspector_pool": inspectors,
            "assignments": [[r["enterprise_id"], r["inspector_user_ids"]] for r in drawn],
        },
    )
    return draw


def record_result(actor: Actor, assignment_id: int, data: dict) -> SpotCheckAssignment:
    """Record what the inspection of a drawn enterprise found (one of its drawn inspectors or the
    regulator admin). A recorded result changes only when `expected_state` names it (409 else).
    Only the bureau's own staff record (403); which of them were drawn is a rule of the draw
    (422 `actor`), checked with the published summary."""
    assignment = queries.get_assignment(actor, assignment_id)
    draw = db.session.get(SpotCheckDraw, assignment.draw_id)
    current = assignment.result or PENDING
    expected = data.get("expected_state")
    if (expected is not None and expected != current) or (
        expected is None and assignment.result is not None
    ):
        raise StaleState("检查结果已被他人录入或修改，请刷新后重试。", current_state=current)
    roles = actor.regulator_roles(draw.regulator_id)
    if not roles:
        raise Forbidden("只有本部门的监管执法人员可以录入检查结果。")
    errors = _personal_data_errors(data, ("summary",))
    if actor.user_id not in assignment.inspector_user_ids and Role.regulator_admin not in roles:
        detail = "请检查标出的字段。" if errors else MSG_NOT_DRAWN
        raise ValidationFailed(detail, [field_error("actor", MSG_NOT_DRAWN), *errors])
    if errors:
        raise ValidationFailed(MSG_PERSONAL_DATA, errors)
    before = assignment.result
    assignment.result = data["result"]
    assignment.result_summary = data.get("summary", "").strip()
    assignment.recorded_by_user_id = actor.user_id
    assignment.recorded_at = clock.now()
    db.session.flush()
    audit.record(
        actor,
        "record_spot_check_result",
        "spot_check_assignment",
        assignment.id,
        {
            "draw_id": draw.id,
            "enterprise_id": assignment.enterprise_id,
            "result": [before, assignment.result],
            "summary": assignment.result_summary,
        },
    )
    return assignment


def publish_draw(actor: Actor, draw_id: int) -> SpotCheckDraw:
    """一公开: make the draw (and its results as they are recorded) public."""
    draw = queries.get_draw(actor, draw_id)
    _require_admin_of(actor, draw.regulator_id)
    if draw.published_at is not None:
        raise Conflict("该抽查已公开。")
    draw.published_at = clock.now()
    db.session.flush()
    audit.record(
        actor,
        "publish_spot_check",
        "spot_check_draw",
        draw.id,
        {"published_at": draw.published_at.isoformat()},
    )
    return draw
