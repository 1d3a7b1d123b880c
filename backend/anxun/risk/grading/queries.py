"""Read side of risk grading: band-table lookup, the calculator, assessment and grade history."""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from anxun.core.auth import Actor
from anxun.core.errors import NotFound, ValidationFailed
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.risk.grading.bands import Band, BandTable
from anxun.risk.grading.control import ControlMap
from anxun.risk.grading.effectiveness import operation_effectiveness
from anxun.risk.grading.enterprise import DEFAULT_GRADE_CONFIG, enterprise_grade, with_commitment
from anxun.risk.grading.evaluation import describe_method, evaluate
from anxun.risk.grading.exact import FactorError
from anxun.risk.grading.inputs import GradeFacts, gather_grade_facts_of
from anxun.risk.grading.methods import METHODS
from anxun.risk.models import (
    BandTableConfig,
    EnterpriseGradeSnapshot,
    RiskAssessment,
    RiskEvent,
    RiskObject,
    RiskUnit,
)

DEFAULT_OWNER = "default"
NOT_MODELLED = "包保责任履职不到位扣分、隐患数量过少扣分尚未建模，暂按 0 计。"


def province_owner(enterprise: Enterprise) -> str:
    return f"region:{enterprise.region_code[:2]}"


def enterprise_owner(enterprise: Enterprise) -> str:
    return f"enterprise:{enterprise.id}"


def parse_owner(owner_key: str) -> tuple[str, str]:
    """('region', '33') or ('enterprise', '12'); the schema has checked the shape."""
    kind, _, value = owner_key.partition(":")
    return kind, value


def latest_band_config(owner_key: str, method: str) -> BandTableConfig | None:
    return db.session.scalar(
        select(BandTableConfig)
        .where(BandTableConfig.owner_key == owner_key, BandTableConfig.method == method)
        .order_by(BandTableConfig.version.desc())
        .limit(1)
    )


def band_table_of(config: BandTableConfig) -> BandTable:
    return BandTable(
        code=config.code,
        version=str(config.version),
        method=config.method,
        bands=tuple(Band(**band) for band in config.bands),
        source=config.source,
    )


def control_map_of(config: BandTableConfig) -> ControlMap | None:
    if config.control_map is None:
        return None
    return ControlMap(
        code=config.code,
        version=str(config.version),
        mapping=dict(config.control_map),
        source=config.source,
    )


def resolve_band_table(
    enterprise: Enterprise, method: str
) -> tuple[BandTable | None, ControlMap | None, str]:
    """The enterprise's own latest table for `method`, else its province's, else the default
    (None). The control-level mapping comes with the chosen table (default when it has none)."""
    for owner_key in (enterprise_owner(enterprise), province_owner(enterprise)):
        config = latest_band_config(owner_key, method)
        if config is not None:
            return band_table_of(config), control_map_of(config), owner_key
    return None, None, DEFAULT_OWNER


def run_evaluation(
    method, factors: dict, table: BandTable | None, controls, owner_key: str
) -> dict:
    """evaluation.evaluate with bad factors turned into a 422 carrying their field errors."""
    try:
        result = evaluate(method, factors, table, controls)
    except FactorError as exc:
        raise ValidationFailed("评价因子有误。", exc.errors) from exc
    result["band_table"]["owner_key"] = owner_key
    return result


def evaluate_risk(actor: Actor, data: dict) -> dict:
    """The calculator: score and grade without saving, by an enterprise's table when named."""
    factors = dict(data)
    method = factors.pop("method")
    enterprise_id = factors.pop("enterprise_id", None)
    table, controls, owner_key = None, None, DEFAULT_OWNER
    if enterprise_id is not None:
        enterprise = scoping.get_enterprise(actor, enterprise_id, area=scoping.RISK)
        if method in METHODS:
            table, controls, owner_key = resolve_band_table(enterprise, method)
    return run_evaluation(method, factors, table, controls, owner_key)


def describe_methods() -> list[dict]:
    return [describe_method(code) for code in METHODS]


