"""Request and response schemas for login, tokens, users and memberships."""

from marshmallow import fields, validate

from anxun.accounts.roles import ROLE_LABELS, Role
from anxun.core.schemas import BaseSchema, LabelledEnum


class LoginSchema(BaseSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class MembershipSchema(BaseSchema):
    id = fields.Integer()
    role = LabelledEnum(ROLE_LABELS)
    enterprise_id = fields.Integer(allow_none=True)
    regulator_id = fields.Integer(allow_none=True)
    agency_id = fields.Integer(allow_none=True)
    organisation_name = fields.String(allow_none=True)


class UserSchema(BaseSchema):
    id = fields.Integer()
    username = fields.String()
    phone = fields.String(allow_none=True)
    display_name = fields.String()
    is_active = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))


class TokenSchema(BaseSchema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(UserSchema)


class AccessTokenSchema(BaseSchema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class StaffCreateSchema(BaseSchema):
    username = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[A-Za-z0-9_.-]{3,64}$", error="用户名应为3–64位字母、数字或 _ . -"
        ),
    )
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    phone = fields.String(
        load_default=None, validate=validate.Regexp(r"^1\d{10}$", error="手机号应为11位数字。")
    )
    password = fields.String(required=True, validate=validate.Length(min=8, max=128))
    roles = fields.List(
        fields.String(
            validate=validate.OneOf(
                [Role.head, Role.safety_officer, Role.inspector, Role.rectifier]
            )
        ),
        required=True,
        validate=validate.Length(min=1),
    )


class UserActiveSchema(BaseSchema):
    is_active = fields.Boolean(required=True)
