"""Photo upload, the sync contract's first half: sniffing, hashing, limits, idempotency, reads."""

import hashlib
import io
import random
import struct
import uuid
import warnings
import zlib

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select

from anxun.accounts.models import Membership
from anxun.core.audit import AuditEntry
from anxun.inspections import media as media_services
from anxun.inspections.models import Media
from tests.factories_media import make_image, make_jpeg, upload

MSG_TYPE = "只接受 JPEG、PNG 或 WebP 照片。"
MSG_BROKEN = "照片已损坏或不完整，无法读取，请重新拍摄或上传。"
MSG_PIXELS = "照片像素过多（超过 2400 万像素）。"
MSG_HASH = "照片校验值不一致，请重新上传。"
MSG_REUSED = "该照片编号已用于另一张照片。"
CACHE = "no-store"  # a signed-in user's photos stay out of shared caches


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    folder = tmp_path / "media"
    app.config["ANXUN_MEDIA_DIR"] = str(folder)
    return folder


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def uploads_audited(db):
    return count(db, AuditEntry, AuditEntry.action == "upload_media")


def stored_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def noisy_jpeg(width, height, seed=1):
    """A JPEG that does not compress well, so its size is predictable from its pixel count."""
    pixels = random.Random(seed).randbytes(width * height * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def assert_nothing_written(db, media_dir):
    assert count(db, Media) == 0
    assert uploads_audited(db) == 0
    assert not media_dir.exists() or stored_files(media_dir) == []


# --- creation and idempotent replays -------------------------------------------------------


def test_upload_creates_the_record_and_an_exact_replay_returns_it(client, officer, db, media_dir):
    data = make_jpeg(800, 600)
    sha = hashlib.sha256(data).hexdigest()
    media_id = str(uuid.uuid4())
    first = upload(client, officer, data, media_id=media_id, sha256=sha.upper())
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert {k: v for k, v in body.items() if k != "created_at"} == {
        "id": media_id,
        "sha256": sha,
        "content_type": "image/jpeg",
        "size": len(data),
        "width": 800,
        "height": 600,
        "url": f"/api/v1/media/{media_id}",
        "thumb_url": f"/api/v1/media/{media_id}/thumb",
        "replayed": False,
    }
    again = upload(client, officer, data, media_id=media_id)
    assert again.status_code == 200
    assert again.get_json() == {**body, "replayed": True}
    assert count(db, Media) == 1
    assert uploads_audited(db) == 1
    assert stored_files(media_dir) == [f"{sha[:2]}/{sha[2:4]}/{sha}.jpg", f"thumbs/{sha}.jpg"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "upload_media"))
    assert (entry.entity_type, entry.entity_id) == ("media", media_id)
    assert entry.change["sha256"] == sha


def test_same_id_with_other_bytes_is_a_conflict(client, officer, db, media_dir):
    media_id = str(uuid.uuid4())
    assert upload(client, officer, make_jpeg(color=(1, 2, 3)), media_id=media_id).status_code == 201
    files = stored_files(media_dir)
    response = upload(client, officer, make_jpeg(color=(250, 250, 0)), media_id=media_id)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "/problems/conflict"
    assert problem["errors"] == [{"field": "id", "message": MSG_REUSED}]
    assert count(db, Media) == 1 and uploads_audited(db) == 1
    assert stored_files(media_dir) == files


def test_two_ids_with_identical_bytes_share_one_file(client, officer, db, media_dir):
    data = make_jpeg(400, 300, (9, 99, 199))
    sha = hashlib.sha256(data).hexdigest()
    first = upload(client, officer, data)
    second = upload(client, officer, data)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["id"] != second.get_json()["id"]
    rows = db.session.scalars(select(Media)).all()
    assert {(m.storage_path, m.thumb_path) for m in rows} == {
        (f"{sha[:2]}/{sha[2:4]}/{sha}.jpg", f"thumbs/{sha}.jpg")
    }
    assert len(rows) == 2 and uploads_audited(db) == 2
    assert len(stored_files(media_dir)) == 2


# --- what is stored ------------------------------------------------------------------------


