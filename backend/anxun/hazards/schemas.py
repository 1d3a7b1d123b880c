"""Request and response schemas for hazards: list filters, direct reports, transitions, views."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, Money, PageQuerySchema
from anxun.hazards.models import STATES
from anxun.hazards.queries import CATEGORY_LABELS, SOURCE_LABELS
from anxun.hazards.workflow import LEVEL_LABELS, STATE_LABELS, HazardAction, HazardLevel
from anxun.oversight.patrols.orders import ORDER_STATE_LABELS
from anxun.standards.schemas import RejudgeItemSchema

LEVELS = [level.value for level in HazardLevel]
ACTIONS = [action.value for action in HazardAction]


class HazardListQuerySchema(PageQuerySchema):
    # Query strings carry text, so integers here are parsed leniently.
    enterprise_id = fields.Integer(load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    level = fields.String(
        load_default=None,
        validate=validate.OneOf(LEVELS),
        metadata={"description": "已确认的等级；未确认的按建议等级"},
    )
    overdue = fields.Boolean(load_default=None)
    place_id = fields.Integer(load_default=None)
    source = fields.String(load_default=None, validate=validate.OneOf(list(SOURCE_LABELS)))
    category = fields.String(
        load_default=None,
        validate=validate.OneOf(list(CATEGORY_LABELS)),
        metadata={"description": "隐患类别（继承自检查项）"},
    )
    date_from = fields.Date(
        load_default=None, data_key="from", metadata={"description": "上报日期起（含）"}
    )
    date_to = fields.Date(
        load_default=None, data_key="to", metadata={"description": "上报日期止（含）"}
    )
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    assigned = fields.String(
        load_default=None,
        validate=validate.OneOf(["me"]),
        metadata={"description": "me：我是整改责任人或整改提交人"},
    )
    reported_by = fields.String(
        load_default=None,
        validate=validate.OneOf(["me"]),
        metadata={"description": "me：我上报的"},
    )
    inspection_id = fields.UUID(load_default=None, metadata={"description": "该排查记录生成的隐患"})
    sort = fields.String(
        load_default="reported_at",
        validate=validate.OneOf(["reported_at", "deadline"]),
        metadata={"description": "reported_at：最新在前；deadline：期限最早在前（仅含有期限的）"},
    )


class HazardReportSchema(BaseSchema):
    id = fields.UUID(load_default=None, metadata={"description": "设备生成的 UUID（可重放）"})
    enterprise_id = Int(load_default=None)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    place_id = Int(load_default=None, allow_none=True)
    media_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    proposed_level = fields.String(load_default="general", validate=validate.OneOf(LEVELS))


class HazardTransitionSchema(BaseSchema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    expected_state = fields.String(required=True, validate=validate.OneOf(STATES))
    client_id = fields.UUID(load_default=None, allow_none=True)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))
    reason = fields.String(load_default=None, validate=validate.Length(max=1000))
    level = fields.String(load_default=None, validate=validate.OneOf(LEVELS))
    category = fields.String(load_default=None, validate=validate.OneOf(list(CATEGORY_LABELS)))
    deadline = fields.Date(load_default=None)
    responsible_user_id = Int(load_default=None)
    measures = fields.String(load_default=None, validate=validate.Length(max=2000))
    funds = Money(digits=12, load_default=None)  # hazard.funds is Numeric(12, 2)
    contingency = fields.String(load_default=None, validate=validate.Length(max=2000))
    governance_plan_id = fields.UUID(load_default=None)
    after_media_ids = fields.List(
        fields.UUID(), load_default=None, validate=validate.Length(max=20)
    )


class HazardActionSchema(BaseSchema):
    code = fields.String()
    label = fields.String()


class HazardPlaceSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String(allow_none=True)


class HazardTransitionViewSchema(BaseSchema):
    id = fields.Integer()
    action = fields.Nested(HazardActionSchema)
    from_state = LabelledEnum(STATE_LABELS, allow_none=True)
    to_state = LabelledEnum(STATE_LABELS)
    actor_user_id = fields.Integer()
    actor_label = fields.String(
        metadata={"description": "操作人的账号名（审计用；显示用 actor_name）"}
    )
    actor_name = fields.String()
    created_at = fields.DateTime()
    note = fields.String()
    evidence = fields.Dict(
        metadata={
            "description": "该步骤读取的表单字段（日期为 YYYY-MM-DD，funds 为两位小数的金额文本）"
        }
    )


class HazardBasisSchema(BaseSchema):
    doc = fields.String()
    clause = fields.String(allow_none=True)
    verify = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    number = fields.String(allow_none=True)
    citation = fields.String()
    is_clause_pending = fields.Boolean()


class HazardSummarySchema(BaseSchema):
    id = fields.UUID()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String(allow_none=True)
    source = LabelledEnum(SOURCE_LABELS)
    inspection_id = fields.UUID(allow_none=True)
    item_id = fields.String(allow_none=True)
    checklist_version_id = fields.Integer(allow_none=True)
    place_id = fields.Integer(allow_none=True)
    place = fields.Nested(HazardPlaceSchema, allow_none=True)
    place_name = fields.String(allow_none=True)
    title = fields.String()
    description = fields.String()
    media_ids = fields.List(fields.String())
    proposed_level = LabelledEnum(LEVEL_LABELS)
    level = LabelledEnum(LEVEL_LABELS, allow_none=True)
    category = LabelledEnum(CATEGORY_LABELS, allow_none=True)
    state = LabelledEnum(STATE_LABELS)
    version = fields.Integer()
    deadline = fields.Date(allow_none=True)
    is_overdue = fields.Boolean()
    is_fixed_on_spot = fields.Boolean()
    reported_by_user_id = fields.Integer()
    reported_by_name = fields.String(allow_none=True)
    reported_at = fields.DateTime()
    responsible_user_id = fields.Integer(allow_none=True)
    responsible_name = fields.String(allow_none=True)
    measures = fields.String(allow_none=True)
    funds = Money(digits=12, allow_none=True)
    contingency = fields.String(allow_none=True)
    governance_plan_id = fields.UUID(allow_none=True)
    plan_submitted_by_user_id = fields.Integer(allow_none=True)
    plan_approved_by_user_id = fields.Integer(allow_none=True)
    rectified_by_user_id = fields.Integer(allow_none=True)
    rectified_by_name = fields.String(allow_none=True)
    verified_by_user_id = fields.Integer(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class HazardOrderSchema(BaseSchema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "整改指令书文号"})
    issued_at = fields.DateTime()
    deadline = fields.Date()
    state = LabelledEnum(ORDER_STATE_LABELS)
    acknowledged_at = fields.DateTime(allow_none=True, metadata={"description": "企业签收时间"})


class HazardSchema(HazardSummarySchema):
    basis = fields.List(fields.Nested(HazardBasisSchema))
    history = fields.List(fields.Nested(HazardTransitionViewSchema))
    available_actions = fields.List(fields.Nested(HazardActionSchema))
    orders = fields.List(
        fields.Nested(HazardOrderSchema),
        metadata={"description": "列有该隐患的监管整改指令（文号、签收）"},
    )
    # 标准变更：需重新判定 — open items a standard change listed for this hazard.
    rejudge = fields.List(fields.Nested(RejudgeItemSchema))


class HazardStepSchema(HazardSchema):
    """What `POST /hazards/<id>/transitions` answers: the hazard after the step."""

    replayed = fields.Boolean(
        metadata={
            "description": "true when the step's client_id was already taken: the hazard as it is "
            "now, nothing changed"
        }
    )


class HazardCountsSchema(BaseSchema):
    total = fields.Integer(metadata={"description": "符合筛选条件的隐患总数"})
    states = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "各状态的隐患数（每个状态都有，可为 0）"},
    )
    overdue = fields.Integer(metadata={"description": "其中已逾期（未闭环且超过整改期限）"})


class HazardPageSchema(BaseSchema):
    items = fields.List(fields.Nested(HazardSummarySchema))
    next_cursor = fields.String(allow_none=True)
