"""Every write to the risk registry (object → unit → event → control measure): create, update,
soft delete, Excel import, the control-measure checklist and hazard links (domain.md §1.2–1.4)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select

from anxun.accounts.roles import Role
from anxun.checklists.loader import content_hash, parse_checklist
from anxun.checklists.models import ChecklistVersion
from anxun.checklists.services import owner_key, store_version
from anxun.core import audit, clock
from anxun.core.auth import Actor
from anxun.core.errors import ValidationFailed, field_error
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Place
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.outbox import events as outbox_events
from anxun.risk.grading.control import CONTROL_LEVELS
from anxun.risk.grading.evaluation import evaluate
from anxun.risk.grading.exact import FactorError
from anxun.risk.grading.levels import LEVELS
from anxun.risk.grading.queries import resolve_band_table
from anxun.risk.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry import queries
from anxun.risk.registry.measure_checklist import CODE as CHECKLIST_CODE
from anxun.risk.registry.measure_checklist import SOURCE_NAME, build_measure_checklist

WRITE_ROLES = frozenset({Role.head, Role.safety_officer})

# National code tables, domain.md §1.4 [C]: classify1 codes 1–4 and their classify2 sub-classes.
CLASSIFY1_LABELS = {
    "engineering": "工程技术",
    "maintenance": "维护保养",
    "operation": "操作行为",
    "emergency": "应急措施",
}
CLASSIFY1_NUMBERS = {"engineering": "1", "maintenance": "2", "operation": "3", "emergency": "4"}
CLASSIFY2_LABELS = {
    "1-1": "工艺控制",
    "1-2": "关键设备/部件",
    "1-3": "安全附件",
    "1-4": "安全仪表",
    "1-5": "其他",
    "2-1": "动设备",
    "2-2": "静设备",
    "2-3": "其他",
    "3-1": "人员资质",
    "3-2": "操作记录",
    "3-3": "交接班",
    "3-4": "其他",
    "4-1": "应急设施",
    "4-2": "个体防护",
    "4-3": "消防设施",
    "4-4": "应急预案",
    "4-5": "其他",
}
# The five kinds of control measure of a risk register (工程技术、管理、培训教育、个体防护、应急处置).
MEASURE_KINDS = {
    "engineering": "工程技术措施",
    "management": "管理措施",
    "training": "培训教育措施",
    "ppe": "个体防护措施",
    "emergency": "应急处置措施",
}
# A measure entered without a kind takes the nearest kind of its national classify1.
KIND_BY_CLASSIFY1 = {
    "engineering": "engineering",
    "maintenance": "management",
    "operation": "management",
    "emergency": "emergency",
}
DATA_SOURCE_LABELS = {"automatic_monitoring": "自动化监控", "hazard_inspection": "隐患排查"}
LEVEL_LABELS = {code: label for code, (label, _) in LEVELS.items()}
# GB 6441-1986 accident types (domain.md §2.1 [C]); 其他 is accepted for the standard's 其它.
ACCIDENT_TYPES = (
    "物体打击",
    "车辆伤害",
    "机械伤害",
    "起重伤害",
    "触电",
    "淹溺",
    "灼烫",
    "火灾",
    "高处坠落",
    "坍塌",
    "冒顶片帮",
    "透水",
    "放炮",
    "火药爆炸",
    "瓦斯爆炸",
    "锅炉爆炸",
    "容器爆炸",
    "其它爆炸",
    "中毒和窒息",
    "其它伤害",
)
ACCIDENT_ALIASES = {"其他爆炸": "其它爆炸", "其他伤害": "其它伤害"}
LEVEL_NOTE_RAISED = "存在未销号隐患，风险等级临时上调"


@dataclass(frozen=True, eq=False)
class Kind:
    """How one registry entity is written: its table, fields, defaults, parent and naming key."""

    model: type
    entity_type: str
    label: str
    fields: tuple[str, ...]
    defaults: dict
    parent_model: type | None
    parent_key: str | None
    name_field: str
    changes_checklist: bool


OBJECT = Kind(
    RiskObject,
    "risk_object",
    "风险分析对象",
    (
        "name",
        "hazard_code",
        "is_major_hazard_source",
        "description",
        "accountable_main",
        "accountable_technical",
        "accountable_operational",
    ),
    {
        "hazard_code": "",
        "is_major_hazard_source": False,
        "description": "",
        "accountable_main": "",
        "accountable_technical": "",
        "accountable_operational": "",
    },
    None,
    None,
    "name",
    False,
)
UNIT = Kind(
    RiskUnit,
    "risk_unit",
    "风险分析单元",
    ("name", "department", "responsible_name", "place_id"),
    {"department": "", "responsible_name": "", "place_id": None},
    RiskObject,
    "risk_object_id",
    "name",
    True,
)
EVENT = Kind(
    RiskEvent,
    "risk_event",
    "安全风险事件",
    ("name", "consequence", "accident_types"),
    {"consequence": "", "accident_types": []},
    RiskUnit,
    "risk_unit_id",
    "name",
    True,
)
MEASURE = Kind(
    ControlMeasure,
    "control_measure",
    "管控措施",
    (
        "description",
        "classify1",
        "classify2",
        "classify3",
        "data_source",
        "check_content",
        "control_level",
        "kind",
    ),
    {
        "classify3": "",
        "data_source": "hazard_inspection",
        "check_content": "",
        "control_level": None,
    },
    RiskEvent,
    "risk_event_id",
    "description",
    True,
)
CHILD_KIND = {RiskObject: UNIT, RiskUnit: EVENT, RiskEvent: MEASURE}

# (field, label, max length, required) of each text field.
TEXT_LIMITS = {
    RiskObject: (
        ("name", "名称", 120, True),
        ("hazard_code", "危险源编码", 64, False),
        ("accountable_main", "包保主要负责人", 40, False),
        ("accountable_technical", "包保技术负责人", 40, False),
        ("accountable_operational", "包保操作负责人", 40, False),
    ),
    RiskUnit: (
        ("name", "名称", 120, True),
        ("department", "责任部门", 80, False),
        ("responsible_name", "责任人", 40, False),
    ),
    RiskEvent: (("name", "名称", 200, True),),
    ControlMeasure: (
        ("description", "管控措施", 2000, True),
        ("classify3", "措施分类三", 80, False),
        ("check_content", "隐患排查内容", 2000, False),
    ),
}
STRIPPED = {
    "name",
    "hazard_code",
    "accountable_main",
    "accountable_technical",
    "accountable_operational",
    "department",
    "responsible_name",
    "description",
    "consequence",
    "classify1",
    "classify2",
    "classify3",
    "check_content",
}


# --- validation (shared by the API and the Excel import) ----------------------------------------


def clean(kind: Kind, data: dict) -> dict:
    """Known fields only, surrounding blanks removed from names, codes and texts."""
    values = {}
    for key in kind.fields:
        if key not in data:
            continue
        value = data[key]
        if key in STRIPPED and isinstance(value, str):
            value = value.strip()
        if key == "accident_types" and isinstance(value, list):
            value = _accident_types(value)
        values[key] = value
    return values


def _accident_types(values: list) -> list:
    seen: list = []
    for value in values:
        value = (
            ACCIDENT_ALIASES.get(value.strip(), value.strip()) if isinstance(value, str) else value
        )
        if value not in seen:
            seen.append(value)
    return seen


def _text_problems(model, values: dict) -> list[tuple[str, str]]:
    problems = []
    for key, label, limit, required in TEXT_LIMITS[model]:
        value = values.get(key) or ""
        if required and not value:
            problems.append((key, f"请填写{label}。"))
        elif len(value) > limit:
            problems.append((key, f"{label}不能超过 {limit} 个字。"))
    return problems


def object_problems(values: dict) -> list[tuple[str, str]]:
    """A risk object's fields; a major hazard source needs its code and three 包保 persons
    (《危险化学品企业重大危险源安全包保责任制办法（试行）》, domain.md §1.2)."""
    problems = _text_problems(RiskObject, values)
    if values.get("is_major_hazard_source"):
        if not values.get("hazard_code"):
            problems.append(("hazard_code", "重大危险源须填写危险源编码。"))
        for key, role in (
            ("accountable_main", "主要负责人"),
            ("accountable_technical", "技术负责人"),
            ("accountable_operational", "操作负责人"),
        ):
            if not values.get(key):
                problems.append((key, f"重大危险源须指定包保{role}。"))
    return problems


def unit_problems(values: dict, enterprise_id: int) -> list[tuple[str, str]]:
    problems = _text_problems(RiskUnit, values)
    place_id = values.get("place_id")
    if place_id is not None:
        place = db.session.get(Place, place_id)
        if place is None or place.enterprise_id != enterprise_id:
            problems.append(("place_id", "所选场所不存在或不属于本企业。"))
    return problems


def event_problems(values: dict) -> list[tuple[str, str]]:
    problems = _text_problems(RiskEvent, values)
    unknown = [t for t in values.get("accident_types") or [] if t not in ACCIDENT_TYPES]
    if unknown:
        shown = "、".join(str(t) for t in unknown)
        problems.append(
            ("accident_types", f"事故类型“{shown}”不属于 GB 6441-1986 规定的 20 类事故。")
        )
    return problems


def measure_problems(values: dict) -> list[tuple[str, str]]:
    """Classification per the national table: classify2's first digit is classify1's code."""
    problems = _text_problems(ControlMeasure, values)
    classify1 = values.get("classify1")
    classify2 = values.get("classify2")
    if classify1 not in CLASSIFY1_LABELS:
        allowed = "、".join(CLASSIFY1_LABELS.values())
        problems.append(("classify1", f"措施分类一应为{allowed}之一。"))
    if classify2 not in CLASSIFY2_LABELS:
        problems.append(("classify2", "措施分类二应为国家代码表中的 1-1 至 4-5 之一。"))
    elif classify1 in CLASSIFY1_LABELS and not classify2.startswith(
        CLASSIFY1_NUMBERS[classify1] + "-"
    ):
        number = CLASSIFY1_NUMBERS[classify1]
        allowed = "、".join(code for code in CLASSIFY2_LABELS if code.startswith(number + "-"))
        problems.append(
            (
                "classify2",
                f"措施分类二“{classify2} {CLASSIFY2_LABELS[classify2]}”不属于"
                f"“{CLASSIFY1_LABELS[classify1]}”，应为 {allowed} 之一。",
            )
        )
    if values.get("data_source") not in DATA_SOURCE_LABELS:
        problems.append(("data_source", "数据来源应为自动化监控或隐患排查。"))
    if values.get("kind") not in MEASURE_KINDS:
        allowed = "、".join(MEASURE_KINDS.values())
        problems.append(("kind", f"措施类别应为{allowed}之一。"))
    level = values.get("control_level")
    if level is not None and level not in CONTROL_LEVELS:
        allowed = "、".join(CONTROL_LEVELS.values())
        problems.append(("control_level", f"管控层级应为{allowed}之一。"))
    return problems


def with_default_kind(kind: Kind, values: dict) -> dict:
    """A new measure given no kind takes the one its classify1 suggests."""
    if kind is MEASURE and values.get("kind") is None:
        values["kind"] = KIND_BY_CLASSIFY1.get(values.get("classify1"), "management")
    return values


def _problems(kind: Kind, values: dict, enterprise_id: int) -> list[tuple[str, str]]:
    if kind is OBJECT:
        return object_problems(values)
    if kind is UNIT:
        return unit_problems(values, enterprise_id)
    if kind is EVENT:
        return event_problems(values)
    return measure_problems(values)


def find_sibling(kind: Kind, parent_id: int, name: str, exclude_id: int | None = None):
    """The non-deleted row with this name under the parent (enterprise for objects), if any."""
    model = kind.model
    parent_column = queries.PARENT_COLUMNS[model]
    query = select(model).where(
        parent_column == parent_id,
        getattr(model, kind.name_field) == name,
        model.deleted_at.is_(None),
    )
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalars(query.order_by(model.id)).first()


def _sibling_problem(kind: Kind, parent_id: int, values: dict, exclude_id=None):
    name = values.get(kind.name_field)
    if name and find_sibling(kind, parent_id, name, exclude_id) is not None:
        where = "本企业" if kind is OBJECT else "同一上级"
        return [(kind.name_field, f"{where}已有同名的{kind.label}“{name}”。")]
    return []


def _raise(kind: Kind, problems: list[tuple[str, str]]) -> None:
    if problems:
        raise ValidationFailed(
            f"{kind.label}信息有误。", [field_error(key, message) for key, message in problems]
        )


# --- writes --------------------------------------------------------------------------------------


def writable_enterprise(actor: Actor, enterprise_id: int) -> Enterprise:
    """The enterprise, if the actor is its head or safety officer (or a platform admin)."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, WRITE_ROLES)
    return enterprise


