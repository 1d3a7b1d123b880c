"""Pure grading methods LEC, LS and MES: their factor tables and reachable scores."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import product

from anxun.risk.grading.levels import PENDING


@dataclass(frozen=True)
class Factor:
    """One factor of a method: its symbol, name and allowed values (decimal text, description)."""

    symbol: str
    name: str
    levels: tuple[tuple[str, str], ...]
    verify: str | None = None

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(text) for text, _ in self.levels)

    @property
    def allowed_text(self) -> str:
        return "、".join(text for text, _ in self.levels)


@dataclass(frozen=True)
class Method:
    """A grading method: the score is the product of its factors."""

    code: str
    name: str
    score_symbol: str
    factors: tuple[Factor, ...]
    source: str

    @property
    def formula(self) -> str:
        return f"{self.score_symbol} = " + "×".join(f.symbol for f in self.factors)


LEC = Method(
    code="LEC",
    name="作业条件危险性评价法（LEC）",
    score_symbol="D",
    factors=(
        Factor(
            "L",
            "事故发生的可能性",
            (
                ("10", "完全可以预料"),
                ("6", "相当可能"),
                ("3", "可能，但不经常"),
                ("1", "可能性小，完全意外"),
                ("0.5", "很不可能，可以设想"),
                ("0.2", "极不可能"),
                ("0.1", "实际不可能"),
            ),
        ),
        Factor(
            "E",
            "暴露于危险环境的频繁程度",
            (
                ("10", "连续暴露"),
                ("6", "每天工作时间内暴露"),
                ("3", "每周一次或偶然暴露"),
                ("2", "每月一次暴露"),
                ("1", "每年几次暴露"),
                ("0.5", "非常罕见地暴露"),
            ),
        ),
        Factor(
            "C",
            "发生事故可能造成的后果",
            (
                ("100", "大灾难，许多人死亡"),
                ("40", "灾难，数人死亡"),
                ("15", "非常严重，一人死亡"),
                ("7", "严重，重伤"),
                ("3", "重大，致残"),
                ("1", "引人注目，需要救护"),
            ),
        ),
    ),
    source="domain.md §2.2",
)


# domain.md §2.3 confirms only the end points (5 and 1) of each scale; the texts for 4–2 follow
# common practice and are recalled, so both scales are marked pending.
LS = Method(
    code="LS",
    name="风险矩阵法（LS）",
    score_symbol="R",
    factors=(
        Factor(
            "L",
            "事故发生的可能性",
            (
                ("5", "无防范、监测、控制措施或危害无法察觉，正常情况下经常发生"),
                ("4", "危害不易发现，无监测，或控制措施未有效执行"),
                ("3", "无保护措施或未严格按操作规程执行，或曾发生类似事件"),
                ("2", "危害发生能及时发现并定期监测，或控制措施能有效执行，偶尔发生"),
                ("1", "有充分、有效的防范、控制、监测、保护措施，极不可能发生"),
            ),
            verify=PENDING,
        ),
        Factor(
            "S",
            "事故后果的严重性",
            (
                ("5", "违反法律法规；造成死亡；重大财产损失；多套装置停工；重大国际影响"),
                ("4", "潜在违反法规；丧失劳动能力；较大财产损失；装置停工；行业或省内影响"),
                ("3", "不符合上级或行业规定；截肢、骨折等伤害；一定财产损失；部分停工；地区影响"),
                ("2", "不符合企业规定；轻微受伤；较小财产损失；设备停工；企业及周边影响"),
                ("1", "完全符合；无伤亡；无损失；无影响"),
            ),
            verify=PENDING,
        ),
    ),
    source="domain.md §2.3",
)


MES = Method(
    code="MES",
    name="MES 评价法",
    score_symbol="R",
    factors=(
        Factor(
            "M",
            "控制措施的状态",
            (
                ("5", "无控制措施"),
                ("3", "有减轻后果的应急措施，如报警系统、个体防护用品"),
                ("1", "有有效的预防措施"),
            ),
        ),
        Factor(
            "E",
            "人体暴露或危险状态出现的频繁程度",
            (
                ("10", "连续暴露或常态"),
                ("6", "每天工作时间内暴露"),
                ("3", "每周一次或偶然暴露"),
                ("2", "每月一次暴露"),
                ("1", "每年几次暴露"),
                ("0.5", "更少地暴露"),
            ),
        ),
        Factor(
            "S",
            "事故的可能后果（人身伤害）",
            (
                ("10", "多人死亡"),
                ("8", "一人死亡或多人永久失能"),
                ("4", "一人永久失能"),
                ("2", "需医院治疗，缺工"),
                ("1", "轻微，仅需急救"),
            ),
            verify=PENDING,
        ),
    ),
    source="domain.md §2.4",
)


METHODS = {method.code: method for method in (LEC, LS, MES)}


@cache
def reachable_scores(method_code: str) -> tuple[Fraction, ...]:
    """Every score the method's factor tables can produce, ascending."""
    method = METHODS[method_code]
    products = {math.prod(combo, start=Fraction(1)) for combo in product(*_factor_values(method))}
    return tuple(sorted(products))


def _factor_values(method: Method) -> list[tuple[Fraction, ...]]:
    return [factor.values for factor in method.factors]
