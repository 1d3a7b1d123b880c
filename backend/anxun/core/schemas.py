"""Base schema (strict, unknown fields rejected) and Chinese marshmallow error messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from anxun.core.clock import rfc3339

# Values enter through one gate (BaseSchema.__init__ below): whatever a schema declares, an
# integer fits PostgreSQL's `integer` (every id and count column), a date or time lies in years
# the database, Python and date arithmetic can all hold, and text carries no NUL (PostgreSQL
# refuses it in text and jsonb). Out-of-range values are 422s, never 500s.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MIN_YEAR, MAX_YEAR = 1900, 2999

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
    fields.Decimal: {"special": "不允许 NaN 或无穷大。"},
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


def install_utc_times() -> None:
    """Every DateTime field writes its instant in UTC ("…+00:00", docs/api.md), whatever zone the
    value was computed in."""
    fields.DateTime.SERIALIZATION_FUNCS = {**fields.DateTime.SERIALIZATION_FUNCS, "iso": rfc3339}


install_utc_times()


def _within_years(value) -> bool:
    # The local year, not UTC: 0001-01-01T00:00+14:00 is year 0 in UTC, which Python cannot hold.
    return not isinstance(value, date) or MIN_YEAR <= value.year <= MAX_YEAR


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _no_nul(value) -> None:
    if _has_nul(value):
        raise ValidationError("不能包含空字符（\\0）。")


INT_RANGE = validate.Range(min=INT_MIN, max=INT_MAX, error="数值超出允许范围。")


def _year_check(value) -> None:
    if not _within_years(value):
        raise ValidationError(f"日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间。")


def guard_field(field: fields.Field) -> None:
    """Add the range, year and NUL checks that fit the field's type (and its inner fields)."""
    if getattr(field, "_anxun_guarded", False):
        return
    field._anxun_guarded = True
    # A new list: a schema's copy of a declared field shares the declared field's list.
    if isinstance(field, fields.Integer):
        field.validators = [*field.validators, INT_RANGE]
    elif isinstance(field, fields.DateTime | fields.Date):
        field.validators = [*field.validators, _year_check]
    elif isinstance(field, fields.String | fields.Raw | fields.Mapping):
        field.validators = [*field.validators, _no_nul]
    for inner in _inner_fields(field):
        guard_field(inner)


def _inner_fields(field: fields.Field) -> list[fields.Field]:
    if isinstance(field, fields.List):
        return [field.inner]
    if isinstance(field, fields.Tuple):
        return list(field.tuple_fields)
    if isinstance(field, fields.Mapping):
        return [f for f in (field.key_field, field.value_field) if f is not None]
    return []


class BaseSchema(Schema):
    """Strict schemas: unknown fields are an error; integers do not accept floats; every field
    passes the shared range, year and NUL checks."""

    class Meta:
        unknown = RAISE
        ordered = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here rather than in on_bind_field, which schemas override for their own purposes.
        for field in self.declared_fields.values():
            guard_field(field)


def Int(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    return fields.Integer(strict=True, **kwargs)


class Money(fields.Decimal):
    """An amount in yuan, documented and dumped as a two-place decimal string ("1200.00").

    Loads that string (a JSON number is accepted too) from 0 up to what a Numeric(digits, 2)
    column holds.
    """

    default_error_messages = {
        "range": "金额应在 0 至 {max} 元之间。",
        "places": "金额最多保留两位小数。",
    }

    def __init__(self, *, digits: int, **kwargs):
        self.max_amount = Decimal(10) ** (digits - 2) - Decimal("0.01")
        metadata = {
            "pattern": rf"^\d{{1,{digits - 2}}}(\.\d{{1,2}})?$",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(places=2, as_string=True, allow_nan=False, metadata=metadata, **kwargs)

    def _validated(self, value):
        amount = super()._validated(value)
        if amount is None:
            return None
        if not Decimal(0) <= amount <= self.max_amount:
            raise self.make_error("range", max=self.max_amount)
        if amount != Decimal(str(value)):
            raise self.make_error("places")
        return amount


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
