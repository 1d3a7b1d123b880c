"""Render a Jinja2 report template to HTML or to an A4 PDF with embedded CJK fonts."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

import jinja2

from anxun.core import clock

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Templates only link local files (the stylesheet) or data: URIs; nothing is fetched from a network.
ALLOWED_PROTOCOLS = ("file", "data")


@functools.cache
def _environment() -> jinja2.Environment:
    # A standalone environment: reports render in CLI jobs and workers without a Flask app.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    template: str,
    context: dict,
    *,
    title: str,
    org_name: str = "",
    period: str = "",
    generated_at: datetime | None = None,
) -> str:
    """Render a template extending base.html; generated_at defaults to the application clock."""
    moment = generated_at if generated_at is not None else clock.now()
    if moment.tzinfo is None:
        raise ValueError("generated_at needs an aware datetime")
    local = moment.astimezone(clock.CHINA_TZ)
    page = {
        "title": title,
        "org_name": org_name,
        "period": period,
        "generated_at": local.strftime("%Y-%m-%d %H:%M"),
    }
    return _environment().get_template(template).render({**context, "page": page})


def render_pdf(
    template: str,
    context: dict,
    *,
    title: str,
    org_name: str = "",
    period: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """Render a template to PDF bytes (A4, running header, 第 N 页 / 共 M 页 footer)."""
    import weasyprint  # imported here: the import alone costs about half a second

    html = render_html(
        template,
        context,
        title=title,
        org_name=org_name,
        period=period,
        generated_at=generated_at,
    )
    fetcher = weasyprint.URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=fetcher)
    return document.write_pdf()
