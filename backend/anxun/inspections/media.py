"""Photos from devices: upload (idempotent on the client UUID), content-addressed storage, reads."""

from __future__ import annotations

import hashlib
import io
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from PIL import ExifTags, Image
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from anxun.accounts.roles import Role
from anxun.core import audit, events, storage
from anxun.core.auth import Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    field_error,
)
from anxun.extensions import db
from anxun.inspections.events import HasOpenAuditRun
from anxun.inspections.models import Media
from anxun.inspections.png_chunks import BrokenPng, png_parts
from anxun.orgs import scoping
from anxun.orgs.models import Engagement
from anxun.oversight.models import Patrol

# Accepted types, recognised by their leading bytes, never by file name or declared type.
JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp"}
THUMB_SIDE = 320
# EXIF orientation → the transposition that makes the picture upright (as ImageOps.exif_transpose).
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# One photo decodes at a time per process, so concurrent uploads cannot add up their pixels.
_DECODING = threading.Lock()
# Room for the other form fields and multipart headers when judging a body by Content-Length.
FORM_OVERHEAD = 16 * 1024

# Regulator roles that patrol (as oversight.patrols.services.STAFF).
PATROL_STAFF = frozenset({Role.regulator_inspector.value, Role.regulator_admin.value})

MSG_TYPE = "只接受 JPEG、PNG 或 WebP 照片。"
MSG_BROKEN = "照片已损坏或不完整，无法读取，请重新拍摄或上传。"
MSG_HASH = "照片校验值不一致，请重新上传。"
MSG_REUSED = "该照片编号已用于另一张照片。"


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    thumbnail: bytes


def media_dir() -> Path:
    """The local storage root: ANXUN_MEDIA_DIR, or <INSTANCE_PATH>/media when empty."""
    return storage.media_dir()


def media_store():
    """Where photos and thumbnails live: the local folder, or object storage (core/storage.py)."""
    return storage.media_store()


def max_bytes() -> int:
    return int(current_app.config["ANXUN_MEDIA_MAX_BYTES"])


def size_label(size: int) -> str:
    """A byte count as people read it: 5 MB, 1.5 MB, 8 KB, 900 字节."""
    mib, kib = 1024 * 1024, 1024
    if size >= mib:
        return f"{size // mib} MB" if size % mib == 0 else f"{size / mib:.1f} MB"
    if size >= kib:
        return f"{size // kib} KB" if size % kib == 0 else f"{size / kib:.1f} KB"
    return f"{size} 字节"


def _too_large() -> PayloadTooLarge:
    message = f"照片不能超过 {size_label(max_bytes())}。"
    return PayloadTooLarge(message, [field_error("file", message)])


def refuse_oversized_body(content_length: int | None) -> None:
    """Refuse a body that cannot hold an acceptable photo before it is parsed at all."""
    if content_length is not None and content_length > max_bytes() + FORM_OVERHEAD:
        raise _too_large()


def read_upload(stream) -> bytes:
    """Read an uploaded file, never more than one byte past the limit."""
    limit = max_bytes()
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise _too_large()
    return content


