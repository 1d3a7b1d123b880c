"""Request and response schemas for remote evidence requests (desk and phone)."""

from marshmallow import fields, validate

from anxun.accounts.roles import ENTERPRISE_ROLES, ROLE_LABELS
from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.evidence.rules import MAX_HOURS, MIN_HOURS, REQUESTER_LABELS, STATE_LABELS
from anxun.inspections.schemas import GpsSchema
from anxun.oversight.patrols.schemas import LegalBasisSchema

ANSWERER_ROLES = sorted(str(r) for r in ENTERPRISE_ROLES)
LEVELS = ["general", "major"]


def _basis():
    return fields.List(
        fields.Nested(LegalBasisSchema), required=True, validate=validate.Length(min=1, max=20)
    )


class EvidenceRequestCreateSchema(BaseSchema):
    enterprise_id = Int(required=True)
    patrol_id = Int(load_default=None, allow_none=True, metadata={"description": "所属巡查"})
    place_id = Int(load_default=None, allow_none=True, metadata={"description": "核查地点"})
    hazard_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "或：整改中的隐患"}
    )
    text = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "要拍摄展示的内容"},
    )
    item_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "可选：检查表检查项编号"},
    )
    deadline_hours = Int(
        load_default=2,
        validate=validate.Range(min=MIN_HOURS, max=MAX_HOURS),
        metadata={"description": "限时（小时）"},
    )
    answerer_role = fields.String(
        load_default="safety_officer",
        validate=validate.OneOf(ANSWERER_ROLES),
        metadata={"description": "须由企业哪类人员回应，默认安全管理人员"},
    )


class EvidencePhotoSchema(BaseSchema):
    media_id = fields.UUID(required=True, metadata={"description": "先经 /media 上传的照片"})
    taken_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "设备报告的拍摄时间（EXIF 或文件时间）"},
    )


class EvidenceAnswerSubmitSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "客户端生成的 UUID（可重放）"})
    answered_at = fields.AwareDateTime(required=True)
    sent_at = fields.AwareDateTime(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    photos = fields.List(
        fields.Nested(EvidencePhotoSchema), required=True, validate=validate.Length(min=1, max=10)
    )
    gps = fields.Nested(GpsSchema, load_default=None, allow_none=True)
    device_id = fields.String(load_default="", validate=validate.Length(max=64))


class EvidenceCancelSchema(BaseSchema):
    expected_state = fields.String(required=True, validate=validate.OneOf(list(STATE_LABELS)))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class EvidenceFindingSchema(BaseSchema):
    id = fields.UUID(required=True, metadata={"description": "发现的客户端 UUID（可重放）"})
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    basis = _basis()
    proposed_level = fields.String(load_default="general", validate=validate.OneOf(LEVELS))
    deadline = fields.Date(load_default=None, allow_none=True)


class EvidenceOrderSchema(BaseSchema):
    co_officer_user_id = Int(required=True)
    deadline = fields.Date(required=True)
    basis = _basis()
    requirements = fields.String(load_default="", validate=validate.Length(max=4000))
    text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class EvidenceListQuerySchema(PageQuerySchema):
    enterprise_id = fields.Integer(load_default=None)
    patrol_id = fields.Integer(load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(list(STATE_LABELS)))
    to_answer = fields.Boolean(
        load_default=False, metadata={"description": "只列出需要我回应的核查（手机端）"}
    )


class PersonSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class EvidencePlaceSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class EvidenceHazardSchema(BaseSchema):
    id = fields.UUID()
    title = fields.String()
    state = fields.String()


class EvidencePhotoViewSchema(BaseSchema):
    media_id = fields.UUID()
    taken_at = fields.DateTime(allow_none=True, metadata={"description": "设备报告的拍摄时间"})


class EvidenceGpsViewSchema(BaseSchema):
    lat = fields.Float()
    lon = fields.Float()
    accuracy = fields.Float(allow_none=True)


class EvidenceFlagSchema(BaseSchema):
    code = fields.String(metadata={"description": "如 late、gps_far、photo_not_fresh"})
    message = fields.String()
    photos = fields.List(fields.Integer(), metadata={"description": "涉及的照片序号（从 1 起）"})
    metres = fields.Float(metadata={"description": "gps_far：距地点（米）"})
    seconds = fields.Float(metadata={"description": "clock_skew 等：相差秒数"})


class EvidenceAnswerSchema(BaseSchema):
    id = fields.UUID()
    answered_by = fields.Nested(PersonSchema, allow_none=True)
    answered_at = fields.DateTime()
    received_at = fields.DateTime()
    note = fields.String()
    photos = fields.List(fields.Nested(EvidencePhotoViewSchema))
    gps = fields.Nested(EvidenceGpsViewSchema, allow_none=True)
    distance_metres = fields.Float(
        allow_none=True, metadata={"description": "回应位置距地点（米）"}
    )
    is_late = fields.Boolean()
    flags = fields.List(fields.Nested(EvidenceFlagSchema))


class EvidenceItemSchema(BaseSchema):
    id = fields.String(metadata={"description": "检查项编号"})
    text = fields.String(metadata={"description": "检查项内容（该企业现行检查表中的表述）"})


class EvidenceRequestSchema(BaseSchema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    enterprise_name = fields.String()
    patrol_id = fields.Integer(allow_none=True)
    place = fields.Nested(EvidencePlaceSchema, allow_none=True)
    hazard = fields.Nested(EvidenceHazardSchema, allow_none=True)
    text = fields.String()
    item_ids = fields.List(fields.String())
    items = fields.List(fields.Nested(EvidenceItemSchema))
    answerer_role = LabelledEnum({str(k): v for k, v in ROLE_LABELS.items()})
    deadline_hours = fields.Integer()
    requester_kind = LabelledEnum(REQUESTER_LABELS)
    requested_by = fields.Nested(PersonSchema, allow_none=True)
    created_at = fields.DateTime()
    due_at = fields.DateTime()
    seconds_left = fields.Integer()
    state = LabelledEnum(STATE_LABELS)
    is_late = fields.Boolean()
    is_missing = fields.Boolean()
    may_answer = fields.Boolean()
    finding_id = fields.UUID(allow_none=True)
    order_id = fields.Integer(allow_none=True)
    answer = fields.Nested(EvidenceAnswerSchema, allow_none=True)


class EvidenceRequestPageSchema(BaseSchema):
    items = fields.List(fields.Nested(EvidenceRequestSchema))
    next_cursor = fields.String(allow_none=True)
