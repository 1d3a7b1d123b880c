"""Photos and signed reports in S3-compatible object storage (a real SeaweedFS server, never a
mock): content-addressed idempotent uploads, streamed reads behind the same authorization, PDFs
that embed photos from the bucket, `media verify`, and backup/restore between stores."""

from __future__ import annotations

import hashlib
import sqlite3
import tarfile
from pathlib import Path

import pytest

from anxun.core import storage
from tests.conftest import DEMO_PASSWORD, build_app
from tests.factories_hazards import actor, make_media
from tests.inspection_helpers import items_of, jpeg_bytes, payload, upload_photo
from tests.s3 import s3_config


def login(client, username="officer-hc"):
    response = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture
def s3_app(app, tmp_path):
    """The test app with photos and documents in a fresh prefix of the S3 bucket."""
    app.config.update(
        **s3_config(),
        INSTANCE_PATH=str(tmp_path / "instance"),
        ANXUN_MEDIA_DIR="",
        ANXUN_SIGNING_DIR="",
        ANXUN_AUDIT_KEY_FILE=str(tmp_path / "keys" / "checkpoint.pem"),
    )
    return app


def _media_keys(app) -> set[str]:
    with app.app_context():
        return set(storage.media_store().list_keys())


def test_an_upload_lands_in_the_bucket_once_and_is_read_back_streamed(s3_app, world, tmp_path):
    client = s3_app.test_client()
    headers = login(client)
    data = jpeg_bytes(color=(10, 120, 200), size=(800, 600))
    digest = hashlib.sha256(data).hexdigest()
    media_id = upload_photo(client, headers, data)
    # The same id and bytes again: 200, no second object (content-addressed keys).
    again = upload_photo(client, headers, data, media_id=media_id)
    assert again == media_id
    keys = _media_keys(s3_app)
    assert f"{digest[:2]}/{digest[2:4]}/{digest}.jpg" in keys
    assert f"thumbs/{digest}.jpg" in keys
    assert len(keys) == 2
    assert not (tmp_path / "instance" / "media").exists()  # nothing on the app server's disk

    photo = client.get(f"/api/v1/media/{media_id}", headers=headers)
    assert photo.status_code == 200
    assert photo.is_streamed
    assert photo.get_data() == data
    assert photo.mimetype == "image/jpeg"
    assert photo.headers["ETag"] == f'"{digest}"'
    unchanged = client.get(
        f"/api/v1/media/{media_id}", headers={**headers, "If-None-Match": f'"{digest}"'}
    )
    assert unchanged.status_code == 304
    thumb = client.get(f"/api/v1/media/{media_id}/thumb", headers=headers)
    assert thumb.status_code == 200
    assert thumb.get_data().startswith(b"\xff\xd8\xff")
    assert len(thumb.get_data()) < len(data)

    # The same authorization as a local file: another enterprise's officer gets 404.
    other = client.get(f"/api/v1/media/{media_id}", headers=login(client, "officer-con"))
    assert other.status_code == 404
    assert client.get(f"/api/v1/media/{media_id}").status_code == 401


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_photo_streaming_to_a_slow_reader_holds_no_transaction(s3_app, world):
    """While the body is still being read, the database is free: another writer takes SQLite's
    write lock at once (busy timeout 0), so a slow download never stalls the server's writers."""
    client = s3_app.test_client()
    headers = login(client)
    data = jpeg_bytes(color=(200, 30, 30), size=(800, 600))
    media_id = upload_photo(client, headers, data)
    photo = client.get(f"/api/v1/media/{media_id}", headers=headers, buffered=False)
    assert photo.status_code == 200
    chunks = iter(photo.response)
    first = next(chunks)  # the download has begun and is not finished
    path = s3_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert first + b"".join(chunks) == data
    photo.close()


