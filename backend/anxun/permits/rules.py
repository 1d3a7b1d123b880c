"""Pure rules of GB 30871—2022 per work kind and grade: approvers, measures, gases, windows.

Every rule carries the clause it comes from. Numbers our reference read in the standard's text
(shared/reference checklists-hazchem-dust.md HC-01…HC-16, checklists-construction-confined.md
§B3–B5) are `verified`; where the text could not be checked the rule says `verify: pending`,
like checklist items. The standard applies to hazardous-chemicals, chemical and pharmaceutical
enterprises (GB 30871—2022 第1章); elsewhere it is a reference.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STANDARD = "GB 30871—2022《危险化学品企业特殊作业安全规范》"
PENDING = "pending"

KIND_LABELS = {
    "hot_work": "动火作业",
    "confined_space": "受限空间作业",
    "blinding": "盲板抽堵作业",
    "height": "高处作业",
    "lifting": "吊装作业",
    "temporary_power": "临时用电作业",
    "excavation": "动土作业",
    "road_closure": "断路作业",
}
GRADE_LABELS = {
    "special": "特级",
    "first": "一级",
    "second": "二级",
    "third": "三级",
    "I": "Ⅰ级",
    "II": "Ⅱ级",
    "III": "Ⅲ级",
    "IV": "Ⅳ级",
    "none": "不分级",
}
GRADES = {
    "hot_work": ("special", "first", "second"),
    "height": ("I", "II", "III", "IV", "special"),
    "lifting": ("first", "second", "third"),
}


@dataclass(frozen=True)
class Basis:
    """Where a rule comes from: the clause of GB 30871—2022 and whether its text was checked."""

    clause: str
    verify: str = ""  # "" when read in the standard's text, else "pending"

    @property
    def citation(self) -> str:
        return f"GB 30871—2022 {self.clause}"

    def as_dict(self) -> dict:
        return {"clause": self.clause, "citation": self.citation, "verify": self.verify or None}


@dataclass(frozen=True)
class ApprovalStep:
    """One signature in the approval chain: a level of the organisation and the roles holding it."""

    code: str
    label: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Measure:
    code: str
    text: str


@dataclass(frozen=True)
class Rule:
    """What one kind and grade of special work requires, each part with its basis."""

    kind: str
    grade: str
    approvals: tuple[ApprovalStep, ...]
    approvals_basis: Basis
    measures: tuple[Measure, ...]
    measures_basis: Basis
    gases: tuple[str, ...]
    gases_basis: Basis
    analysis_max_age: timedelta | None
    analysis_basis: Basis | None
    reanalysis_interval: timedelta | None
    reanalysis_basis: Basis | None
    validity: timedelta
    validity_basis: Basis
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        grade = "" if self.grade == "none" else GRADE_LABELS[self.grade]
        return f"{grade}{KIND_LABELS[self.kind]}"

    @property
    def checklist_version(self) -> str:
        """The measures checklist is data: its content hash is its version."""
        body = json.dumps([[m.code, m.text] for m in self.measures], ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()[:12]


# Approval levels. The system's enterprise roles stand for the standard's levels: the safety
# officer signs for the unit where the work is (所在基层单位) and the safety department; the head
# (主要负责人) signs the top level.
UNIT = ApprovalStep("unit", "作业所在单位负责人", frozenset({"safety_officer", "head"}))
SAFETY = ApprovalStep("safety", "安全管理部门负责人", frozenset({"safety_officer"}))
HEAD = ApprovalStep("head", "主要负责人或其授权人", frozenset({"head"}))

# GB 30871—2022 5.3.2: combustible gas judged by volume fraction, not %LEL.
COMBUSTIBLE = "combustible"
OXYGEN = "oxygen"
TOXIC = "toxic"
GAS_LABELS = {COMBUSTIBLE: "可燃气体", OXYGEN: "氧气", TOXIC: "有毒气体"}

HOT_MEASURES = (
    Measure("HW-01", "动火设备已用盲板或拆除管道与系统隔断，未以水封、关阀代替"),
    Measure("HW-02", "动火点周围孔洞、窨井、地沟等已清理封盖；15 m 内可能泄漏的设备已隔离"),
    Measure("HW-03", "动火期间 30 m 内不排放可燃气体、15 m 内不排放可燃液体"),
    Measure("HW-04", "10 m 内无可燃溶剂清洗、喷漆、可燃粉尘清扫"),
    Measure("HW-05", "乙炔瓶直立并装防回火装置；氧气瓶与乙炔瓶间距 ≥5 m，距动火点 ≥10 m"),
    Measure("HW-06", "配备灭火器材，监护人持票在场"),
)
CONFINED_MEASURES = (
    Measure("CS-01", "连通管道已加盲板或拆除一段，未以水封、关阀代替"),
    Measure("CS-02", "设备已置换、吹扫、清洗"),
    Measure("CS-03", "已自然或强制通风，未通入纯氧或富氧空气"),
    Measure("CS-04", "转动设备已断电、上锁、挂“禁止合闸”牌"),
    Measure("CS-05", "照明电压 ≤36 V，潮湿或狭小容器 ≤12 V；易燃介质容器用防爆灯具"),
    Measure("CS-06", "出入口畅通，线缆、风管不占人员出入口"),
    Measure("CS-07", "配备移动式气体检测仪连续检测"),
    Measure("CS-08", "个体防护与危害匹配（隔绝式呼吸器、救生绳等）"),
    Measure("CS-09", "应急救援器材到位，通信工具可用"),
    Measure("CS-10", "设置警戒区和警示标志，进出人员、工器具登记"),
)
BLINDING_MEASURES = (
    Measure("BL-01", "有盲板位置图，盲板已编号挂牌"),
    Measure("BL-02", "系统已降至常压"),
    Measure("BL-03", "30 m 内无动火作业"),
    Measure("BL-04", "一张作业票只进行一块盲板的一项作业"),
)
HEIGHT_MEASURES = (
    Measure("HT-01", "安全带、安全绳合格并正确系挂"),
    Measure("HT-02", "作业高度 30 m 以上配备通信工具"),
    Measure("HT-03", "五级及以上风、浓雾等恶劣天气停止露天作业"),
)
LIFTING_MEASURES = (
    Measure("LF-01", "一级、二级吊装已编制吊装方案并经审批"),
    Measure("LF-02", "六级及以上大风等恶劣天气停止露天吊装"),
    Measure("LF-03", "未利用管道、管架、电杆作为锚点"),
    Measure("LF-04", "吊物下方及吊臂回转范围内无人"),
)
POWER_MEASURES = (
    Measure("TP-01", "在运行的火灾爆炸危险场所接电前已做可燃气体分析"),
    Measure("TP-02", "漏电保护“一机一闸一保护”"),
    Measure("TP-03", "架空 ≥2.5 m，跨机动车道 ≥5 m，埋地 ≥0.7 m"),
)
EXCAVATION_MEASURES = (
    Measure("EX-01", "已查明地下管线、电缆并标识"),
    Measure("EX-02", "弃土距坑边 ≥1 m、高度 ≤1.5 m"),
    Measure("EX-03", "挖深 >1.2 m 且有管线窨井的危险区按受限空间管理"),
)
ROAD_MEASURES = (
    Measure("RC-01", "已制定交通组织方案，保证消防车通行"),
    Measure("RC-02", "设置路障和警示标志，夜间设警示灯"),
)

_HOT_APPROVALS = {"special": (UNIT, SAFETY, HEAD), "first": (UNIT, SAFETY), "second": (UNIT,)}
_HOT_VALIDITY = {"special": 8, "first": 8, "second": 72}
_HEIGHT_APPROVALS = {
    "I": (UNIT,),
    "II": (UNIT,),
    "III": (UNIT, SAFETY),
    "IV": (UNIT, SAFETY),
    "special": (UNIT, SAFETY, HEAD),
}
_LIFTING_APPROVALS = {"first": (UNIT, SAFETY, HEAD), "second": (UNIT, SAFETY), "third": (UNIT,)}

MINUTES_30 = timedelta(minutes=30)


def _hot(grade: str) -> Rule:
    return Rule(
        kind="hot_work",
        grade=grade,
        approvals=_HOT_APPROVALS[grade],
        approvals_basis=Basis("5.1", PENDING),
        measures=HOT_MEASURES,
        measures_basis=Basis("5.2.2、5.2.4、5.2.8、5.2.9、5.2.12"),
        gases=(COMBUSTIBLE,),
        gases_basis=Basis("5.3.2"),
        analysis_max_age=MINUTES_30,
        analysis_basis=Basis("5.3.1"),
        # 特级: monitored throughout (5.3.1); the recording interval is not in our reference.
        reanalysis_interval=MINUTES_30 if grade == "special" else None,
        reanalysis_basis=Basis("5.3.1", PENDING) if grade == "special" else None,
        validity=timedelta(hours=_HOT_VALIDITY[grade]),
        validity_basis=Basis("5.1.1～5.1.5"),
    )


def _simple(kind: str, measures, validity: timedelta, validity_basis: Basis, gases=()) -> Rule:
    return Rule(
        kind=kind,
        grade="none",
        approvals=(UNIT,),
        approvals_basis=Basis("4", PENDING),
        measures=measures,
        measures_basis=Basis(_MEASURE_CLAUSES[kind]),
        gases=tuple(gases),
        gases_basis=Basis("10.1") if gases else Basis("—"),
        analysis_max_age=MINUTES_30 if gases else None,
        analysis_basis=Basis("5.3.1") if gases else None,
        reanalysis_interval=None,
        reanalysis_basis=None,
        validity=validity,
        validity_basis=validity_basis,
    )


_MEASURE_CLAUSES = {
    "blinding": "7.1、7.3～7.6、7.10、7.11",
    "temporary_power": "10.1、10.6",
    "excavation": "11.5、11.10",
    "road_closure": "12.1、12.4",
}


def rule_for(kind: str, grade: str = "none") -> Rule:
    """The rule for one kind and grade; ValueError when the pair does not exist."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown kind {kind}")
    grades = GRADES.get(kind, ("none",))
    if grade not in grades:
        raise ValueError(f"{kind} has no grade {grade}")
    if kind == "hot_work":
        return _hot(grade)
    if kind == "confined_space":
        return Rule(
            kind=kind,
            grade="none",
            approvals=(UNIT,),
            approvals_basis=Basis("6", PENDING),
            measures=CONFINED_MEASURES,
            measures_basis=Basis("6.1、6.2、6.3 e)、6.6、6.8、附录A 表A.2"),
            gases=(OXYGEN, COMBUSTIBLE, TOXIC),
            gases_basis=Basis("6.4"),
            analysis_max_age=MINUTES_30,
            analysis_basis=Basis("6.3 a)"),
            reanalysis_interval=timedelta(hours=2),
            reanalysis_basis=Basis("6.5"),
            validity=timedelta(hours=24),
            validity_basis=Basis("6.10"),
        )
    if kind == "height":
        return Rule(
            kind=kind,
            grade=grade,
            approvals=_HEIGHT_APPROVALS[grade],
            approvals_basis=Basis("8", PENDING),
            measures=HEIGHT_MEASURES,
            measures_basis=Basis("8.2.1、8.2.6、8.2.11"),
            gases=(),
            gases_basis=Basis("—"),
            analysis_max_age=None,
            analysis_basis=None,
            reanalysis_interval=None,
            reanalysis_basis=None,
            validity=timedelta(days=7),
            validity_basis=Basis("8.2", PENDING),
        )
    if kind == "lifting":
        return Rule(
            kind=kind,
            grade=grade,
            approvals=_LIFTING_APPROVALS[grade],
            approvals_basis=Basis("9", PENDING),
            measures=LIFTING_MEASURES,
            measures_basis=Basis("9.2.1、9.2.4、9.2.8、9.2.10"),
            gases=(),
            gases_basis=Basis("—"),
            analysis_max_age=None,
            analysis_basis=None,
            reanalysis_interval=None,
            reanalysis_basis=None,
            validity=timedelta(hours=24),
            validity_basis=Basis("9", PENDING),
        )
    if kind == "temporary_power":
        return _simple(kind, POWER_MEASURES, timedelta(days=15), Basis("10.8"), (COMBUSTIBLE,))
    measures = {
        "blinding": BLINDING_MEASURES,
        "excavation": EXCAVATION_MEASURES,
        "road_closure": ROAD_MEASURES,
    }[kind]
    return _simple(kind, measures, timedelta(hours=24), Basis("4", PENDING))


