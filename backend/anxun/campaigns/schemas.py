"""Explicit schemas of the campaign API: a load schema per action, dump schemas per noun."""

from __future__ import annotations

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int

Text = fields.String


class TargetFilterSchema(BaseSchema):
    industries = fields.List(Text(validate=validate.Length(max=32)), load_default=None)
    region_codes = fields.List(Text(validate=validate.Length(equal=6)), load_default=None)
    size_classes = fields.List(Text(validate=validate.Length(max=16)), load_default=None)
    major_hazard_source = fields.Boolean(load_default=None, allow_none=True)
    enterprise_ids = fields.List(Int(), load_default=None, validate=validate.Length(max=2000))
    exclude_ids = fields.List(Int(), load_default=None, validate=validate.Length(max=2000))


class StageDatesSchema(BaseSchema):
    self_check_start = fields.Date(required=True)
    self_check_end = fields.Date(required=True)
    supervision_start = fields.Date(required=True)
    supervision_end = fields.Date(required=True)
    follow_up_start = fields.Date(required=True)
    follow_up_end = fields.Date(required=True)


class CampaignCreateSchema(StageDatesSchema):
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    document_no = Text(load_default="", validate=validate.Length(max=80))
    legal_basis = Text(load_default="", validate=validate.Length(max=500))
    notice_text = Text(load_default="", validate=validate.Length(max=5000))
    checklist_code = Text(load_default=None, validate=validate.Length(max=64))
    profile = Text(load_default=None, validate=validate.Length(max=64))
    item_ids = fields.List(Text(validate=validate.Length(max=64)), load_default=None)
    written_items = fields.List(
        Text(validate=validate.Length(min=1, max=300)),
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "在工作台写出的专项检查内容（每条一项），存为一个检查表版本"},
    )
    targets = fields.Nested(TargetFilterSchema, load_default=dict)
    supervisor_kind = Text(
        load_default="regulator", validate=validate.OneOf(["regulator", "agency"])
    )
    engagement_id = Int(load_default=None, allow_none=True)


class FromOriginSchema(StageDatesSchema):
    """举一反三: start a draft campaign from an incident or a hazard."""

    origin_kind = Text(required=True, validate=validate.OneOf(["incident", "hazard"]))
    origin_id = fields.UUID(required=True)
    title = Text(load_default=None, validate=validate.Length(min=1, max=200))
    document_no = Text(load_default="", validate=validate.Length(max=80))
    legal_basis = Text(load_default="", validate=validate.Length(max=500))
    cause_checklist_code = Text(load_default=None, validate=validate.Length(max=64))
    cause_item_ids = fields.List(Text(validate=validate.Length(max=64)), load_default=None)
    cause_texts = fields.List(
        Text(validate=validate.Length(min=1, max=300)),
        load_default=None,
        validate=validate.Length(max=100),
    )
    include_origin_enterprise = fields.Boolean(load_default=False)


class SampleCreateSchema(BaseSchema):
    stage = Text(required=True, validate=validate.OneOf(["supervision", "follow_up"]))
    seed = Text(load_default=None, validate=validate.Length(min=1, max=64))
    count = Int(load_default=None, validate=validate.Range(min=1, max=2000))
    enterprise_ids = fields.List(Int(), load_default=None, validate=validate.Length(max=2000))


class CheckAnswerSchema(BaseSchema):
    item_id = Text(required=True, validate=validate.Length(min=1, max=64))
    result = Text(required=True, validate=validate.OneOf(["pass", "fail", "na"]))
    note = Text(load_default="", validate=validate.Length(max=2000))


class CheckCreateSchema(BaseSchema):
    answers = fields.List(fields.Nested(CheckAnswerSchema), required=True)
    note = Text(load_default="", validate=validate.Length(max=2000))


# ---- dumps ------------------------------------------------------------------------------------


class CampaignCodeLabelSchema(BaseSchema):
    code = Text()
    label = Text()


class CampaignRefSchema(BaseSchema):
    id = Int()
    name = Text()


class CampaignStageSchema(BaseSchema):
    code = Text()
    label = Text()
    start = fields.Date()
    end = fields.Date()


class CampaignChecklistRefSchema(BaseSchema):
    code = Text()
    title = Text()
    version = Text()
    profile = Text(allow_none=True)
    item_count = Int()


class CampaignMyTaskSchema(BaseSchema):
    enterprise_id = Int()
    task_occurrence_id = Int()
    plan_id = Int()
    completion = fields.Nested(CampaignCodeLabelSchema)


class CampaignOriginSchema(BaseSchema):
    kind = Text()
    id = Text()


