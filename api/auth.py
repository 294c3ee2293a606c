"""Bearer API keys. Every route under /v1 needs one; the key's tenant owns what it creates."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from api.errors import ApiError
from api.services import services
from store.keys import authenticate


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    key_id: str


def require_caller() -> Caller:
    """The authenticated caller of this request, or a 401 ApiError."""
    cached = g.get("caller")
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "missing API key: send `Authorization: Bearer <key>`",
            {"WWW-Authenticate": 'Bearer realm="invoice-ocr"'},
        )
    with services().sessions() as s:
        row = authenticate(s, token.strip())
        if row is None:
            raise ApiError(
                401, "invalid or revoked API key", {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            )
        caller = Caller(tenant_id=row.tenant_id, key_id=row.id)
    g.caller = caller
    return caller
