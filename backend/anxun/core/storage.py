"""Where stored files live: a local folder (the embedded default) or S3-compatible object storage.

Two areas use it: photos and thumbnails (`media_store`, content-addressed) and generated
documents (`document_store`: signed audit reports). Both are write-once: a key is written
once and never changed, so writing it again is a no-op and several app servers can share one
bucket. `ANXUN_STORAGE_URL` selects the backend:

- empty (default): photos in ANXUN_MEDIA_DIR, documents in ANXUN_SIGNING_DIR, as before;
- `s3://BUCKET[/PREFIX]?endpoint=http://127.0.0.1:8333&region=us-east-1`: photos under
  `PREFIX/media/`, documents under `PREFIX/documents/`. Keys come from
  ANXUN_STORAGE_ACCESS_KEY / ANXUN_STORAGE_SECRET_KEY, or boto3's usual chain (AWS_* variables,
  instance roles) when unset. The bucket is created if it does not exist.

Agencies' signing keys and other secrets always stay in local folders, never in the bucket.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

from flask import current_app

CHUNK = 1024 * 1024
MEDIA_AREA = "media"
DOCUMENTS_AREA = "documents"


class StorageConfigError(ValueError):
    """ANXUN_STORAGE_URL cannot be understood."""


class LocalStore:
    """Files under one folder; keys are POSIX paths relative to it."""

    kind = "local"

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        base = self.root.resolve()
        path = (base / key).resolve()
        if base not in path.parents:
            raise KeyError(key)
        return path

    def local_path(self, key: str) -> Path | None:
        """The existing file for `key` (WeasyPrint and send_file read it directly), else None."""
        try:
            path = self.path(key)
        except KeyError:
            return None
        return path if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self.local_path(key) is not None

    def put_once(self, key: str, content: bytes) -> None:
        """Write atomically (temp file + rename); an existing key is left as it is."""
        path = self.path(key)
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

    def open(self, key: str) -> BinaryIO:
        """A readable binary stream; FileNotFoundError when the key is absent."""
        path = self.local_path(key)
        if path is None:
            raise FileNotFoundError(key)
        return path.open("rb")

    def read(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def size(self, key: str) -> int:
        path = self.local_path(key)
        if path is None:
            raise FileNotFoundError(key)
        return path.stat().st_size

    def list_keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(self.root).as_posix()

    def listing(self) -> Iterator[tuple[str, int]]:
        """(key, size) of every stored object."""
        for key in self.list_keys():
            yield key, (self.root / key).stat().st_size

    def is_empty(self) -> bool:
        return next(self.list_keys(), None) is None


class S3Store:
    """Objects under `prefix` in one bucket of an S3-compatible service."""

    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _key(self, key: str) -> str:
        if key.startswith("/") or ".." in key.split("/"):
            raise KeyError(key)
        return self.prefix + key

    def local_path(self, key: str) -> Path | None:
        return None

    def _missing(self, exc) -> bool:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def put_once(self, key: str, content: bytes) -> None:
        """Content-addressed keys never change: an existing object is left alone. Two servers
        writing the same key at once write the same bytes, so either write is the result."""
        if self.exists(key):
            return
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(key),
            Body=content,
            ContentMD5=base64.b64encode(hashlib.md5(content).digest()).decode(),  # noqa: S324
        )

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        return answer["Body"]

    def read(self, key: str) -> bytes:
        body = self.open(key)
        try:
            return body.read()
        finally:
            body.close()

    def size(self, key: str) -> int:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        return int(head["ContentLength"])

    def listing(self) -> Iterator[tuple[str, int]]:
        """(key, size) of every stored object, a page of 1,000 at a time."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :], int(item["Size"])

    def list_keys(self) -> Iterator[str]:
        for key, _ in self.listing():
            yield key

    def is_empty(self) -> bool:
        answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        return not answer.get("Contents")

    def presigned_url(self, key: str, seconds: int = 300) -> str:
        """A time-limited GET address (for a CDN or a client that cannot send our token)."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=seconds
        )


def parse_url(url: str) -> dict:
    """`s3://bucket/prefix?endpoint=…&region=…` → its parts (StorageConfigError otherwise)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise StorageConfigError(
            f"ANXUN_STORAGE_URL must look like s3://bucket/prefix?endpoint=…, not {url!r}"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region", "addressing"}
    if unknown:
        raise StorageConfigError(f"ANXUN_STORAGE_URL: unknown options {sorted(unknown)}")
    return {
        "bucket": parts.netloc,
        "prefix": parts.path.strip("/"),
        "endpoint": query.get("endpoint") or None,
        "region": query.get("region") or "us-east-1",
        "addressing": query.get("addressing") or ("path" if query.get("endpoint") else "auto"),
    }


_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def _client(spec: dict, access_key: str, secret_key: str):
    """One boto3 client per process and configuration (clients are thread-safe)."""
    cache_key = (spec["endpoint"], spec["region"], spec["addressing"], access_key, secret_key)
    with _clients_lock:
        client = _clients.get(cache_key)
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "s3",
                endpoint_url=spec["endpoint"],
                region_name=spec["region"],
                aws_access_key_id=access_key or None,
                aws_secret_access_key=secret_key or None,
                config=Config(
                    s3={"addressing_style": spec["addressing"]},
                    retries={"max_attempts": 3, "mode": "standard"},
                    max_pool_connections=32,
                    connect_timeout=5,
                    read_timeout=30,
                ),
            )
            _ensure_bucket(client, spec["bucket"])
            _clients[cache_key] = client
    return client


