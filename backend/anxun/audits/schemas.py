"""Marshmallow schemas for audit runs, findings, signatures and the auditors' read log."""

from __future__ import annotations

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.hazards.workflow import STATE_LABELS as HAZARD_STATE_LABELS

STATE_LABELS = {"open": "进行中", "signed": "已签署"}
LEVEL_LABELS = {"general": "一般隐患", "major": "重大隐患"}
COMMISSIONED_BY_LABELS = {"regulator": "监管部门委托", "enterprise": "企业委托"}


class AuditRunCreateSchema(BaseSchema):
    engagement_id = Int(required=True)
    enterprise_id = Int(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scope = fields.String(load_default="", validate=validate.Length(max=4000))
    method = fields.String(load_default="", validate=validate.Length(max=4000))


class AuditRunListQuerySchema(PageQuerySchema):
    engagement_id = fields.Integer(load_default=None)
    enterprise_id = fields.Integer(load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(list(STATE_LABELS)))


class FindingCreateSchema(BaseSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    basis = fields.String(load_default="", validate=validate.Length(max=500))
    proposed_level = fields.String(
        load_default="general", validate=validate.OneOf(list(LEVEL_LABELS))
    )
    place_id = Int(load_default=None, allow_none=True)
    media_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))


class SignatureSchema(BaseSchema):
    conclusion = fields.String(required=True, validate=validate.Length(min=1, max=8000))
    expected_state = fields.String(required=True, validate=validate.OneOf(list(STATE_LABELS)))


class AuditRunSchema(BaseSchema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    engagement_title = fields.String()
    agency_id = fields.Integer()
    agency_name = fields.String()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    title = fields.String()
    scope = fields.String()
    method = fields.String()
    conclusion = fields.String()
    state = LabelledEnum(STATE_LABELS)
    opened_by = fields.String()
    opened_at = fields.DateTime()
    signed_by = fields.String(allow_none=True)
    signed_at = fields.DateTime(allow_none=True)
    report_sha256 = fields.String(allow_none=True)
    signer_fingerprint = fields.String(allow_none=True)


class AuditRunPageSchema(BaseSchema):
    items = fields.List(fields.Nested(AuditRunSchema))
    next_cursor = fields.String(allow_none=True)


class RunEngagementSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    commissioned_by = LabelledEnum(COMMISSIONED_BY_LABELS)
    commissioning_party = fields.String()
    scope = fields.List(fields.String())
    valid_from = fields.Date()
    valid_to = fields.Date()


class RunInspectionSchema(BaseSchema):
    id = fields.String()
    finished_at = fields.DateTime()
    inspector_name = fields.String()
    summary = fields.Dict()


class RunFindingSchema(BaseSchema):
    id = fields.String()
    title = fields.String()
    item_id = fields.String(allow_none=True)
    item_text = fields.String(allow_none=True)
    proposed_level = LabelledEnum(LEVEL_LABELS)
    level = LabelledEnum(LEVEL_LABELS, allow_none=True)
    state = LabelledEnum(HAZARD_STATE_LABELS)
    reported_at = fields.DateTime()
    media_ids = fields.List(fields.String())


class AuditRunDetailSchema(AuditRunSchema):
    engagement = fields.Nested(RunEngagementSchema)
    inspections = fields.List(fields.Nested(RunInspectionSchema))
    findings = fields.List(fields.Nested(RunFindingSchema))


class FindingSchema(BaseSchema):
    id = fields.String()
    enterprise_id = fields.Integer()
    source = fields.String()
    title = fields.String()
    proposed_level = LabelledEnum(LEVEL_LABELS)
    state = LabelledEnum(HAZARD_STATE_LABELS)


class VerificationSchema(BaseSchema):
    ok = fields.Boolean()
    message = fields.String()
    sha256_matches = fields.Boolean()
    signer_fingerprint = fields.String(allow_none=True)
    signer_name = fields.String(allow_none=True)


class ReadListQuerySchema(PageQuerySchema):
    enterprise_id = fields.Integer(load_default=None)
    engagement_id = fields.Integer(load_default=None)
    user_id = fields.Integer(load_default=None)


class AuditorReadSchema(BaseSchema):
    id = fields.Integer()
    user_id = fields.Integer()
    user_name = fields.String()
    agency_id = fields.Integer()
    agency_name = fields.String()
    engagement_id = fields.Integer(allow_none=True)
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    method = fields.String()
    path = fields.String()
    subject = fields.String(metadata={"description": "查阅内容（文字说明）"})
    created_at = fields.DateTime()


class AuditorReadPageSchema(BaseSchema):
    items = fields.List(fields.Nested(AuditorReadSchema))
    next_cursor = fields.String(allow_none=True)
