"""`flask anxun media verify`: each stored photo against its record and the hash the audit chain
recorded at upload; a file altered or lost on disk is reported and the command exits 1."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, text, update

from anxun.core.audit import AuditEntry
from anxun.inspections import media as media_services
from anxun.inspections.models import Media
from tests.factories_media import make_jpeg, upload


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    folder = tmp_path / "media"
    app.config["ANXUN_MEDIA_DIR"] = str(folder)
    return folder


@pytest.fixture
def photos(client, login_as, db):
    """Two photos uploaded through the API, and a replayed third sharing the first one's file."""
    officer = login_as("officer-hc")
    ids = []
    for color in ((10, 20, 30), (40, 50, 60)):
        response = upload(client, officer, make_jpeg(color=color))
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    response = upload(client, officer, make_jpeg(color=(10, 20, 30)))
    assert response.status_code == 201
    ids.append(response.get_json()["id"])
    return [db.session.get(Media, media_services._as_uuid(i)) for i in ids]


def verify_cli(app):
    return app.test_cli_runner().invoke(args=["anxun", "media", "verify"])


def found(report) -> list[tuple[str, str]]:
    return [(p.media_id, p.kind) for p in report.problems]


def test_upload_records_the_photo_hash_in_the_audit_chain(photos, db):
    for photo in photos:
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "upload_media", AuditEntry.entity_id == str(photo.id)
            )
        )
        assert entry.change["sha256"] == photo.sha256


def test_intact_photos_verify(photos, app):
    report = media_services.verify_files()
    assert (report.checked, report.problems) == (3, [])
    result = verify_cli(app)
    assert result.exit_code == 0
    assert "media intact: 3 photo(s)" in result.output


def test_altered_file_is_reported_for_every_record_sharing_it(photos, media_dir, app):
    first, second, replay = photos
    path = media_dir / first.storage_path
    path.write_bytes(path.read_bytes()[:-2] + b"\x00\xd9")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    report = media_services.verify_files()
    assert sorted(found(report)) == sorted(
        [(str(first.id), "altered"), (str(replay.id), "altered")]
    )
    assert actual in report.problems[0].message
    result = verify_cli(app)
    assert result.exit_code == 1
    assert f"[altered] media {first.id}" in result.output and "media BROKEN" in result.output


def test_missing_file_and_thumbnail_are_reported(photos, media_dir):
    _, second, _ = photos
    (media_dir / second.storage_path).unlink()
    (media_dir / second.thumb_path).unlink()
    report = media_services.verify_files()
    assert found(report) == [(str(second.id), "missing"), (str(second.id), "thumbnail_missing")]


def test_swapped_file_with_a_matching_record_still_disagrees_with_the_audit_chain(
    photos, media_dir, db, app
):
    """An insider replaces the photo and updates the record's hash to match the new bytes."""
    _, second, _ = photos
    forged = make_jpeg(color=(250, 250, 250))
    forged_sha = hashlib.sha256(forged).hexdigest()
    (media_dir / second.storage_path).write_bytes(forged)
    db.session.execute(update(Media).where(Media.id == second.id).values(sha256=forged_sha))
    db.session.commit()
    report = media_services.verify_files()
    assert found(report) == [(str(second.id), "audit_mismatch")]
    assert verify_cli(app).exit_code == 1


def test_record_without_its_upload_entry_is_reported(photos, db):
    first = photos[0]
    db.session.execute(
        text("DELETE FROM audit_entry WHERE action = 'upload_media' AND entity_id = :id"),
        {"id": str(first.id)},
    )
    db.session.commit()
    report = media_services.verify_files()
    assert found(report) == [(str(first.id), "not_audited")]


def test_verification_walks_past_one_batch(photos, monkeypatch):
    monkeypatch.setattr(media_services, "VERIFY_BATCH", 2)
    report = media_services.verify_files()
    assert (report.checked, report.problems) == (3, [])
