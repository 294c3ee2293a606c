"""Which callback URLs the service may POST to.

A webhook is a request the server makes on a tenant's behalf, so an unchecked URL lets any tenant
probe the internal network (SSRF). Private, loopback, link-local and other non-global addresses are
refused unless INVOICE_OCR_ALLOW_PRIVATE_CALLBACKS=1 (tests, on-premise ERPs on the same LAN).
The API checks at upload; the worker checks again before each delivery (DNS may change).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse


class CallbackRefused(ValueError):
    """The URL is malformed or points somewhere the service must not call."""


def check_callback_url(url: str, allow_private: bool) -> str:
    """Return the URL when acceptable, else raise CallbackRefused with the reason."""
    if len(url) > 2000:
        raise CallbackRefused("callback_url is longer than 2000 characters")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise CallbackRefused("callback_url must be an absolute http:// or https:// URL")
    if parsed.username or parsed.password:
        raise CallbackRefused("callback_url must not carry credentials")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        raise CallbackRefused("callback_url has an invalid port") from None
    if allow_private:
        return url
    try:
        infos = socket.getaddrinfo(parsed.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise CallbackRefused(f"callback_url host {parsed.hostname!r} does not resolve") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise CallbackRefused(
                f"callback_url resolves to a private or reserved address ({address}); refused"
            )
    return url
