"""`flask anxun media verify`: every stored photo against its record and the audit chain."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

media_cli = AppGroup("media", help="Uploaded photos (content-addressed storage).")


@media_cli.command("verify")
def verify_media() -> None:
    """Recompute each photo's SHA-256; exit 1 on a missing or altered file, a missing thumbnail,
    or a record whose hash is not the one the audit chain recorded at upload."""
    from anxun.inspections.media import verify_files

    report = verify_files()
    for problem in report.problems:
        click.echo(f"[{problem.kind}] media {problem.media_id}: {problem.message}", err=True)
    if not report.ok:
        click.echo(
            f"照片校验失败 media BROKEN: {len(report.problems)} problem(s)"
            f" in {report.checked} photo(s)",
            err=True,
        )
        sys.exit(1)
    click.echo(f"照片完整 media intact: {report.checked} photo(s) match their hashes")