def sniff(content: bytes) -> str | None:
    """The content type from the magic bytes, or None for anything not JPEG, PNG or WebP."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    return None


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, [field_error("file", message)])


def max_pixels() -> int:
    return int(current_app.config["ANXUN_MAX_IMAGE_PIXELS"])


def _pixels_error(limit: int) -> ValidationFailed:
    amount = limit // 10_000 if limit % 10_000 == 0 else round(limit / 10_000, 1)
    return _file_error(f"照片像素过多（超过 {amount} 万像素）。")


def inspect_image(content: bytes, content_type: str, pixel_limit: int) -> ImageFacts:
    """Check the whole file decodes (a truncated or forged file fails) and make its thumbnail.

    The pixel count is read from the header and refused before any pixel is decoded. Decoding
    goes through Image.frombytes, which refuses short or broken data whatever the process-wide
    ImageFile.LOAD_TRUNCATED_IMAGES says (WeasyPrint sets it to True once a PDF is rendered).
    JPEGs decode at the smallest DCT scale that still covers the thumbnail.
    """
    try:
        with Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > pixel_limit:
                raise _pixels_error(pixel_limit)
            with _DECODING:
                decoded, exif = _decode(image, content, content_type)
                orientation = exif.get(ExifTags.Base.Orientation, 1)
                thumbnail = _thumbnail(decoded, TRANSPOSE.get(orientation))
                del decoded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _pixels_error(pixel_limit) from exc
    except (OSError, SyntaxError, ValueError, EOFError, BrokenPng) as exc:
        raise _file_error(MSG_BROKEN) from exc
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return ImageFacts(width, height, thumbnail)


def _decode(image, content: bytes, content_type: str) -> tuple[Image.Image, Image.Exif]:
    """The pixels (a JPEG drafted down towards thumbnail size) and the EXIF, strictly decoded."""
    if content_type == WEBP:
        # libwebp decodes the whole buffer itself and fails on short data; Pillow's flag is unused.
        image.load()
        return image, image.getexif()
    if content_type == PNG:
        parts = png_parts(content)
        data, exif = parts.image_data, Image.Exif()
        if parts.exif:
            exif.load(parts.exif)
    else:
        image.draft(None, (THUMB_SIDE, THUMB_SIDE))
        data, exif = None, image.getexif()
    if len(image.tile) != 1:
        raise ValueError("unexpected tile layout")
    codec, _, offset, args = image.tile[0]
    if data is None:
        data = content[offset:]
    args = args if isinstance(args, tuple) else (args,)
    decoded = Image.frombytes(image.mode, image.size, data, codec, *args, *image.decoderconfig)
    if image.palette is not None:
        decoded.putpalette(image.palette)
    decoded.info.update(image.info)
    return decoded, exif


def _thumbnail(image: Image.Image, transpose: Image.Transpose | None) -> bytes:
    """A JPEG whose longest side is THUMB_SIDE (smaller images keep their size), upright."""
    thumb = image
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    if transpose is not None:
        thumb = thumb.transpose(transpose)
    if thumb.mode in ("RGBA", "LA", "PA") or "transparency" in thumb.info:
        rgba = thumb.convert("RGBA")
        thumb = Image.new("RGB", rgba.size, "white")
        thumb.paste(rgba, mask=rgba.getchannel("A"))
    elif thumb.mode.startswith("I"):
        thumb = thumb.point(lambda v: v / 256).convert("L").convert("RGB")
    else:
        thumb = thumb.convert("RGB")
    buffer = io.BytesIO()
    thumb.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def content_paths(sha256: str, content_type: str) -> tuple[str, str]:
    """Storage paths relative to the media folder: shared by every upload of the same bytes."""
    original = f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{EXTENSIONS[content_type]}"
    return original, f"thumbs/{sha256}.jpg"


def _has_open_patrol(actor: Actor, enterprise_id: int) -> bool:
    """An open patrol of the enterprise by a regulator where the actor is staff, or by the actor's
    agency on a regulator's behalf under an engagement valid today (委托第三方网上巡查)."""
    clauses = []
    regulators = [r for r in actor.regulator_ids if actor.regulator_roles(r) & PATROL_STAFF]
    if regulators:
        clauses.append(Patrol.regulator_id.in_(regulators))
    if actor.agency_ids:
        clauses.append(
            Patrol.engagement_id.in_(
                select(Engagement.id).where(scoping.valid_engagement(actor.agency_ids))
            )
        )
    if not clauses:
        return False
    found = db.session.scalar(
        select(Patrol.id)
        .where(Patrol.enterprise_id == enterprise_id, Patrol.state == "open", or_(*clauses))
        .limit(1)
    )
    return found is not None


def _uploader_enterprise(actor: Actor, enterprise_id: int | None):
    """The enterprise the photo belongs to. Its own staff upload; so do an agency's auditors
    with an open audit run on it and a regulator's staff with an open patrol of it, whose
    findings carry photos."""
    if enterprise_id is None:
        if not actor.enterprise_ids:
            raise Forbidden("只有企业人员可以上传照片。")
        if len(actor.enterprise_ids) != 1:
            raise ValidationFailed("请指定企业。", [field_error("enterprise_id", "请指定企业。")])
        enterprise_id = next(iter(actor.enterprise_ids))
    if not actor.is_platform_admin and not scoping.is_enterprise_staff(actor, enterprise_id):
        enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.READ)
        open_run = events.ask(HasOpenAuditRun(actor, enterprise.id))
        if open_run or _has_open_patrol(actor, enterprise.id):
            return enterprise
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    if not scoping.is_enterprise_staff(actor, enterprise.id):
        raise Forbidden("只有本企业人员可以上传照片。")
    return enterprise