def snapshot(kind: Kind, row) -> dict:
    return {key: getattr(row, key) for key in kind.fields}


def _parent_id(kind: Kind, row) -> int:
    return row.enterprise_id if kind is OBJECT else getattr(row, kind.parent_key)


def _insert(actor: Actor, kind: Kind, enterprise: Enterprise, parent, values: dict):
    row = kind.model(enterprise_id=enterprise.id, **values)
    if parent is not None:
        setattr(row, kind.parent_key, parent.id)
    db.session.add(row)
    db.session.flush()
    change = snapshot(kind, row)
    if parent is not None:
        change[kind.parent_key] = parent.id
    audit.record(actor, f"create_{kind.entity_type}", kind.entity_type, row.id, change)
    outbox_events.risk_register_changed(kind.entity_type, row, "create")
    return row


def _apply(actor: Actor, kind: Kind, row, values: dict) -> dict:
    """Set changed fields; audit the difference. Returns {field: [before, after]}."""
    diff = {
        key: [getattr(row, key), value]
        for key, value in values.items()
        if getattr(row, key) != value
    }
    if diff:
        for key, (_, after) in diff.items():
            setattr(row, key, after)
        db.session.flush()
        audit.record(actor, f"update_{kind.entity_type}", kind.entity_type, row.id, diff)
        outbox_events.risk_register_changed(kind.entity_type, row, "update", diff)
    return diff