def test_the_file_lies_at_its_content_address_and_the_thumbnail_is_320_px(
    client, officer, media_dir
):
    data = make_jpeg(800, 600, (20, 200, 20))
    sha = hashlib.sha256(data).hexdigest()
    assert upload(client, officer, data).status_code == 201
    assert (media_dir / sha[:2] / sha[2:4] / f"{sha}.jpg").read_bytes() == data
    with Image.open(media_dir / "thumbs" / f"{sha}.jpg") as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (320, 240))


@pytest.mark.parametrize(
    ("size", "thumb_size"),
    [((600, 800), (240, 320)), ((1000, 250), (320, 80)), ((64, 48), (64, 48))],
)
def test_thumbnails_keep_the_aspect_and_never_enlarge(client, officer, media_dir, size, thumb_size):
    data = make_jpeg(*size)
    assert upload(client, officer, data).status_code == 201
    sha = hashlib.sha256(data).hexdigest()
    with Image.open(media_dir / "thumbs" / f"{sha}.jpg") as thumb:
        assert thumb.size == thumb_size


@pytest.mark.parametrize(
    ("fmt", "content_type", "ext"),
    [("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp"), ("JPEG", "image/jpeg", "jpg")],
)
def test_type_is_sniffed_from_the_content_not_the_name(
    client, officer, media_dir, fmt, content_type, ext
):
    data = make_image(fmt, 120, 90, (40, 80, 160))
    response = upload(client, officer, data, filename="photo.gif")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["content_type"], body["width"], body["height"]) == (content_type, 120, 90)
    sha = body["sha256"]
    assert (media_dir / sha[:2] / sha[2:4] / f"{sha}.{ext}").read_bytes() == data
    fetched = client.get(body["url"], headers=officer)
    assert (fetched.status_code, fetched.content_type) == (200, content_type)


def test_exif_orientation_swaps_width_and_height(client, officer, media_dir):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), (5, 5, 5)).save(buffer, "JPEG", exif=exif)
    body = upload(client, officer, buffer.getvalue()).get_json()
    assert (body["width"], body["height"]) == (40, 80)
    with Image.open(media_dir / "thumbs" / f"{body['sha256']}.jpg") as thumb:
        assert thumb.size == (40, 80)


@pytest.mark.parametrize(
    ("image", "expected_pixel"),
    [
        (Image.new("RGBA", (40, 40), (0, 0, 0, 0)), (255, 255, 255)),  # transparent → white
        (Image.new("I;16", (40, 40), 40000), (156, 156, 156)),  # 16-bit grey scaled to 8 bits
    ],
    ids=["transparent", "16-bit"],
)
def test_png_thumbnails_are_plain_jpeg(client, officer, media_dir, image, expected_pixel):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    body = upload(client, officer, buffer.getvalue()).get_json()
    with Image.open(media_dir / "thumbs" / f"{body['sha256']}.jpg") as thumb:
        assert thumb.mode == "RGB"
        assert all(
            abs(a - b) <= 2 for a, b in zip(thumb.getpixel((20, 20)), expected_pixel, strict=True)
        )


# --- refused uploads write nothing ---------------------------------------------------------


def _bomb_png():
    buffer = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buffer, "PNG")  # 56 MP of zeros: a few KB on the wire
    return buffer.getvalue()


