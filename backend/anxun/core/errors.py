"""The DomainError family and the application/problem+json responses every error becomes."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"

HTTP_TITLES = {
    400: "请求格式错误",
    401: "未登录或登录已过期",
    403: "无权执行此操作",
    404: "对象不存在",
    405: "不支持的请求方法",
    409: "状态冲突",
    413: "上传内容过大",
    415: "不支持的内容类型",
    422: "提交的数据有误",
    429: "尝试过于频繁",
    500: "服务器内部错误",
    503: "服务暂不可用",
}


class DomainError(Exception):
    """An expected failure with an HTTP status and a stable problem type."""

    status = 400
    type = "/problems/bad-request"
    title = HTTP_TITLES[400]

    def __init__(self, detail: str = "", errors: list[dict] | None = None, **extra):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.extra = extra


class ValidationFailed(DomainError):
    status, type, title = 422, "/problems/validation", HTTP_TITLES[422]


class NotFound(DomainError):
    status, type, title = 404, "/problems/not-found", HTTP_TITLES[404]


class Forbidden(DomainError):
    status, type, title = 403, "/problems/forbidden", HTTP_TITLES[403]


class Unauthorized(DomainError):
    status, type, title = 401, "/problems/unauthorized", HTTP_TITLES[401]


class PasswordChangeRequired(Forbidden):
    """The password was generated or reset by an administrator: change it before anything else."""

    type = "/problems/password-change-required"
    title = "请先修改密码"


class Conflict(DomainError):
    status, type, title = 409, "/problems/conflict", HTTP_TITLES[409]


class StaleState(Conflict):
    type = "/problems/stale-state"


class MissingMedia(Conflict):
    """Photos an upload refers to have not reached the server yet; the client uploads, then retries."""

    type = "/problems/missing-media"

    def __init__(self, missing: list[str]):
        super().__init__("部分照片尚未上传，请先上传照片后重试。", missing_media=missing)


class TooManyRequests(DomainError):
    status, type, title = 429, "/problems/too-many-requests", HTTP_TITLES[429]

    def __init__(self, detail: str = "", retry_after: int = 60, **extra):
        super().__init__(detail, **extra)
        self.retry_after = retry_after


class PayloadTooLarge(DomainError):
    status, type, title = 413, "/problems/payload-too-large", HTTP_TITLES[413]


def field_error(field: str, message: str) -> dict:
    """One entry of a problem's `errors` list."""
    return {"field": field, "message": message}


def problem(status: int, type_: str, title: str, detail: str, errors=None, **extra):
    """Build a problem+json response."""
    body = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    return response


def flatten_messages(messages, prefix: str = "") -> list[dict]:
    """Turn marshmallow/webargs nested messages into [{field, message}] with dotted paths."""
    out: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if prefix == "" and key in ("json", "query", "form", "files", "path", "headers"):
                out.extend(flatten_messages(value, ""))
                continue
            # "[HC-01]" keys (a list entry named by its id, see item_keyed) attach without a dot.
            if prefix and isinstance(key, str) and key.startswith("["):
                path = f"{prefix}{key}"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                path = prefix
            out.extend(flatten_messages(value, path))
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            out.extend(field_error(prefix, m) for m in messages)
        else:
            for item in messages:
                out.extend(flatten_messages(item, prefix))
    else:
        out.append(field_error(prefix, str(messages)))
    return out


def item_path(list_name: str, item_id: str) -> str:
    """The field path of one list entry named by its id: `answers[HC-MAJ-01]`."""
    return f"{list_name}[{item_id}]"


def item_keyed(messages: dict, list_name: str, entries, id_key: str) -> None:
    """Re-key marshmallow's per-position messages of `list_name` by each entry's id, in place, so
    `answers.21.media_ids` becomes `answers[HC-MAJ-01].media_ids`. An entry without a readable id, or a
    second entry under the same id, keeps its position."""
    nested = messages.get(list_name)
    if not isinstance(nested, dict) or not isinstance(entries, list):
        return
    renamed = {}
    for key, value in nested.items():
        entry = entries[key] if isinstance(key, int) and 0 <= key < len(entries) else None
        item_id = entry.get(id_key) if isinstance(entry, dict) else None
        named = f"[{item_id}]" if isinstance(item_id, str) and item_id else key
        # Two entries under one id (a duplicate answer) keep their positions apart.
        renamed[key if named in renamed else named] = value
    messages[list_name] = renamed


def handle_domain_error(error: DomainError):
    response = problem(
        error.status, error.type, error.title, error.detail, error.errors, **error.extra
    )
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages is not None and status in (400, 422):
        errors = flatten_messages(messages)
        return problem(422, ValidationFailed.type, HTTP_TITLES[422], "请检查标出的字段。", errors)
    title = HTTP_TITLES.get(status, error.name)
    response = problem(status, f"/problems/http-{status}", title, title)
    for key, value in error.get_headers():
        if key == "Allow":
            response.headers[key] = value
    return response


def handle_unexpected(error: Exception):
    log.exception("unhandled error", exc_info=error)
    return problem(
        500, "/problems/internal", HTTP_TITLES[500], "服务器处理请求时出错，请稍后重试。"
    )


def register_error_handlers(app: Flask) -> None:
    """Every error leaves the app as application/problem+json."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
