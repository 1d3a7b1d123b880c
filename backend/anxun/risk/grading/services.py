"""Writes of risk grading: band-table versions, risk assessments and daily enterprise grades."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from anxun.accounts.roles import Role
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.db import insert_skipping_conflicts
from anxun.core.errors import Conflict, Forbidden, ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise, Region, Regulator
from anxun.risk.grading.bands import Band, BandTable, validate_band_table
from anxun.risk.grading.control import ControlMap, validate_control_map
from anxun.risk.grading.methods import METHODS
from anxun.risk.grading.queries import (
    DEFAULT_OWNER,
    compute_grade,
    compute_grades,
    get_risk_event,
    latest_band_config,
    parse_owner,
    resolve_band_table,
    run_evaluation,
)
from anxun.risk.models import BandTableConfig, EnterpriseGradeSnapshot, RiskAssessment
from anxun.standards import services as standards

# Risk identification and grading is the enterprise's duty, led by its head with the safety staff
# (安委办〔2016〕11号, domain.md §2.1).
ASSESSOR_ROLES = {Role.head, Role.safety_officer}
# The daily snapshot grades this many enterprises per round of grouped queries and bulk writes,
# so its memory stays flat at provincial size.
SNAPSHOT_BATCH = 2000


def _insert_unless_exists(model, values: dict, keys: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on the unique `keys`; True when a row was inserted."""
    statement = insert_skipping_conflicts(db.session, model, keys).values(**values)
    statement = statement.returning(model.id)
    return db.session.execute(statement).scalar() is not None


def _require_province_admin(actor: Actor, prefix: str) -> None:
    """Province tables belong to the admins of a provincial regulator of that province."""
    if actor.is_platform_admin:
        return
    for regulator_id in sorted(actor.regulator_ids):
        if Role.regulator_admin not in actor.regulator_roles(regulator_id):
            continue
        regulator = db.session.get(Regulator, regulator_id)
        if regulator.level == "province" and regulator.region_code[:2] == prefix:
            return
    raise Forbidden("只有本省（自治区、直辖市）监管部门管理员可以配置省级风险分级表。")


def _authorize_owner(actor: Actor, owner_key: str) -> None:
    kind, value = parse_owner(owner_key)
    if kind == "region":
        _require_province_admin(actor, value)
        if db.session.get(Region, f"{value}0000") is None:
            raise ValidationFailed(
                "省级行政区划不存在。", [field_error("owner", f"行政区划 {value}0000 不存在。")]
            )
        return
    enterprise = scoping.get_enterprise(actor, int(value), scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, ASSESSOR_ROLES)


def configure_band_table(actor: Actor, owner_key: str, data: dict) -> BandTableConfig:
    """Store a province's or an enterprise's band table as a new version; old versions stay
    because assessments name the version they used. The assessments the new version would
    grade to another level are listed to re-judge (standards.services)."""
    _authorize_owner(actor, owner_key)
    method = data["method"]
    previous = latest_band_config(owner_key, method)
    version = (previous.version if previous else 0) + 1
    code = f"{owner_key.replace(':', '-')}-{method.lower()}"
    bands = [dict(band) for band in data["bands"]]
    problems = []
    table = BandTable(
        code=code,
        version=str(version),
        method=method,
        bands=tuple(Band(**band) for band in bands),
    )
    try:
        validate_band_table(table)
    except ValueError as exc:
        problems.append(field_error("bands", str(exc)))
    control_map = data.get("control_map")
    if control_map is not None:
        try:
            validate_control_map(ControlMap(code, str(version), control_map))
        except ValueError as exc:
            problems.append(field_error("control_map", str(exc)))
    if problems:
        raise ValidationFailed("风险分级表有误。", problems)
    values = {
        "owner_key": owner_key,
        "method": method,
        "code": code,
        "version": version,
        "bands": bands,
        "control_map": control_map,
        "source": data.get("source", ""),
        "created_at": clock.now(),
        "created_by_user_id": actor.user_id,
    }
    if not _insert_unless_exists(BandTableConfig, values, ["owner_key", "method", "version"]):
        raise Conflict("该风险分级表刚被他人更新，请刷新后重试。")
    config = latest_band_config(owner_key, method)
    audit.record(
        actor,
        "configure_band_table",
        "band_table_config",
        config.id,
        {k: v for k, v in values.items() if k not in ("created_at", "created_by_user_id")},
    )
    standards.record_band_table_change(actor, previous, config)
    return config


