"""Bearer API keys. Every route under /v1 needs one; the key's tenant owns what it creates."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import g, request

from api.errors import ApiError
from api.services import services
from store.keys import authenticate


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    key_id: str


def require_caller(creates_work: bool = False) -> Caller:
    """The authenticated caller of this request, or a 401 ApiError; with `creates_work`, also a 429
    when the key is over its per-minute rate limit."""
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
    if creates_work:
        retry_in = services().rate_limiter.hit(caller.key_id)
        if retry_in is not None:
            raise ApiError(
                429,
                f"rate limit of {services().settings.rate_limit_per_minute} uploads per minute exceeded; "
                f"retry in {math.ceil(retry_in)} s",
                {"Retry-After": str(max(1, math.ceil(retry_in)))},
            )
    return caller
