"""Render a Jinja2 report template to HTML or to an A4 PDF with embedded CJK fonts."""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path

import jinja2

from anxun.core import clock

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Templates only link local files (the stylesheet) or data: URIs; nothing is fetched from a network.
ALLOWED_PROTOCOLS = ("file", "data")


def chinese_date(day: date) -> str:
    """A date as formal documents write it: 2026年12月14日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_moment(moment: datetime) -> str:
    """An aware moment as Beijing time: 2026年12月14日 09:05."""
    local = moment.astimezone(clock.CHINA_TZ)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def _finalize(value):
    """Every date or moment a template prints reads the formal way (never 2026-12-14)."""
    if isinstance(value, datetime):
        return chinese_moment(value) if value.tzinfo else chinese_date(value.date())
    if isinstance(value, date):
        return chinese_date(value)
    return value


@functools.cache
def _environment() -> jinja2.Environment:
    # A standalone environment: reports render in CLI jobs and workers without a Flask app.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        finalize=_finalize,
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
        "generated_at": chinese_moment(local),
        "generated_on": chinese_date(local.date()),
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
