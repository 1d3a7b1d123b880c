"""Pure evaluation of one risk: score by LEC/LS/MES, grade by band table, control level."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from anxun.risk.grading.bands import (
    DEFAULT_BANDS,
    Band,
    BandTable,
    band_for,
    band_interval,
    validate_band_table,
)
from anxun.risk.grading.control import CONTROL_LEVELS, ControlMap, resolve_control_map
from anxun.risk.grading.exact import (
    FactorError,
    exact_value,
    is_finite_number,
    json_number,
    number_text,
)
from anxun.risk.grading.levels import LEVELS
from anxun.risk.grading.methods import METHODS, Method


def _checked_factors(method: Method, factors) -> dict[str, Fraction]:
    if not isinstance(factors, Mapping):
        raise FactorError([{"field": "factors", "message": "评价因子应为“因子: 取值”形式的对象。"}])
    errors, values = [], {}
    for factor in method.factors:
        if factor.symbol not in factors:
            errors.append(
                {
                    "field": factor.symbol,
                    "message": f"请填写 {factor.symbol}（{factor.name}）的取值。",
                }
            )
            continue
        raw = factors[factor.symbol]
        value = exact_value(raw) if is_finite_number(raw) else None
        if value not in factor.values:
            message = f"{factor.symbol} 的取值应为 {factor.allowed_text} 之一。"
            errors.append({"field": factor.symbol, "message": message})
            continue
        values[factor.symbol] = value
    symbols = {factor.symbol for factor in method.factors}
    for key in sorted({str(key) for key in factors} - symbols):
        errors.append({"field": key, "message": f"{key} 不是 {method.code} 法的评价因子。"})
    if errors:
        raise FactorError(errors)
    return values


def _explanation(method: Method, values: dict, score: Fraction, band: Band) -> str:
    lower, lower_inclusive, upper, upper_inclusive = band_interval(band)
    shown = number_text(score)
    text = f"{method.formula} = " + "×".join(number_text(values[f.symbol]) for f in method.factors)
    text += f" = {shown}"
    if lower is None and upper is not None:
        text += f" {'≤' if upper_inclusive else '<'} {number_text(upper)}"
    elif upper is None and lower is not None:
        text += f" {'≥' if lower_inclusive else '>'} {number_text(lower)}"
    elif lower is not None:
        text += (
            f"，{number_text(lower)} {'≤' if lower_inclusive else '<'} {shown} "
            f"{'≤' if upper_inclusive else '<'} {number_text(upper)}"
        )
    label, colour = LEVELS[band.level]
    return f"{text}，属{label}风险（{colour}色）"


def evaluate(
    method: str,
    factors: Mapping,
    bands: BandTable | None = None,
    control_map: ControlMap | Mapping | None = None,
) -> dict:
    """Score one risk with LEC, LS or MES, grade it by the band table, assign a control level."""
    spec = METHODS.get(method) if isinstance(method, str) else None
    if spec is None:
        raise FactorError([{"field": "method", "message": "评价方法应为 LEC、LS、MES 之一。"}])
    values = _checked_factors(spec, factors)
    table = DEFAULT_BANDS[spec.code] if bands is None else bands
    if table.method != spec.code:
        raise ValueError(
            f"风险分级表 {table.code} 适用于 {table.method} 法，不能用于 {spec.code} 法。"
        )
    validate_band_table(table)
    controls = resolve_control_map(control_map)
    score = math.prod(values.values(), start=Fraction(1))
    band = band_for(score, table)
    lower, lower_inclusive, upper, upper_inclusive = band_interval(band)
    label, colour = LEVELS[band.level]
    control = controls.mapping[band.level]
    return {
        "method": spec.code,
        "factors": {symbol: json_number(value) for symbol, value in values.items()},
        "score": json_number(score),
        "level": {"code": band.level, "label": label, "colour": colour},
        "band": {
            "label": band.label,
            "lower": json_number(lower),
            "lower_inclusive": lower_inclusive,
            "upper": json_number(upper),
            "upper_inclusive": upper_inclusive,
            "description": band.description,
        },
        "control_level": {
            "code": control,
            "label": CONTROL_LEVELS[control],
            "verify": controls.verify,
        },
        "explanation": _explanation(spec, values, score, band),
        "band_table": {"code": table.code, "version": table.version, "verify": table.verify},
    }


def describe_method(code: str) -> dict:
    """A JSON-friendly description of a method: factor tables and default bands, for pickers."""
    method = METHODS[code]
    table = DEFAULT_BANDS[code]
    return {
        "code": method.code,
        "name": method.name,
        "formula": method.formula,
        "source": method.source,
        "factors": [
            {
                "symbol": factor.symbol,
                "name": factor.name,
                "verify": factor.verify,
                "values": [
                    {"value": json_number(Fraction(text)), "description": description}
                    for text, description in factor.levels
                ],
            }
            for factor in method.factors
        ],
        "bands": {
            "code": table.code,
            "version": table.version,
            "verify": table.verify,
            "bands": [
                {
                    "level": band.level,
                    "label": band.label,
                    "lower": json_number(band_interval(band)[0]),
                    "lower_inclusive": band.lower_inclusive,
                    "upper": json_number(band_interval(band)[2]),
                    "upper_inclusive": band.upper_inclusive,
                    "description": band.description,
                }
                for band in table.bands
            ],
        },
    }