def assess_risk_event(actor: Actor, event_id: int, data: dict) -> RiskAssessment:
    """Grade a risk event (inherent or residual) by the enterprise's current band table and
    keep the inputs, the table version and the explanation."""
    event = get_risk_event(actor, event_id, scoping.WRITE)
    enterprise = db.session.get(Enterprise, event.enterprise_id)
    scoping.require_enterprise_role(actor, enterprise, ASSESSOR_ROLES)
    factors = dict(data)
    method = factors.pop("method")
    kind = factors.pop("kind")
    table, controls, owner_key = None, None, DEFAULT_OWNER
    if method in METHODS:
        table, controls, owner_key = resolve_band_table(enterprise, method)
    result = run_evaluation(method, factors, table, controls, owner_key)
    return store_assessment(actor, enterprise, event.id, kind, result, "assess_risk_event")


def store_assessment(
    actor: Actor, enterprise: Enterprise, event_id: int, kind: str, result: dict, action: str
) -> RiskAssessment:
    """Keep one evaluation as an assessment: inputs, band table version, score, level, control."""
    assessment = RiskAssessment(
        enterprise_id=enterprise.id,
        risk_event_id=event_id,
        kind=kind,
        method=result["method"],
        factors=result["factors"],
        band_table_code=result["band_table"]["code"],
        band_table_version=result["band_table"]["version"],
        score=Decimal(str(result["score"])),
        level=result["level"]["code"],
        control_level=result["control_level"]["code"],
        explanation=result["explanation"],
        assessor_user_id=actor.user_id,
        assessed_on=clock.today_local(),
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        actor,
        action,
        "risk_assessment",
        assessment.id,
        {
            "risk_event_id": event_id,
            "kind": kind,
            "method": assessment.method,
            "factors": assessment.factors,
            "band_table": f"{assessment.band_table_code}@{assessment.band_table_version}",
            "score": result["score"],
            "level": assessment.level,
        },
    )
    return assessment


def _snapshot_values(result: dict) -> dict:
    inputs = result["inputs"]
    return {
        "score": Decimal(str(result["score"])),
        "colour": result["colour"]["code"],
        "result": result,
        "config_version": result["config_version"],
        "operation_rate": inputs["online_operation_rate"],
        "operation_windows": sum(inputs["occurrences"].values()),
    }


