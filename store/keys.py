"""API keys and webhook secrets.

API keys look like `iocr_<prefix>_<secret>`; the database keeps the prefix (to find the row) and
the SHA-256 of the whole key (keys are 256-bit random, so a fast hash is enough; a salted slow hash
protects guessable passwords, not random tokens). Comparison is constant-time.

Webhook secrets are derived, not stored: HMAC-SHA256(server key, "webhook:<tenant>:<version>").
The signer (worker) and the CLI that shows the secret to the tenant compute the same value, a
database leak alone reveals no secret, and bumping the tenant's version rotates it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ApiKey, Tenant, utcnow

KEY_PREFIX = "iocr"


@dataclass(frozen=True)
class IssuedKey:
    key: str
    key_id: str
    tenant_id: str
    tenant_name: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _split(key: str) -> str | None:
    parts = key.split("_")
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


def create_key(session: Session, tenant_name: str, key_name: str | None = None) -> IssuedKey:
    """Create a key for `tenant_name` (creating the tenant on first use); the only time the key is seen."""
    tenant = session.scalar(select(Tenant).where(Tenant.name == tenant_name))
    if tenant is None:
        tenant = Tenant(name=tenant_name)
        session.add(tenant)
        session.flush()
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32).replace('_', 'x')}"
    row = ApiKey(tenant_id=tenant.id, prefix=prefix, key_hash=hash_key(key), name=key_name)
    session.add(row)
    session.flush()
    return IssuedKey(key=key, key_id=row.id, tenant_id=tenant.id, tenant_name=tenant.name)


def authenticate(session: Session, key: str) -> ApiKey | None:
    """The live key row for `key`, or None (unknown, malformed or revoked)."""
    prefix = _split(key)
    if prefix is None:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    # Compare even when no row matched, so timing does not tell a known prefix from an unknown one.
    expected = row.key_hash if row is not None else "0" * 64
    if not hmac.compare_digest(expected, hash_key(key)) or row is None or row.revoked_at is not None:
        return None
    return row


def revoke_key(session: Session, key_or_prefix: str) -> bool:
    """Revoke by the full key or by its prefix (what `keys list` would show); True when one was revoked."""
    prefix = _split(key_or_prefix) or key_or_prefix
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def webhook_secret(server_key: str, tenant_id: str, version: int) -> str:
    return hmac.new(
        server_key.encode(), f"webhook:{tenant_id}:{version}".encode(), hashlib.sha256
    ).hexdigest()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Signature value: `sha256=` + hex HMAC-SHA256 of `timestamp + "." + body`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"
