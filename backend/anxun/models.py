"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from anxun.accounts.models import LoginAttempt, Membership, RevokedToken, User
from anxun.checklists.models import ChecklistVersion
from anxun.core.audit import AuditEntry
from anxun.orgs.models import (
    Agency,
    Engagement,
    EngagementEnterprise,
    Enterprise,
    EnterpriseIndustry,
    Region,
    Regulator,
)

__all__ = [
    "Agency",
    "AuditEntry",
    "ChecklistVersion",
    "Engagement",
    "EngagementEnterprise",
    "Enterprise",
    "EnterpriseIndustry",
    "LoginAttempt",
    "Membership",
    "Region",
    "Regulator",
    "RevokedToken",
    "User",
]