def _create(actor: Actor, kind: Kind, parent_id: int, data: dict):
    if kind is OBJECT:
        enterprise = writable_enterprise(actor, parent_id)
        parent = None
    else:
        parent = queries.load_entity(actor, kind.parent_model, parent_id, scoping.WRITE)
        enterprise = writable_enterprise(actor, parent.enterprise_id)
    values = with_default_kind(kind, {**copy.deepcopy(kind.defaults), **clean(kind, data)})
    problems = _problems(kind, values, enterprise.id)
    problems += _sibling_problem(kind, enterprise.id if parent is None else parent.id, values)
    _raise(kind, problems)
    row = _insert(actor, kind, enterprise, parent, values)
    if kind.changes_checklist:
        publish_measure_checklist(actor, enterprise)
    return row


def _update(actor: Actor, kind: Kind, entity_id: int, data: dict):
    row = queries.load_entity(actor, kind.model, entity_id, scoping.WRITE)
    enterprise = writable_enterprise(actor, row.enterprise_id)
    values = clean(kind, data)
    merged = {**snapshot(kind, row), **values}
    problems = _problems(kind, merged, enterprise.id)
    problems += _sibling_problem(kind, _parent_id(kind, row), values, exclude_id=row.id)
    _raise(kind, problems)
    if _apply(actor, kind, row, values) and kind.changes_checklist:
        publish_measure_checklist(actor, enterprise)
    return row


