"""Pure role table: which roles exist, which organisation each attaches to, their labels."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    head = "head"
    safety_officer = "safety_officer"
    inspector = "inspector"
    rectifier = "rectifier"
    regulator_admin = "regulator_admin"
    regulator_inspector = "regulator_inspector"
    auditor = "auditor"
    platform_admin = "platform_admin"


ENTERPRISE_ROLES = frozenset({Role.head, Role.safety_officer, Role.inspector, Role.rectifier})
REGULATOR_ROLES = frozenset({Role.regulator_admin, Role.regulator_inspector})
AGENCY_ROLES = frozenset({Role.auditor})

ROLE_LABELS = {
    Role.head: "主要负责人",
    Role.safety_officer: "安全管理人员",
    Role.inspector: "排查人员",
    Role.rectifier: "整改责任人",
    Role.regulator_admin: "监管部门管理员",
    Role.regulator_inspector: "监管执法人员",
    Role.auditor: "第三方机构审核员",
    Role.platform_admin: "平台管理员",
}


def org_kind(role: str) -> str | None:
    """The organisation column a membership of this role must fill (None: platform-wide)."""
    if role in ENTERPRISE_ROLES:
        return "enterprise"
    if role in REGULATOR_ROLES:
        return "regulator"
    if role in AGENCY_ROLES:
        return "agency"
    return None