def test_an_inspection_record_pdf_embeds_the_photo_from_the_bucket(s3_app, world):
    from anxun.reports import documents

    client = s3_app.test_client()
    headers = login(client)
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=headers).get_json()
    data = jpeg_bytes(color=(30, 160, 60))
    photo = upload_photo(client, headers, data)
    item = next(
        i
        for i in items_of(detail["document"])
        if not i["major"] and i["answer"]["type"] == "pass_fail_na"
    )
    body = payload(detail, failures={item["id"]: [photo]})
    created = client.post("/api/v1/inspections", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()

    with s3_app.app_context():
        shown = documents.photos(world["enterprise"]["hc"], [photo], documents.media_root())
    assert shown[0]["uri"].startswith("data:image/jpeg;base64,")
    pdf = client.get(f"/api/v1/inspections/{body['id']}/record.pdf", headers=headers)
    assert pdf.status_code == 200
    assert pdf.get_data().startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf.get_data() or b"/Subtype/Image" in pdf.get_data()


def test_media_verify_reads_the_bucket_and_finds_an_altered_object(s3_app, world):
    client = s3_app.test_client()
    media_id = upload_photo(client, login(client), jpeg_bytes(color=(1, 2, 3)))
    runner = s3_app.test_cli_runner()
    clean = runner.invoke(args=["anxun", "media", "verify"])
    assert clean.exit_code == 0, clean.output
    with s3_app.app_context():
        store = storage.media_store()
        original = next(k for k in store.list_keys() if not k.startswith("thumbs/"))
        # Overwrite behind the app's back (put_once would refuse to change it).
        store.client.put_object(Bucket=store.bucket, Key=store.prefix + original, Body=b"x")
    broken = runner.invoke(args=["anxun", "media", "verify"])
    assert broken.exit_code == 1
    assert media_id in broken.output
    assert "altered" in broken.output


def test_a_signed_audit_report_is_kept_in_the_bucket(s3_app, world, tmp_path):
    from anxun.audits import services
    from anxun.extensions import db

    with s3_app.test_request_context():
        auditor = actor("auditor")
        run = services.open_audit_run(
            auditor,
            {
                "engagement_id": world["engagement"],
                "enterprise_id": world["enterprise"]["hc"],
                "title": "年度审核",
                "scope": "全厂",
                "method": "现场检查",
            },
        )
        services.sign_audit_run(
            auditor, run, {"conclusion": "未发现重大隐患。", "expected_state": "open"}
        )
        db.session.commit()
        stored = storage.document_store().read(run.report_path)
        assert services.signed_report(run) == stored
        assert services.verify_stored_report(run)["ok"] is True
        # The agency's private key stays on local disk, never in the bucket.
        assert all(k.endswith(".pdf") for k in storage.document_store().list_keys())
    assert any((tmp_path / "instance" / "signing").rglob("*.pem"))
    assert not list((tmp_path / "instance" / "signing").rglob("*.pdf"))


def test_backup_from_the_bucket_restores_into_another_bucket(s3_app, world, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("backup/restore across databases is covered by test_backup.py")
    client = s3_app.test_client()
    headers = login(client)
    photo = upload_photo(client, headers, jpeg_bytes(color=(90, 90, 9)))
    with s3_app.app_context():
        from anxun.extensions import db

        make_media(world["enterprise"]["hc"])  # a row whose object is absent: listed as missing
        db.session.commit()
    archive = tmp_path / "backup.tar.gz"
    made = s3_app.test_cli_runner().invoke(args=["anxun", "backup", "create", str(archive)])
    assert made.exit_code == 1, made.output  # the missing object is reported
    with tarfile.open(archive) as tar:
        members = tar.getnames()
    assert sum(1 for m in members if m.startswith("media/")) == 2

    target_s3 = s3_config()
    target = build_app(
        f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        str(tmp_path / "target"),
        **target_s3,
    )
    restored = target.test_cli_runner().invoke(args=["anxun", "backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert _media_keys(target) == _media_keys(s3_app)
    assert not Path(tmp_path / "target" / "media").exists()
    read = target.test_client().get(f"/api/v1/media/{photo}", headers=login(target.test_client()))
    assert read.status_code == 200
    assert read.get_data() == jpeg_bytes(color=(90, 90, 9))
    # An empty database whose bucket prefix already holds photos is refused, nothing written.
    second = build_app(
        f"sqlite:///{tmp_path / 'second.sqlite3'}",
        str(tmp_path / "second"),
        **target_s3,
    )
    again = second.test_cli_runner().invoke(args=["anxun", "backup", "restore", str(archive)])
    assert again.exit_code == 1
    assert "对象存储中已有照片" in again.output


def test_a_malformed_storage_url_is_named():
    with pytest.raises(storage.StorageConfigError):
        storage.parse_url("http://bucket")
    with pytest.raises(storage.StorageConfigError):
        storage.parse_url("s3://bucket?endpont=http://x")
    spec = storage.parse_url("s3://anxun/prod/a?endpoint=http://127.0.0.1:8333")
    assert spec["bucket"] == "anxun"
    assert spec["prefix"] == "prod/a"
    assert spec["addressing"] == "path"
