"""Real image bytes made with Pillow, and a helper that uploads one through the API."""

from __future__ import annotations

import hashlib
import io
import uuid

from PIL import Image


def make_image(fmt: str, width: int = 64, height: int = 48, color=(200, 30, 30), **save) -> bytes:
    """An image of one colour encoded as `fmt` (JPEG, PNG, WEBP); `save` goes to Image.save."""
    mode = "RGBA" if len(color) == 4 else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, fmt, **save)
    return buffer.getvalue()


def make_jpeg(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    return make_image("JPEG", width, height, color, quality=85)


def upload(
    client,
    headers,
    data: bytes | None = None,
    *,
    media_id: str | None = None,
    sha256: str | None = None,
    enterprise_id: int | None = None,
    filename: str = "photo.jpg",
):
    """POST /api/v1/media; the declared sha256 defaults to the real one. Returns the response."""
    data = make_jpeg() if data is None else data
    form = {
        "id": media_id or str(uuid.uuid4()),
        "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        "file": (io.BytesIO(data), filename),
    }
    if enterprise_id is not None:
        form["enterprise_id"] = str(enterprise_id)
    return client.post(
        "/api/v1/media", data=form, headers=headers, content_type="multipart/form-data"
    )
