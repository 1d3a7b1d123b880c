"""`flask anxun backup create|restore`: one archive holding the whole instance."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from anxun.backup.manifest import BackupError

backup_cli = AppGroup("backup", help="备份与恢复：数据库、照片、签名密钥与报告、实例密钥。")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def create(file: Path) -> None:
    """Back up the running instance into FILE (.tar.gz); safe while the server runs.

    The archive holds secrets (JWT key, signing keys): keep it encrypted and offline."""
    from anxun.backup.archive import create_backup

    try:
        outcome = create_backup(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = outcome.manifest
    click.echo(f"备份完成 Backup written: {file.resolve()}")
    click.echo(f"  数据库 database: {manifest.database_kind}, revision {manifest.alembic_revision}")
    for area, count in outcome.counts.items():
        click.echo(f"  {area:<9} {count} file(s)")
    click.echo(f"  共 {len(manifest.files)} 个文件，清单含 SHA-256。The archive holds secrets.")
    if outcome.missing_media:
        for name in outcome.missing_media:
            click.echo(f"  缺少照片文件 missing media file: {name}", err=True)
        click.echo(
            f"警告：数据库引用的 {len(outcome.missing_media)} 个照片文件在实例中不存在，已记入清单。"
            " Warning: media files referenced by the database are missing from the instance.",
            err=True,
        )
        sys.exit(1)


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore FILE into this instance, whose database and media folder must be empty.

    Every hash is checked before anything is written."""
    from anxun.backup.archive import restore_backup

    try:
        outcome = restore_backup(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = outcome.manifest
    click.echo(
        f"恢复完成 Restored {file} (created {manifest.created_at}, app {manifest.app_version})"
    )
    click.echo(f"  数据库 database: {manifest.database_kind}, revision {manifest.alembic_revision}")
    for area, count in outcome.counts.items():
        click.echo(f"  {area:<9} {count} file(s)")
    for name in outcome.replaced:
        click.echo(f"  已替换启动时生成的文件 replaced: {name}")
    if outcome.missing_media:
        click.echo(
            f"  注意：备份时已缺少 {len(outcome.missing_media)} 个照片文件。"
            " Note: the backup recorded missing media files.",
            err=True,
        )
    click.echo(
        "如代码版本较新，请运行 flask db upgrade。Run `flask db upgrade` if the code is newer."
    )