def _ensure_bucket(client, bucket: str) -> None:
    from botocore.exceptions import ClientError

    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise
        try:
            client.create_bucket(Bucket=bucket)
        except ClientError as again:
            code = str(again.response.get("Error", {}).get("Code", ""))
            if code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise


def storage_url(config=None) -> str:
    config = current_app.config if config is None else config
    return (config.get("ANXUN_STORAGE_URL") or "").strip()


def is_object_storage(config=None) -> bool:
    return bool(storage_url(config))


def _s3_store(area: str, config) -> S3Store:
    spec = parse_url(storage_url(config))
    client = _client(
        spec,
        config.get("ANXUN_STORAGE_ACCESS_KEY") or "",
        config.get("ANXUN_STORAGE_SECRET_KEY") or "",
    )
    prefix = f"{spec['prefix']}/{area}" if spec["prefix"] else area
    return S3Store(client, spec["bucket"], prefix)


def media_dir(config=None) -> Path:
    """The local photo folder: ANXUN_MEDIA_DIR, or <INSTANCE_PATH>/media when empty."""
    config = current_app.config if config is None else config
    instance = Path(config["INSTANCE_PATH"])
    configured = config.get("ANXUN_MEDIA_DIR") or ""
    return instance / configured if configured else instance / "media"


def signing_dir(config=None) -> Path:
    """ANXUN_SIGNING_DIR, or <INSTANCE_PATH>/signing when unset (keys; local signed reports)."""
    config = current_app.config if config is None else config
    configured = config.get("ANXUN_SIGNING_DIR") or ""
    return Path(configured) if configured else Path(config["INSTANCE_PATH"]) / "signing"


def media_store(config=None) -> LocalStore | S3Store:
    """Photos and thumbnails."""
    config = current_app.config if config is None else config
    if is_object_storage(config):
        return _s3_store(MEDIA_AREA, config)
    return LocalStore(media_dir(config))


def document_store(config=None) -> LocalStore | S3Store:
    """Generated documents kept after the request (signed audit reports). Locally they stay in
    the signing folder beside the keys, as before."""
    config = current_app.config if config is None else config
    if is_object_storage(config):
        return _s3_store(DOCUMENTS_AREA, config)
    return LocalStore(signing_dir(config))


def data_uri(content: bytes, content_type: str) -> str:
    """Bytes as a data: URI (how a PDF embeds a photo that is not on this machine's disk)."""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def sha256_of(store, key: str) -> str | None:
    """SHA-256 of a stored object, read in chunks; None when it is missing."""
    digest = hashlib.sha256()
    try:
        handle = store.open(key)
    except (FileNotFoundError, IsADirectoryError):
        return None
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    finally:
        handle.close()
    return digest.hexdigest()