class CampaignSchema(BaseSchema):
    id = Int()
    title = Text()
    document_no = Text()
    legal_basis = Text()
    notice_text = Text()
    regulator = fields.Nested(CampaignRefSchema)
    state = fields.Nested(CampaignCodeLabelSchema)
    stage = fields.Nested(CampaignCodeLabelSchema, allow_none=True)
    stages = fields.List(fields.Nested(CampaignStageSchema))
    checklist = fields.Nested(CampaignChecklistRefSchema)
    supervisor_kind = fields.Nested(CampaignCodeLabelSchema)
    engagement_id = Int(allow_none=True)
    origin = fields.Nested(CampaignOriginSchema, allow_none=True)
    targets = fields.Dict(metadata={"description": "目标企业条件"})
    launched_at = fields.DateTime(allow_none=True)
    my_tasks = fields.List(fields.Nested(CampaignMyTaskSchema))


class CampaignListSchema(BaseSchema):
    items = fields.List(fields.Nested(CampaignSchema))


class PreviewSchema(BaseSchema):
    count = Int()
    enterprises = fields.List(fields.Nested(CampaignRefSchema))


class CampaignGroupSchema(BaseSchema):
    code = Text()
    label = Text()
    targets = Int()
    on_time = Int()
    late = Int()
    not_done = Int()
    open = Int()
    done = Int()
    rate = fields.Float(allow_none=True)


class CampaignCompletionSchema(BaseSchema):
    on_time = Int()
    late = Int()
    not_done = Int()
    open = Int()
    done = Int()
    rate = fields.Float(allow_none=True)


class CampaignCountSchema(BaseSchema):
    code = Text()
    label = Text()
    count = Int()


class CampaignHazardFiguresSchema(BaseSchema):
    total = Int()
    by_level = fields.List(fields.Nested(CampaignCountSchema))
    by_state = fields.List(fields.Nested(CampaignCountSchema))
    overdue = Int()


class CampaignHazardRefSchema(BaseSchema):
    id = Text()
    title = Text()
    enterprise = fields.Nested(CampaignRefSchema)
    level = Text()
    state = Text()
    deadline = fields.Date(allow_none=True)


class CampaignLaggardSchema(CampaignRefSchema):
    head_name = Text()
    head_phone = Text()


class CampaignRegionSchema(BaseSchema):
    code = Text()
    name = Text()


class CampaignTargetRowSchema(BaseSchema):
    enterprise = fields.Nested(CampaignRefSchema)
    region = fields.Nested(CampaignRegionSchema)
    industries = fields.List(fields.Nested(CampaignCodeLabelSchema))
    head_name = Text()
    head_phone = Text()
    completion = fields.Nested(CampaignCodeLabelSchema)
    done_at = fields.DateTime(allow_none=True)
    is_late_joiner = fields.Boolean()
    hazards = Int()
    major_hazards = Int()
    open_hazards = Int()
    overdue_hazards = Int()
    is_zero_hazard = fields.Boolean()


class CampaignDifferenceSchema(BaseSchema):
    item_id = Text()
    text = Text()
    self_result = Text(allow_none=True)
    check_result = Text()
    label = Text()
    is_missed_by_self_check = fields.Boolean()


class CampaignCheckViewSchema(BaseSchema):
    id = Int()
    checked_at = fields.DateTime()
    failed = Int()
    differences = fields.List(fields.Nested(CampaignDifferenceSchema))


class SampleSchema(BaseSchema):
    id = Int()
    stage = fields.Nested(CampaignCodeLabelSchema)
    position = Int()
    seed = Text(allow_none=True)
    enterprise = fields.Nested(CampaignRefSchema)
    check = fields.Nested(CampaignCheckViewSchema, allow_none=True)


class CampaignItemSchema(BaseSchema):
    id = Text()
    text = Text()
    is_major = fields.Boolean()
    basis = fields.List(Text())


class CampaignItemListSchema(BaseSchema):
    items = fields.List(fields.Nested(CampaignItemSchema))


class SampleListSchema(BaseSchema):
    items = fields.List(fields.Nested(SampleSchema))


class BureauViewSchema(BaseSchema):
    targets = Int()
    completion = fields.Nested(CampaignCompletionSchema)
    by_region = fields.List(fields.Nested(CampaignGroupSchema))
    by_industry = fields.List(fields.Nested(CampaignGroupSchema))
    hazards = fields.Nested(CampaignHazardFiguresSchema)
    major_hazards = fields.List(fields.Nested(CampaignHazardRefSchema))
    overdue_hazards = fields.List(fields.Nested(CampaignHazardRefSchema))
    zero_hazard_enterprises = fields.List(fields.Nested(CampaignRefSchema))
    laggards = fields.List(fields.Nested(CampaignLaggardSchema))
    enterprises = fields.List(fields.Nested(CampaignTargetRowSchema))
    samples = fields.List(fields.Nested(SampleSchema))
