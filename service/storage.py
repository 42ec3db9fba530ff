"""Object storage: the only module that talks to boto3.

Any S3 API works (AWS S3, MinIO, Aliyun OSS, SeaweedFS). Photos never pass through the
API: phones PUT to presigned URLs and fetch with presigned GETs.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from service.common.errors import ObjectStoreUnavailable

log = logging.getLogger(__name__)


@dataclass
class ObjectInfo:
    size: int
    content_type: str | None
    checksum_sha256: str | None


@dataclass(frozen=True)
class Timeouts:
    """How long a call to the store may take: each attempt's connect and read timeouts
    (seconds) and the attempts in all (1 = no retry); botocore's standard retry mode
    waits between attempts with jittered back-off."""

    connect: float = 2
    read: float = 10
    attempts: int = 2


def _unavailable_on_failure(method):
    """A store that does not answer in time, or answers with an error, is a 503 naming
    object storage (ObjectStoreUnavailable) instead of a 500."""

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            log.warning("object storage failed in %s: %s", method.__name__, exc)
            raise ObjectStoreUnavailable(type(exc).__name__) from exc

    return wrapper


class ObjectStore:
    def __init__(self, *, endpoint_url: str | None, public_endpoint_url: str | None,
                 access_key: str | None, secret_key: str | None, region: str, bucket: str,
                 timeouts: Timeouts = Timeouts()):
        self.bucket = bucket
        config = Config(signature_version="s3v4", s3={"addressing_style": "path"},
                        retries={"total_max_attempts": timeouts.attempts, "mode": "standard"},
                        connect_timeout=timeouts.connect, read_timeout=timeouts.read)
        common = dict(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                      region_name=region, config=config)
        self._client = boto3.client("s3", endpoint_url=endpoint_url, **common)
        # Phones may reach the store under another name than the API does.
        self._signer = (boto3.client("s3", endpoint_url=public_endpoint_url, **common)
                        if public_endpoint_url else self._client)

    @classmethod
    def from_settings(cls, settings) -> ObjectStore:
        return cls(endpoint_url=settings.s3_endpoint_url,
                   public_endpoint_url=settings.s3_public_endpoint_url,
                   access_key=settings.s3_access_key, secret_key=settings.s3_secret_key,
                   region=settings.s3_region, bucket=settings.s3_bucket,
                   timeouts=Timeouts(connect=settings.s3_connect_timeout_seconds,
                                     read=settings.s3_read_timeout_seconds,
                                     attempts=settings.s3_max_attempts))

    def ensure_bucket(self) -> None:
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self._client.create_bucket(Bucket=self.bucket)

    def ping(self) -> str | None:
        """None when the bucket answers, else a short reason."""
        try:
            self._client.head_bucket(Bucket=self.bucket)
            return None
        except (BotoCoreError, ClientError) as exc:
            return f"{type(exc).__name__}: {exc}"[:200]

    def presigned_put(self, key: str, *, content_type: str, checksum_sha256: str,
                      expires_in: int) -> str:
        """A URL that accepts exactly these bytes (SHA-256) with this content type."""
        return self._signer.generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                    "ChecksumSHA256": checksum_sha256},
            ExpiresIn=expires_in,
        )

    def presigned_put_exact(self, key: str, *, content_type: str, checksum_sha256: str,
                            content_length: int, expires_in: int) -> str:
        """Like presigned_put, and the length is signed too: any other size is refused (403)."""
        return self._signer.generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                    "ChecksumSHA256": checksum_sha256, "ContentLength": content_length},
            ExpiresIn=expires_in,
        )

    def presigned_get_as(self, key: str, *, content_type: str, expires_in: int) -> str:
        """A download URL whose answer carries `content_type` whatever the object says."""
        return self._signer.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type},
            ExpiresIn=expires_in,
        )

    @_unavailable_on_failure
    def sha256_base64(self, key: str, *, chunk_size: int = 1 << 20) -> str:
        """The object's SHA-256 (base64, as S3 writes ChecksumSHA256), read in chunks."""
        digest = hashlib.sha256()
        body = self._client.get_object(Bucket=self.bucket, Key=key)["Body"]
        for chunk in iter(lambda: body.read(chunk_size), b""):
            digest.update(chunk)
        return base64.b64encode(digest.digest()).decode()

    def presigned_get(self, key: str, *, expires_in: int) -> str:
        return self._signer.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )

    @_unavailable_on_failure
    def head(self, key: str) -> ObjectInfo | None:
        try:
            meta = self._client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return ObjectInfo(meta["ContentLength"], meta.get("ContentType"),
                          meta.get("ChecksumSHA256"))

    @_unavailable_on_failure
    def read_range(self, key: str, length: int) -> bytes:
        """The first `length` bytes of an object."""
        answer = self._client.get_object(Bucket=self.bucket, Key=key,
                                         Range=f"bytes=0-{length - 1}")
        return answer["Body"].read()

    @_unavailable_on_failure
    def read(self, key: str) -> bytes:
        return self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    @_unavailable_on_failure
    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        self._client.put_object(Bucket=self.bucket, Key=key, Body=body,
                                ContentType=content_type)

    @_unavailable_on_failure
    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=key)

    def upload_file(self, key: str, path: str, *, content_type: str) -> None:
        """Stream a local file to the store (multipart for big files: memory stays flat)."""
        self._client.upload_file(path, self.bucket, key, ExtraArgs={"ContentType": content_type})

    def presigned_download(self, key: str, *, filename: str, content_type: str,
                           expires_in: int) -> str:
        """A short-lived download URL that saves the object under `filename` (UTF-8)."""
        disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
        return self._signer.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type,
                    "ResponseContentDisposition": disposition},
            ExpiresIn=expires_in,
        )