def _descendants(kind: Kind, row) -> dict[type, list]:
    """Non-deleted children, grandchildren … of a row, by table."""
    found: dict[type, list] = {}
    parents, current = [row.id], kind
    while current.model in CHILD_KIND and parents:
        child = CHILD_KIND[current.model]
        column = queries.PARENT_COLUMNS[child.model]
        rows = list(
            db.session.scalars(
                select(child.model).where(column.in_(parents), child.model.deleted_at.is_(None))
            )
        )
        found[child.model] = rows
        parents, current = [r.id for r in rows], child
    return found


def _delete(actor: Actor, kind: Kind, entity_id: int) -> None:
    """Soft delete: the row and every row below it get deleted_at; reads hide them."""
    row = queries.load_entity(actor, kind.model, entity_id, scoping.WRITE)
    enterprise = writable_enterprise(actor, row.enterprise_id)
    now = clock.now()
    below = _descendants(kind, row)
    row.deleted_at = now
    for rows in below.values():
        for child in rows:
            child.deleted_at = now
    db.session.flush()
    change = {kind.name_field: getattr(row, kind.name_field)}
    change.update({CHILD_KIND_NAMES[model]: len(rows) for model, rows in below.items()})
    audit.record(actor, f"delete_{kind.entity_type}", kind.entity_type, row.id, change)
    outbox_events.risk_register_changed(kind.entity_type, row, "delete")
    publish_measure_checklist(actor, enterprise)