def check_owner_readable(actor: Actor, owner_key: str) -> None:
    """Province tables are public to signed-in users; an enterprise's follow enterprise scope."""
    kind, value = parse_owner(owner_key)
    if kind == "enterprise":
        scoping.get_enterprise(actor, int(value), area=scoping.RISK)


def list_band_tables(actor: Actor, owner_key: str, method: str | None) -> list[BandTableConfig]:
    """Every stored version for the owner (newest first per method); old versions stay."""
    check_owner_readable(actor, owner_key)
    query = select(BandTableConfig).where(BandTableConfig.owner_key == owner_key)
    if method:
        query = query.where(BandTableConfig.method == method)
    return list(
        db.session.scalars(
            query.order_by(BandTableConfig.method, BandTableConfig.version.desc())
        ).all()
    )


def get_risk_event(actor: Actor, event_id: int, access: str = scoping.READ) -> RiskEvent:
    """A risk event whose unit and object are not deleted, within the actor's scope (else 404)."""
    event = db.session.scalar(
        select(RiskEvent)
        .join(RiskUnit, RiskUnit.id == RiskEvent.risk_unit_id)
        .join(RiskObject, RiskObject.id == RiskUnit.risk_object_id)
        .where(
            RiskEvent.id == event_id,
            RiskEvent.deleted_at.is_(None),
            RiskUnit.deleted_at.is_(None),
            RiskObject.deleted_at.is_(None),
        )
    )
    message = "未找到该风险事件，或您无权查看。"
    if event is None:
        raise NotFound(message)
    scoping.get_enterprise(actor, event.enterprise_id, access, scoping.RISK, not_found=message)
    return event


def list_assessments(actor: Actor, event_id: int) -> list[RiskAssessment]:
    """An event's assessments, newest first."""
    event = get_risk_event(actor, event_id)
    return list(
        db.session.scalars(
            select(RiskAssessment)
            .where(RiskAssessment.risk_event_id == event.id)
            .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
        ).all()
    )


def compute_grade(enterprise_id: int, day: date) -> dict:
    """The explained enterprise grade for `day` as plain JSON; the same facts give the same
    result (the basis of the daily snapshot)."""
    return compute_grades([enterprise_id], day)[enterprise_id]


def compute_grades(enterprise_ids: list[int], day: date) -> dict[int, dict]:
    """compute_grade for each enterprise of the list, from one set of grouped fact queries."""
    weight = current_app.config["ANXUN_GRADE_COMMITMENT_WEIGHT"]
    return {
        enterprise_id: _grade_document(enterprise_id, facts, weight)
        for enterprise_id, facts in gather_grade_facts_of(enterprise_ids, day).items()
    }


def _grade_document(enterprise_id: int, facts: GradeFacts, commitment_weight) -> dict:
    config = DEFAULT_GRADE_CONFIG
    if facts.must_commit:
        config = with_commitment(config, commitment_weight)
    grade = enterprise_grade(facts.grade_inputs(), config)
    effectiveness_inputs = facts.effectiveness_inputs()
    effectiveness = operation_effectiveness(**effectiveness_inputs)
    result = {
        "enterprise_id": enterprise_id,
        "day": facts.day.isoformat(),
        **grade,
        "components": [{"name": c["label"], **c} for c in grade["components"]],
        "inputs": facts.as_dict(),
        "operation_effectiveness": {
            **effectiveness,
            "inputs": effectiveness_inputs,
            "not_modelled": NOT_MODELLED,
        },
    }
    return json.loads(json.dumps(result, ensure_ascii=False))


def grade_history(enterprise_id: int, today: date, days: int) -> list[dict]:
    """Stored daily grades of the last `days` days up to `today`, oldest first."""
    rows = db.session.scalars(
        select(EnterpriseGradeSnapshot)
        .where(
            EnterpriseGradeSnapshot.enterprise_id == enterprise_id,
            EnterpriseGradeSnapshot.day > today - timedelta(days=days),
            EnterpriseGradeSnapshot.day <= today,
        )
        .order_by(EnterpriseGradeSnapshot.day)
    ).all()
    return [{"day": row.day, "score": row.score, "colour": row.colour} for row in rows]
