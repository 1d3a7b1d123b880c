"""Request and response schemas for 包保责任 (accountable persons of major hazard sources)."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int
from anxun.inspections.planning_schemas import RateQuerySchema


class AccountablePersonsSchema(BaseSchema):
    """Omitted duties stay as they are; a major hazard source always keeps its three persons, so a
    duty is changed, never cleared."""

    main_user_id = Int(metadata={"description": "主要负责人（本企业在职人员）"})
    technical_user_id = Int(metadata={"description": "技术负责人"})
    operational_user_id = Int(metadata={"description": "操作负责人"})
    checklist_code = fields.String(
        validate=validate.Length(min=1, max=64),
        metadata={
            "description": "新建包保排查计划所用检查表；省略时用危险化学品检查表的重大危险源部分"
        },
    )
    item_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        validate=validate.Length(min=1, max=300),
        metadata={
            "description": "所用检查项；省略时整张检查表（默认检查表则为 HC-21、HC-21A、HC-22、HC-22A）"
        },
    )


class AccountabilityQuerySchema(RateQuerySchema):
    pass


class AccountabilityBasisSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    number = fields.String()
    clause = fields.String()
    verify = fields.String(allow_none=True, metadata={"description": "pending：待对照原文核实"})


class DutyCompletionSchema(BaseSchema):
    done = fields.Integer()
    late = fields.Integer()
    missed = fields.Integer()
    open = fields.Integer()
    due = fields.Integer()
    rate = fields.Float(allow_none=True)


class AccountableDutySchema(BaseSchema):
    duty = fields.Dict(metadata={"description": "{code: main/technical/operational, label}"})
    frequency = fields.String()
    basis = fields.Nested(AccountabilityBasisSchema)
    user = fields.Dict(allow_none=True)
    plan = fields.Dict(allow_none=True)
    completion = fields.Nested(DutyCompletionSchema, allow_none=True)


class AccountableObjectSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    hazard_code = fields.String()
    duties = fields.List(fields.Nested(AccountableDutySchema))


class AccountabilityBoardSchema(BaseSchema):
    period = fields.Dict()
    objects = fields.List(fields.Nested(AccountableObjectSchema))
