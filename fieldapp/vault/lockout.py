"""Failed-unlock backoff and the idle lock (DESIGN.md section 3, docs/SECURITY.md)."""

from __future__ import annotations

import contextlib
import json
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
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
STATE_VERSION = 2  # 2: attempts in flight (version 1 files are read as they are)


# --- failed-unlock backoff --------------------------------------------------------------------

# An attempt whose outcome is not known yet counts as a failure while it may still be running
# (so parallel guesses wait their turn), but no longer than this: by then the process that made
# it has finished (the KDF takes about half a second) or died without telling anyone anything.
IN_FLIGHT_S = 15
MAX_IN_FLIGHT = 100  # attempts in flight kept in the file (each one is younger than IN_FLIGHT_S)


@dataclass(frozen=True)
class UnlockAttempt:
    """A password check under way: noted in the state file before the KDF runs.

    `failed_before`: the failures recorded before it, all of them since the last success (for
    the audit log of the unlock that succeeds)."""

    attempt_id: str
    started_at: float
    failed_before: tuple[float, ...]


@dataclass(frozen=True)
class _State:
    failures: list[float]  # oldest first
    in_flight: list[tuple[str, float]]  # (attempt id, started at)


class UnlockThrottle:
    """Unlock attempts in unlock_state.json, and the wait they impose on the next try.

    After the n-th failure within the window (n = 1..4) the next try waits FAILURE_DELAYS_S[n-1]
    seconds after that failure. With 5 failures within the window, unlocking is refused until
    the first of those 5 is FAILURE_WINDOW_S old: at most 5 failures in any 15 minutes.

    An attempt is noted *in flight* before its password is checked (`begin`) and settled after:
    `fail` turns it into a failure, `clear` (success) forgets everything. The outcome reaches
    the caller only once it is written, so a process killed before that learnt nothing: its
    attempt stays in flight, counts as a failure for IN_FLIGHT_S (as a concurrent one would)
    and is then forgotten. A right password therefore never becomes a failure, even when the
    process dies mid-check, and killing the process buys no free guess (docs/SECURITY.md,
    docs/adr/0012-threads-and-connections.md).
    """

    def __init__(self, path: Path, clock: Clock) -> None:
        self._path = path
        self._clock = clock

    def wait_seconds(self) -> int:
        """Whole seconds to wait before the next attempt is allowed (0: allowed now)."""
        now = self._clock()
        state = self._state(now)
        failures = [t for t in state.failures if now - t < FAILURE_WINDOW_S]
        in_flight = [t for _, t in state.in_flight]
        until = _allowed_from(sorted(failures + in_flight))
        if in_flight:
            # Once every attempt in flight is IN_FLIGHT_S old, only the failures count.
            until = min(until, max(_allowed_from(failures), max(in_flight) + IN_FLIGHT_S))
        return max(0, math.ceil(until - now)) if until > now else 0

    def check(self) -> None:
        """UnlockBackoff if an attempt is not allowed yet."""
        wait = self.wait_seconds()
        if wait > 0:
            raise UnlockBackoff(wait)

    def begin(self) -> UnlockAttempt:
        """Note an attempt as in flight *before* its password is checked (see the class)."""
        now = self._clock()
        state = self._state(now)
        attempt = UnlockAttempt(secrets.token_hex(8), now, tuple(state.failures))
        in_flight = [*state.in_flight[-(MAX_IN_FLIGHT - 1) :], (attempt.attempt_id, now)]
        self._save_quietly(_State(state.failures, in_flight))
        return attempt

    def fail(self, attempt: UnlockAttempt) -> None:
        """The password of `attempt` was wrong: it becomes a failure, at the time it began.

        Call it before telling anyone the password was wrong."""
        state = self._state(self._clock())
        failures = sorted([*state.failures[-(MAX_REMEMBERED - 1) :], attempt.started_at])
        in_flight = [a for a in state.in_flight if a[0] != attempt.attempt_id]
        self._save_quietly(_State(failures, in_flight))

    def clear(self) -> None:
        """A password was right: forget every failure and attempt in flight."""
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    def _state(self, now: float) -> _State:
        """The recorded state, attempts no longer in flight dropped; a clock that went back
        counts the times after `now` from now (or they would never expire)."""
        failures, in_flight = self._load()
        changed = any(t > now for t in failures) or any(t > now for _, t in in_flight)
        failures = sorted(min(t, now) for t in failures)
        live = [(a, min(t, now)) for a, t in in_flight if now - min(t, now) < IN_FLIGHT_S]
        state = _State(failures, live)
        if changed:
            self._save_quietly(state)
        return state

    def _load(self) -> tuple[list[float], list[tuple[str, float]]]:
        # A missing or unreadable state file counts as no failures: it holds no secret, and
        # whoever can delete it can also copy the header and attack it offline (Argon2-bound).
        # A folder in its place is another matter: no failure could ever be recorded.
        if self._path.is_dir():
            raise InvalidInput("vault.unlock_state_not_a_file", path=str(self._path))
        try:
            data = json.loads(self._path.read_bytes())
            failures = [float(t) for t in data["failures"] if _is_time(t)]
        except (OSError, ValueError, KeyError, TypeError):
            return [], []
        listed = data.get("in_flight", []) if isinstance(data, dict) else []
        in_flight = [
            (item["id"][:32], float(item["at"]))
            for item in (listed if isinstance(listed, list) else [])
            if isinstance(item, dict) and isinstance(item.get("id"), str)
            if _is_time(item.get("at"))
        ]
        return failures, in_flight

    def _save_quietly(self, state: _State) -> None:
        content = {
            "version": STATE_VERSION,
            "failures": state.failures,
            "in_flight": [{"id": a, "at": t} for a, t in state.in_flight],
        }
        with contextlib.suppress(StorageFull):  # a full disk must not lock the officer out
            atomic_write(self._path, json.dumps(content).encode("ascii"))


def _allowed_from(failures: list[float]) -> float:
    """The time from which the rule above allows the next try, given failures oldest first."""
    if len(failures) >= MAX_FAILURES:
        return failures[-MAX_FAILURES] + FAILURE_WINDOW_S
    if failures:
        return failures[-1] + FAILURE_DELAYS_S[len(failures) - 1]
    return -math.inf


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


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
