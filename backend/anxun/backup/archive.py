"""Write a backup archive of the running instance, and restore one into an empty instance.

The archive is a gzip tar: `database/…` (SQLite copy or pg_dump), `media/…`, `signing/…`,
`instance/…` (every other file of the instance folder: generated secrets and keys) and
`manifest.json` with every file's SHA-256, size and mode.

With object storage (ANXUN_STORAGE_URL) the photos come from the bucket and go back into it,
and signed reports (the document store) are archived under `signing/` as if they were local
files, so one archive restores into either kind of store.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from anxun import __version__
from anxun.audits.services import signing_root
from anxun.backup import database
from anxun.backup import manifest as mf
from anxun.backup.manifest import BackupError, FileEntry
from anxun.core import storage
from anxun.core.audit import checkpoint_key_path
from anxun.extensions import db
from anxun.inspections.media import media_dir

CHUNK = 1024 * 1024
MANIFEST_LIMIT = 64 * 1024 * 1024


@dataclass
class Outcome:
    """What a backup or restore did, for the command's report."""

    manifest: mf.Manifest | None = None
    counts: dict[str, int] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)


def area_roots() -> dict[str, Path]:
    """Where each archive area lives in the configured instance."""
    return {
        mf.MEDIA: media_dir().resolve(),
        mf.SIGNING: signing_root().resolve(),
        mf.INSTANCE: Path(current_app.config["INSTANCE_PATH"]).resolve(),
    }


def _outside_audit_key(roots: dict[str, Path]) -> Path | None:
    """The checkpoint key when ANXUN_AUDIT_KEY_FILE puts it outside the instance folder."""
    path = checkpoint_key_path().resolve()
    return None if path.is_relative_to(roots[mf.INSTANCE]) else path


def _excluded_files(engine) -> set[Path]:
    """The live SQLite files: the database part is taken through the backup API instead."""
    if database.kind(engine) != "sqlite":
        return set()
    path = database.sqlite_path(engine)
    return {path.with_name(name) for name in mf.sqlite_side_files(path.name)}


def _walk(root: Path, pruned: set[Path], excluded: set[Path]) -> list[tuple[str, Path]]:
    """(relative POSIX path, file) for every regular file under `root`, links not followed."""
    found = []
    if not root.is_dir():
        return found
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in pruned)
        for name in sorted(filenames):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file() or path.resolve() in excluded:
                continue
            if not mf.is_transient(relative):
                found.append((relative, path))
    return found


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes written to the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(tar: tarfile.TarFile, name: str, path: Path, mode: int | None = None) -> FileEntry:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = (stat.st_mode & 0o777) if mode is None else mode
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return FileEntry(name, reader.digest.hexdigest(), info.size, info.mode)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_object(tar: tarfile.TarFile, name: str, store, key: str, size: int) -> FileEntry:
    """One object of a store, streamed into the archive and hashed on the way."""
    handle = store.open(key)
    try:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(datetime.now(UTC).timestamp())
        info.mode = 0o644
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    finally:
        handle.close()
    return FileEntry(name, reader.digest.hexdigest(), info.size, info.mode)


def _object_areas() -> dict[str, object]:
    """Archive areas whose files live in object storage, with their store."""
    if not storage.is_object_storage():
        return {}
    return {mf.MEDIA: storage.media_store(), mf.SIGNING: storage.document_store()}


