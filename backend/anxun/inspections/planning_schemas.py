"""Request and response schemas for places, inspection plans, stop periods, tasks and the rate."""

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from anxun.checklists.loader import INSPECTION_TYPE_LABELS
from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.inspections.schemas import INSPECTION_TYPES

PLACE_KIND_LABELS = {"unit": "装置（单元）", "area": "区域", "equipment": "设备设施"}
FREQUENCY_UNIT_LABELS = {
    "hour": "小时",
    "shift": "班",
    "day": "天",
    "week": "周",
    "month": "月",
    "quarter": "季度",
    "year": "年",
}
DAY_TYPE_LABELS = {"every_day": "每天", "workdays": "法定工作日", "non_workdays": "非法定工作日"}
ASSIGNABLE_ROLES = ["head", "safety_officer", "inspector", "rectifier"]
TASK_STATE_LABELS = {
    "upcoming": "未开始",
    "open": "待排查",
    "done": "已完成",
    "late": "逾期完成",
    "missed": "未完成",
    "suspended": "停用/检修",
}
MAX_RATE_DAYS = 366


# ---- places ------------------------------------------------------------------------------


class PlaceSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    name = fields.String()
    kind = LabelledEnum(PLACE_KIND_LABELS)
    parent_id = fields.Integer(allow_none=True)
    description = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    qr_token = fields.String()
    is_active = fields.Boolean()
    created_at = fields.DateTime()


class PlaceWriteSchema(BaseSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    kind = fields.String(validate=validate.OneOf(list(PLACE_KIND_LABELS)))
    parent_id = Int(allow_none=True)
    description = fields.String(validate=validate.Length(max=500))
    latitude = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))


class PlaceCreateSchema(PlaceWriteSchema):
    class Meta(PlaceWriteSchema.Meta):
        pass

    def on_bind_field(self, field_name, field_obj):
        if field_name in ("name", "kind"):
            field_obj.required = True


class PlaceUpdateSchema(PlaceWriteSchema):
    is_active = fields.Boolean()


class PlaceListQuerySchema(PageQuerySchema):
    sort = fields.String(load_default="id", validate=validate.OneOf(["id", "name"]))
    is_active = fields.Boolean(load_default=None)


class PlacePageSchema(BaseSchema):
    items = fields.List(fields.Nested(PlaceSchema))
    next_cursor = fields.String(allow_none=True)


class PlaceRefSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    qr_token = fields.String()


class LabelsQuerySchema(BaseSchema):
    place_id = fields.List(fields.Integer(), load_default=list)


# ---- inspection plans ----------------------------------------------------------------------


class LocalTime(fields.Time):
    """A China local time of day ("08:00"); a UTC offset is refused, calendars are local."""

    default_error_messages = {"invalid": "应为当地时间（HH:MM）。"}

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is not None:
            raise self.make_error("invalid")
        return result


class ShiftSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=20))
    start = LocalTime(required=True)
    end = LocalTime(required=True)


class ScheduleFieldsSchema(BaseSchema):
    """Frequency and calendar fields, shared by creation and PATCH."""

    frequency_every = Int(validate=validate.Range(min=1, max=1000))
    frequency_unit = fields.String(validate=validate.OneOf(list(FREQUENCY_UNIT_LABELS)))
    day_type = fields.String(validate=validate.OneOf(list(DAY_TYPE_LABELS)))
    work_start = LocalTime(allow_none=True)
    work_end = LocalTime(allow_none=True)
    shifts = fields.List(fields.Nested(ShiftSchema), validate=validate.Length(max=6))


TITLE = [validate.Length(min=1, max=200), validate.Regexp(r"\s*\S", error="标题不能为空。")]


class PlanCreateSchema(ScheduleFieldsSchema):
    title = fields.String(required=True, validate=TITLE)
    checklist_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    profile = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    item_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=2000),
    )
    inspection_type = fields.String(required=True, validate=validate.OneOf(INSPECTION_TYPES))
    anchor_at = fields.AwareDateTime(load_default=None, allow_none=True)
    assignee_user_id = Int(load_default=None, allow_none=True)
    assignee_role = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(ASSIGNABLE_ROLES)
    )
    place_ids = fields.List(Int(), load_default=list, validate=validate.Length(max=500))

    def on_bind_field(self, field_name, field_obj):
        if field_name in ("frequency_every", "frequency_unit"):
            field_obj.required = True

    @validates_schema
    def one_assignee_one_scope(self, data, **kwargs):
        errors = {}
        if (data.get("assignee_user_id") is None) == (data.get("assignee_role") is None):
            errors["assignee_user_id"] = ["请指定排查人员或排查角色（二选一）。"]
        if data.get("profile") is not None and data.get("item_ids") is not None:
            errors["item_ids"] = ["简版和指定检查项只能选择一种。"]
        if errors:
            raise ValidationError(errors)


class PlanUpdateSchema(ScheduleFieldsSchema):
    title = fields.String(validate=TITLE)
    assignee_user_id = Int(allow_none=True)
    assignee_role = fields.String(allow_none=True, validate=validate.OneOf(ASSIGNABLE_ROLES))
    is_active = fields.Boolean()
    place_ids = fields.List(Int(), validate=validate.Length(max=500))

    @validates_schema
    def one_assignee(self, data, **kwargs):
        given = [data.get(k) for k in ("assignee_user_id", "assignee_role") if k in data]
        if given and sum(v is not None for v in given) != 1:
            raise ValidationError("请指定排查人员或排查角色（二选一）。", "assignee_user_id")


class PlanSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    title = fields.String()
    checklist_code = fields.String()
    profile = fields.String(allow_none=True)
    item_ids = fields.List(fields.String(), allow_none=True)
    inspection_type = LabelledEnum(INSPECTION_TYPE_LABELS)
    frequency_every = fields.Integer()
    frequency_unit = LabelledEnum(FREQUENCY_UNIT_LABELS)
    day_type = LabelledEnum(DAY_TYPE_LABELS)
    work_start = fields.Time(allow_none=True)
    work_end = fields.Time(allow_none=True)
    shifts = fields.List(fields.Dict())
    anchor_at = fields.DateTime()
    assignee_user_id = fields.Integer(allow_none=True)
    assignee_role = fields.String(allow_none=True)
    places = fields.List(fields.Nested(PlaceRefSchema))
    is_active = fields.Boolean()
    created_at = fields.DateTime()


class PlanListQuerySchema(PageQuerySchema):
    is_active = fields.Boolean(load_default=None)


class PlanPageSchema(BaseSchema):
    items = fields.List(fields.Nested(PlanSchema))
    next_cursor = fields.String(allow_none=True)


# ---- stop periods --------------------------------------------------------------------------


class StopPeriodCreateSchema(BaseSchema):
    place_id = Int(load_default=None, allow_none=True)
    start_at = fields.AwareDateTime(required=True)
    end_at = fields.AwareDateTime(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("start_at") and data.get("end_at") and data["end_at"] <= data["start_at"]:
            raise ValidationError("结束时间必须晚于开始时间。", "end_at")


class StopPeriodSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    place_id = fields.Integer(allow_none=True)
    start_at = fields.DateTime()
    end_at = fields.DateTime()
    reason = fields.String()
    created_at = fields.DateTime()


class StopPeriodPageSchema(BaseSchema):
    items = fields.List(fields.Nested(StopPeriodSchema))
    next_cursor = fields.String(allow_none=True)


# ---- tasks and the online operation rate ---------------------------------------------------


class TaskQuerySchema(BaseSchema):
    assignee = fields.String(load_default="me", validate=validate.OneOf(["me", "all"]))
    due = fields.String(load_default="today", validate=validate.OneOf(["today", "overdue", "week"]))
    enterprise_id = fields.Integer(load_default=None)
    place_id = fields.Integer(load_default=None)


class TaskSchema(BaseSchema):
    id = fields.Integer()
    plan_id = fields.Integer()
    plan_title = fields.String()
    enterprise_id = fields.Integer()
    checklist_code = fields.String()
    checklist_version = fields.String(
        allow_none=True,
        metadata={
            "description": "检查表当前版本的内容哈希：据此任务提交排查记录时原样填入 "
            "POST /inspections 的 checklist_version（检查表已不可用时为 null）"
        },
    )
    profile = fields.String(allow_none=True)
    item_ids = fields.List(fields.String(), allow_none=True)
    inspection_type = LabelledEnum(INSPECTION_TYPE_LABELS)
    assignee_user_id = fields.Integer(allow_none=True)
    assignee_role = fields.String(allow_none=True)
    place = fields.Nested(PlaceRefSchema, allow_none=True)
    due_start = fields.DateTime()
    due_end = fields.DateTime()
    state = LabelledEnum(TASK_STATE_LABELS)
    done_at = fields.DateTime(allow_none=True)
    inspection_id = fields.String(allow_none=True)


class TaskListSchema(BaseSchema):
    items = fields.List(fields.Nested(TaskSchema))


class PlaceLookupSchema(BaseSchema):
    place = fields.Nested(PlaceSchema)
    enterprise_name = fields.String()
    risk = fields.Dict(allow_none=True)
    tasks = fields.List(fields.Nested(TaskSchema))


class RateQuerySchema(BaseSchema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to"):
            if data["to"] < data["from_"]:
                raise ValidationError("结束日期不能早于开始日期。", "to")
            if (data["to"] - data["from_"]).days >= MAX_RATE_DAYS:
                raise ValidationError(f"统计区间不能超过 {MAX_RATE_DAYS} 天。", "to")


class RateLossSchema(BaseSchema):
    plan_id = fields.Integer()
    plan_title = fields.String()
    place = fields.Nested(PlaceRefSchema, allow_none=True)
    missed = fields.Integer(metadata={"description": "未完成的排查任务数"})
    late = fields.Integer(metadata={"description": "逾期完成的排查任务数"})


class RateSchema(BaseSchema):
    rate = fields.Float(allow_none=True)
    done = fields.Integer()
    late = fields.Integer()
    missed = fields.Integer()
    counted = fields.Integer()
    period = fields.Dict()
    lowered_by = fields.List(
        fields.Nested(RateLossSchema),
        metadata={
            "description": "拉低在线运行率的排查任务（按计划和地点，未完成与逾期完成最多者在前）"
        },
    )


class CalendarQuerySchema(RateQuerySchema):
    """A calendar period: at most 62 days (two months as a desk calendar shows them)."""

    @validates_schema
    def short(self, data, **kwargs):
        if data.get("from_") and data.get("to") and (data["to"] - data["from_"]).days > 61:
            raise ValidationError("日历区间不能超过 62 天。", "to")


class CalendarSchema(BaseSchema):
    items = fields.List(fields.Nested(TaskSchema))
