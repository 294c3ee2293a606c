"""Per-key rate limit on requests that create work (uploads), fixed one-minute windows.

Polling (GET) is not limited: it is cheap, and clients must be able to collect what they paid
for. With a Redis broker the counters live in Redis (shared by every API process); with the
embedded broker they live in this process (`serve` runs one API process by default).

When Redis cannot be reached the limiter lets requests through (fails open): an outage of the
limiter must not refuse paying clients' uploads, which are stored and swept into the queue once
Redis is back. It says so in the log, at most once a minute per process, so an operator sees
that requests are going unlimited.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    def hit(self, key_id: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the window resets."""


class MemoryRateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.lock = threading.Lock()
        self.windows: dict[str, tuple[int, int]] = {}

    def hit(self, key_id: str) -> float | None:
        now = time.time()
        window = int(now // 60)
        with self.lock:
            current, count = self.windows.get(key_id, (window, 0))
            if current != window:
                count = 0
                if len(self.windows) > 10_000:  # forget old windows
                    self.windows = {k: v for k, v in self.windows.items() if v[0] == window}
            count += 1
            self.windows[key_id] = (window, count)
        return None if count <= self.per_minute else (window + 1) * 60 - now


class RedisRateLimiter:
    def __init__(self, url: str, per_minute: int, prefix: str = "") -> None:
        import redis

        self.per_minute = per_minute
        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.warned_at = 0.0  # when the last "failing open" warning was logged (monotonic)

    def hit(self, key_id: str) -> float | None:
        now = time.time()
        window = int(now // 60)
        name = f"{self.prefix}invoice-ocr:rate:{key_id}:{window}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, 120)
            count = int(pipe.execute()[0])
        except Exception as exc:  # fail open (module docstring)
            if time.monotonic() - self.warned_at >= 60:
                self.warned_at = time.monotonic()
                log.warning("rate limiter: Redis unreachable (%s); requests are not limited until it is back",
                            type(exc).__name__)
            return None
        return None if count <= self.per_minute else (window + 1) * 60 - now


class NoLimit:
    def hit(self, key_id: str) -> float | None:
        return None


def make_rate_limiter(broker_url: str, per_minute: int, prefix: str = "") -> RateLimiter:
    if per_minute <= 0:
        return NoLimit()
    if broker_url.startswith(("redis://", "rediss://")):
        return RedisRateLimiter(broker_url, per_minute, prefix)
    return MemoryRateLimiter(per_minute)