def all_rules() -> list[Rule]:
    return [rule_for(kind, grade) for kind in KIND_LABELS for grade in GRADES.get(kind, ("none",))]


def lifting_grade(load_tonnes: float) -> str:
    """GB 30871—2022 9.1: >100 t 一级, 40 t～100 t 二级, <40 t 三级."""
    if load_tonnes > 100:
        return "first"
    if load_tonnes >= 40:
        return "second"
    return "third"


LIFTING_GRADE_BASIS = Basis("9.1")


def height_grade(height_m: float) -> str:
    """Height grade by the height of the work above its fall datum (2 m and up is height work)."""
    if height_m > 30:
        return "IV"
    if height_m > 15:
        return "III"
    if height_m > 5:
        return "II"
    return "I"


HEIGHT_GRADE_BASIS = Basis("8.1", PENDING)


# --- gas limits -----------------------------------------------------------------------------

OXYGEN_RANGE = (19.5, 21.0)  # % vol, GB 30871—2022 6.4 a)
OXYGEN_BASIS = Basis("6.4 a)")
COMBUSTIBLE_BASIS = Basis("5.3.2")
# Toxic limits (mg/m³) from GBZ 2.1—2019: MAC where it has one, else PC-STEL for a spot reading.
# Our reference holds these second-hand (◐), hence pending.
TOXIC_LIMITS = {
    "h2s": ("硫化氢", 10.0, 34.08),
    "co": ("一氧化碳", 30.0, 28.01),
    "nh3": ("氨", 30.0, 17.03),
    "cl2": ("氯气", 1.0, 70.90),
    "so2": ("二氧化硫", 10.0, 64.07),
    "no2": ("二氧化氮", 10.0, 46.01),
    "hcn": ("氰化氢", 1.0, 27.03),
    "benzene": ("苯", 10.0, 78.11),
}
TOXIC_BASIS = Basis("6.4 b)（限值见 GBZ 2.1—2019）", PENDING)
UNITS = {OXYGEN: ("%vol",), COMBUSTIBLE: ("%vol", "%LEL"), TOXIC: ("mg/m3", "ppm")}
MOLAR_VOLUME = 24.04  # L/mol at 20 °C, 101.3 kPa


