"""Request and response schemas for in-app notifications."""

from marshmallow import fields

from anxun.core.schemas import BaseSchema, LabelledEnum, PageQuerySchema
from anxun.notifications.services import KIND_LABELS


class NotificationQuerySchema(PageQuerySchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "只看未读消息"})


class NotificationSchema(BaseSchema):
    id = fields.Integer()
    kind = LabelledEnum(KIND_LABELS)
    enterprise_id = fields.Integer()
    hazard_id = fields.UUID(allow_none=True)
    permit_id = fields.UUID(allow_none=True)
    title = fields.String()
    body = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(BaseSchema):
    items = fields.List(fields.Nested(NotificationSchema))
    next_cursor = fields.String(allow_none=True)


class ReadAllResultSchema(BaseSchema):
    updated = fields.Integer()
