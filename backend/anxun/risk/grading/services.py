"""Writes of risk grading: band-table versions, risk assessments and daily enterprise grades."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from anxun.accounts.roles import Role
from anxun.core import audit, clock
from anxun.core.auth import Actor
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


def _insert_unless_exists(model, values: dict, keys: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on the unique `keys`; True when a row was inserted."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(model.id)
    )
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


def refresh_enterprise_grade(actor: Actor, enterprise: Enterprise) -> tuple[dict, str]:
    """Compute today's grade and store it as the day's snapshot (one per enterprise and day).

    Returns the grade and what happened to the snapshot: created, updated or unchanged; only a
    new or changed snapshot is audited, so reading the grade repeatedly adds nothing."""
    day: date = clock.today_local()
    result = compute_grade(enterprise.id, day)
    inputs = result["inputs"]
    values = {
        "score": Decimal(str(result["score"])),
        "colour": result["colour"]["code"],
        "result": result,
        "config_version": result["config_version"],
        "operation_rate": inputs["online_operation_rate"],
        "operation_windows": sum(inputs["occurrences"].values()),
    }
    created = _insert_unless_exists(
        EnterpriseGradeSnapshot,
        {"enterprise_id": enterprise.id, "day": day, "created_at": clock.now(), **values},
        ["enterprise_id", "day"],
    )
    snapshot = db.session.scalar(
        select(EnterpriseGradeSnapshot).where(
            EnterpriseGradeSnapshot.enterprise_id == enterprise.id,
            EnterpriseGradeSnapshot.day == day,
        )
    )
    if created:
        status = "created"
    elif snapshot.result == result and snapshot.operation_windows is not None:
        return result, "unchanged"
    else:
        for name, value in values.items():
            setattr(snapshot, name, value)
        db.session.flush()
        status = "updated"
    audit.record(
        actor,
        "record_enterprise_grade",
        "enterprise_grade_snapshot",
        snapshot.id,
        {
            "enterprise_id": enterprise.id,
            "day": day.isoformat(),
            "score": result["score"],
            "colour": values["colour"],
            "config_version": values["config_version"],
            "status": status,
        },
    )
    return result, status


def snapshot_all_grades(actor: Actor) -> dict[str, int]:
    """Today's grade for every enterprise (the daily job); running it twice changes nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for enterprise in db.session.scalars(select(Enterprise).order_by(Enterprise.id)).all():
        _, status = refresh_enterprise_grade(actor, enterprise)
        counts[status] += 1
    return counts
