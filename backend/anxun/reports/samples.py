"""`flask anxun documents samples OUTDIR`: each formal document rendered from the demo data, and a
small PNG of its first page for reviewers (docs/documents/)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

documents_cli = AppGroup("documents", help="Formal documents (PDF).")

# (file stem, what it is) in the order the README lists them.
SAMPLES = (
    ("rectification-order", "责令限期整改指令书"),
    ("rectification-notice", "隐患整改通知单"),
    ("inspection-record", "隐患排查记录"),
    ("hazard-ledger", "隐患台账"),
    ("hazard-statistics", "隐患排查治理情况统计表"),
    ("risk-register", "安全风险分级管控清单"),
    ("risk-card", "风险告知卡"),
    ("audit-report", "第三方审核报告"),
)


def _render(stem: str) -> bytes | None:
    """One sample PDF from the demo data, or None when the data it needs is absent."""
    from anxun.audits.models import AuditRun
    from anxun.audits.services import signed_report
    from anxun.core import clock
    from anxun.core.public_url import public_base_url
    from anxun.extensions import db
    from anxun.hazards.models import Hazard
    from anxun.inspections.models import Inspection, Place
    from anxun.orgs.models import Enterprise
    from anxun.oversight.models import RectificationOrder
    from anxun.oversight.patrols.order_document import order_pdf
    from anxun.reports import documents, statistics
    from anxun.risk.map.queries import register_pdf, risk_card_pdf

    hc = db.session.scalar(select(Enterprise).where(Enterprise.document_abbreviation == "澄化"))
    hc = hc or db.session.scalar(select(Enterprise).order_by(Enterprise.id))
    today = clock.today_local()
    root = documents.media_root()
    if stem == "rectification-order":
        order = db.session.scalar(select(RectificationOrder).order_by(RectificationOrder.id))
        return order_pdf(order) if order else None
    if stem == "rectification-notice":
        # A hazard with its 五定 plan shows the whole notice; any hazard of hc otherwise.
        hazard = db.session.scalar(
            select(Hazard)
            .where(Hazard.enterprise_id == hc.id)
            .order_by(Hazard.measures.is_(None), Hazard.reported_at)
        )
        return documents.rectification_notice_pdf(hazard, root) if hazard else None
    if stem == "inspection-record":
        inspection = db.session.scalar(
            select(Inspection).where(Inspection.enterprise_id == hc.id).order_by(Inspection.id)
        )
        return documents.inspection_record_pdf(inspection, root) if inspection else None
    if stem == "hazard-ledger":
        return documents.hazard_ledger_pdf(hc, today.replace(month=1, day=1), today)
    if stem == "hazard-statistics":
        period = statistics.parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")
        return documents.hazard_statistics_pdf(hc, period)
    if stem == "risk-register":
        return register_pdf(hc)
    if stem == "risk-card":
        place = db.session.scalar(
            select(Place).where(Place.enterprise_id == hc.id, Place.name == "液氨罐区")
        )
        return risk_card_pdf(place, public_base_url()) if place else None
    if stem == "audit-report":
        run = db.session.scalar(
            select(AuditRun).where(AuditRun.signed_at.is_not(None)).order_by(AuditRun.id)
        )
        return signed_report(run) if run else None
    raise ValueError(stem)


@documents_cli.command("samples")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--resolution", default=60, show_default=True, help="PNG resolution (dpi).")
@click.option(
    "--only",
    multiple=True,
    type=click.Choice([stem for stem, _ in SAMPLES]),
    help="Render only these documents (repeatable); all of them when left out.",
)
def samples(outdir: Path, resolution: int, only: tuple[str, ...]) -> None:
    """Render every formal document from the demo data (make run) into OUTDIR as PDF, and its
    first page as PNG (pdftoppm -png -r 60 -f 1 -l 1)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for stem, title in SAMPLES:
        if only and stem not in only:
            continue
        pdf = _render(stem)
        if pdf is None:
            click.echo(f"{title}: 演示数据中没有可用记录，已跳过。")
            continue
        path = outdir / f"{stem}.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile"]
            + [str(path), str(outdir / stem)],
            check=True,
        )
        _shrink(outdir / f"{stem}.png")
        click.echo(f"{title}: {path.name}, {stem}.png")


def _shrink(png: Path) -> None:
    """A 32-colour palette keeps each picture at tens of KB, still legible for review."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=32)
    small.save(png, optimize=True)
