"""Request and response schemas for inspections (the PWA's sync contract)."""

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from anxun.checklists.loader import INSPECTION_TYPE_LABELS
from anxun.core.errors import item_keyed
from anxun.core.schemas import BaseSchema, Int, LabelledEnum, PageQuerySchema
from anxun.inspections.models import SOURCE_LABELS

INSPECTION_TYPES = list(INSPECTION_TYPE_LABELS)


class GpsSchema(BaseSchema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    accuracy = fields.Float(load_default=None, validate=validate.Range(min=0))


class AnswerSchema(BaseSchema):
    item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    result = fields.String(required=True, validate=validate.OneOf(["pass", "fail", "na"]))
    value = fields.Raw(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    # Loaded as `media`: the replay digest (services.payload_digest) is computed over the loaded
    # answers, so a record sent before the request field was renamed still replays.
    media = fields.List(
        fields.UUID(), load_default=list, validate=validate.Length(max=20), data_key="media_ids"
    )
    # inspection_answer.deduction is Numeric(6, 2).
    deduction = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=9999.99)
    )


class InspectionSubmitSchema(BaseSchema):
    id = fields.UUID(required=True)
    enterprise_id = Int(load_default=None)
    task_occurrence_id = Int(load_default=None, allow_none=True)
    # An auditor's inspection within an open audit run; absent (not None) otherwise, so the
    # payload digest of ordinary submissions stays what it was.
    audit_run_id = Int(allow_none=True)
    checklist_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    checklist_version = fields.String(
        required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="应为 64 位内容哈希。")
    )
    profile = fields.String(load_default=None, allow_none=True)
    place_id = Int(load_default=None, allow_none=True)
    qr_scanned = fields.Boolean(load_default=False)
    inspection_type = fields.String(load_default="daily", validate=validate.OneOf(INSPECTION_TYPES))
    started_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(required=True)
    sent_at = fields.AwareDateTime(load_default=None, allow_none=True)
    gps = fields.Nested(GpsSchema, load_default=None, allow_none=True)
    device_id = fields.String(load_default="", validate=validate.Length(max=64))
    signature_media_id = fields.UUID(load_default=None, allow_none=True)
    corrects_id = fields.UUID(load_default=None, allow_none=True)
    # Nested(many=True) loads the list in one pass of the answer schema (a list of single
    # nested loads took two and a half times as long for the 71 answers of a checklist).
    answers = fields.Nested(
        AnswerSchema,
        many=True,
        required=True,
        validate=validate.Length(min=1, max=2000),
        error_messages={"type": "应为列表。"},
    )

    @validates_schema
    def times_in_order(self, data, **kwargs):
        started, finished = data.get("started_at"), data.get("finished_at")
        if started and finished and finished < started:
            raise ValidationError("完成时间不能早于开始时间。", "finished_at")

    def handle_error(self, error, data, **kwargs):
        """Answer errors name the check item (`answers[HC-MAJ-01].media_ids`), not a position."""
        if isinstance(error.messages, dict) and isinstance(data, dict):
            item_keyed(error.messages, "answers", data.get("answers"), "item_id")


class HazardRefSchema(BaseSchema):
    id = fields.String()
    item_id = fields.String(allow_none=True)
    proposed_level = fields.String()
    state = fields.String()


class AnswerViewSchema(BaseSchema):
    item_id = fields.String()
    entered_result = fields.String()
    result = fields.String()
    value = fields.Raw(allow_none=True)
    note = fields.String()
    media_ids = fields.List(fields.String())
    deduction = fields.Float(allow_none=True)


class InspectionViewSchema(BaseSchema):
    id = fields.String()
    verification_code = fields.String(
        metadata={
            "description": "校验码：打印在排查记录上的短码（id 前 12 位十六进制），如 1A7D-082D-93F0"
        }
    )
    enterprise_id = fields.Integer()
    checklist_code = fields.String()
    checklist_version = fields.String()
    checklist_title = fields.String()
    task_occurrence_id = fields.Integer(allow_none=True)
    place_id = fields.Integer(allow_none=True)
    qr_scanned = fields.Boolean()
    inspection_type = LabelledEnum(INSPECTION_TYPE_LABELS)
    source = LabelledEnum(SOURCE_LABELS)
    inspector_user_id = fields.Integer()
    inspector_name = fields.String()
    started_at = fields.DateTime()
    finished_at = fields.DateTime()
    received_at = fields.DateTime()
    gps = fields.Dict(allow_none=True)
    device_id = fields.String()
    corrects_id = fields.String(allow_none=True)
    summary = fields.Dict()
    flags = fields.List(fields.Dict())
    hazards = fields.List(fields.Nested(HazardRefSchema))
    answers = fields.List(fields.Nested(AnswerViewSchema))
    receipt = fields.Dict()


class InspectionReceiptSchema(BaseSchema):
    """What `POST /inspections` answers: enough for the device to mark the record sent and show
    what it raised; the full record is at `GET /inspections/<id>`."""

    id = fields.String()
    verification_code = fields.String()
    received_at = fields.DateTime()
    summary = fields.Dict(
        metadata={"description": "pass/fail/na counts, pass_rate, major_failures"}
    )
    flags = fields.List(fields.Dict(), metadata={"description": "Plausibility flags"})
    hazards = fields.List(fields.Nested(HazardRefSchema), metadata={"description": "Raised"})
    receipt = fields.Dict(metadata={"description": "id, digest and received_at (ISO)"})
    replayed = fields.Boolean(
        metadata={"description": "true when this answers an exact replay with the stored receipt"}
    )


class InspectionListQuerySchema(PageQuerySchema):
    enterprise_id = fields.Integer(load_default=None)
    place_id = fields.Integer(load_default=None)


class InspectionByCodeQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(
        load_default=None,
        metadata={"description": "只在该企业的记录中查找（二维码链接带有企业编号）"},
    )


class InspectionSummaryViewSchema(InspectionViewSchema):
    class Meta(InspectionViewSchema.Meta):
        exclude = ("answers",)


class InspectionPageSchema(BaseSchema):
    items = fields.List(fields.Nested(InspectionSummaryViewSchema))
    next_cursor = fields.String(allow_none=True)
