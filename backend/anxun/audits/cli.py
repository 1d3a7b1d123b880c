"""`flask anxun audits …`: verify a signed audit report offline against the agency certificates."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

audits_cli = AppGroup("audits", help="第三方审核：签署报告验证。")


@audits_cli.command("verify")
@click.argument("pdf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--run", "run_id", type=int, default=None, help="Also compare with this audit run.")
def verify(pdf_file: Path, run_id: int | None) -> None:
    """Validate the PDF signature (intact, whole file, registered agency certificate); with
    --run, also the SHA-256 and signer recorded when the run was signed. Exit 1 on failure."""
    from anxun.audits import services, signing
    from anxun.audits.models import AuditRun
    from anxun.extensions import db

    run = None
    if run_id is not None:
        run = db.session.get(AuditRun, run_id)
        if run is None or run.state != services.SIGNED:
            click.echo(f"失败：审核 {run_id} 不存在或尚未签署。", err=True)
            sys.exit(1)
    data = pdf_file.read_bytes()
    result = services.verify_report_bytes(data, run)
    click.echo(f"文件 File: {pdf_file}")
    click.echo(f"SHA-256: {signing.sha256(data)}")
    if result["signer_name"]:
        click.echo(f"签名机构 Signer: {result['signer_name']}")
    if result["signer_fingerprint"]:
        click.echo(f"证书指纹 Certificate SHA-256: {result['signer_fingerprint']}")
    if run is not None:
        click.echo(f"记录的哈希 Recorded SHA-256 (run {run.id}): {run.report_sha256}")
    if not result["ok"]:
        click.echo(f"验证失败 INVALID: {result['message']}", err=True)
        sys.exit(1)
    click.echo(f"验证通过 VALID: {result['message']}")
