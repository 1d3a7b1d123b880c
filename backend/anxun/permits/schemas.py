"""Request and response schemas for special-work permits and the bureau's live view."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int
from anxun.permits.rules import GRADE_LABELS, KIND_LABELS, TOXIC_LIMITS
from anxun.permits.workflow import STATE_LABELS

GASES = ["oxygen", "combustible", "toxic"]
UNITS = ["%vol", "%LEL", "mg/m3", "ppm"]


class WorkerSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    certificate_no = fields.String(
        load_default="", validate=validate.Length(max=50), metadata={"description": "特种作业证号"}
    )


class PermitCreateSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "设备生成的作业票 UUID（可重放）"})
    enterprise_id = Int(load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(list(KIND_LABELS)))
    grade = fields.String(load_default="none", validate=validate.OneOf(list(GRADE_LABELS)))
    place_id = Int(required=True)
    content = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    work_method = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "作业方式，如动火方式（电焊、气割、打磨）"},
    )
    valid_from = fields.AwareDateTime(required=True)
    valid_to = fields.AwareDateTime(required=True)
    guardian_user_id = Int(required=True, metadata={"description": "监护人"})
    workers = fields.List(
        fields.Nested(WorkerSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    related_permit_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "关联作业票，如受限空间"}
    )
    medium = fields.String(load_default="", validate=validate.Length(max=100))
    lel_percent = fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0.1, max=100),
        metadata={"description": "作业介质爆炸下限（%，体积分数）"},
    )
    toxic_substances = fields.List(
        fields.String(validate=validate.OneOf(list(TOXIC_LIMITS))),
        load_default=list,
        validate=validate.Length(max=8),
    )


class MeasureConfirmSchema(BaseSchema):
    id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "设备生成的确认 UUID：离线补传时重放返回原结果"},
    )
    code = fields.String(required=True, validate=validate.Length(min=1, max=16))
    is_met = fields.Boolean(required=True)
    qr_token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=16),
        metadata={"description": "作业地点二维码（证明在现场确认）"},
    )
    note = fields.String(load_default="", validate=validate.Length(max=500))
    media_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=10))
    raise_hazard = fields.Boolean(
        load_default=False, metadata={"description": "未落实时一并上报隐患"}
    )


class ReadingCreateSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "设备生成的分析数据 UUID（可重放）"})
    gas = fields.String(required=True, validate=validate.OneOf(GASES))
    substance = fields.String(
        load_default="",
        validate=validate.OneOf(["", *TOXIC_LIMITS]),
        metadata={"description": "有毒物质"},
    )
    value = fields.Float(required=True, validate=validate.Range(min=0, max=1000000))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    analyst_name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    instrument = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sampling_point = fields.String(load_default="", validate=validate.Length(max=100))
    taken_at = fields.AwareDateTime(required=True)
    raise_hazard = fields.Boolean(
        load_default=False, metadata={"description": "不合格时一并上报隐患"}
    )


class ApprovalCreateSchema(BaseSchema):
    step = fields.String(required=True, validate=validate.Length(min=1, max=16))
    opinion = fields.String(load_default="同意", validate=validate.Length(max=300))
    expected_version = Int(load_default=None)


class ActionSchema(BaseSchema):
    expected_version = Int(load_default=None)


class CloseSchema(BaseSchema):
    expected_version = Int(load_default=None)
    is_site_checked = fields.Boolean(required=True)
    # The name the permit shows them under.
    close_media_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=10)
    )
    note = fields.String(load_default="", validate=validate.Length(max=300))


class CancelSchema(BaseSchema):
    expected_version = Int(load_default=None)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))


class WorkStopCreateSchema(BaseSchema):
    place_id = Int(load_default=None, allow_none=True)
    kinds = fields.List(
        fields.String(validate=validate.OneOf(list(KIND_LABELS))), load_default=list
    )
    start_at = fields.AwareDateTime(required=True)
    end_at = fields.AwareDateTime(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class WorkStopSchema(BaseSchema):
    id = fields.Integer()
    place_id = fields.Integer(allow_none=True)
    kinds = fields.List(fields.String())
    start_at = fields.DateTime()
    end_at = fields.DateTime()
    reason = fields.String()


class PermitListQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)
    state = fields.String(
        load_default=None, validate=validate.OneOf([s.value for s in STATE_LABELS])
    )
    day = fields.Date(load_default=None, metadata={"description": "哪一天（默认今天）"})


class PermitCodeLabelSchema(BaseSchema):
    code = fields.String()
    label = fields.String()


class PermitBasisSchema(BaseSchema):
    clause = fields.String()
    citation = fields.String()
    verify = fields.String(allow_none=True, metadata={"description": "pending: 条文待核"})


class PermitPlaceSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class PermitSummarySchema(BaseSchema):
    id = fields.UUID()
    number = fields.String()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    kind = fields.Nested(PermitCodeLabelSchema)
    grade = fields.Nested(PermitCodeLabelSchema)
    grade_note = fields.String(
        metadata={"description": "级别高于申请时的原因（夜间、公休日、节假日动火升级）"}
    )
    label = fields.String()
    state = fields.Nested(PermitCodeLabelSchema)
    version = fields.Integer()
    place = fields.Nested(PermitPlaceSchema)
    content = fields.String()
    valid_from = fields.DateTime()
    valid_to = fields.DateTime()
    applicant = fields.String()
    guardian = fields.String()
    guardian_user_id = fields.Integer()
    started_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    is_past_window = fields.Boolean()
    is_reanalysis_missed = fields.Boolean()
    reanalysis_due_at = fields.DateTime(allow_none=True)


class MeasureSchema(BaseSchema):
    code = fields.String()
    text = fields.String()
    is_met = fields.Boolean(allow_none=True)
    note = fields.String()
    media_ids = fields.List(fields.String())
    confirmed_by = fields.String()
    confirmed_at = fields.DateTime(allow_none=True)
    hazard_id = fields.UUID(allow_none=True)


class ReadingSchema(BaseSchema):
    id = fields.UUID()
    gas = fields.String()
    substance = fields.String()
    value = fields.Float()
    unit = fields.String()
    analyst_name = fields.String()
    instrument = fields.String()
    sampling_point = fields.String()
    taken_at = fields.DateTime()
    is_within_limit = fields.Boolean()
    limit = fields.String()
    judgement = fields.String()
    recorded_by = fields.String()
    hazard_id = fields.UUID(allow_none=True)


class CheckSchema(BaseSchema):
    gas = fields.String()
    substance = fields.String()
    label = fields.String()


class StepSchema(BaseSchema):
    code = fields.String()
    label = fields.String()
    approver = fields.String()
    roles = fields.List(fields.String(), metadata={"description": "可以签这一级的企业角色"})


class ApprovalSchema(BaseSchema):
    step = fields.String()
    approver = fields.String()
    opinion = fields.String()
    approved_at = fields.DateTime()


class TransitionSchema(BaseSchema):
    action = fields.String()
    label = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    actor = fields.String()
    note = fields.String()
    created_at = fields.DateTime()


class RuleSchema(BaseSchema):
    validity_hours = fields.Integer()
    validity_basis = fields.Nested(PermitBasisSchema)
    approvals_basis = fields.Nested(PermitBasisSchema)
    measures_basis = fields.Nested(PermitBasisSchema)
    gases_basis = fields.Nested(PermitBasisSchema)
    analysis_max_age_minutes = fields.Integer(allow_none=True)
    reanalysis_minutes = fields.Integer(allow_none=True)
    reanalysis_basis = fields.Nested(PermitBasisSchema, allow_none=True)


class RelatedSchema(BaseSchema):
    id = fields.UUID()
    number = fields.String()
    label = fields.String()


class PermitSchema(PermitSummarySchema):
    workers = fields.List(fields.Nested(WorkerSchema))
    work_method = fields.String()
    medium = fields.String()
    lel_percent = fields.Float(allow_none=True)
    toxic_substances = fields.List(fields.String())
    is_inside_confined_space = fields.Boolean()
    related_permit = fields.Nested(RelatedSchema, allow_none=True)
    checklist_version = fields.String()
    rule = fields.Nested(RuleSchema)
    measures = fields.List(fields.Nested(MeasureSchema))
    required_checks = fields.List(fields.Nested(CheckSchema))
    readings = fields.List(fields.Nested(ReadingSchema))
    approval_steps = fields.List(fields.Nested(StepSchema))
    approvals = fields.List(fields.Nested(ApprovalSchema))
    next_step = fields.Nested(PermitCodeLabelSchema, allow_none=True)
    analysis_problem = fields.String(allow_none=True)
    close_media_ids = fields.List(fields.String())
    transitions = fields.List(fields.Nested(TransitionSchema))


class PermitPageSchema(BaseSchema):
    items = fields.List(fields.Nested(PermitSummarySchema))


class KindCountSchema(BaseSchema):
    kind = fields.Nested(PermitCodeLabelSchema)
    grade = fields.Nested(PermitCodeLabelSchema)
    label = fields.String()
    count = fields.Integer()


class LiveViewSchema(BaseSchema):
    as_of = fields.DateTime()
    by_kind = fields.List(fields.Nested(KindCountSchema))
    under_way = fields.List(fields.Nested(PermitSummarySchema))
    past_window = fields.List(fields.Nested(PermitSummarySchema))
    missed_reanalysis = fields.List(fields.Nested(PermitSummarySchema))


class RegisterQuerySchema(BaseSchema):
    date_from = fields.Date(load_default=None, data_key="from")
    date_to = fields.Date(load_default=None, data_key="to")
