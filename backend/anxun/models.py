"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from anxun.accounts.models import LoginAttempt, Membership, RevokedToken, User
from anxun.audits.models import AgencyCertificate, AuditorRead, AuditRun
from anxun.checklists.models import ChecklistVersion
from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard, HazardTransition
from anxun.incidents.models import Incident, IncidentReport
from anxun.inspections.models import (
    Inspection,
    InspectionAnswer,
    InspectionPlan,
    Media,
    Place,
    StopPeriod,
    TaskOccurrence,
)
from anxun.notifications.models import Notification
from anxun.orgs.models import (
    Agency,
    Engagement,
    EngagementEnterprise,
    Enterprise,
    EnterpriseIndustry,
    Region,
    Regulator,
)
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint
from anxun.oversight.models import (
    EnforcementRecord,
    FollowUpCheck,
    Patrol,
    PatrolFinding,
    RectificationOrder,
    RectificationOrderItem,
    SpotCheckAssignment,
    SpotCheckDraw,
    SpotCheckRegistryEntry,
    SupervisedListing,
)
from anxun.risk.models import (
    BandTableConfig,
    ControlMeasure,
    EnterpriseGradeSnapshot,
    MapShape,
    RiskAssessment,
    RiskEvent,
    RiskObject,
    RiskUnit,
    SitePlan,
)

__all__ = [
    "AgencyCertificate",
    "AuditorRead",
    "AuditRun",
    "FollowUpCheck",
    "Incident",
    "IncidentReport",
    "Patrol",
    "PatrolFinding",
    "RectificationOrder",
    "RectificationOrderItem",
    "SpotCheckAssignment",
    "SpotCheckDraw",
    "SpotCheckRegistryEntry",
    "SupervisedListing",
    "EnforcementRecord",
    "BandTableConfig",
    "ControlMeasure",
    "EnterpriseGradeSnapshot",
    "MapShape",
    "RiskAssessment",
    "RiskEvent",
    "RiskObject",
    "RiskUnit",
    "SitePlan",
    "Hazard",
    "HazardTransition",
    "Inspection",
    "InspectionAnswer",
    "InspectionPlan",
    "Media",
    "Notification",
    "OutboxDelivery",
    "OutboxEvent",
    "RegulatorEndpoint",
    "Place",
    "StopPeriod",
    "TaskOccurrence",
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
