"""The backup manifest: safe member names, validation of manifest.json, hash comparison."""

import json

import pytest

from anxun.backup import manifest as mf
from anxun.backup.manifest import BackupError, FileEntry

DIGEST_A, DIGEST_B = "a" * 64, "b" * 64


def document(**changes):
    doc = mf.build(
        created_at="2026-12-01T02:00:00+00:00",
        app_version="0.1.0",
        alembic_revision="5f4cb1b3f853",
        database_kind="sqlite",
        files=[
            FileEntry("media/ab/cd/abcd.jpg", DIGEST_B, 10, 0o644),
            FileEntry("database/anxun.sqlite3", DIGEST_A, 4096, 0o600),
        ],
        missing_media=[],
    )
    doc.update(changes)
    return doc


def test_a_built_manifest_reads_back_with_files_sorted_by_name():
    manifest = mf.parse(mf.dumps(document()))
    assert manifest.database_kind == "sqlite"
    assert manifest.database_member == "database/anxun.sqlite3"
    assert manifest.alembic_revision == "5f4cb1b3f853"
    assert [f.name for f in manifest.files] == ["database/anxun.sqlite3", "media/ab/cd/abcd.jpg"]
    assert manifest.files[0] == FileEntry("database/anxun.sqlite3", DIGEST_A, 4096, 0o600)


@pytest.mark.parametrize(
    "name",
    [
        "instance/../../etc/passwd",
        "/etc/passwd",
        "media/./x",
        "media//x",
        "media/",
        "signing/a\\b",
        "instance/a\x00b",
        "other/file",
        "manifest.json",
    ],
)
def test_unsafe_or_unknown_member_names_are_refused(name):
    with pytest.raises(BackupError):
        mf.split_member(name)


@pytest.mark.parametrize(
    "name, area, relative",
    [
        ("media/thumbs/abc.jpg", "media", "thumbs/abc.jpg"),
        ("instance/jwt-secret", "instance", "jwt-secret"),
        ("signing/keys/agency-1.pem", "signing", "keys/agency-1.pem"),
        ("database/anxun.pgdump", "database", "anxun.pgdump"),
        ("audit-key/checkpoint.pem", "audit-key", "checkpoint.pem"),
    ],
)
def test_member_names_split_into_area_and_path(name, area, relative):
    assert mf.split_member(name) == (area, relative)
    assert mf.member_name(area, relative) == name


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"format": "tarball"}, "不是安巡备份文件"),
        ({"format_version": 2}, "不支持的备份格式版本"),
        ({"database": {"kind": "mysql"}}, "未知的数据库类型"),
        (
            {"files": [{"name": "database/anxun.sqlite3", "sha256": "xyz", "size": 1, "mode": 0}]},
            "哈希无效",
        ),
        (
            {
                "files": [
                    {"name": "database/anxun.sqlite3", "sha256": DIGEST_A, "size": -1, "mode": 0}
                ]
            },
            "大小无效",
        ),
        (
            {
                "files": [
                    {
                        "name": "database/anxun.sqlite3",
                        "sha256": DIGEST_A,
                        "size": 1,
                        "mode": 0o7777,
                    }
                ]
            },
            "权限无效",
        ),
        (
            {"files": [{"name": "media/x.jpg", "sha256": DIGEST_A, "size": 1, "mode": 0o644}]},
            "缺少数据库",
        ),
        (
            {
                "files": [
                    {"name": "database/anxun.sqlite3", "sha256": DIGEST_A, "size": 1, "mode": 0}
                ]
                * 2
            },
            "重复",
        ),
        ({"files": None}, "已损坏"),
    ],
)
def test_a_malformed_manifest_is_refused_with_a_reason(changes, message):
    with pytest.raises(BackupError, match=message):
        mf.parse(mf.dumps(document(**changes)))


def test_a_manifest_that_is_not_json_is_refused():
    with pytest.raises(BackupError, match="已损坏"):
        mf.parse(b"\x1f\x8b not json")
    with pytest.raises(BackupError, match="已损坏"):
        mf.parse(json.dumps([1, 2]).encode())


def test_compare_names_missing_extra_and_altered_files():
    manifest = mf.parse(mf.dumps(document()))
    assert (
        mf.compare(
            manifest,
            {"database/anxun.sqlite3": (DIGEST_A, 4096), "media/ab/cd/abcd.jpg": (DIGEST_B, 10)},
        )
        == []
    )
    problems = mf.compare(
        manifest, {"database/anxun.sqlite3": (DIGEST_A, 4095), "instance/extra": (DIGEST_A, 1)}
    )
    assert problems == [
        "缺少文件 missing: media/ab/cd/abcd.jpg",
        "清单外的文件 not in manifest: instance/extra",
        "哈希不一致 hash mismatch: database/anxun.sqlite3",
    ]


@pytest.mark.parametrize(
    "relative, transient",
    [
        ("ab/cd/.upload-x1y2", True),
        ("backup.tar.gz.partial", True),
        ("notes.txt~", True),
        ("signing/.restore-1.tmp", True),
        ("jwt-secret", False),
        ("audit-checkpoint-key.pem", False),
        ("ab/cd/abcd.jpg", False),
    ],
)
def test_temp_files_are_not_state(relative, transient):
    assert mf.is_transient(relative) is transient


def test_sqlite_side_files_and_missing_media():
    assert mf.sqlite_side_files("anxun.sqlite3") == {
        "anxun.sqlite3",
        "anxun.sqlite3-wal",
        "anxun.sqlite3-shm",
        "anxun.sqlite3-journal",
    }
    assert mf.missing_media(["media/a", "media/b", "media/a"], {"media/b"}) == ["media/a"]
