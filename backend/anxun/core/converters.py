"""URL converters that keep out-of-range ids and NUL bytes out of the database: such a path is 404."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

from anxun.core.schemas import INT_MAX


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` up to PostgreSQL's integer maximum; a larger id cannot exist, so it is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """The default `<name>` converter without NUL bytes, which PostgreSQL cannot compare."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


class ShellPathConverter(PathConverter):
    """A file path of the PWA shell, never under api/: a GET catch-all that matched API paths
    turned wrong methods on them into 404s and put GET into their 405 `Allow` header."""

    regex = r"(?!api/)[^/].*?"


def register_converters(app: Flask) -> None:
    """Replace the default converters; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.url_map.converters["shell_path"] = ShellPathConverter