def upload_media(actor: Actor, data: dict, content: bytes) -> tuple[Media, bool]:
    """Accept one photo keyed by its client UUID (STYLE.md "Idempotency", issue 5 sync contract).

    Returns (media, created): the same UUID with the same bytes returns the stored record; the
    same UUID with other bytes is a 409. Files are written before the row, so a failed
    transaction leaves at most an unreferenced, content-addressed file behind.
    """
    enterprise = _uploader_enterprise(actor, data["enterprise_id"])
    sha256 = hashlib.sha256(content).hexdigest()
    if sha256 != data["sha256"].lower():
        raise ValidationFailed(MSG_HASH, [field_error("sha256", MSG_HASH)])

    existing = db.session.get(Media, data["id"])
    if existing is not None:
        if existing.sha256 == sha256 and existing.enterprise_id == enterprise.id:
            return existing, False
        raise Conflict(MSG_REUSED, [field_error("id", MSG_REUSED)])

    content_type = sniff(content)
    if content_type is None:
        raise _file_error(MSG_TYPE)
    facts = inspect_image(content, content_type, max_pixels())
    storage_path, thumb_path = content_paths(sha256, content_type)
    store = media_store()
    store.put_once(storage_path, content)
    store.put_once(thumb_path, facts.thumbnail)

    media = Media(
        id=data["id"],
        enterprise_id=enterprise.id,
        uploaded_by_user_id=actor.user_id,
        sha256=sha256,
        content_type=content_type,
        size=len(content),
        width=facts.width,
        height=facts.height,
        storage_path=storage_path,
        thumb_path=thumb_path,
    )
    db.session.add(media)
    enterprise_id = enterprise.id
    try:
        db.session.flush()
    except IntegrityError:
        # Another copy of this upload committed the same id first (PostgreSQL waits for it, then
        # refuses ours): answer as its replay. The files are content-addressed, so shared.
        db.session.rollback()
        winner = db.session.get(Media, data["id"])
        if winner is None:
            raise
        if winner.sha256 == sha256 and winner.enterprise_id == enterprise_id:
            return winner, False
        raise Conflict(MSG_REUSED, [field_error("id", MSG_REUSED)]) from None
    audit.record(
        actor,
        "upload_media",
        "media",
        media.id,
        {
            "enterprise_id": enterprise.id,
            "sha256": sha256,
            "content_type": content_type,
            "size": media.size,
        },
    )
    return media, True


def _readable_photo_enterprise(actor: Actor, enterprise_id: int):
    """Photos belong to inspections and hazards: an auditor needs either area."""
    try:
        return scoping.get_enterprise(actor, enterprise_id, scoping.READ, scoping.INSPECTIONS)
    except NotFound:
        return scoping.get_enterprise(actor, enterprise_id, scoping.READ, scoping.HAZARDS)


def get_readable_media(actor: Actor, media_id: uuid.UUID) -> Media:
    """A photo whose enterprise the actor may read; anything else is 404 (existence not leaked)."""
    media = db.session.get(Media, media_id)
    try:
        if media is None:
            raise NotFound()
        _readable_photo_enterprise(actor, media.enterprise_id)
    except NotFound as exc:
        raise NotFound("未找到该照片，或您无权查看。") from exc
    return media


def stored_sha256(relative_path: str, store=None) -> str | None:
    """SHA-256 of a stored file, read in chunks; None when the file is missing."""
    return storage.sha256_of(store or media_store(), relative_path)


def is_stored(relative_path: str, store=None) -> bool:
    return (store or media_store()).exists(relative_path)


@dataclass(frozen=True)
class MediaProblem:
    """One finding; `kind` is stable for programs: missing, altered, thumbnail_missing,
    not_audited, audit_mismatch."""

    media_id: str
    kind: str
    message: str


