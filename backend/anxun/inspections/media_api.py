"""HTTP endpoints for photos: upload one (idempotent on its client UUID), read it or its thumbnail."""

from functools import wraps

from flask import Response, request, send_file, stream_with_context
from werkzeug.datastructures import CombinedMultiDict

from anxun.core.auth import authenticated, current_actor
from anxun.core.blueprint import Blueprint, SchemaOnceParser
from anxun.inspections import media
from anxun.inspections.media_schemas import MediaSchema, MediaUploadSchema


class _MultipartParser(SchemaOnceParser):
    """Reads a multipart body's text fields and files into one schema (webargs splits them)."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class _MediaBlueprint(Blueprint):
    ARGUMENTS_PARSER = _MultipartParser()


blp = _MediaBlueprint("media", __name__, url_prefix="/api/v1", description="照片")


def _refuse_oversized_body(view):
    """413 from the declared length, before the multipart body is parsed."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        media.refuse_oversized_body(request.content_length)
        return view(*args, **kwargs)

    return wrapper


@blp.route("/media", methods=["POST"])
@authenticated
@_refuse_oversized_body
@blp.arguments(MediaUploadSchema, location="form", content_type="multipart/form-data")
@blp.response(201, MediaSchema)
@blp.alt_response(
    200, schema=MediaSchema, description="An exact replay: the stored record, `replayed: true`."
)
@blp.alt_response(409, description="This id already names a different photo.")
@blp.alt_response(413, description="The photo is larger than ANXUN_MEDIA_MAX_BYTES.")
def upload_media(data):
    """Upload one photo (JPEG, PNG or WebP, sniffed) keyed by its client UUID and SHA-256."""
    content = media.read_upload(data.pop("file").stream)
    record, created = media.upload_media(current_actor(), data, content)
    return _stored_photo(record, replayed=not created), 201 if created else 200


def _stored_photo(record, *, replayed: bool) -> dict:
    return {
        "id": record.id,
        "sha256": record.sha256,
        "content_type": record.content_type,
        "size": record.size,
        "width": record.width,
        "height": record.height,
        "created_at": record.created_at,
        "url": f"/api/v1/media/{record.id}",
        "thumb_url": f"/api/v1/media/{record.id}/thumb",
        "replayed": replayed,
    }


def _send(media_id, thumbnail: bool):
    """The photo after the same authorization as always; from the local folder, or streamed
    from object storage (never buffered whole) when ANXUN_STORAGE_URL is set."""
    record = media.get_readable_media(current_actor(), media_id)
    mimetype = "image/jpeg" if thumbnail else record.content_type
    etag = f"{record.sha256}-thumb" if thumbnail else record.sha256
    path = media.media_file(record, thumbnail)
    if path is not None:
        return send_file(path, mimetype=mimetype, etag=etag, conditional=True)
    if etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        return response
    body = media.open_media(record, thumbnail)

    def chunks():
        try:
            yield from iter(lambda: body.read(64 * 1024), b"")
        finally:
            body.close()

    response = Response(stream_with_context(chunks()), mimetype=mimetype, direct_passthrough=True)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.content_length = record.size if not thumbnail else None
    return response


@blp.route("/media/<uuid:media_id>", methods=["GET"])
@authenticated
@blp.response(200, description="The photo's bytes.", content_type="image/*")
def get_media_file(media_id):
    """The photo, for anyone who may read its enterprise (404 otherwise)."""
    return _send(media_id, thumbnail=False)


@blp.route("/media/<uuid:media_id>/thumb", methods=["GET"])
@authenticated
@blp.response(200, description="JPEG thumbnail, longest side 320 px.", content_type="image/jpeg")
def get_media_thumbnail(media_id):
    """The photo's thumbnail, for anyone who may read its enterprise (404 otherwise)."""
    return _send(media_id, thumbnail=True)
