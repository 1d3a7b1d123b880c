"""Request and response schemas for checklists."""

from marshmallow import fields, validate

from anxun.checklists.diff import KIND_LABELS
from anxun.checklists.verification import REASONS
from anxun.core.schemas import BaseSchema, LabelledEnum

INDUSTRY_LABELS = {
    "hazardous_chemicals": "危险化学品",
    "construction": "房屋市政工程",
    "dust_explosion": "粉尘涉爆",
    "confined_space": "有限空间作业",
    "industry_trade": "工贸其他",
    "general": "通用",
}


class ChecklistQuerySchema(BaseSchema):
    industry = fields.String(load_default=None, validate=validate.OneOf(list(INDUSTRY_LABELS)))
    enterprise_id = fields.Integer(load_default=None)


class ChecklistVersionQuerySchema(BaseSchema):
    version = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[0-9a-fA-F]{8,64}$", error="版本应为内容哈希（至少 8 位）。"),
        metadata={
            "description": "版本的内容哈希（至少前 8 位），如任务的 checklist_version；"
            "省略时为最新版本"
        },
    )
    enterprise_id = fields.Integer(load_default=None)


class ChecklistUploadQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)


class ChecklistSummarySchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    industry = LabelledEnum(INDUSTRY_LABELS)
    version_label = fields.String()
    version_hash = fields.String()
    applies_to = fields.List(fields.String())
    item_count = fields.Integer()
    major_count = fields.Integer()
    owner_enterprise_id = fields.Integer(allow_none=True)
    loaded_at = fields.DateTime()


class ChecklistVersionRefSchema(BaseSchema):
    version_hash = fields.String()
    version_label = fields.String()
    loaded_at = fields.DateTime()


class CitationSchema(BaseSchema):
    """One basis line as field users see it: the certain part, and whether an article waits."""

    text = fields.String()
    is_clause_pending = fields.Boolean()


class PendingEntrySchema(BaseSchema):
    item_id = fields.String()
    clause = fields.String(allow_none=True)
    reason = LabelledEnum(REASONS)
    field = fields.String()


class PendingDocumentSchema(BaseSchema):
    """A cited document with what of it (or of the items citing it) awaits verification."""

    doc = fields.String(allow_none=True)
    name = fields.String()
    is_document_pending = fields.Boolean()
    field = fields.String(allow_none=True)
    entries = fields.List(fields.Nested(PendingEntrySchema))


class ChecklistDetailSchema(ChecklistSummarySchema):
    document = fields.Dict()
    versions = fields.List(fields.Nested(ChecklistVersionRefSchema))
    citations = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(CitationSchema)))
    pending_verification = fields.List(fields.Nested(PendingDocumentSchema))


class ChecklistUploadResultSchema(ChecklistSummarySchema):
    created = fields.Boolean()


class DiffQuerySchema(BaseSchema):
    enterprise_id = fields.Integer(load_default=None)


class DiffFieldChangeSchema(BaseSchema):
    field = fields.String()
    label = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class DiffItemSchema(BaseSchema):
    item_id = fields.String()
    kind = LabelledEnum(KIND_LABELS)
    text = fields.String()
    is_major = fields.Boolean()
    needs_rejudging = fields.Boolean(
        metadata={"description": "删除，或重大隐患判定、依据有变：据此项发现的隐患须重新判定"}
    )
    changes = fields.List(fields.Nested(DiffFieldChangeSchema))


class DiffDocumentSchema(BaseSchema):
    code = fields.String()
    kind = LabelledEnum(KIND_LABELS)
    number = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(DiffFieldChangeSchema))


class ChecklistDiffSchema(BaseSchema):
    code = fields.String()
    old_version = fields.String()
    new_version = fields.String()
    old_hash = fields.String()
    new_hash = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    items = fields.List(fields.Nested(DiffItemSchema))
    documents = fields.List(fields.Nested(DiffDocumentSchema))
    profiles_removed = fields.List(fields.String())
