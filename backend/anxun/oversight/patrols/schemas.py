"""Request and response schemas for patrols, findings, rectification orders and follow-ups."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.hazards.queries import CATEGORY_LABELS
from anxun.hazards.workflow import STATE_LABELS as HAZARD_STATE_LABELS
from anxun.oversight.patrols import orders as rules

LEVELS = list(rules.FINDING_LEVEL_LABELS)
ORDER_STATES = [state.value for state in rules.OrderState]


class LegalBasisSchema(BaseSchema):
    """One legal basis: the document (《…》) and its clause (第…条)."""

    document = fields.String(required=True, validate=validate.Length(min=1, max=200))
    clause = fields.String(load_default="", validate=validate.Length(max=100))


def _basis_list(minimum: int):
    presence = {"required": True} if minimum > 0 else {"load_default": list}
    return fields.List(
        fields.Nested(LegalBasisSchema), validate=validate.Length(min=minimum, max=20), **presence
    )


# --- patrols --------------------------------------------------------------------------------


class PatrolListQuerySchema(PageQuerySchema):
    enterprise_id = fields.Integer(load_default=None)
    state = fields.String(
        load_default=None, validate=validate.OneOf(list(rules.PATROL_STATE_LABELS))
    )
    mode = fields.String(load_default=None, validate=validate.OneOf(list(rules.PATROL_MODE_LABELS)))


class PatrolOpenSchema(BaseSchema):
    enterprise_id = Int(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(list(rules.PATROL_MODE_LABELS)))
    is_unannounced = fields.Boolean(
        load_default=False, metadata={"description": "四不两直（仅现场检查）"}
    )
    engagement_id = Int(
        load_default=None,
        allow_none=True,
        metadata={"description": "第三方机构：监管部门委托项目（省略时取有效的第一个）"},
    )
    spot_check_assignment_id = Int(load_default=None, allow_none=True)


class PatrolClosureSchema(BaseSchema):
    summary = fields.String(load_default="", validate=validate.Length(max=4000))


class PatrolSubmissionSchema(BaseSchema):
    expected_state = fields.String(
        required=True, validate=validate.OneOf(list(rules.PATROL_STATE_LABELS))
    )
    summary = fields.String(load_default="", validate=validate.Length(max=4000))


class PatrolFindingCreateSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "客户端生成的 UUID（可重放）"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    basis = _basis_list(1)
    proposed_level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    category = fields.String(
        load_default=None,
        validate=validate.OneOf(list(CATEGORY_LABELS)),
        metadata={"description": "隐患类别，默认 management（管理上的缺陷）"},
    )
    media_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    deadline = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "整改期限：监管部门的发现必填；第三方机构的发现为建议期限，可省略"
        },
    )


class PatrolFindingReviewSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["accept", "reject"]))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    expected_state = fields.String(
        required=True, validate=validate.OneOf(list(rules.FINDING_STATE_LABELS))
    )
    deadline = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "采纳时的整改期限；省略时采用发现中的建议期限（两者皆无则 422）"},
    )
    level = fields.String(
        load_default=None,
        validate=validate.OneOf(LEVELS),
        metadata={"description": "采纳时的隐患等级；省略时采用建议等级"},
    )
    category = fields.String(
        load_default=None,
        validate=validate.OneOf(list(CATEGORY_LABELS)),
        metadata={"description": "采纳时的隐患类别；省略时采用发现中的类别"},
    )


class CodeLabelSchema(BaseSchema):
    code = fields.String()
    label = fields.String()


class LegalBasisViewSchema(BaseSchema):
    document = fields.String()
    clause = fields.String(allow_none=True)


class PatrolFindingSchema(BaseSchema):
    id = fields.UUID()
    patrol_id = fields.Integer()
    title = fields.String()
    description = fields.String()
    basis = fields.List(fields.Nested(LegalBasisViewSchema))
    proposed_level = fields.Nested(CodeLabelSchema)
    category = fields.Nested(CodeLabelSchema, allow_none=True)
    deadline = fields.Date(allow_none=True, metadata={"description": "发现人提出的整改期限"})
    media_ids = fields.List(fields.String())
    state = fields.Nested(CodeLabelSchema)
    hazard_id = fields.UUID(allow_none=True)
    hazard_state = LabelledEnum(HAZARD_STATE_LABELS, allow_none=True)
    hazard_deadline = fields.Date(allow_none=True)
    recorded_by_user_id = fields.Integer()
    recorded_by_name = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    reviewed_by_user_id = fields.Integer(allow_none=True)
    reviewed_by_name = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String()


class PatrolSummarySchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String(allow_none=True)
    regulator_id = fields.Integer()
    regulator_name = fields.String(allow_none=True)
    mode = fields.Nested(CodeLabelSchema)
    is_unannounced = fields.Boolean()
    engagement_id = fields.Integer(allow_none=True)
    agency_name = fields.String(allow_none=True)
    spot_check_assignment_id = fields.Integer(allow_none=True)
    spot_check_draw_id = fields.Integer(allow_none=True)
    state = fields.Nested(CodeLabelSchema)
    summary = fields.String()
    version = fields.Integer()
    opened_by_user_id = fields.Integer()
    opened_by_name = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class EvidenceShortfallSchema(BaseSchema):
    request_id = fields.Integer()
    subject = fields.String(metadata={"description": "核查地点或隐患"})
    text = fields.String()
    due_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True, metadata={"description": "服务器收到回应的时间"})
    shortfall = fields.Nested(
        CodeLabelSchema, metadata={"description": "missing 逾期未回应 / late 逾期回应"}
    )
    finding_id = fields.UUID(allow_none=True)
    order_id = fields.Integer(allow_none=True)


class PatrolSchema(PatrolSummarySchema):
    findings = fields.List(fields.Nested(PatrolFindingSchema))
    order_ids = fields.List(fields.Integer())
    evidence_shortfalls = fields.List(
        fields.Nested(EvidenceShortfallSchema),
        metadata={"description": "逾期未回应或逾期回应的远程核查，计入巡查发现"},
    )


class PatrolPageSchema(BaseSchema):
    items = fields.List(fields.Nested(PatrolSummarySchema))
    next_cursor = fields.String(allow_none=True)


# --- orders ---------------------------------------------------------------------------------


class OrderItemCreateSchema(BaseSchema):
    hazard_id = fields.UUID(load_default=None, allow_none=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    basis = _basis_list(0)


class OrderCreateSchema(BaseSchema):
    enterprise_id = Int(required=True)
    co_officer_user_id = Int(
        required=True,
        metadata={"description": "第二名执法人员（本部门在职、已登记执法证号，且不是下达人本人）"},
    )
    patrol_id = Int(load_default=None, allow_none=True)
    deadline = fields.Date(required=True, metadata={"description": "整改期限（不早于今天）"})
    basis = _basis_list(1)
    requirements = fields.String(load_default="", validate=validate.Length(max=4000))
    items = fields.List(
        fields.Nested(OrderItemCreateSchema),
        required=True,
        validate=validate.Length(min=1, max=50),
    )


class OrderListQuerySchema(PageQuerySchema):
    enterprise_id = fields.Integer(load_default=None)
    patrol_id = fields.Integer(load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(ORDER_STATES))
    escalated = fields.Boolean(load_default=None)


class AcknowledgmentSchema(BaseSchema):
    expected_state = fields.String(required=True, validate=validate.OneOf(ORDER_STATES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class FollowUpResultSchema(BaseSchema):
    result = fields.String(
        required=True, validate=validate.OneOf(list(rules.FOLLOW_UP_RESULT_LABELS))
    )
    note = fields.String(load_default="", validate=validate.Length(max=4000))
    patrol_id = Int(load_default=None, allow_none=True)


class FollowUpListQuerySchema(BaseSchema):
    due_before = fields.Date(load_default=None, metadata={"description": "计划复查日期不晚于"})
    state = fields.String(
        load_default=None, validate=validate.OneOf(list(rules.FOLLOW_UP_STATE_LABELS))
    )
    enterprise_id = fields.Integer(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class FollowUpSchema(BaseSchema):
    id = fields.Integer()
    order_id = fields.Integer()
    order_number = fields.String()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String(allow_none=True)
    regulator_id = fields.Integer()
    scheduled_on = fields.Date()
    state = fields.Nested(CodeLabelSchema)
    result = fields.Nested(CodeLabelSchema, allow_none=True)
    note = fields.String()
    patrol_id = fields.Integer(allow_none=True)
    performed_by_user_id = fields.Integer(allow_none=True)
    performed_at = fields.DateTime(allow_none=True)


class FollowUpListSchema(BaseSchema):
    items = fields.List(fields.Nested(FollowUpSchema))


class OrderItemSchema(BaseSchema):
    position = fields.Integer()
    hazard_id = fields.UUID(allow_none=True)
    text = fields.String()
    basis = fields.List(fields.Nested(LegalBasisViewSchema))


class OfficerSchema(BaseSchema):
    user_id = fields.Integer()
    display_name = fields.String()
    enforcement_certificate_no = fields.String(allow_none=True)


class OfficerCertificateSchema(BaseSchema):
    enforcement_certificate_no = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "执法证号；null 表示注销登记"},
    )


class OfficerListSchema(BaseSchema):
    items = fields.List(fields.Nested(OfficerSchema))


class OrderSummarySchema(BaseSchema):
    id = fields.Integer()
    number = fields.String()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String(allow_none=True)
    regulator_id = fields.Integer()
    regulator_name = fields.String(allow_none=True)
    patrol_id = fields.Integer(allow_none=True)
    deadline = fields.Date()
    state = fields.Nested(CodeLabelSchema)
    version = fields.Integer()
    issued_by_user_id = fields.Integer()
    issued_by_name = fields.String(allow_none=True)
    co_officer_user_id = fields.Integer(allow_none=True)
    officers = fields.List(
        fields.Nested(OfficerSchema), metadata={"description": "执法人员（下达人在前）及执法证号"}
    )
    issued_at = fields.DateTime()
    acknowledged_by_user_id = fields.Integer(allow_none=True)
    acknowledged_by_name = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledgment_note = fields.String()
    escalated_at = fields.DateTime(allow_none=True)
    is_escalated = fields.Boolean()
    is_overdue = fields.Boolean(metadata={"description": "已过整改期限且尚未复查"})
    follow_up = fields.Nested(FollowUpSchema, allow_none=True)


class OrderSchema(OrderSummarySchema):
    basis = fields.List(fields.Nested(LegalBasisViewSchema))
    requirements = fields.String()
    items = fields.List(fields.Nested(OrderItemSchema))


class OrderPageSchema(BaseSchema):
    items = fields.List(fields.Nested(OrderSummarySchema))
    next_cursor = fields.String(allow_none=True)
