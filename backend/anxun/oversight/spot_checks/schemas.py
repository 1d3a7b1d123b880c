"""Request and response schemas of the random spot check (双随机一公开)."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum
from anxun.orgs.rules import INDUSTRY_LABELS, Industry
from anxun.oversight.spot_checks.draw import SEED_MAX_LENGTH
from anxun.oversight.spot_checks.queries import KIND_LABELS, RESULT_LABELS

INDUSTRY_CODES = [i.value for i in Industry]
RESULTS = ["no_issues", "issues_found", "not_operating"]


class SpotCheckRegistryQuerySchema(BaseSchema):
    # Query strings carry text, so integers here are parsed leniently.
    regulator_id = fields.Integer(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(list(KIND_LABELS)))
    include_inactive = fields.Boolean(load_default=False)


class SpotCheckRegistryAddSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(list(KIND_LABELS)))
    enterprise_id = Int(load_default=None, metadata={"description": "不填：添加全部辖区企业"})
    industry = fields.String(
        load_default=None,
        validate=validate.OneOf(INDUSTRY_CODES),
        metadata={"description": "批量添加时只加该行业的企业"},
    )
    user_id = Int(load_default=None)


class SpotCheckEnterpriseSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    industries = fields.Function(
        lambda e: [
            {"code": i, "label": INDUSTRY_LABELS.get(Industry(i), i)} for i in e["industries"]
        ]
    )


class SpotCheckPersonSchema(BaseSchema):
    id = fields.Integer()
    display_name = fields.String()


class SpotCheckRegistryEntrySchema(BaseSchema):
    id = fields.Integer()
    regulator_id = fields.Integer()
    kind = LabelledEnum(KIND_LABELS)
    enterprise = fields.Nested(SpotCheckEnterpriseSchema, allow_none=True)
    inspector = fields.Nested(SpotCheckPersonSchema, allow_none=True)
    is_active = fields.Boolean()
    added_at = fields.DateTime()


class SpotCheckRegulatorSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class SpotCheckCandidatesSchema(BaseSchema):
    objects = fields.List(fields.Nested(SpotCheckEnterpriseSchema))
    inspectors = fields.List(fields.Nested(SpotCheckPersonSchema))


class SpotCheckRegistrySchema(BaseSchema):
    regulator = fields.Nested(SpotCheckRegulatorSchema)
    items = fields.List(fields.Nested(SpotCheckRegistryEntrySchema))
    candidates = fields.Nested(SpotCheckCandidatesSchema)
    can_manage = fields.Boolean()


class SpotCheckRegistryEntryListSchema(BaseSchema):
    items = fields.List(fields.Nested(SpotCheckRegistryEntrySchema))


class SpotCheckDrawCreateSchema(BaseSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    enterprise_count = Int(required=True)
    inspectors_per_enterprise = Int(load_default=2)
    seed = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=SEED_MAX_LENGTH),
        metadata={"description": "不填则由服务器生成 32 位十六进制随机种子"},
    )


class SpotCheckDrawListQuerySchema(BaseSchema):
    regulator_id = fields.Integer(load_default=None)


class SpotCheckDrawSummarySchema(BaseSchema):
    id = fields.Integer()
    regulator = fields.Nested(SpotCheckRegulatorSchema)
    title = fields.String()
    algorithm = fields.String()
    enterprise_count = fields.Integer()
    inspectors_per_enterprise = fields.Integer()
    drawn_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    results_recorded = fields.Integer()


class SpotCheckDrawListSchema(BaseSchema):
    items = fields.List(fields.Nested(SpotCheckDrawSummarySchema))


class SpotCheckPatrolSchema(BaseSchema):
    id = fields.Integer()
    mode = fields.String()
    is_unannounced = fields.Boolean()
    state = fields.String()
    opened_at = fields.DateTime()


class SpotCheckAssignmentSchema(BaseSchema):
    id = fields.Integer()
    draw_id = fields.Integer()
    position = fields.Integer()
    enterprise = fields.Nested(SpotCheckEnterpriseSchema)
    inspectors = fields.List(fields.Nested(SpotCheckPersonSchema))
    state = LabelledEnum(RESULT_LABELS)
    result_summary = fields.String()
    recorded_by = fields.Nested(SpotCheckPersonSchema, allow_none=True)
    recorded_at = fields.DateTime(allow_none=True)
    patrols = fields.List(fields.Nested(SpotCheckPatrolSchema))
    can_record_result = fields.Boolean()


class SpotCheckBasisSchema(BaseSchema):
    title = fields.String()
    document_no = fields.String()
    rule = fields.String()
    verified = fields.Boolean()


class SpotCheckDrawSchema(BaseSchema):
    id = fields.Integer()
    regulator = fields.Nested(SpotCheckRegulatorSchema)
    title = fields.String()
    seed = fields.String()
    algorithm = fields.String()
    enterprise_count = fields.Integer()
    inspectors_per_enterprise = fields.Integer()
    object_pool = fields.List(fields.Integer())
    inspector_pool = fields.List(fields.Integer())
    drawn_by = fields.Nested(SpotCheckPersonSchema)
    drawn_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    basis = fields.List(fields.Nested(SpotCheckBasisSchema))
    assignments = fields.List(fields.Nested(SpotCheckAssignmentSchema))
    can_publish = fields.Boolean()


class SpotCheckDrawnRowSchema(BaseSchema):
    position = fields.Integer()
    enterprise_id = fields.Integer()
    inspector_user_ids = fields.List(fields.Integer())


class SpotCheckVerificationSchema(BaseSchema):
    draw_id = fields.Integer()
    reproduced = fields.Boolean()
    algorithm = fields.String()
    seed = fields.String()
    object_pool = fields.List(fields.Integer())
    inspector_pool = fields.List(fields.Integer())
    enterprise_count = fields.Integer()
    inspectors_per_enterprise = fields.Integer()
    stored = fields.List(fields.Nested(SpotCheckDrawnRowSchema))
    recomputed = fields.List(fields.Nested(SpotCheckDrawnRowSchema))
    differences = fields.List(fields.String())


class SpotCheckResultSchema(BaseSchema):
    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    summary = fields.String(load_default="", validate=validate.Length(max=2000))
    expected_state = fields.String(
        load_default=None,
        validate=validate.OneOf(list(RESULT_LABELS)),
        metadata={"description": "客户端看到的状态：pending 或已录入的结果；修改已录入结果时必填"},
    )


class PublicSpotCheckAssignmentSchema(BaseSchema):
    position = fields.Integer()
    enterprise = fields.String()
    inspectors = fields.List(fields.String())
    result = fields.Dict()
    result_summary = fields.String()
    recorded_on = fields.String(allow_none=True)


class PublicSpotCheckDrawSchema(BaseSchema):
    id = fields.Integer()
    regulator = fields.String()
    title = fields.String()
    drawn_at = fields.String()
    published_at = fields.String()
    seed = fields.String()
    algorithm = fields.String()
    enterprise_count = fields.Integer()
    inspectors_per_enterprise = fields.Integer()
    object_pool = fields.List(fields.String())
    inspector_pool = fields.List(fields.String())
    assignments = fields.List(fields.Nested(PublicSpotCheckAssignmentSchema))


class PublicSpotCheckDrawListSchema(BaseSchema):
    items = fields.List(fields.Nested(PublicSpotCheckDrawSchema))


class PublicDrawMethodSchema(BaseSchema):
    name = fields.String()
    version = fields.String()
    steps = fields.List(fields.String(), metadata={"description": "抽取方法的文字说明，按步骤"})
    references = fields.List(fields.String())


class PublicDrawResultSchema(BaseSchema):
    position = fields.Integer()
    enterprise = fields.String()
    inspectors = fields.List(fields.String())


class PublicSpotCheckReproductionSchema(BaseSchema):
    title = fields.String()
    regulator = fields.String()
    drawn_on = fields.Date()
    published_on = fields.Date()
    seed = fields.String()
    enterprise_count = fields.Integer()
    inspectors_per_enterprise = fields.Integer()
    object_registry = fields.List(
        fields.String(), metadata={"description": "检查对象名录（企业名称，按公示顺序）"}
    )
    inspector_registry = fields.List(
        fields.String(), metadata={"description": "执法检查人员名录（姓名，按公示顺序）"}
    )
    method = fields.Nested(PublicDrawMethodSchema)
    result = fields.List(fields.Nested(PublicDrawResultSchema))
