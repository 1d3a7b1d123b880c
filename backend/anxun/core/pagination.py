"""Cursor pagination with an explicit sort: opaque cursors encode the last row's sort key."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date, datetime

from sqlalchemy import and_, or_

from anxun.core.errors import ValidationFailed, field_error
from anxun.core.schemas import INT_MAX, INT_MIN, MAX_YEAR, MIN_YEAR
from anxun.extensions import db


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, ensure_ascii=False, default=_plain).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def decode_cursor(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("分页游标无效。", [field_error("cursor", "分页游标无效。")]) from exc
    if not isinstance(values, list):
        raise ValidationFailed("分页游标无效。", [field_error("cursor", "分页游标无效。")])
    return values


def paginate(query, sort_columns: list, cursor: str | None, limit: int, descending=False):
    """Keyset pagination: `sort_columns` must end with a unique column (the id).

    Returns (rows, next_cursor).
    """
    if cursor:
        values = decode_cursor(cursor)
        if len(values) != len(sort_columns):
            raise ValidationFailed("分页游标无效。", [field_error("cursor", "分页游标无效。")])
        values = [
            _coerce(column, value) for column, value in zip(sort_columns, values, strict=True)
        ]
        query = query.where(_after(sort_columns, values, descending))
    order = [c.desc() if descending else c.asc() for c in sort_columns]
    rows = db.session.scalars(query.order_by(*order).limit(limit + 1)).all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, c.key) for c in sort_columns])
    return rows, next_cursor


def _python_type(column):
    """The column's Python type, or None for types SQLAlchemy cannot name one for."""
    try:
        return column.type.python_type
    except Exception:  # SQLAlchemy raises for types without a Python equivalent
        return None


def _coerce(column, value):
    """Cursor values travel as JSON text; give them back the column's Python type.

    A cursor is client input like any field, so it passes the same range, year and NUL checks.
    """
    if value is None:
        return None
    python_type = _python_type(column)
    try:
        if python_type is datetime:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("cursor time without a zone")
            return _within_years(moment)
        if python_type is date:
            return _within_years(date.fromisoformat(value))
        if python_type is uuid.UUID:
            if not isinstance(value, str):
                raise TypeError("cursor id is not text")
            return uuid.UUID(value)
        if python_type is int:
            if type(value) is not int or not INT_MIN <= value <= INT_MAX:
                raise ValueError("cursor integer out of range")
            return value
        if python_type is str and (not isinstance(value, str) or "\x00" in value):
            raise ValueError("cursor text is not text")
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("分页游标无效。", [field_error("cursor", "分页游标无效。")]) from exc
    return value


def _within_years(value):
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError("cursor date out of range")
    return value


def _after(columns, values, descending):
    """(c1, c2, …) > (v1, v2, …) written portably as nested OR/AND."""
    clauses = []
    for i, column in enumerate(columns):
        equal = [columns[j] == values[j] for j in range(i)]
        beyond = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)