CHILD_KIND_NAMES = {RiskUnit: "units", RiskEvent: "events", ControlMeasure: "measures"}


def create_risk_object(actor: Actor, enterprise_id: int, data: dict) -> RiskObject:
    return _create(actor, OBJECT, enterprise_id, data)


def update_risk_object(actor: Actor, object_id: int, data: dict) -> RiskObject:
    return _update(actor, OBJECT, object_id, data)


def delete_risk_object(actor: Actor, object_id: int) -> None:
    _delete(actor, OBJECT, object_id)


def create_risk_unit(actor: Actor, object_id: int, data: dict) -> RiskUnit:
    return _create(actor, UNIT, object_id, data)


def update_risk_unit(actor: Actor, unit_id: int, data: dict) -> RiskUnit:
    return _update(actor, UNIT, unit_id, data)


def delete_risk_unit(actor: Actor, unit_id: int) -> None:
    _delete(actor, UNIT, unit_id)


def create_risk_event(actor: Actor, unit_id: int, data: dict) -> RiskEvent:
    return _create(actor, EVENT, unit_id, data)


def update_risk_event(actor: Actor, event_id: int, data: dict) -> RiskEvent:
    return _update(actor, EVENT, event_id, data)


def delete_risk_event(actor: Actor, event_id: int) -> None:
    _delete(actor, EVENT, event_id)


def create_control_measure(actor: Actor, event_id: int, data: dict) -> ControlMeasure:
    return _create(actor, MEASURE, event_id, data)


def update_control_measure(actor: Actor, measure_id: int, data: dict) -> ControlMeasure:
    return _update(actor, MEASURE, measure_id, data)


def delete_control_measure(actor: Actor, measure_id: int) -> None:
    _delete(actor, MEASURE, measure_id)


# --- control-measure checklist and hazard links -------------------------------------------------


def publish_measure_checklist(
    actor: Actor, enterprise: Enterprise
) -> tuple[ChecklistVersion | None, bool]:
    """Store the enterprise's checkable measures as checklist "risk-controls" (owned by it).

    Unchanged content is a no-op returning the latest version; changed content becomes a new
    version labelled with the next number. With no checkable measure nothing is stored (a
    checklist needs at least one item): returns (None, False)."""
    measures = queries.checkable_measures(enterprise.id)
    if not measures:
        return None, False
    versions = select(ChecklistVersion).where(
        ChecklistVersion.owner_key == owner_key(enterprise.id),
        ChecklistVersion.code == CHECKLIST_CODE,
    )
    latest = db.session.scalars(versions.order_by(ChecklistVersion.id.desc())).first()
    if latest is not None:
        text = build_measure_checklist(enterprise.name, measures, version=latest.version_label)
        doc, problems = parse_checklist(text, SOURCE_NAME)
        if not problems and content_hash(doc) == latest.version_hash:
            return latest, False
    count = db.session.scalar(select(func.count()).select_from(versions.subquery()))
    text = build_measure_checklist(enterprise.name, measures, version=str(count + 1))
    return store_version(actor, text, SOURCE_NAME, owner=enterprise)


