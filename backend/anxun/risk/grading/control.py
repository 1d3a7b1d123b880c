"""Pure control levels (管控层级): which level of the enterprise controls each risk level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from anxun.risk.grading.levels import LEVELS, PENDING

CONTROL_LEVELS = {"company": "公司级", "workshop": "车间级", "team": "班组级", "post": "岗位级"}


@dataclass(frozen=True)
class ControlMap:
    """Risk level → control level (管控层级); enterprises may configure their own."""

    code: str
    version: str
    mapping: Mapping[str, str]
    source: str = ""
    verify: str | None = None


# domain.md §2.5 [M]: 重大 → 公司级; 较大 → 公司级 (or 车间级); 一般 → 车间级; 低 → 班组级 (or 岗位级).
DEFAULT_CONTROL_MAP = ControlMap(
    code="control-default",
    version="1",
    mapping=MappingProxyType(
        {"red": "company", "orange": "company", "yellow": "workshop", "blue": "team"}
    ),
    source="domain.md §2.5",
    verify=PENDING,
)


def validate_control_map(control_map: ControlMap) -> None:
    """Raise ValueError (zh-CN) unless every risk level maps to a known control level."""
    problems = []
    for level, (label, _) in LEVELS.items():
        target = control_map.mapping.get(level)
        if target is None:
            problems.append(f"缺少{label}风险（{level}）的管控层级")
        elif target not in CONTROL_LEVELS:
            problems.append(
                f"{label}风险的管控层级 {target} 未知，应为 company、workshop、team、post 之一"
            )
    unknown = sorted(set(control_map.mapping) - set(LEVELS))
    if unknown:
        problems.append(f"风险等级 {'、'.join(map(str, unknown))} 未知")
    if problems:
        raise ValueError(f"管控层级配置 {control_map.code} 有误：" + "；".join(problems) + "。")


def resolve_control_map(control_map: ControlMap | Mapping | None) -> ControlMap:
    if control_map is None:
        return DEFAULT_CONTROL_MAP
    if not isinstance(control_map, ControlMap):
        control_map = ControlMap(code="custom", version="", mapping=dict(control_map))
    validate_control_map(control_map)
    return control_map
