"""Per-user reply rate limit: N replies per window, one notice, then silence."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # first refusal in this window: tell the user once
    SILENT = "silent"  # further refusals: say nothing


class RateLimiter:
    """Fixed windows per user, started by the first message the user is answered for."""

    def __init__(
        self,
        max_events: int = 10,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        self.max_events = max_events
        self.period = period
        self.clock = clock
        self.max_users = max_users
        self._windows: dict[int, list[float]] = {}  # user -> [start, count, notified]

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        window = self._windows.get(user_id)
        if window is None or now - window[0] >= self.period:
            if len(self._windows) >= self.max_users:
                self._prune(now)
            self._windows[user_id] = [now, 1, 0]
            return Verdict.ALLOW
        if window[1] < self.max_events:
            window[1] += 1
            return Verdict.ALLOW
        if not window[2]:
            window[2] = 1
            return Verdict.NOTIFY
        return Verdict.SILENT

    def seconds_left(self, user_id: int) -> int:
        window = self._windows.get(user_id)
        if window is None:
            return 0
        return max(1, int(window[0] + self.period - self.clock() + 0.999))

    def _prune(self, now: float) -> None:
        expired = [u for u, w in self._windows.items() if now - w[0] >= self.period]
        for user in expired:
            del self._windows[user]
        if len(self._windows) >= self.max_users:  # still full: forget the oldest windows
            for user in sorted(self._windows, key=lambda u: self._windows[u][0])[
                : len(self._windows) // 2
            ]:
                del self._windows[user]
