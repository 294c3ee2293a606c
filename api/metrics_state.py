"""Per-process HTTP request counters for /metrics (held on the app, not in a module global)."""

from __future__ import annotations

import threading
from collections import defaultdict


class RequestMetrics:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        with self.lock:
            self.requests[(method, endpoint, status)] += 1
            self.seconds[(method, endpoint)] += seconds

    def snapshot(self) -> tuple[dict[tuple[str, str, int], int], dict[tuple[str, str], float]]:
        with self.lock:
            return dict(self.requests), dict(self.seconds)