@dataclass(frozen=True)
class Judgement:
    """A reading judged against its limit; `message` is zh-CN and names the limit and its clause."""

    is_within_limit: bool
    limit: str
    message: str
    basis: Basis


def combustible_limit(lel_percent: float) -> float:
    """Highest allowed volume fraction (% vol): 0.5 when the medium's LEL ≥4 %, else 0.2."""
    return 0.5 if lel_percent >= 4 else 0.2


def judge_reading(
    gas: str, value: float, unit: str, *, lel_percent: float | None = None, substance: str = ""
) -> Judgement:
    """Judge one reading; ValueError for a unit or substance the rules cannot judge."""
    if unit not in UNITS.get(gas, ()):
        raise ValueError("unit")
    if gas == OXYGEN:
        low, high = OXYGEN_RANGE
        ok = low <= value <= high
        limit = f"{low}%～{high}%（体积分数）"
        return Judgement(
            ok, limit, f"氧含量 {value}% {'合格' if ok else '超出 ' + limit}", OXYGEN_BASIS
        )
    if gas == COMBUSTIBLE:
        if lel_percent is None or lel_percent <= 0:
            raise ValueError("lel_percent")
        allowed = combustible_limit(lel_percent)
        volume = value if unit == "%vol" else lel_percent * value / 100
        ok = volume <= allowed
        limit = f"≤{allowed}%（体积分数，爆炸下限 {lel_percent}%）"
        shown = f"{round(volume, 3)}%（体积分数）"
        text = f"可燃气体 {shown} {'合格' if ok else '超出 ' + limit}"
        return Judgement(ok, limit, text, COMBUSTIBLE_BASIS)
    if gas == TOXIC:
        if substance not in TOXIC_LIMITS:
            raise ValueError("substance")
        name, limit_mg, molar_mass = TOXIC_LIMITS[substance]
        mg = value if unit == "mg/m3" else value * molar_mass / MOLAR_VOLUME
        ok = mg <= limit_mg
        limit = f"≤{limit_mg} mg/m³"
        text = f"{name} {round(mg, 2)} mg/m³ {'合格' if ok else '超出 ' + limit}"
        return Judgement(ok, limit, text, TOXIC_BASIS)
    raise ValueError("gas")


