"""Request and response schemas for regions, enterprises, regulators, agencies, engagements."""

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.orgs.rules import INDUSTRY_LABELS, KIND_LABELS, LEVEL_LABELS, SIZE_LABELS, Industry

INDUSTRY_CODES = [i.value for i in Industry]
PHONE = validate.Regexp(r"^[0-9+\-() ]{0,20}$", error="电话号码格式不正确。")


class RegionSchema(BaseSchema):
    code = fields.String()
    name = fields.String()
    parent_code = fields.String(allow_none=True)


class RegionQuerySchema(BaseSchema):
    parent = fields.String(load_default=None, validate=validate.Regexp(r"^\d{6}$"))


class EnterpriseSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    uscc = fields.String()
    region_code = fields.String()
    region_name = fields.Function(lambda e: e.region.name if e.region else None)
    industries = fields.Function(
        lambda e: [{"code": i, "label": INDUSTRY_LABELS.get(Industry(i), i)} for i in e.industries]
    )
    size_class = LabelledEnum(SIZE_LABELS)
    is_small_micro = fields.Function(lambda e: e.size_class in ("small", "micro"))
    address = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    head_name = fields.String()
    # None for an agency's auditors (orgs.queries.enterprise_view): phones are personal data.
    head_phone = fields.String(allow_none=True)
    safety_head_name = fields.String()
    safety_head_phone = fields.String(allow_none=True)
    has_major_hazard_source = fields.Boolean()
    hazchem_registration_code = fields.String(allow_none=True)
    document_abbreviation = fields.String(
        metadata={
            "description": "企业文书代字，如“澄化”（隐患整改通知单编号 澄化隐改〔2026〕12号）"
        }
    )


class EnterpriseWriteSchema(BaseSchema):
    name = fields.String(validate=validate.Length(min=2, max=120))
    uscc = fields.String(validate=validate.Length(equal=18))
    region_code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="应为6位行政区划代码。"))
    industries = fields.List(
        fields.String(validate=validate.OneOf(INDUSTRY_CODES)), validate=validate.Length(min=1)
    )
    size_class = fields.String(validate=validate.OneOf([s.value for s in SIZE_LABELS]))
    address = fields.String(validate=validate.Length(max=255))
    latitude = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    head_name = fields.String(validate=validate.Length(max=40))
    head_phone = fields.String(validate=PHONE)
    safety_head_name = fields.String(validate=validate.Length(max=40))
    safety_head_phone = fields.String(validate=PHONE)
    has_major_hazard_source = fields.Boolean()
    hazchem_registration_code = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\d{9}$", error="危险化学品登记编码应为9位数字。"),
    )
    document_abbreviation = fields.String(
        validate=validate.Regexp(r"^[\u4e00-\u9fff]{0,8}$", error="文书代字应为不超过8个汉字。"),
        metadata={"description": "企业文书代字（不超过8个汉字；留空时取企业名称的前两个字）"},
    )


class EnterpriseCreateSchema(EnterpriseWriteSchema):
    class Meta(EnterpriseWriteSchema.Meta):
        pass

    def on_bind_field(self, field_name, field_obj):
        if field_name in ("name", "uscc", "region_code", "industries", "size_class", "head_name"):
            field_obj.required = True


class EnterpriseListQuerySchema(PageQuerySchema):
    sort = fields.String(load_default="id", validate=validate.OneOf(["id", "name", "region_code"]))
    industry = fields.String(load_default=None, validate=validate.OneOf(INDUSTRY_CODES))
    region_code = fields.String(load_default=None, validate=validate.Regexp(r"^\d{2,6}$"))
    q = fields.String(load_default=None, validate=validate.Length(max=60))


class EnterprisePageSchema(BaseSchema):
    items = fields.List(fields.Nested(EnterpriseSchema))
    next_cursor = fields.String(allow_none=True)


class ImportResultSchema(BaseSchema):
    imported = fields.Integer()
    enterprises = fields.List(fields.Nested(EnterpriseSchema))
    credentials = fields.List(fields.Dict())


class RegulatorSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    kind = LabelledEnum(KIND_LABELS)
    level = LabelledEnum(LEVEL_LABELS)
    region_code = fields.String()
    industries = fields.List(fields.String())


class AgencySchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    uscc = fields.String()
    qualification = fields.String()
    qualification_certificate_no = fields.String(metadata={"description": "资质证书编号"})


class EngagementSchema(BaseSchema):
    id = fields.Integer()
    agency_id = fields.Integer()
    agency_name = fields.Function(lambda e: e.agency.name)
    commissioned_by = LabelledEnum({"regulator": "监管部门委托", "enterprise": "企业委托"})
    regulator_id = fields.Integer(allow_none=True)
    client_enterprise_id = fields.Integer(allow_none=True)
    title = fields.String()
    scope = fields.List(fields.String())
    valid_from = fields.Date()
    valid_to = fields.Date()
    enterprise_ids = fields.List(fields.Integer())


SCOPES = ["inspections", "hazards", "risk", "documents"]


class EngagementCreateSchema(BaseSchema):
    agency_id = Int(required=True)
    commissioned_by = fields.String(
        required=True, validate=validate.OneOf(["regulator", "enterprise"])
    )
    title = fields.String(required=True, validate=validate.Length(min=2, max=200))
    scope = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1),
    )
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    enterprise_ids = fields.List(Int(), required=True, validate=validate.Length(min=1, max=500))

    @validates_schema
    def window(self, data, **kwargs):
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_from"] > data["valid_to"]
        ):
            raise ValidationError("结束日期不能早于开始日期。", "valid_to")
