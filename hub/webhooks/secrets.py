"""Per-grant signing secrets, derived rather than stored, and the signature partners check.

Partners verify `X-Pantau-Signature: sha256=<hex>` as HMAC-SHA256 with their secret (the string shown once,
as UTF-8 bytes) over `<X-Pantau-Timestamp>.<raw body>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as _secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_nonce() -> str:
    return _secrets.token_urlsafe(24)


def derive_secret(key: bytes, grant_id: str, nonce: str) -> str:
    digest = hmac.new(key, f"pantau-webhook-secret|{grant_id}|{nonce}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def key_fingerprint(key: bytes) -> str:
    """Names the key without revealing it, so a secret derived under another key is noticed."""
    return hmac.new(key, b"pantau-webhook-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def signature(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"sha256={mac.hexdigest()}"
