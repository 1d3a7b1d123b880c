"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from anxun.accounts.models import (
    AuthSession,
    LoginAttempt,
    Membership,
    RefreshToken,
    RevokedToken,
    User,
)
from anxun.audits.models import AgencyCertificate, AuditorRead, AuditRun
from anxun.campaigns.models import Campaign, CampaignCheck, CampaignSample, CampaignTarget
from anxun.checklists.models import ChecklistVersion
from anxun.commitments.models import SafetyCommitment
from anxun.core.audit import AuditCheckpoint, AuditEntry
from anxun.core.jobs import JobLease
from anxun.evidence.models import EvidenceAnswer, EvidenceRequest
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
from anxun.permits.models import (
    GasReading,
    Permit,
    PermitApproval,
    PermitMeasure,
    PermitTransition,
    WorkStop,
)
from anxun.risk.models import (
    AccountablePerson,
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
from anxun.standards.models import RejudgeItem, StandardChange

__all__ = [
    "Campaign",
    "CampaignCheck",
    "CampaignSample",
    "CampaignTarget",
    "SafetyCommitment",
    "AgencyCertificate",
    "AuditorRead",
    "AuditRun",
    "EvidenceAnswer",
    "EvidenceRequest",
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
    "AccountablePerson",
    "BandTableConfig",
    "ControlMeasure",
    "EnterpriseGradeSnapshot",
    "MapShape",
    "RiskAssessment",
    "RiskEvent",
    "RiskObject",
    "RiskUnit",
    "SitePlan",
    "StandardChange",
    "RejudgeItem",
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
    "Permit",
    "PermitApproval",
    "PermitMeasure",
    "PermitTransition",
    "GasReading",
    "WorkStop",
    "StopPeriod",
    "TaskOccurrence",
    "Agency",
    "AuditCheckpoint",
    "AuditEntry",
    "JobLease",
    "ChecklistVersion",
    "Engagement",
    "EngagementEnterprise",
    "Enterprise",
    "EnterpriseIndustry",
    "LoginAttempt",
    "AuthSession",
    "RefreshToken",
    "Membership",
    "Region",
    "Regulator",
    "RevokedToken",
    "User",
]
