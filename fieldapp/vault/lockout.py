"""Failed-unlock backoff and the idle lock (DESIGN.md section 3, docs/SECURITY.md)."""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from fieldapp.atomic import atomic_write
from fieldapp.errors import InvalidInput, StorageFull, UnlockBackoff

Clock = Callable[[], float]

# Backoff (docs/SECURITY.md): delay before the next try after the 1st..4th recent failure, and
# at most MAX_FAILURES failures in any FAILURE_WINDOW_S.
FAILURE_DELAYS_S = (1, 2, 4, 8)
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
MAX_REMEMBERED = 1000  # failures kept until the next success, for the audit log


# --- failed-unlock backoff --------------------------------------------------------------------


class UnlockThrottle:
    """Failed-unlock times in unlock_state.json, and the wait they impose on the next try.

    After the n-th failure within the window (n = 1..4) the next try waits FAILURE_DELAYS_S[n-1]
    seconds after that failure. With 5 failures within the window, unlocking is refused until
    the first of those 5 is FAILURE_WINDOW_S old: at most 5 failures in any 15 minutes.
    """

    def __init__(self, path: Path, clock: Clock) -> None:
        self._path = path
        self._clock = clock

    def wait_seconds(self) -> int:
        """Whole seconds to wait before the next attempt is allowed (0: allowed now)."""
        now = self._clock()
        failures = [t for t in self._failures(now) if now - t < FAILURE_WINDOW_S]
        if len(failures) >= MAX_FAILURES:
            until = failures[-MAX_FAILURES] + FAILURE_WINDOW_S
        elif failures:
            until = failures[-1] + FAILURE_DELAYS_S[len(failures) - 1]
        else:
            return 0
        return max(0, math.ceil(until - now))

    def check(self) -> None:
        """UnlockBackoff if an attempt is not allowed yet."""
        wait = self.wait_seconds()
        if wait > 0:
            raise UnlockBackoff(wait)

    def record_attempt(self) -> tuple[float, ...]:
        """Count an attempt as failed *before* checking it, so killing the app mid-check does
        not escape the count (`clear()` undoes it on success). Returns the failures recorded
        before this attempt, all of them since the last success (for the audit log)."""
        now = self._clock()
        before = self._failures(now)
        with contextlib.suppress(StorageFull):  # a full disk must not lock the officer out
            self._save([*before[-(MAX_REMEMBERED - 1) :], now])
        return tuple(before)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    def _failures(self, now: float) -> list[float]:
        failures = self._load()
        if any(t > now for t in failures):
            # The clock went back: count those failures from now, or they would never expire.
            failures = [min(t, now) for t in failures]
            with contextlib.suppress(StorageFull):
                self._save(failures)
        return sorted(failures)

    def _load(self) -> list[float]:
        # A missing or unreadable state file counts as no failures: it holds no secret, and
        # whoever can delete it can also copy the header and attack it offline (Argon2-bound).
        # A folder in its place is another matter: no failure could ever be recorded.
        if self._path.is_dir():
            raise InvalidInput("vault.unlock_state_not_a_file", path=str(self._path))
        try:
            data = json.loads(self._path.read_bytes())
            failures = data["failures"]
            return [float(t) for t in failures if isinstance(t, int | float) and math.isfinite(t)]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def _save(self, failures: list[float]) -> None:
        content = {"version": 1, "failures": failures}
        atomic_write(self._path, json.dumps(content).encode("ascii"))


# --- idle lock --------------------------------------------------------------------------------


class IdleLock:
    """When the UI should lock the vault: `timeout_s` after the last `touch()` (15 min default,
    at most 30)."""

    DEFAULT_TIMEOUT_S = 15 * 60
    MAX_TIMEOUT_S = 30 * 60

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S, clock: Clock = time.monotonic) -> None:
        if not 0 < timeout_s <= self.MAX_TIMEOUT_S:
            raise InvalidInput("vault.idle_timeout_invalid", minutes=self.MAX_TIMEOUT_S // 60)
        self.timeout_s = timeout_s
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        """The officer did something: restart the countdown."""
        self._last = self._clock()

    def remaining(self) -> float:
        return max(0.0, self._last + self.timeout_s - self._clock())

    def expired(self) -> bool:
        return self._clock() - self._last >= self.timeout_s
