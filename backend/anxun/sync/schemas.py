"""Request and response schemas of `POST /sync`."""

from marshmallow import fields, validate

from anxun.core.schemas import BaseSchema


class SyncItemSchema(BaseSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(("inspection", "transition"), error="未知的记录类型。"),
        metadata={
            "description": "inspection: body as POST /inspections; transition: body as "
            "POST /hazards/<hazard_id>/transitions"
        },
    )
    id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=64),
        metadata={"description": "The device's own key for the item, echoed in its result"},
    )
    hazard_id = fields.UUID(load_default=None, allow_none=True)
    body = fields.Dict(required=True)


class SyncRequestSchema(BaseSchema):
    items = fields.List(
        fields.Nested(SyncItemSchema),
        required=True,
        validate=validate.Length(min=1, max=50, error="每批 1 至 50 条记录。"),
    )


class SyncResultSchema(BaseSchema):
    index = fields.Integer()
    kind = fields.String()
    id = fields.String(allow_none=True)
    status = fields.Integer(metadata={"description": "201 stored, 200 replay, 409, 422, 404, 403"})
    replayed = fields.Boolean(
        metadata={
            "description": "true when the item was stored before (same client UUID, same "
            "content) and this answers with the stored result; false for a new or refused item"
        }
    )
    body = fields.Raw(
        metadata={
            "description": "The receipt (inspection) or the hazard (step), as the single "
            "endpoint answers them, `replayed` included"
        }
    )
    problem = fields.Raw(metadata={"description": "problem+json of a refused item"})


class SyncResponseSchema(BaseSchema):
    results = fields.List(fields.Nested(SyncResultSchema))