def publish_measure_checklist_for(
    actor: Actor, enterprise_id: int
) -> tuple[ChecklistVersion, bool]:
    """The explicit publish action: 422 when the enterprise has no checkable measure."""
    enterprise = writable_enterprise(actor, enterprise_id)
    version, created = publish_measure_checklist(actor, enterprise)
    if version is None:
        raise ValidationFailed(
            "本企业尚无数据来源为“隐患排查”的管控措施，无法生成检查表。",
            [field_error("measures", "请先在风险分级管控清单中添加隐患排查类管控措施。")],
        )
    return version, created


def link_hazard_to_measure(hazard: Hazard, measure_id: int) -> bool:
    """Tie a hazard raised by a failed control-measure check to the measure and its unit.

    The caller (the inspection sync) audits the hazard it creates. Returns False, changing
    nothing, when the measure does not exist or belongs to another enterprise."""
    measure = db.session.get(ControlMeasure, measure_id)
    if measure is None or measure.enterprise_id != hazard.enterprise_id:
        return False
    event = db.session.get(RiskEvent, measure.risk_event_id)
    hazard.control_measure_id = measure.id
    hazard.risk_unit_id = event.risk_unit_id
    db.session.flush()
    return True


# --- Excel import -------------------------------------------------------------------------------


def _row_error(row: int, field: str, message: str) -> dict:
    return {"field": f"rows.{row}.{field}", "row": row, "message": f"第 {row} 行：{message}"}


def _same_factors(a: dict, b: dict) -> bool:
    def exact(factors: dict) -> dict:
        return {key: Fraction(str(value)) for key, value in factors.items()}

    return exact(a) == exact(b)


@dataclass
class _Node:
    """One planned registry row during an import: its values, match and children by name."""

    kind: Kind
    row: int
    given: dict
    values: dict
    existing: object | None
    children: dict
    assessment: dict | None = None
    assessment_row: int | None = None


class _Plan:
    """Rows merged into a tree by name, matched against the existing registry, validated."""

    def __init__(self, enterprise: Enterprise):
        self.enterprise = enterprise
        self.objects: dict[str, _Node] = {}
        self.errors: list[dict] = []

    def node(self, kind: Kind, siblings: dict, parent: _Node | None, given: dict, row: int):
        name = given[kind.name_field]
        found = siblings.get(name)
        if found is not None:
            if kind is MEASURE:
                self.errors.append(
                    _row_error(row, "description", f"与第 {found.row} 行的管控措施重复。")
                )
                return None
            for key, value in given.items():
                if key in found.given and found.given[key] != value:
                    self.errors.append(
                        _row_error(
                            row,
                            key,
                            f"与第 {found.row} 行同一{kind.label}“{name}”的内容不一致。",
                        )
                    )
            return found
        if parent is None:
            existing = find_sibling(kind, self.enterprise.id, name)
        elif parent.existing is not None:
            existing = find_sibling(kind, parent.existing.id, name)
        else:
            existing = None
        base = snapshot(kind, existing) if existing is not None else copy.deepcopy(kind.defaults)
        values = with_default_kind(kind, {**base, **given})
        for key, message in _problems(kind, values, self.enterprise.id):
            self.errors.append(_row_error(row, key, message))
        node = _Node(kind, row, given, values, existing, {})
        siblings[name] = node
        return node

    def add(self, converted: dict) -> None:
        row = converted["row"]
        self.errors.extend(_row_error(row, key, message) for key, message in converted["errors"])
        if converted["errors"]:
            return
        parent = self.node(OBJECT, self.objects, None, clean(OBJECT, converted["object"]), row)
        for kind, key in ((UNIT, "unit"), (EVENT, "event"), (MEASURE, "measure")):
            given = converted.get(key)
            if parent is None or given is None:
                break
            child = self.node(kind, parent.children, parent, clean(kind, given), row)
            if kind is EVENT and child is not None:
                self.assess(child, converted.get("assessment"), row)
            parent = child

    def assess(self, event: _Node, given: dict | None, row: int) -> None:
        if given is None:
            return
        try:
            table, controls, _ = resolve_band_table(self.enterprise, given["method"])
            result = evaluate(given["method"], given["factors"], table, controls)
        except FactorError as exc:
            for error in exc.errors:
                self.errors.append(
                    _row_error(row, f"assessment.{error['field']}", error["message"])
                )
            return
        score = given.get("score")
        if score is not None and Fraction(str(score)) != Fraction(str(result["score"])):
            self.errors.append(
                _row_error(
                    row,
                    "assessment.score",
                    f"风险值 {score} 与按因子计算的结果 {result['score']} 不一致。",
                )
            )
            return
        if event.assessment is not None:
            if event.assessment["method"] != result["method"] or not _same_factors(
                event.assessment["factors"], result["factors"]
            ):
                self.errors.append(
                    _row_error(
                        row,
                        "assessment",
                        f"与第 {event.assessment_row} 行同一安全风险事件的风险评价不一致。",
                    )
                )
            return
        event.assessment, event.assessment_row = result, row


