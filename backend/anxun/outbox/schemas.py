"""Schemas for the pull feed, endpoint configuration and deliveries."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema, PageQuerySchema


class FeedQuerySchema(PageQuerySchema):
    pass


class FeedPageSchema(BaseSchema):
    items = fields.List(fields.Dict())
    next_cursor = fields.String(allow_none=True)


class EndpointConfigSchema(BaseSchema):
    # webhook: url; hazchem_chain: base_url (one path per national entity below it)
    url = fields.Url(require_tld=False, schemes={"http", "https"})
    base_url = fields.Url(require_tld=False, schemes={"http", "https"})
    secret = fields.String(required=True, validate=validate.Length(min=16, max=200))
    timeout_seconds = fields.Float(load_default=10, validate=validate.Range(min=0.1, max=60))
    max_attempts = fields.Integer(load_default=8, validate=validate.Range(min=1, max=50))


class EndpointCreateSchema(BaseSchema):
    adapter = fields.String(required=True, validate=validate.OneOf(["webhook", "hazchem_chain"]))
    config = fields.Nested(EndpointConfigSchema, required=True)


class EndpointSchema(BaseSchema):
    id = fields.Integer()
    regulator_id = fields.Integer()
    adapter = fields.String()
    url = fields.Function(lambda e: e.config.get("url") or e.config.get("base_url"))
    max_attempts = fields.Function(lambda e: e.config.get("max_attempts"))
    is_active = fields.Boolean()
    created_at = fields.DateTime()


class DeliveryQuerySchema(BaseSchema):
    state = fields.String(
        load_default=None, validate=validate.OneOf(["pending", "delivered", "skipped", "dead"])
    )


class DeliverySchema(BaseSchema):
    id = fields.Integer()
    event_id = fields.Integer()
    event_type = fields.String()
    endpoint_id = fields.Integer()
    state = fields.String(
        metadata={
            "description": "pending 待发送 / delivered 已送达 / skipped 该平台不接收此类事件"
            "（原因见 last_error）/ dead 多次失败"
        }
    )
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String()
    last_status = fields.Integer(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
