"""The Api whose OpenAPI document tells the truth about errors: every error is problem+json."""

from __future__ import annotations

import copy
from http import HTTPStatus

from apispec import BasePlugin
from flask_smorest import Api
from marshmallow import fields

from anxun.core.api_examples import EXAMPLES
from anxun.core.errors import PROBLEM_MIMETYPE
from anxun.core.schemas import BaseSchema, Int, LabelledEnum, Money

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class ProblemErrorSchema(BaseSchema):
    field = fields.String(required=True, metadata={"description": "出错的字段（点分路径）"})
    message = fields.String(required=True, metadata={"description": "中文说明"})
    row = Int(metadata={"description": "批量导入：出错的数据行"})
    line = Int(allow_none=True, metadata={"description": "检查表 YAML：出错的行号"})


class ProblemSchema(BaseSchema):
    """RFC 9457 problem details, as every error of this API is sent."""

    type = fields.String(required=True, metadata={"example": "/problems/validation"})
    title = fields.String(required=True)
    status = Int(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemErrorSchema))
    missing_media = fields.List(
        fields.UUID(), metadata={"description": "/problems/missing-media：须先上传的照片"}
    )
    current_state = fields.String(metadata={"description": "状态冲突时对象的当前状态"})
    listing_id = Int(metadata={"description": "已挂牌督办时的挂牌编号"})


def labelled_enum_properties(self, field, ret):
    """A coded value is documented as {code, label}, its codes listed, so clients read one shape."""
    if not isinstance(field, LabelledEnum):
        return {}
    return {
        "type": "object",
        "required": ["code", "label"],
        "properties": {
            "code": {"type": "string", "enum": sorted(field.labels)},
            "label": {"type": "string", "description": "中文名称"},
        },
    }


class ProblemResponsesPlugin(BasePlugin):
    """An error response declared without a body (`alt_response(409, …)`) gets the problem body."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            for status, response in operation.get("responses", {}).items():
                is_error = str(status) == "default" or str(status)[0] in "45"
                if is_error and isinstance(response, dict) and "content" not in response:
                    response["content"] = {PROBLEM_MIMETYPE: {"schema": PROBLEM_REF}}


class ExamplesPlugin(BasePlugin):
    """The examples of `core/api_examples.py` on their operations' request bodies and responses."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            found = EXAMPLES.get((method, path))
            if found is None:
                continue
            found = copy.deepcopy(found)
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get(found.get("content_type", "application/json"))
            if body is not None and "request" in found:
                body["example"] = found["request"]
            elif body is not None and "requests" in found:
                body["examples"] = found["requests"]
            responses = operation.setdefault("responses", {})
            for status, example in found["responses"].items():
                response = responses.get(status) or responses.get(int(status))
                if isinstance(response, dict) and "content" in response:
                    for media in response["content"].values():
                        media["example"] = example
                else:  # a shared error response: this operation gets its own, with the example
                    responses[status] = {
                        "description": HTTPStatus(int(status)).phrase,
                        "content": {PROBLEM_MIMETYPE: {"schema": PROBLEM_REF, "example": example}},
                    }


class ProblemApi(Api):
    """flask-smorest's Api with problem+json error responses and money documented as text."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [
            *spec_kwargs.get("extra_plugins", ()),
            ProblemResponsesPlugin(),
            ExamplesPlugin(),
        ]
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def _register_responses(self):
        self.spec.components.schema("Problem", schema=ProblemSchema)
        self.register_field(Money, "string", "decimal")
        self.ma_plugin.converter.add_attribute_function(labelled_enum_properties)
        saved = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MIMETYPE
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = saved
