"""Backup while a client keeps writing, restore into a fresh instance: the same data, the same
answers, an intact audit chain and intact media; damaged archives and used targets are refused."""

from __future__ import annotations

import io
import tarfile
import threading
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD, PG_URL, build_app
from tests.inspection_helpers import items_of, jpeg_bytes, payload, upload_photo

WRITER_LIMIT = 40


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


@pytest.fixture
def source(app, tmp_path):
    """The running instance: its own folder with a generated secret and a signing file."""
    instance = tmp_path / "source"
    (instance / "signing" / "reports").mkdir(parents=True)
    (instance / "jwt-secret").write_text("generated-secret-of-the-source-instance")
    (instance / "signing" / "reports" / "run-1.pdf").write_bytes(b"%PDF-1.7 signed report")
    app.config.update(
        INSTANCE_PATH=str(instance),
        ANXUN_MEDIA_DIR="",
        ANXUN_SIGNING_DIR="",
        # Kept outside the instance folder, as README suggests for production.
        ANXUN_AUDIT_KEY_FILE=str(tmp_path / "keys" / "checkpoint.pem"),
    )
    return instance


@pytest.fixture
def target(backend, tmp_path):
    """A fresh, empty instance on the same kind of database."""
    from anxun.extensions import db

    if backend == "sqlite":
        url, name = f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    else:
        name = PG_URL.rsplit("/", 1)[1].split("?")[0] + "_restore"
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
        with _pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    restored = build_app(url, str(tmp_path / "target"))
    yield restored
    with restored.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        with _pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def login(client, username="officer-hc"):
    response = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def general_item(detail):
    return next(
        i
        for i in items_of(detail["document"])
        if not i["major"] and i["answer"]["type"] == "pass_fail_na"
    )


