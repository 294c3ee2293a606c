"""Object storage behind one small interface: S3-compatible (boto3) or a local folder.

Originals are written once under a key the API chooses and read by the workers; DELETE removes
everything under the document's prefix (original and any rendered images).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse


class StorageError(RuntimeError):
    """Storage could not be reached or refused the operation (workers retry these)."""


class ObjectMissing(StorageError):
    """No object under that key."""


class Storage(Protocol):
    # What the storage puts in front of every key (S3: the STORAGE_URL path; a folder: nothing), so a
    # caller can name an object by its full key in the bucket (manifest batches).
    key_prefix: str

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes: ...

    def size(self, key: str) -> int:
        """The object's size in bytes (ObjectMissing when there is none), read without fetching it,
        so an oversized import is refused before it is downloaded."""

    def delete_prefix(self, prefix: str) -> int: ...

    def check(self) -> None:
        """Raise StorageError when the storage is not usable (used by /readyz)."""


class LocalStorage:
    """Files under one root folder; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.key_prefix = ""

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise StorageError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectMissing(f"no stored object {key!r}") from None
        except OSError as exc:
            raise StorageError(f"cannot read {key!r}: {exc}") from exc

    def size(self, key: str) -> int:
        path = self._path(key)
        try:
            if not path.is_file():
                raise ObjectMissing(f"no stored object {key!r}")
            return path.stat().st_size
        except FileNotFoundError:
            raise ObjectMissing(f"no stored object {key!r}") from None
        except OSError as exc:
            raise StorageError(f"cannot read {key!r}: {exc}") from exc

    def delete_prefix(self, prefix: str) -> int:
        base = self._path(prefix.rstrip("/"))
        if not base.exists():
            return 0
        files = [p for p in base.rglob("*") if p.is_file()] if base.is_dir() else [base]
        for p in files:
            p.unlink(missing_ok=True)
        for d in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
            d.rmdir()
        if base.is_dir():
            base.rmdir()
        return len(files)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"storage folder {self.root} is not usable: {exc}") from exc
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"storage folder {self.root} is not writable")


class S3Storage:
    """An S3 bucket (AWS, MinIO, moto ...) and a key prefix inside it."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.key_prefix = self.prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30
            ),
        )

    def _errors(self):  # type: ignore[no-untyped-def]
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type
            )
        except self._errors() as exc:
            raise StorageError(f"cannot store {key!r}: {exc}") from exc

    def get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise ObjectMissing(f"no stored object {key!r}") from None
            raise StorageError(f"cannot read {key!r}: {exc}") from exc
        except self._errors() as exc:
            raise StorageError(f"cannot read {key!r}: {exc}") from exc

    def size(self, key: str) -> int:
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectMissing(f"no stored object {key!r}") from None
            raise StorageError(f"cannot read {key!r}: {exc}") from exc
        except self._errors() as exc:
            raise StorageError(f"cannot read {key!r}: {exc}") from exc

    def delete_prefix(self, prefix: str) -> int:
        deleted = 0
        try:
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if objects:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
                    deleted += len(objects)
        except self._errors() as exc:
            raise StorageError(f"cannot delete {prefix!r}: {exc}") from exc
        return deleted

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors() as exc:
            raise StorageError(f"bucket {self.bucket!r} is not reachable: {exc}") from exc


def open_storage(storage_url: str, endpoint_url: str | None = None) -> Storage:
    """The storage named by STORAGE_URL: `s3://bucket/prefix` or `file:///absolute/path`."""
    parsed = urlparse(storage_url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"STORAGE_URL {storage_url!r} names no bucket")
        return S3Storage(parsed.netloc, parsed.path, endpoint_url)
    if parsed.scheme == "file":
        return LocalStorage(Path(unquote(parsed.path)))
    raise ValueError(f"unsupported STORAGE_URL {storage_url!r}: use s3://bucket/prefix or file:///path")
