"""Photos from devices: upload (idempotent on the client UUID), content-addressed storage, reads."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps
from sqlalchemy import or_, select

from anxun.accounts.roles import Role
from anxun.audits.models import AuditRun
from anxun.core import audit
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
from anxun.inspections.models import Media
from anxun.orgs import scoping
from anxun.orgs.models import Engagement, EngagementEnterprise
from anxun.oversight.models import Patrol

# Accepted types, recognised by their leading bytes, never by file name or declared type.
JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp"}
THUMB_SIDE = 320
# Phones capture at most ~50 MP (the PWA scales to 1600 px); more is a decompression bomb.
MAX_PIXELS = 50_000_000
# Room for the other form fields and multipart headers when judging a body by Content-Length.
FORM_OVERHEAD = 16 * 1024

# Regulator roles that patrol (as oversight.patrol_services.STAFF).
PATROL_STAFF = frozenset({Role.regulator_inspector.value, Role.regulator_admin.value})

MSG_TYPE = "只接受 JPEG、PNG 或 WebP 照片。"
MSG_BROKEN = "照片已损坏或不完整，无法读取，请重新拍摄或上传。"
MSG_PIXELS = "照片像素过多（超过 5000 万像素）。"
MSG_HASH = "照片校验值不一致，请重新上传。"
MSG_REUSED = "该照片编号已用于另一张照片。"


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    thumbnail: bytes


def media_dir() -> Path:
    """The storage root: ANXUN_MEDIA_DIR, or <INSTANCE_PATH>/media when empty."""
    instance = Path(current_app.config["INSTANCE_PATH"])
    configured = current_app.config.get("ANXUN_MEDIA_DIR") or ""
    return instance / configured if configured else instance / "media"


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


def inspect_image(content: bytes, content_type: str) -> ImageFacts:
    """Decode the whole image (a truncated or forged file fails) and make its thumbnail."""
    formats = [PILLOW_FORMATS[content_type]]
    try:
        # Opening reads only the header, so the pixel count is checked before any decoding.
        with Image.open(io.BytesIO(content), formats=formats) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise _file_error(MSG_PIXELS)
            probe.verify()
        with Image.open(io.BytesIO(content), formats=formats) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return ImageFacts(upright.width, upright.height, _thumbnail(upright))
    except Image.DecompressionBombError as exc:
        raise _file_error(MSG_PIXELS) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _file_error(MSG_BROKEN) from exc


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG whose longest side is THUMB_SIDE (smaller images keep their size)."""
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
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


def _write_once(path: Path, content: bytes) -> None:
    """Write atomically (temp file + rename); content-addressed files never change once there."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _has_open_audit_run(actor: Actor, enterprise_id: int) -> bool:
    """An open run of one of the actor's agencies on the enterprise, its engagement valid today
    and still naming the enterprise."""
    if not actor.agency_ids:
        return False
    found = db.session.scalar(
        select(AuditRun.id)
        .join(Engagement, Engagement.id == AuditRun.engagement_id)
        .join(
            EngagementEnterprise,
            (EngagementEnterprise.engagement_id == Engagement.id)
            & (EngagementEnterprise.enterprise_id == AuditRun.enterprise_id),
        )
        .where(
            AuditRun.enterprise_id == enterprise_id,
            AuditRun.agency_id.in_(actor.agency_ids),
            AuditRun.state == "open",
            scoping.valid_engagement(actor.agency_ids),
        )
        .limit(1)
    )
    return found is not None


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
        if _has_open_audit_run(actor, enterprise.id) or _has_open_patrol(actor, enterprise.id):
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
    facts = inspect_image(content, content_type)
    storage_path, thumb_path = content_paths(sha256, content_type)
    root = media_dir()
    _write_once(root / storage_path, content)
    _write_once(root / thumb_path, facts.thumbnail)

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
    db.session.flush()
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


def media_file(media: Media, thumbnail: bool = False) -> Path:
    """The file on disk holding the photo (or its thumbnail)."""
    path = media_dir() / (media.thumb_path if thumbnail else media.storage_path)
    if not path.is_file():
        raise NotFound("照片文件缺失，请联系管理员。")
    return path


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