# --- combinations ---------------------------------------------------------------------------

# Pairs of kinds that may not be under way at one place at the same time, with the reason.
FORBIDDEN_TOGETHER = {
    frozenset({"blinding", "hot_work"}): (
        "盲板抽堵作业 30 m 内不得有动火作业",
        Basis("7", PENDING),
    ),
    frozenset({"blinding"}): ("同一管道上不得同时进行两处及以上盲板抽堵作业", Basis("7", PENDING)),
}
ONE_PLACE_BASIS = Basis("4", PENDING)  # one hot-work permit, one place (一个动火点一张票)


def forbidden_with(kind: str, other_kind: str) -> tuple[str, Basis] | None:
    """Why `kind` may not start while `other_kind` is under way at the same place, or None."""
    return FORBIDDEN_TOGETHER.get(frozenset({kind, other_kind}))


def required_gases(rule: Rule, inside_confined_space: bool) -> tuple[str, ...]:
    """Hot work inside a confined space also needs the space's oxygen and toxic analysis (6.4)."""
    wanted = set(rule.gases) | ({OXYGEN, COMBUSTIBLE, TOXIC} if inside_confined_space else set())
    return tuple(gas for gas in (OXYGEN, COMBUSTIBLE, TOXIC) if gas in wanted)


def reanalysis_interval(rule: Rule, inside_confined_space: bool) -> tuple[timedelta, Basis] | None:
    """How often a reading is due while the work goes on: the space's 2 h (6.5) applies to any
    work inside a confined space; otherwise the kind's own interval."""
    candidates = []
    if rule.reanalysis_interval is not None:
        candidates.append((rule.reanalysis_interval, rule.reanalysis_basis))
    if inside_confined_space and rule.kind != "confined_space":
        space = rule_for("confined_space")
        candidates.append((space.reanalysis_interval, space.reanalysis_basis))
    return min(candidates, key=lambda c: c[0]) if candidates else None


def window_problem(rule: Rule, valid_from: datetime, valid_to: datetime) -> str | None:
    """Why a requested validity window is not allowed, or None."""
    if valid_to <= valid_from:
        return "结束时间须晚于开始时间。"
    if valid_to - valid_from > rule.validity:
        hours = int(rule.validity.total_seconds() // 3600)
        span = f"{hours // 24} 天" if hours % 24 == 0 and hours >= 48 else f"{hours} 小时"
        return f"{rule.label}作业票有效期不得超过 {span}（{rule.validity_basis.citation}）。"
    return None


def analysis_is_fresh(rule_age: timedelta | None, taken_at: datetime, at: datetime) -> bool:
    """A pre-work analysis counts only if taken at most `rule_age` before `at` (and not after)."""
    if rule_age is None:
        return True
    return taken_at <= at and at - taken_at <= rule_age


def reanalysis_due_at(last_reading_at: datetime, interval: timedelta) -> datetime:
    return last_reading_at + interval


def is_past_window(valid_to: datetime, at: datetime) -> bool:
    return at > valid_to
