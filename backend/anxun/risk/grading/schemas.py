"""Request and response schemas for the risk calculator, band tables, assessments and grades."""

from __future__ import annotations

import math

from marshmallow import INCLUDE, fields, validate

from anxun.core.schemas import BaseSchema, Int, LabelledEnum
from anxun.risk.grading.control import CONTROL_LEVELS
from anxun.risk.grading.levels import LEVELS
from anxun.risk.grading.methods import METHODS

LEVEL_LABELS = {code: label for code, (label, _) in LEVELS.items()}
KIND_LABELS = {"inherent": "固有风险", "residual": "剩余风险"}
METHOD_CODES = list(METHODS)


class StrictNumber(fields.Field):
    """A JSON number (int or finite float) kept as given; text and booleans are refused."""

    default_error_messages = {"invalid": "应为数字。"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.make_error("invalid")
        return value


class EvaluateSchema(BaseSchema):
    """`method` plus the method's factors at the top level, e.g. {"method": "LEC", "L": 6, …}.

    Factor names are passed through unchecked: the grading rules report unknown or missing ones.
    """

    class Meta(BaseSchema.Meta):
        unknown = INCLUDE

    method = fields.String(required=True, metadata={"description": "LEC、LS 或 MES"})
    enterprise_id = Int(
        load_default=None, metadata={"description": "按该企业（或其所在省）配置的分级表评价"}
    )


class AssessmentCreateSchema(BaseSchema):
    """{"method": "LEC", "L": 6, "E": 6, "C": 15, "kind": "residual"}; factors at the top level."""

    class Meta(BaseSchema.Meta):
        unknown = INCLUDE

    method = fields.String(required=True)
    kind = fields.String(load_default="residual", validate=validate.OneOf(list(KIND_LABELS)))


class EvaluationSchema(BaseSchema):
    method = fields.String()
    factors = fields.Dict()
    score = fields.Raw()
    level = fields.Dict()
    band = fields.Dict()
    control_level = fields.Dict()
    explanation = fields.String()
    band_table = fields.Dict()


class MethodSchema(BaseSchema):
    code = fields.String()
    name = fields.String()
    formula = fields.String()
    source = fields.String()
    factors = fields.List(fields.Dict())
    bands = fields.Dict()


class OwnerQuerySchema(BaseSchema):
    owner = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^(region:\d{2}|enterprise:\d{1,9})$",
            error="应为 region:<省级行政区划代码前两位> 或 enterprise:<企业编号>。",
        ),
        metadata={"description": "region:33（浙江省）或 enterprise:12"},
    )
    method = fields.String(load_default=None, validate=validate.OneOf(METHOD_CODES))


class BandSchema(BaseSchema):
    level = fields.String(required=True, validate=validate.OneOf(list(LEVELS)))
    label = fields.String(required=True, validate=validate.Length(min=1, max=40))
    lower = StrictNumber(load_default=None, allow_none=True)
    lower_inclusive = fields.Boolean(load_default=False)
    upper = StrictNumber(load_default=None, allow_none=True)
    upper_inclusive = fields.Boolean(load_default=False)
    description = fields.String(load_default="", validate=validate.Length(max=200))


class BandTableCreateSchema(BaseSchema):
    method = fields.String(required=True, validate=validate.OneOf(METHOD_CODES))
    bands = fields.List(
        fields.Nested(BandSchema), required=True, validate=validate.Length(min=1, max=20)
    )
    control_map = fields.Dict(
        keys=fields.String(), values=fields.String(), load_default=None, allow_none=True
    )
    source = fields.String(load_default="", validate=validate.Length(max=200))


class BandTableSchema(BaseSchema):
    id = fields.Integer()
    owner_key = fields.String()
    method = fields.String()
    code = fields.String()
    version = fields.Integer()
    bands = fields.List(fields.Dict())
    control_map = fields.Dict(allow_none=True)
    source = fields.String()
    created_at = fields.DateTime()
    created_by_user_id = fields.Integer(allow_none=True)


class AssessmentSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    risk_event_id = fields.Integer()
    kind = LabelledEnum(KIND_LABELS)
    method = fields.String()
    factors = fields.Dict()
    band_table_code = fields.String()
    band_table_version = fields.String()
    score = fields.Float()
    level = LabelledEnum(LEVEL_LABELS)
    control_level = LabelledEnum(CONTROL_LEVELS)
    explanation = fields.String()
    assessor_user_id = fields.Integer()
    assessed_on = fields.Date()
    created_at = fields.DateTime()


class GradeHistoryQuerySchema(BaseSchema):
    # Query strings carry text, so this integer is parsed leniently.
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=366))


class GradeDaySchema(BaseSchema):
    day = fields.Date()
    score = fields.Float()
    colour = fields.String()


class GradeSchema(BaseSchema):
    enterprise_id = fields.Integer()
    day = fields.String()
    score = fields.Raw()
    colour = fields.Dict()
    components = fields.List(fields.Dict())
    vetoes = fields.List(fields.Dict())
    formula = fields.String()
    basis = fields.String()
    config_version = fields.String()
    inputs = fields.Dict()
    operation_effectiveness = fields.Dict()
    history = fields.List(fields.Nested(GradeDaySchema))