def seed_records(client, headers):
    """An inspection with a failed item and its photo; the failure raises a hazard."""
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=headers).get_json()
    photo = upload_photo(client, headers)
    body = payload(detail, failures={general_item(detail)["id"]: [photo]})
    response = client.post("/api/v1/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return detail, photo, body["id"]


def test_backup_while_writing_restores_every_acknowledged_record(
    app, world, source, target, tmp_path
):
    client = app.test_client()
    headers = login(client)
    detail, photo, first_id = seed_records(client, headers)
    checkpoint = run(app, "anxun", "audit", "checkpoint")
    assert checkpoint.exit_code == 0, checkpoint.output

    acked: list[str] = []
    warmed_up, stop = threading.Event(), threading.Event()
    failures: list = []

    def writer():
        """A phone syncing: a new photo, then an inspection whose failed item cites it."""
        writer_client = app.test_client()
        item = general_item(detail)["id"]
        while not stop.is_set() and len(acked) < WRITER_LIMIT:
            shade = 40 + 5 * len(acked)
            new_photo = upload_photo(writer_client, headers, jpeg_bytes((shade, 90, 200 - shade)))
            body = payload(detail, failures={item: [new_photo]})
            response = writer_client.post("/api/v1/inspections", json=body, headers=headers)
            if response.status_code != 201:
                failures.append((response.status_code, response.get_json()))
                break
            acked.append(body["id"])
            if len(acked) >= 2:
                warmed_up.set()
        warmed_up.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert warmed_up.wait(timeout=120)
        before = list(acked)
        archive = tmp_path / "backups" / "anxun.tar.gz"
        created = run(app, "anxun", "backup", "create", str(archive))
    finally:
        stop.set()
        thread.join(timeout=120)
    assert failures == []
    assert created.exit_code == 0, created.output
    assert len(before) >= 2
    assert archive.stat().st_mode & 0o777 == 0o600

    restored = run(target, "anxun", "backup", "restore", str(archive))
    assert restored.exit_code == 0, restored.output

    target_client = target.test_client()
    target_headers = login(target_client)
    present = []
    for inspection_id in [first_id, *acked]:
        original = client.get(f"/api/v1/inspections/{inspection_id}", headers=headers)
        copy = target_client.get(f"/api/v1/inspections/{inspection_id}", headers=target_headers)
        if inspection_id == first_id or inspection_id in before:
            assert copy.status_code == 200, inspection_id
        if copy.status_code == 200:
            assert copy.get_json() == original.get_json()
            present.append(inspection_id)
        else:
            assert copy.status_code == 404

    # Never half a write: a restored inspection comes with its hazard, a missing one without.
    listing = "/api/v1/hazards?limit=200"
    source_hazards = client.get(listing, headers=headers).get_json()["items"]
    target_hazards = target_client.get(listing, headers=target_headers).get_json()["items"]
    assert target_hazards == [
        h for h in source_hazards if h["inspection_id"] is None or h["inspection_id"] in present
    ]
    assert len(target_hazards) >= len(before) + 1

    for path in (f"/api/v1/media/{photo}", f"/api/v1/media/{photo}/thumb"):
        original = client.get(path, headers=headers)
        copy = target_client.get(path, headers=target_headers)
        assert copy.status_code == 200 and copy.data == original.data

    target_instance = Path(target.config["INSTANCE_PATH"])
    assert (target_instance / "jwt-secret").read_bytes() == (source / "jwt-secret").read_bytes()
    assert (target_instance / "signing" / "reports" / "run-1.pdf").read_bytes() == (
        source / "signing" / "reports" / "run-1.pdf"
    ).read_bytes()
    key = (tmp_path / "keys" / "checkpoint.pem").read_bytes()
    assert (target_instance / "audit-checkpoint-key.pem").read_bytes() == key
    audit = run(target, "anxun", "audit", "verify")
    assert audit.exit_code == 0, audit.output
    assert "anchored: signed checkpoint" in audit.output
    media = run(target, "anxun", "media", "verify")
    assert media.exit_code == 0, media.output


def _snapshot(app, source, tmp_path):
    client = app.test_client()
    seed_records(client, login(client))
    archive = tmp_path / "anxun.tar.gz"
    result = run(app, "anxun", "backup", "create", str(archive))
    assert result.exit_code == 0, result.output
    return archive


def _table_count(app):
    from anxun.backup.database import table_count
    from anxun.extensions import db

    with app.app_context():
        return table_count(db.engine)


def test_restore_refuses_a_used_instance_and_changes_nothing(app, world, source, tmp_path):
    archive = _snapshot(app, source, tmp_path)
    (source / "jwt-secret").write_text("rotated-since-the-backup")
    result = run(app, "anxun", "backup", "restore", str(archive))
    assert result.exit_code == 1
    assert "目标数据库不是空的" in result.output
    assert (source / "jwt-secret").read_text() == "rotated-since-the-backup"


def test_restore_refuses_a_non_empty_media_folder(app, world, source, target, tmp_path):
    archive = _snapshot(app, source, tmp_path)
    media = Path(target.config["INSTANCE_PATH"]) / "media"
    media.mkdir(parents=True)
    (media / "left-over.jpg").write_bytes(b"photo of another instance")
    result = run(target, "anxun", "backup", "restore", str(archive))
    assert result.exit_code == 1
    assert "照片目录不是空的" in result.output
    assert _table_count(target) == 0


def _rewrite(archive: Path, change) -> None:
    """Copy the archive member by member, passing each (name, bytes) through `change`."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_restore_checks_every_hash_before_writing_anything(app, world, source, target, tmp_path):
    archive = _snapshot(app, source, tmp_path)

    def flip_a_photo_byte(name, data):
        if name.startswith("media/") and not name.startswith("media/thumbs/"):
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    _rewrite(archive, flip_a_photo_byte)
    result = run(target, "anxun", "backup", "restore", str(archive))
    assert result.exit_code == 1
    assert "哈希不一致 hash mismatch: media/" in result.output
    assert _table_count(target) == 0
    instance = Path(target.config["INSTANCE_PATH"])
    assert not (instance / "media").exists()
    assert not (instance / "signing").exists()


def test_restore_refuses_names_that_escape_the_instance(app, world, source, target, tmp_path):
    archive = _snapshot(app, source, tmp_path)
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data))
        evil = tarfile.TarInfo("instance/../../escaped")
        evil.size = 4
        tar.addfile(evil, io.BytesIO(b"evil"))
    result = run(target, "anxun", "backup", "restore", str(archive))
    assert result.exit_code == 1
    assert "不安全" in result.output
    assert not (tmp_path / "escaped").exists()
    assert _table_count(target) == 0


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_missing_pg_dump_is_named_and_nothing_is_written(
    app, world, source, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    archive = tmp_path / "anxun.tar.gz"
    result = run(app, "anxun", "backup", "create", str(archive))
    assert result.exit_code == 1
    assert "找不到 pg_dump" in result.output
    assert list(tmp_path.glob("anxun.tar.gz*")) == []
