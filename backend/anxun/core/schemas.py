"""Base schema (strict, unknown fields rejected) and Chinese marshmallow error messages."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

ZH_FIELD_MESSAGES = {
    fields.Field: {
        "required": "此项为必填项。",
        "null": "此项不能为空。",
        "validator_failed": "取值无效。",
    },
    fields.Boolean: {"invalid": "应为是或否。"},
    fields.Date: {"invalid": "应为日期（YYYY-MM-DD）。", "format": "无法格式化为日期。"},
    fields.Enum: {"unknown": "取值应为以下之一：{choices}。"},
    fields.Integer: {"invalid": "应为整数。"},
    fields.List: {"invalid": "应为列表。"},
    fields.Mapping: {"invalid": "应为对象。"},
    fields.Nested: {"type": "类型无效。"},
    fields.Number: {"invalid": "应为数字。", "too_large": "数值过大。"},
    fields.Float: {"special": "不允许 NaN 或无穷大。"},
    fields.String: {"invalid": "应为文本。", "invalid_utf8": "不是有效的 UTF-8 文本。"},
    fields.UUID: {"invalid_uuid": "应为 UUID。"},
    fields.Email: {"invalid": "不是有效的电子邮箱。"},
    fields.DateTime: {
        "invalid": "应为日期时间（ISO 8601）。",
        "invalid_awareness": "日期时间须带时区。",
        "format": "无法格式化为日期时间。",
    },
}


def install_chinese_messages() -> None:
    """Replace marshmallow's English default messages with Chinese ones (people read them)."""
    for cls, messages in ZH_FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}), **messages}
    Schema._default_error_messages = {"type": "输入类型无效。", "unknown": "不允许的字段。"}
    validate.Length.message_min = "长度不能少于 {min}。"
    validate.Length.message_max = "长度不能超过 {max}。"
    validate.Length.message_all = "长度应在 {min} 到 {max} 之间。"
    validate.Length.message_equal = "长度应为 {equal}。"
    validate.Range.message_min = "应{min_op} {{min}}。"
    validate.Range.message_max = "应{max_op} {{max}}。"
    validate.Range.message_all = "应{min_op} {{min}} 且{max_op} {{max}}。"
    validate.Range.message_gt = "大于"
    validate.Range.message_gte = "大于等于"
    validate.Range.message_lt = "小于"
    validate.Range.message_lte = "小于等于"
    validate.OneOf.default_message = "取值应为以下之一：{choices}。"
    validate.Regexp.default_message = "格式不正确。"


install_chinese_messages()


class BaseSchema(Schema):
    """Strict schemas: unknown fields are an error; integers do not accept floats."""

    class Meta:
        unknown = RAISE
        ordered = True


def Int(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    return fields.Integer(strict=True, **kwargs)


class LabelledEnum(fields.Field):
    """Dumps a code with its Chinese label as {code, label}."""

    def __init__(self, labels: dict, **kwargs):
        super().__init__(dump_only=True, **kwargs)
        self.labels = {str(k): v for k, v in labels.items()}

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return {"code": str(value), "label": self.labels.get(str(value), str(value))}


class PageQuerySchema(BaseSchema):
    """Cursor pagination arguments shared by list endpoints."""

    cursor = fields.String(load_default=None, metadata={"description": "上一页返回的 next_cursor"})
    # Query strings carry text, so this integer is parsed leniently (JSON bodies use strict Int).
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