BAD_FILES = {
    "text renamed .jpg": (b"just some text, not a photo\n" * 10, MSG_TYPE),
    "gif": (make_image("GIF", 20, 20, (1, 1, 1)), MSG_TYPE),
    "truncated jpeg": (make_jpeg(300, 200)[:600], MSG_BROKEN),
    "png header then junk": (b"\x89PNG\r\n\x1a\n" + b"\0junk" * 50, MSG_BROKEN),
    "webp header then junk": (b"RIFF\x40\0\0\0WEBPVP8 " + b"\x01" * 60, MSG_BROKEN),
    "decompression bomb": (_bomb_png(), MSG_PIXELS),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_files_that_are_not_whole_photos_are_refused(client, officer, db, media_dir, case):
    data, message = BAD_FILES[case]
    response = upload(client, officer, data, filename="photo.jpg")
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": "file", "message": message}]
    assert_nothing_written(db, media_dir)


def _encoded(image, fmt, **save):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


_NOISE = Image.effect_noise((300, 200), 60).convert("RGB")
# Cut inside the pixel data: the header is whole, so only a full decode can tell.
CUT_IN_THE_PIXELS = {
    "jpeg": _encoded(_NOISE, "JPEG", quality=90)[:-400],
    "png": _encoded(_NOISE, "PNG")[:-400],
    "webp": _encoded(_NOISE, "WEBP")[:-400],
}


@pytest.mark.parametrize("fmt", CUT_IN_THE_PIXELS)
def test_truncated_photos_are_refused_even_when_pillow_is_told_to_load_them(
    client, officer, db, media_dir, monkeypatch, fmt
):
    # WeasyPrint sets this process-wide when it is imported, i.e. after the first PDF.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    response = upload(client, officer, CUT_IN_THE_PIXELS[fmt])
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": "file", "message": MSG_BROKEN}]
    assert_nothing_written(db, media_dir)


def test_the_pixel_limit_is_configured_and_read_from_the_header(
    app, client, officer, db, media_dir
):
    app.config["ANXUN_MAX_IMAGE_PIXELS"] = 1_000_000
    at_limit = upload(client, officer, make_image("PNG", 1000, 1000))
    assert at_limit.status_code == 201, at_limit.get_json()
    over = upload(client, officer, make_image("PNG", 1001, 1000))
    assert over.status_code == 422
    message = "照片像素过多（超过 100 万像素）。"
    assert over.get_json()["errors"] == [{"field": "file", "message": message}]
    assert count(db, Media) == 1


def test_a_49_megapixel_png_of_a_few_hundred_kb_is_refused_by_default(
    client, officer, db, media_dir
):
    data = _encoded(Image.new("RGB", (7000, 7000), (200, 30, 30)), "PNG")
    assert len(data) < 300 * 1024
    response = upload(client, officer, data)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "file", "message": MSG_PIXELS}]
    assert_nothing_written(db, media_dir)