def import_register(actor: Actor, enterprise_id: int, rows: list[dict]) -> dict:
    """Merge converted sheet rows into the registry by name; all rows are checked first and any
    error rejects the whole file. Importing an exported register again creates nothing."""
    enterprise = writable_enterprise(actor, enterprise_id)
    if not rows:
        raise ValidationFailed("文件中没有数据行。", [field_error("file", "文件中没有数据行。")])
    plan = _Plan(enterprise)
    for converted in rows:
        plan.add(converted)
    if plan.errors:
        raise ValidationFailed(f"共 {len(plan.errors)} 处错误，未导入任何数据。", plan.errors)
    counts = {
        "created": dict.fromkeys(("objects", "units", "events", "measures", "assessments"), 0),
        "updated": dict.fromkeys(("objects", "units", "events", "measures"), 0),
    }
    for node in plan.objects.values():
        _write_node(actor, enterprise, None, node, counts)
    audit.record(
        actor, "import_risk_register", "enterprise", enterprise.id, {"rows": len(rows), **counts}
    )
    publish_measure_checklist(actor, enterprise)
    return {"rows": len(rows), **counts}


PLURAL = {OBJECT: "objects", UNIT: "units", EVENT: "events", MEASURE: "measures"}


def _write_node(actor: Actor, enterprise: Enterprise, parent, node: _Node, counts: dict) -> None:
    if node.existing is None:
        row = _insert(actor, node.kind, enterprise, parent, node.values)
        counts["created"][PLURAL[node.kind]] += 1
    else:
        row = node.existing
        if _apply(actor, node.kind, row, node.given):
            counts["updated"][PLURAL[node.kind]] += 1
    if node.assessment is not None and _store_assessment(actor, enterprise, row, node.assessment):
        counts["created"]["assessments"] += 1
    for child in node.children.values():
        _write_node(actor, enterprise, row, child, counts)


def _store_assessment(actor: Actor, enterprise: Enterprise, event: RiskEvent, result: dict):
    """A residual assessment from the sheet, unless the event's latest already says the same."""
    latest = queries.latest_assessments([event.id]).get(event.id)
    if (
        latest is not None
        and latest.method == result["method"]
        and _same_factors(latest.factors, result["factors"])
    ):
        return None
    from anxun.risk.grading.services import store_assessment  # grading builds on the registry

    return store_assessment(
        actor, enterprise, event.id, "residual", result, "import_risk_assessment"
    )
