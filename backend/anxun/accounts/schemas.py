"""Request and response schemas for login, tokens, users and memberships."""

from marshmallow import ValidationError, fields, validate, validates_schema

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
    enforcement_certificate_no = fields.String(
        allow_none=True, metadata={"description": "执法证号（监管部门执法人员）"}
    )
    is_active = fields.Boolean()
    must_change_password = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))


class TokenSchema(BaseSchema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    must_change_password = fields.Boolean()
    user = fields.Nested(UserSchema)


class AccessTokenSchema(BaseSchema):
    """A refresh answer: a new access token and the refresh token that replaces the one sent."""

    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class PasswordChangeSchema(BaseSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class PasswordResetSchema(BaseSchema):
    user_id = fields.Integer()
    initial_password = fields.String()
    must_change_password = fields.Boolean()


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


ENTERPRISE_ROLE_CODES = [Role.head, Role.safety_officer, Role.inspector, Role.rectifier]


class UserActiveSchema(BaseSchema):
    """The head's change to a staff account: active or not, and/or the roles in the enterprise."""

    is_active = fields.Boolean(load_default=None)
    roles = fields.List(
        fields.String(validate=validate.OneOf(ENTERPRISE_ROLE_CODES)),
        load_default=None,
        validate=validate.Length(min=1, error="请至少选择一个角色。"),
        metadata={"description": "该人员在本企业的全部角色（替换原有角色）"},
    )

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if data.get("is_active") is None and data.get("roles") is None:
            raise ValidationError("请指定要修改的内容。", "is_active")
