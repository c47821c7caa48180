"""Presigned access handed to clients: a POST form to a staging key for uploads (bound to the declared size by
the store), a short-lived GET URL for downloads.

They are signed for `PANTAU_MINIO_PUBLIC_ENDPOINT` when MinIO sits behind a proxy (the proxy must pass the
`Host` header through unchanged, as the signature covers it), otherwise for the internal endpoint. Callers
check the scope first: a URL is a bearer credential for one object until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import quote

from minio import Minio

from hub.settings import Settings
from hub.storage import UrlSigner


@dataclass(frozen=True)
class SignedUrl:
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedForm:
    """POST `fields` (in order) and then the file, as the last part named `file`, to `url`."""

    url: str
    fields: dict[str, str]
    expires_at: datetime


def public_endpoint(settings: Settings) -> tuple[str, bool]:
    """(host:port, secure) that clients use to reach object storage."""
    raw = settings.minio_public_endpoint or settings.minio_endpoint
    secure = settings.minio_secure
    if "://" in raw:
        scheme, _, raw = raw.partition("://")
        secure = scheme.lower() == "https"
    return raw.rstrip("/"), secure


@lru_cache(maxsize=8)
def _signer(
    endpoint: str, secure: bool, access_key: str, secret_key: str, region: str, bucket: str
) -> UrlSigner:
    return UrlSigner(
        Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region), bucket
    )


def signer_for(settings: Settings) -> UrlSigner:
    endpoint, secure = public_endpoint(settings)
    return _signer(
        endpoint,
        secure,
        settings.minio_access_key,
        settings.minio_secret_key.get_secret_value(),
        settings.minio_region,
        settings.minio_bucket,
    )


def content_disposition(file_name: str) -> str:
    """`attachment` with the display name: an ASCII fallback and the exact name in RFC 5987 form."""
    fallback = "".join(char if 32 <= ord(char) < 127 and char not in '"\\;' else "_" for char in file_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def bucket_url(settings: Settings) -> str:
    endpoint, secure = public_endpoint(settings)
    return f"{'https' if secure else 'http'}://{endpoint}/{settings.minio_bucket}"


def upload_form(settings: Settings, key: str, size: int, expires_at: datetime) -> SignedForm:
    """A POST of exactly `size` bytes to `key`, accepted by the store until `expires_at`."""
    fields = signer_for(settings).post_fields(key, size, expires_at)
    return SignedForm(bucket_url(settings), fields, expires_at)


def download_url(settings: Settings, key: str, file_name: str, content_type: str, now: datetime) -> SignedUrl:
    expires = timedelta(seconds=settings.download_url_ttl_seconds)
    headers = {
        "response-content-disposition": content_disposition(file_name),
        "response-content-type": content_type,
    }
    return SignedUrl(signer_for(settings).get_url(key, expires, now, headers), now + expires)