def _stored_snapshots(day: date, enterprise_ids: list[int]) -> dict[int, tuple]:
    """{enterprise id: (snapshot id, result, operation windows)} of the day's stored grades."""
    rows = db.session.execute(
        select(
            EnterpriseGradeSnapshot.enterprise_id,
            EnterpriseGradeSnapshot.id,
            EnterpriseGradeSnapshot.result,
            EnterpriseGradeSnapshot.operation_windows,
        ).where(
            EnterpriseGradeSnapshot.day == day,
            EnterpriseGradeSnapshot.enterprise_id.in_(enterprise_ids),
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def store_grades(day: date, results: dict[int, dict]) -> dict[int, tuple[str, int]]:
    """Store each enterprise's grade as its snapshot of `day` (one per enterprise and day): new
    ones in one bulk INSERT … ON CONFLICT DO NOTHING, changed ones in one bulk UPDATE, equal ones
    untouched. Returns {enterprise id: (created | updated | unchanged, snapshot id)}."""
    stored = _stored_snapshots(day, list(results))
    fresh = [
        {"enterprise_id": eid, "day": day, "created_at": clock.now(), **_snapshot_values(result)}
        for eid, result in results.items()
        if eid not in stored
    ]
    outcome: dict[int, tuple[str, int]] = {}
    if fresh:
        table = EnterpriseGradeSnapshot.__table__
        statement = insert_skipping_conflicts(
            db.session, table, ["enterprise_id", "day"]
        ).returning(table.c.enterprise_id, table.c.id)
        for enterprise_id, snapshot_id in db.session.execute(statement, fresh).all():
            outcome[enterprise_id] = ("created", snapshot_id)
        # Stored meanwhile by another transaction (a grade page read): compare with that one.
        raced = [row["enterprise_id"] for row in fresh if row["enterprise_id"] not in outcome]
        if raced:
            stored.update(_stored_snapshots(day, raced))
    changes = []
    for enterprise_id, (snapshot_id, result, windows) in stored.items():
        if result == results[enterprise_id] and windows is not None:
            outcome[enterprise_id] = ("unchanged", snapshot_id)
        else:
            changes.append({"id": snapshot_id, **_snapshot_values(results[enterprise_id])})
            outcome[enterprise_id] = ("updated", snapshot_id)
    if changes:
        db.session.execute(update(EnterpriseGradeSnapshot), changes)
    return outcome


def refresh_enterprise_grade(actor: Actor, enterprise: Enterprise) -> tuple[dict, str]:
    """Compute today's grade and store it as the day's snapshot (one per enterprise and day).

    Returns the grade and what happened to the snapshot: created, updated or unchanged; only a
    new or changed snapshot is audited, so reading the grade repeatedly adds nothing."""
    day: date = clock.today_local()
    result = compute_grade(enterprise.id, day)
    status, snapshot_id = store_grades(day, {enterprise.id: result})[enterprise.id]
    if status == "unchanged":
        return result, status
    audit.record(
        actor,
        "record_enterprise_grade",
        "enterprise_grade_snapshot",
        snapshot_id,
        {
            "enterprise_id": enterprise.id,
            "day": day.isoformat(),
            "score": result["score"],
            "colour": result["colour"]["code"],
            "config_version": result["config_version"],
            "status": status,
        },
    )
    return result, status


def snapshot_all_grades(actor: Actor) -> dict[str, int]:
    """Today's grade for every enterprise (the daily job): the facts of each batch of enterprises
    in a few grouped queries, the rows written in bulk, and one audit entry for the run carrying
    the counts and the digest of the day's grades (grades_digest). Running it twice changes
    nothing and audits nothing the second time."""
    day: date = clock.today_local()
    ids = list(db.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    colours: Counter[str] = Counter()
    digest = hashlib.sha256()
    for start in range(0, len(ids), SNAPSHOT_BATCH):
        results = compute_grades(ids[start : start + SNAPSHOT_BATCH], day)
        outcome = store_grades(day, results)
        for enterprise_id in sorted(results):
            counts[outcome[enterprise_id][0]] += 1
            colours[results[enterprise_id]["colour"]["code"]] += 1
            digest.update(_digest_line(enterprise_id, results[enterprise_id]))
    if counts["created"] or counts["updated"]:
        audit.record(
            actor,
            "record_enterprise_grades",
            "enterprise_grade_snapshot",
            day.isoformat(),
            {
                "day": day.isoformat(),
                "enterprises": sum(counts.values()),
                **counts,
                "colours": dict(sorted(colours.items())),
                "digest": digest.hexdigest(),
            },
        )
    return counts


def _digest_line(enterprise_id: int, result: dict) -> bytes:
    return (audit.canonical([enterprise_id, result]) + "\n").encode()


def grades_digest(results: dict[int, dict]) -> str:
    """SHA-256 of the day's grades in enterprise order, one canonical JSON line
    `[enterprise_id, result]` each: what the snapshot run's audit entry records, so the stored
    rows can be checked against it later."""
    digest = hashlib.sha256()
    for enterprise_id in sorted(results):
        digest.update(_digest_line(enterprise_id, results[enterprise_id]))
    return digest.hexdigest()
