"""Matrix rows: photo upload and reads."""

import hashlib
import io
import uuid

from tests.api.authz.common import HC_READ, HC_STAFF_WRITE, Row
from tests.factories_media import make_jpeg

# Only the enterprise's own staff upload; platform admins too are refused for now.
UPLOAD = HC_STAFF_WRITE | {"admin": "forbid"}


def _upload_form(ctx):
    data = make_jpeg(32, 24, (10, 120, 200))
    return {
        "data": {
            "id": str(uuid.uuid4()),
            "sha256": hashlib.sha256(data).hexdigest(),
            "enterprise_id": str(ctx["enterprise"]["hc"]),
            "file": (io.BytesIO(data), "photo.jpg"),
        },
        "content_type": "multipart/form-data",
    }


def _hc_photo(world):
    from anxun.accounts.services import load_actor
    from anxun.extensions import db
    from anxun.inspections import media

    data = make_jpeg(40, 30, (30, 160, 60))
    record, _ = media.upload_media(
        load_actor(world["users"]["officer-hc"]),
        {
            "id": uuid.uuid4(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "enterprise_id": world["enterprise"]["hc"],
        },
        data,
    )
    db.session.commit()
    return {"media": str(record.id)}


ROWS = [
    Row("POST", "/api/v1/media", lambda c: "/api/v1/media", UPLOAD, kwargs=_upload_form),
    Row(
        "GET",
        "/api/v1/media/<uuid:media_id>",
        lambda c: f"/api/v1/media/{c['media']}",
        HC_READ,
        setup=_hc_photo,
    ),
    Row(
        "GET",
        "/api/v1/media/<uuid:media_id>/thumb",
        lambda c: f"/api/v1/media/{c['media']}/thumb",
        HC_READ,
        setup=_hc_photo,
    ),
]