def _media_paths(engine) -> list[str]:
    """Archive names of every photo and thumbnail the database refers to."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT storage_path, thumb_path FROM media")).all()
    return [mf.member_name(mf.MEDIA, path) for row in rows for path in row]


def create_backup(output: Path) -> Outcome:
    """Back up the running instance into `output` (written as .partial, then renamed).

    Order gives consistency without stopping the server: the database snapshot comes first,
    then the media rows are listed, then the files are copied. Photos are written before
    their row commits and never change, so every row in the snapshot finds its file.
    """
    engine = db.engine
    kind = database.kind(engine)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    roots = area_roots()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".anxun-backup-") as work:
        snapshot = Path(work) / "database"
        revision = database.alembic_revision(engine)
        if revision is None:
            raise BackupError(
                "数据库尚未初始化，没有可备份的数据。"
                " The database has no schema yet (run `flask db upgrade`)."
            )
        database.snapshot(engine, snapshot)
        referenced = _media_paths(engine)
        excluded = _excluded_files(engine) | {output, partial}
        pruned = set(roots.values()) | {Path(work).resolve()}
        outcome = Outcome()
        try:
            objects = _object_areas()
            with tarfile.open(partial, "w:gz") as tar:
                entries = [_add_file(tar, mf.DATABASE_MEMBERS[kind], snapshot, 0o600)]
                for area, root in roots.items():
                    files = (
                        []
                        if area == mf.MEDIA and objects
                        else _walk(root, pruned - {root}, excluded)
                    )
                    written = set()
                    for relative, path in files:
                        try:
                            entries.append(_add_file(tar, mf.member_name(area, relative), path))
                        except FileNotFoundError:
                            continue  # a temp file that went away while we listed
                        written.add(relative)
                    if area in objects:
                        for key, size in objects[area].listing():
                            if key in written or mf.is_transient(key):
                                continue
                            name = mf.member_name(area, key)
                            entries.append(_add_object(tar, name, objects[area], key, size))
                            written.add(key)
                    outcome.counts[area] = len(written)
                audit_key = _outside_audit_key(roots)
                if audit_key is not None and audit_key.is_file():
                    name = mf.member_name(mf.AUDIT_KEY, audit_key.name)
                    entries.append(_add_file(tar, name, audit_key))
                    outcome.counts[mf.AUDIT_KEY] = 1
                outcome.missing_media = mf.missing_media(referenced, {e.name for e in entries})
                document = mf.build(
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    app_version=__version__,
                    alembic_revision=revision,
                    database_kind=kind,
                    files=entries,
                    missing_media=outcome.missing_media,
                )
                _add_bytes(tar, mf.MANIFEST_NAME, mf.dumps(document))
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    outcome.manifest = mf.parse(mf.dumps(document))
    return outcome


def _read_all(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _scan(source: Path) -> mf.Manifest:
    """Read the whole archive once: the manifest must list exactly its files, hashes equal."""
    found: dict[str, tuple[str, int]] = {}
    raw = None
    try:
        with tarfile.open(source, "r:gz") as tar:
            for member in tar:
                if not member.isreg():
                    raise BackupError(f"备份中有非普通文件 not a regular file: {member.name!r}")
                if member.name in found or (member.name == mf.MANIFEST_NAME and raw is not None):
                    raise BackupError(f"备份中有重复的文件 duplicate member: {member.name!r}")
                handle = tar.extractfile(member)
                if member.name == mf.MANIFEST_NAME:
                    if member.size > MANIFEST_LIMIT:
                        raise BackupError("备份清单过大 manifest.json is too large")
                    raw = handle.read()
                    continue
                mf.split_member(member.name)
                found[member.name] = _read_all(handle)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"备份文件已损坏或不完整 archive unreadable: {exc}") from exc
    if raw is None:
        raise BackupError("备份中没有 manifest.json the archive has no manifest")
    manifest = mf.parse(raw)
    problems = mf.compare(manifest, found)
    if problems:
        raise BackupError("备份校验失败 backup verification failed:\n  " + "\n  ".join(problems))
    return manifest


def _store_destination(area: str, relative: str):
    """(store, key) when this member goes to object storage: every photo, and signed reports
    (`agency-N/reports/…`); None for files that stay local (keys, secrets)."""
    objects = _object_areas()
    if area == mf.MEDIA and objects:
        return objects[mf.MEDIA], relative
    if area == mf.SIGNING and objects and "/reports/" in f"/{relative}":
        return objects[mf.SIGNING], relative
    return None


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _plan(manifest: mf.Manifest, roots: dict[str, Path], engine) -> dict[str, Path]:
    """Destination of every non-database file; refuses names escaping their folder and names
    landing on the target's database files."""
    excluded = _excluded_files(engine)
    plan = {}
    for entry in manifest.files:
        area, relative = mf.split_member(entry.name)
        if area == mf.DATABASE:
            continue
        if area == mf.AUDIT_KEY:
            if checkpoint_key_path() in plan.values():
                raise BackupError("备份中有多个审计检查点密钥 more than one audit checkpoint key")
            plan[entry.name] = checkpoint_key_path()
            continue
        in_store = _store_destination(area, relative)
        if in_store is not None:
            plan[entry.name] = in_store
            continue
        destination = roots[area] / relative
        resolved = destination.resolve()
        if not resolved.is_relative_to(roots[area]) or resolved in excluded:
            raise BackupError(f"无法恢复到该位置 refusing to write {entry.name} to {destination}")
        plan[entry.name] = destination
    return plan


