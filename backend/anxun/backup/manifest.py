"""The backup archive's manifest: member names, file entries, validation and hash comparison.

Pure: plain data in, plain data out; reading and writing the archive is `archive.py`'s job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

FORMAT = "anxun-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_KINDS = ("sqlite", "postgresql")
# Where each archive area is restored: the database, the media folder, the signing folder, every
# other file of the instance folder (generated secrets and keys), and the audit checkpoint key
# when it is configured outside the instance folder.
DATABASE, MEDIA, SIGNING, INSTANCE = "database", "media", "signing", "instance"
AUDIT_KEY = "audit-key"
AREAS = (DATABASE, MEDIA, SIGNING, INSTANCE, AUDIT_KEY)
DATABASE_MEMBERS = {"sqlite": "database/anxun.sqlite3", "postgresql": "database/anxun.pgdump"}
# Files that are never state: temp files of uploads and of a backup being written, editor backups.
TRANSIENT = re.compile(r"(^|/)\.upload-[^/]*$|\.partial$|~$|\.tmp$")
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupError(Exception):
    """A backup cannot be written or restored; the message is shown to the operator."""


@dataclass(frozen=True)
class FileEntry:
    name: str
    sha256: str
    size: int
    mode: int


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    alembic_revision: str | None
    database_kind: str
    files: tuple[FileEntry, ...]
    missing_media: tuple[str, ...]

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.database_kind]


def member_name(area: str, relative: str) -> str:
    """The archive name of a file `relative` (POSIX, inside the area's folder)."""
    return f"{area}/{check_relative(relative)}"


def check_relative(relative: str) -> str:
    """A relative POSIX path without '..', absolute parts, backslashes or NUL bytes."""
    path = PurePosixPath(relative)
    if (
        not relative
        or path.is_absolute()
        or "\\" in relative
        or "\x00" in relative
        or any(part in ("", ".", "..") for part in relative.split("/"))
    ):
        raise BackupError(f"备份中的文件名不安全 unsafe file name in backup: {relative!r}")
    return relative


def split_member(name: str) -> tuple[str, str]:
    """(area, relative path) of an archive member; unsafe or unknown names are refused."""
    area, _, relative = name.partition("/")
    if area not in AREAS:
        raise BackupError(f"备份中有未知的文件 unknown member in backup: {name!r}")
    return area, check_relative(relative)


def is_transient(relative: str) -> bool:
    return bool(TRANSIENT.search(relative))


def sqlite_side_files(database_name: str) -> set[str]:
    """The database file and the journal files SQLite keeps beside it (never copied raw)."""
    return {database_name + suffix for suffix in SQLITE_SIDE_FILES}


def build(
    *,
    created_at: str,
    app_version: str,
    alembic_revision: str | None,
    database_kind: str,
    files: list[FileEntry],
    missing_media: list[str],
) -> dict:
    """The manifest document written as manifest.json."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "app_version": app_version,
        "alembic_revision": alembic_revision,
        "database": {"kind": database_kind, "member": DATABASE_MEMBERS[database_kind]},
        "files": [
            {"name": f.name, "sha256": f.sha256, "size": f.size, "mode": f.mode}
            for f in sorted(files, key=lambda f: f.name)
        ],
        "missing_media": sorted(missing_media),
    }


def dumps(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse(raw: bytes) -> Manifest:
    """Read and validate manifest.json; anything unexpected is a BackupError."""
    try:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise BackupError("不是安巡备份文件 not an Anxun backup archive")
        if doc.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"不支持的备份格式版本 unsupported backup format version {doc.get('format_version')}"
            )
        kind = doc["database"]["kind"]
        if kind not in DATABASE_KINDS:
            raise BackupError(f"未知的数据库类型 unknown database kind {kind!r}")
        files = tuple(_entry(item) for item in doc["files"])
        manifest = Manifest(
            created_at=str(doc["created_at"]),
            app_version=str(doc["app_version"]),
            alembic_revision=doc.get("alembic_revision"),
            database_kind=kind,
            files=files,
            missing_media=tuple(str(m) for m in doc.get("missing_media", [])),
        )
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"备份清单已损坏 manifest.json is malformed: {exc}") from exc
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise BackupError("备份清单中有重复的文件 manifest lists a file twice")
    if manifest.database_member not in names:
        raise BackupError("备份中缺少数据库 the backup holds no database")
    return manifest


def _entry(item: dict) -> FileEntry:
    name, sha256, size, mode = item["name"], item["sha256"], item["size"], item["mode"]
    split_member(name)
    if not isinstance(sha256, str) or not SHA256.match(sha256):
        raise BackupError(f"备份清单中的哈希无效 bad sha256 for {name!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise BackupError(f"备份清单中的大小无效 bad size for {name!r}")
    if isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 0o777:
        raise BackupError(f"备份清单中的权限无效 bad mode for {name!r}")
    return FileEntry(name, sha256, size, mode)


def compare(manifest: Manifest, found: dict[str, tuple[str, int]]) -> list[str]:
    """Problems between the manifest and the archive's files {name: (sha256, size)}; [] if equal."""
    problems = []
    expected = {f.name: f for f in manifest.files}
    for name in sorted(expected.keys() - found.keys()):
        problems.append(f"缺少文件 missing: {name}")
    for name in sorted(found.keys() - expected.keys()):
        problems.append(f"清单外的文件 not in manifest: {name}")
    for name in sorted(expected.keys() & found.keys()):
        sha256, size = found[name]
        if (sha256, size) != (expected[name].sha256, expected[name].size):
            problems.append(f"哈希不一致 hash mismatch: {name}")
    return problems


def missing_media(referenced: list[str], present: set[str]) -> list[str]:
    """Media paths named by database rows whose file is not in the archive."""
    return sorted({path for path in referenced if path not in present})
