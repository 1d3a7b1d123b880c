"""Request and response schemas for supervised listings and their public disclosure."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, LabelledEnum
from anxun.hazards.workflow import STATE_LABELS as HAZARD_STATE_LABELS
from anxun.oversight.listings.queries import STATE_LABELS
from anxun.oversight.listings.rules import PUBLIC_SUMMARY_MAX

REGION_LEVEL_LABELS = {"province": "省级", "city": "地级", "county": "县级"}


class ListingCreateSchema(BaseSchema):
    supervising_office = fields.String(required=True, validate=validate.Length(min=1, max=120))
    deadline = fields.Date(required=True, metadata={"description": "督办期限（不早于今天）"})
    public_summary = fields.String(
        required=True,
        validate=validate.Length(min=1, max=PUBLIC_SUMMARY_MAX),
        metadata={"description": "公示摘要：不得含人员姓名、电话、身份证号"},
    )
    is_public = fields.Boolean(load_default=True)


class ListingListQuerySchema(BaseSchema):
    # Query strings carry text, so integers here are parsed leniently.
    state = fields.String(load_default=None, validate=validate.OneOf(list(STATE_LABELS)))
    overdue = fields.Boolean(load_default=None)
    enterprise_id = fields.Integer(load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class ListingSchema(BaseSchema):
    id = fields.Integer()
    listing_no = fields.String()
    hazard_id = fields.UUID()
    hazard_title = fields.String()
    hazard_state = LabelledEnum(HAZARD_STATE_LABELS)
    hazard_deadline = fields.Date(allow_none=True)
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    regulator_id = fields.Integer()
    supervising_office = fields.String()
    deadline = fields.Date()
    public_summary = fields.String()
    is_public = fields.Boolean()
    state = LabelledEnum(STATE_LABELS)
    is_overdue = fields.Boolean()
    listed_at = fields.DateTime()
    listed_by = fields.String()
    delisted_at = fields.DateTime(allow_none=True)
    delisted_by = fields.String()


class ListingPageSchema(BaseSchema):
    items = fields.List(fields.Nested(ListingSchema))


class PublicQuerySchema(BaseSchema):
    region_code = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^\d{2,6}$"),
        metadata={"description": "行政区划代码前缀，如 3302"},
    )


class StatusSchema(BaseSchema):
    code = fields.String()
    label = fields.String()


class PublicMajorHazardSchema(BaseSchema):
    enterprise_name = fields.String()
    region_code = fields.String()
    region_name = fields.String(metadata={"description": "行政区划名称（GB/T 2260）"})
    listing_no = fields.String()
    public_summary = fields.String()
    supervising_office = fields.String()
    deadline = fields.Date()
    status = fields.Nested(StatusSchema)
    listed_on = fields.Date()
    delisted_on = fields.Date(allow_none=True)


class PublicMajorHazardPageSchema(BaseSchema):
    items = fields.List(fields.Nested(PublicMajorHazardSchema))


class PublicRegionSchema(BaseSchema):
    code = fields.String(metadata={"description": "行政区划代码（GB/T 2260）"})
    name = fields.String(metadata={"description": "名称，如 镇海区"})
    level = LabelledEnum(REGION_LEVEL_LABELS)
    parent_code = fields.String(allow_none=True)
    prefix = fields.String(
        metadata={"description": "筛选公示列表用的代码前缀（region_code 参数），如 3302"}
    )


class PublicRegionListSchema(BaseSchema):
    items = fields.List(fields.Nested(PublicRegionSchema))