def _declared_png(width, height):
    """A PNG header declaring width x height, with one empty IDAT: nothing to decode."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def test_pillows_own_bomb_error_is_a_422(app, client, officer, db, media_dir):
    app.config["ANXUN_MAX_IMAGE_PIXELS"] = 10**9
    response = upload(client, officer, _declared_png(20_000, 20_000))  # 400 MP, over 2 x Pillow's
    assert response.status_code == 422
    message = "照片像素过多（超过 100000 万像素）。"
    assert response.get_json()["errors"] == [{"field": "file", "message": message}]
    assert_nothing_written(db, media_dir)


def test_pillows_bomb_warning_raised_as_an_error_is_a_422(app, client, officer, db, media_dir):
    app.config["ANXUN_MAX_IMAGE_PIXELS"] = 150_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        response = upload(client, officer, _declared_png(10_000, 10_000))  # 100 MP
    assert response.status_code == 422
    message = "照片像素过多（超过 15000 万像素）。"
    assert response.get_json()["errors"] == [{"field": "file", "message": message}]


def test_a_hash_mismatch_is_refused(client, officer, db, media_dir):
    response = upload(client, officer, make_jpeg(), sha256=hashlib.sha256(b"other").hexdigest())
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "sha256", "message": MSG_HASH}]
    assert_nothing_written(db, media_dir)


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"sha256": "0" * 64, "file": True}, [{"field": "id", "message": "此项为必填项。"}]),
        (
            {"id": "not-a-uuid", "sha256": "0" * 64, "file": True},
            [{"field": "id", "message": "应为 UUID。"}],
        ),
        (
            {"id": True, "sha256": "abc", "file": True},
            [{"field": "sha256", "message": "应为 64 位十六进制 SHA-256 值。"}],
        ),
        ({"id": True, "sha256": "0" * 64}, [{"field": "file", "message": "此项为必填项。"}]),
        (
            {"id": True, "sha256": "0" * 64, "file": True, "note": "x"},
            [{"field": "note", "message": "不允许的字段。"}],
        ),
    ],
    ids=["no id", "bad id", "bad sha256", "no file", "unknown field"],
)
def test_malformed_forms_are_refused_field_by_field(client, officer, db, media_dir, form, errors):
    data = make_jpeg()
    body = dict(form)
    if body.get("id") is True:
        body["id"] = str(uuid.uuid4())
    if body.get("file") is True:
        body["file"] = (io.BytesIO(data), "photo.jpg")
    response = client.post(
        "/api/v1/media", data=body, headers=officer, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors
    assert_nothing_written(db, media_dir)


# --- size limits ---------------------------------------------------------------------------


def test_a_photo_above_the_configured_limit_is_413(app, client, officer, db, media_dir):
    app.config["ANXUN_MEDIA_MAX_BYTES"] = 8 * 1024
    data = noisy_jpeg(96, 96)
    assert 8 * 1024 < len(data) < 24 * 1024  # passes the Content-Length check; the read refuses
    response = upload(client, officer, data)
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert (problem["type"], problem["detail"]) == (
        "/problems/payload-too-large",
        "照片不能超过 8 KB。",
    )
    assert_nothing_written(db, media_dir)
    app.config["ANXUN_MEDIA_MAX_BYTES"] = len(data)
    assert upload(client, officer, data).status_code == 201


def test_the_default_limit_is_5_mb(client, officer, db, media_dir):
    response = upload(client, officer, b"\xff\xd8\xff" + bytes(5 * 1024 * 1024 - 2))
    assert response.status_code == 413
    assert response.get_json()["detail"] == "照片不能超过 5 MB。"
    assert_nothing_written(db, media_dir)


def test_an_oversized_body_is_refused_before_its_fields_are_read(app, client, officer, db):
    app.config["ANXUN_MEDIA_MAX_BYTES"] = 8 * 1024
    body = {"file": (io.BytesIO(bytes(40 * 1024)), "photo.jpg")}  # no id: parsing would say 422
    response = client.post(
        "/api/v1/media", data=body, headers=officer, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert response.get_json()["type"] == "/problems/payload-too-large"


def test_a_body_above_max_content_length_is_a_413_problem(app, client, officer, db, media_dir):
    app.config["MAX_CONTENT_LENGTH"] = 32 * 1024  # the server-wide cap (16 MB by default)
    response = upload(client, officer, noisy_jpeg(240, 180))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"] == "/problems/http-413"
    assert_nothing_written(db, media_dir)


@pytest.mark.parametrize(
    ("size", "label"),
    [(5 * 1024 * 1024, "5 MB"), (1536 * 1024, "1.5 MB"), (8192, "8 KB"), (1000, "1000 字节")],
)
def test_size_labels(size, label):
    assert media_services.size_label(size) == label


# --- who may upload ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("head-con", 404),
        ("regulator-con", 404),
        ("regulator", 403),
        ("auditor", 403),
        ("admin", 403),
        ("rectifier-hc", 201),
    ],
)
def test_only_staff_of_the_enterprise_upload_to_it(
    client, login_as, world, db, media_dir, username, status
):
    hc = world["enterprise"]["hc"]
    response = upload(client, login_as(username), make_jpeg(), enterprise_id=hc)
    assert response.status_code == status, response.get_json()
    if status != 201:
        assert response.content_type == "application/problem+json"
        assert_nothing_written(db, media_dir)


def test_without_enterprise_id_the_callers_only_enterprise_is_used(client, login_as, world, db):
    response = upload(client, login_as("head-con"), make_jpeg())
    assert response.status_code == 201
    stored = db.session.get(Media, uuid.UUID(response.get_json()["id"]))
    assert stored.enterprise_id == world["enterprise"]["con"]
    assert stored.uploaded_by_user_id == world["users"]["head-con"]


def test_without_enterprise_id_non_staff_are_refused(client, login_as, db, media_dir):
    response = upload(client, login_as("regulator"), make_jpeg())
    assert response.status_code == 403
    assert_nothing_written(db, media_dir)


def test_staff_of_two_enterprises_must_name_one(client, login_as, world, db, media_dir):
    db.session.add(
        Membership(
            user_id=world["users"]["officer-hc"],
            role="inspector",
            enterprise_id=world["enterprise"]["dust"],
        )
    )
    db.session.commit()
    officer = login_as("officer-hc")
    response = upload(client, officer, make_jpeg())
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "enterprise_id", "message": "请指定企业。"}]
    assert_nothing_written(db, media_dir)
    named = upload(client, officer, make_jpeg(), enterprise_id=world["enterprise"]["dust"])
    assert named.status_code == 201


def test_an_id_taken_in_another_enterprise_is_a_conflict_even_with_the_same_bytes(
    client, officer, login_as, db
):
    data, media_id = make_jpeg(), str(uuid.uuid4())
    assert upload(client, officer, data, media_id=media_id).status_code == 201
    response = upload(client, login_as("head-con"), data, media_id=media_id)
    assert response.status_code == 409
    assert count(db, Media) == 1


# --- reading photos back -------------------------------------------------------------------


@pytest.fixture
def hc_photo(client, officer):
    data = make_jpeg(640, 480, (120, 60, 30))
    body = upload(client, officer, data).get_json()
    return data, body


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("officer-hc", 200),
        ("rectifier-hc", 200),
        ("regulator", 200),
        ("auditor", 200),
        ("admin", 200),
        ("head-con", 404),
        ("regulator-con", 404),
    ],
)
def test_photos_are_readable_by_whoever_may_read_the_enterprise(
    client, login_as, hc_photo, username, status
):
    data, body = hc_photo
    headers = login_as(username)
    photo = client.get(body["url"], headers=headers)
    thumb = client.get(body["thumb_url"], headers=headers)
    assert (photo.status_code, thumb.status_code) == (status, status)
    if status == 404:
        assert photo.content_type == "application/problem+json"
        assert photo.get_json()["detail"] == "未找到该照片，或您无权查看。"
        return
    assert (photo.data, photo.content_type) == (data, "image/jpeg")
    assert photo.headers["Cache-Control"] == CACHE
    assert thumb.content_type == "image/jpeg"
    assert thumb.headers["Cache-Control"] == CACHE
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert image.size == (320, 240)


def test_an_unchanged_photo_answers_304_to_its_etag(client, officer, hc_photo):
    _, body = hc_photo
    response = client.get(body["url"], headers={**officer, "If-None-Match": f'"{body["sha256"]}"'})
    assert response.status_code == 304


def test_unknown_media_ids_are_404(client, officer):
    for url in (f"/api/v1/media/{uuid.uuid4()}", f"/api/v1/media/{uuid.uuid4()}/thumb"):
        response = client.get(url, headers=officer)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"


def test_a_photo_whose_file_is_gone_is_404(client, officer, hc_photo, media_dir):
    _, body = hc_photo
    sha = body["sha256"]
    (media_dir / sha[:2] / sha[2:4] / f"{sha}.jpg").unlink()
    response = client.get(body["url"], headers=officer)
    assert response.status_code == 404
    assert response.get_json()["detail"] == "照片文件缺失，请联系管理员。"


# --- the service the inspection sync uses --------------------------------------------------


def test_missing_media_lists_ids_not_uploaded_for_the_enterprise_in_order(
    client, officer, world, db
):
    a = upload(client, officer, make_jpeg(color=(1, 1, 1))).get_json()["id"]
    b = upload(client, officer, make_jpeg(color=(2, 2, 2))).get_json()["id"]
    unknown = str(uuid.uuid4())
    hc, con = world["enterprise"]["hc"], world["enterprise"]["con"]
    asked = [a, unknown, b, a, "not-a-uuid", unknown]
    assert media_services.missing_media(hc, asked) == [unknown, "not-a-uuid"]
    assert media_services.missing_media(con, [b, a]) == [b, a]
    assert media_services.missing_media(hc, []) == []
    assert [str(m.id) for m in media_services.get_media(hc, [b, unknown, uuid.UUID(a), b])] == [
        b,
        a,
    ]
    assert media_services.get_media(con, [a, b]) == []