def _check_target(manifest: mf.Manifest, engine, roots: dict[str, Path]) -> None:
    kind = database.kind(engine)
    if kind != manifest.database_kind:
        raise BackupError(
            f"备份来自 {manifest.database_kind} 数据库，目标是 {kind}：请配置同类数据库。"
            f" The backup holds a {manifest.database_kind} database; the target is {kind}."
        )
    tables = database.table_count(engine)
    if tables:
        raise BackupError(
            f"目标数据库不是空的（已有 {tables} 张表），拒绝覆盖。"
            f" The target database is not empty ({tables} tables); restore needs an empty one."
        )
    objects = _object_areas()
    if objects and not objects[mf.MEDIA].is_empty():
        raise BackupError(
            "目标实例的对象存储中已有照片，拒绝覆盖。"
            " The target object storage already holds photos; restore needs an empty instance."
        )
    if not objects and _has_files(roots[mf.MEDIA]):
        raise BackupError(
            f"目标实例的照片目录不是空的：{roots[mf.MEDIA]}，拒绝覆盖。"
            " The target media folder is not empty; restore needs an empty instance."
        )


def _extract(handle, destination: Path, entry: FileEntry) -> None:
    """Write one member atomically, checking its hash again while writing."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=destination.parent, prefix=".restore-", suffix=".tmp")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != entry.sha256:
            raise BackupError(
                f"备份文件在恢复过程中被改动 archive changed during restore: {entry.name}"
            )
        os.chmod(temp, entry.mode)
        os.replace(temp, destination)
    finally:
        Path(temp).unlink(missing_ok=True)


def _put_object(handle, store, key: str, entry: FileEntry) -> bool:
    """Write one member into object storage after checking its hash; False when it was there."""
    content = handle.read()
    if hashlib.sha256(content).hexdigest() != entry.sha256:
        raise BackupError(
            f"备份文件在恢复过程中被改动 archive changed during restore: {entry.name}"
        )
    existed = store.exists(key)
    store.put_once(key, content)
    return existed


def restore_backup(source: Path) -> Outcome:
    """Restore `source` into the configured instance: every hash is checked and the target must
    be empty before anything is written; then the database, then the files."""
    engine = db.engine
    manifest = _scan(source)
    roots = area_roots()
    _check_target(manifest, engine, roots)
    plan = _plan(manifest, roots, engine)
    entries = {entry.name: entry for entry in manifest.files}
    db.session.remove()
    engine.dispose()
    outcome = Outcome(manifest=manifest, missing_media=list(manifest.missing_media))
    with tempfile.TemporaryDirectory(prefix=".anxun-restore-") as work:
        snapshot = Path(work) / "database"
        with tarfile.open(source, "r:gz") as tar:
            for member in tar:
                if member.name == manifest.database_member:
                    _extract(tar.extractfile(member), snapshot, entries[member.name])
                    break
        database.restore(engine, snapshot)
    engine.dispose()
    with tarfile.open(source, "r:gz") as tar:
        for member in tar:
            destination = plan.get(member.name)
            if destination is None:
                continue
            if isinstance(destination, tuple):
                store, key = destination
                if _put_object(tar.extractfile(member), store, key, entries[member.name]):
                    outcome.replaced.append(member.name)
            else:
                if destination.exists():
                    outcome.replaced.append(member.name)
                _extract(tar.extractfile(member), destination, entries[member.name])
            area = member.name.split("/", 1)[0]
            outcome.counts[area] = outcome.counts.get(area, 0) + 1
    return outcome