@dataclass
class MediaReport:
    checked: int = 0
    problems: list[MediaProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


VERIFY_BATCH = 500


def verify_files() -> MediaReport:
    """Recompute every stored photo's SHA-256 and hold it against its record and against the
    hash the audit chain recorded at upload: reports missing and altered files, missing
    thumbnails, and records whose hash disagrees with (or is absent from) the audit chain.
    The chain itself is checked by `audit.verify_chain`; run both."""
    report = MediaReport()
    store = media_store()
    digests: dict[str, str | None] = {}  # one read per file: uploads of the same bytes share it
    last_id = None
    while True:
        query = select(Media).order_by(Media.id).limit(VERIFY_BATCH)
        if last_id is not None:
            query = query.where(Media.id > last_id)
        batch = db.session.scalars(query).all()
        if not batch:
            return report
        last_id = batch[-1].id
        audited = dict(
            db.session.execute(
                select(audit.AuditEntry.entity_id, audit.AuditEntry.change).where(
                    audit.AuditEntry.action == "upload_media",
                    audit.AuditEntry.entity_type == "media",
                    audit.AuditEntry.entity_id.in_([str(m.id) for m in batch]),
                )
            ).all()
        )
        for media in batch:
            report.checked += 1
            report.problems.extend(
                _media_problems(store, media, audited.get(str(media.id)), digests)
            )
        db.session.expunge_all()


def _media_problems(store, media: Media, change: dict | None, digests: dict) -> list[MediaProblem]:
    found = []
    key = str(media.id)
    if media.storage_path not in digests:
        digests[media.storage_path] = stored_sha256(media.storage_path, store)
    actual = digests[media.storage_path]
    if actual is None:
        found.append(MediaProblem(key, "missing", f"file missing: {media.storage_path}"))
    elif actual != media.sha256:
        found.append(
            MediaProblem(key, "altered", f"file altered: {media.storage_path} has SHA-256 {actual}")
        )
    if not is_stored(media.thumb_path, store):
        found.append(
            MediaProblem(key, "thumbnail_missing", f"thumbnail missing: {media.thumb_path}")
        )
    if change is None:
        found.append(MediaProblem(key, "not_audited", "no upload_media entry in the audit chain"))
    elif change.get("sha256") != media.sha256:
        found.append(
            MediaProblem(
                key,
                "audit_mismatch",
                f"record SHA-256 {media.sha256} differs from the audit chain's"
                f" {change.get('sha256')}",
            )
        )
    return found


MSG_FILE_MISSING = "照片文件缺失，请联系管理员。"


def media_file(media: Media, thumbnail: bool = False) -> Path | None:
    """The local file holding the photo (or its thumbnail); None when it lives in object storage.
    NotFound when a local file is missing."""
    store = media_store()
    key = media.thumb_path if thumbnail else media.storage_path
    if store.kind != "local":
        return None
    path = store.local_path(key)
    if path is None:
        raise NotFound(MSG_FILE_MISSING)
    return path


def open_media(media: Media, thumbnail: bool = False):
    """A readable stream of the photo (or its thumbnail) from wherever it is stored."""
    try:
        return media_store().open(media.thumb_path if thumbnail else media.storage_path)
    except FileNotFoundError as exc:
        raise NotFound(MSG_FILE_MISSING) from exc


def media_bytes(media: Media, thumbnail: bool = False) -> bytes:
    handle = open_media(media, thumbnail)
    try:
        return handle.read()
    finally:
        handle.close()


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def get_media(enterprise_id: int, ids: list) -> list[Media]:
    """The enterprise's photos among `ids`, in input order, once each; unknown ids are skipped."""
    wanted = [u for u in dict.fromkeys(_as_uuid(i) for i in ids) if u is not None]
    if not wanted:
        return []
    found = {
        m.id: m
        for m in db.session.scalars(
            select(Media).where(Media.enterprise_id == enterprise_id, Media.id.in_(wanted))
        )
    }
    return [found[u] for u in wanted if u in found]


def missing_media(enterprise_id: int, ids: list) -> list[str]:
    """Ids (as given, in input order, once each) not uploaded for this enterprise."""
    present = {m.id for m in get_media(enterprise_id, ids)}
    return [str(i) for i in dict.fromkeys(ids) if _as_uuid(i) not in present]
