"""Request and response schemas for photo uploads (the first half of the sync contract)."""

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema


class MediaUploadSchema(BaseSchema):
    """One multipart/form-data upload: the photo and the facts the device recorded about it."""

    id = fields.UUID(required=True, metadata={"description": "照片的客户端 UUID（拍摄时生成）"})
    sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="应为 64 位十六进制 SHA-256 值。"),
        metadata={"description": "设备计算的文件 SHA-256（十六进制）"},
    )
    # Form fields are text, so the integer is parsed leniently.
    enterprise_id = fields.Integer(
        load_default=None, metadata={"description": "所属企业；用户只属于一个企业时可省略"}
    )
    file = Upload(required=True, metadata={"description": "JPEG、PNG 或 WebP 照片"})


class MediaSchema(BaseSchema):
    """A stored photo, as returned by the upload (201 new, 200 exact replay with `replayed`)."""

    id = fields.UUID()
    sha256 = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    created_at = fields.DateTime()
    url = fields.String()
    thumb_url = fields.String()
    replayed = fields.Boolean(
        metadata={"description": "true when this id already held these bytes: the stored record"}
    )
