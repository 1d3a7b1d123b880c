"""Explicit schemas of the safety-commitment API."""

from __future__ import annotations

from marshmallow import fields, validate

from anxun.commitments.rules import GRADE_LABELS, SOURCE_STATUS_LABELS
from anxun.core.schemas import BaseSchema, Int, LabelledEnum

Text = fields.String
COUNT = validate.Range(min=0, max=10000)


class SourceStatusSchema(BaseSchema):
    risk_object_id = Int(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    hazard_code = Text(load_default="", validate=validate.Length(max=64))
    status = Text(required=True, validate=validate.OneOf(list(SOURCE_STATUS_LABELS)))


class CommitmentCreateSchema(BaseSchema):
    id = fields.UUID(required=True)
    enterprise_id = Int(required=True)
    hazard_sources = fields.List(
        fields.Nested(SourceStatusSchema), load_default=list, validate=validate.Length(max=200)
    )
    special_work = fields.Dict(
        keys=Text(validate=validate.Length(max=32)),
        values=Int(validate=COUNT),
        load_default=dict,
        metadata={"description": "今日特殊作业数量，按类别（动火分级）"},
    )
    maintenance_jobs = Int(load_default=0, validate=COUNT)
    contractor_jobs = Int(load_default=0, validate=COUNT)
    is_startup = fields.Boolean(load_default=False)
    is_shutdown = fields.Boolean(load_default=False)
    is_trial_run = fields.Boolean(load_default=False)
    open_major_hazards = Int(load_default=0, validate=COUNT)
    risk_grade = Text(required=True, validate=validate.OneOf(list(GRADE_LABELS)))
    content = Text(required=True, validate=validate.Length(min=1, max=2000))


class DraftQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class CommitmentCodeLabelSchema(BaseSchema):
    code = Text()
    label = Text()


class SourceViewSchema(BaseSchema):
    risk_object_id = Int()
    name = Text()
    hazard_code = Text()
    status = LabelledEnum(SOURCE_STATUS_LABELS)


class WorkCountSchema(BaseSchema):
    code = Text()
    label = Text()
    count = Int()


class CommitmentSchema(BaseSchema):
    id = Text()
    enterprise_id = Int()
    commit_date = fields.Date()
    hazard_sources = fields.List(fields.Nested(SourceViewSchema))
    special_work = fields.List(fields.Nested(WorkCountSchema))
    maintenance_jobs = Int()
    contractor_jobs = Int()
    is_startup = fields.Boolean()
    is_shutdown = fields.Boolean()
    is_trial_run = fields.Boolean()
    open_major_hazards = Int()
    risk_grade = fields.Nested(CommitmentCodeLabelSchema)
    content = Text()
    signer_name = Text()
    signed_at = fields.DateTime()
    is_late = fields.Boolean()


class FormSourceSchema(BaseSchema):
    risk_object_id = Int()
    name = Text()
    hazard_code = Text()
    status = Text()


class FormSchema(BaseSchema):
    hazard_sources = fields.List(fields.Nested(FormSourceSchema))
    special_work = fields.Dict(keys=Text(), values=Int())
    maintenance_jobs = Int()
    contractor_jobs = Int()
    is_startup = fields.Boolean()
    is_shutdown = fields.Boolean()
    is_trial_run = fields.Boolean()
    open_major_hazards = Int()
    content = Text()
    risk_grade = Text()


class CommitmentRefSchema(BaseSchema):
    id = Int()
    name = Text()


class DraftSchema(BaseSchema):
    enterprise = fields.Nested(CommitmentRefSchema)
    commit_date = fields.Date()
    form = fields.Nested(FormSchema)
    signed = fields.Nested(CommitmentSchema, allow_none=True)
    cutoff = Text()


class TodayRowSchema(BaseSchema):
    enterprise = fields.Nested(CommitmentRefSchema)
    status = fields.Nested(CommitmentCodeLabelSchema)
    commitment = fields.Nested(CommitmentSchema, allow_none=True)


class TodaySchema(BaseSchema):
    commit_date = fields.Date()
    cutoff = Text()
    items = fields.List(fields.Nested(TodayRowSchema))
    missing = fields.List(fields.Nested(CommitmentRefSchema))
