"""Failed-unlock backoff and the idle lock (DESIGN.md section 3, docs/SECURITY.md)."""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from filelock import FileLock, Timeout

from fieldapp.atomic import atomic_write
from fieldapp.errors import InvalidInput, StorageFull, UnlockBackoff

Clock = Callable[[], float]
Sleep = Callable[[float], None]
T = TypeVar("T")

# Backoff (docs/SECURITY.md): delay before the next try after the 1st..4th recent failure, and
# at most MAX_FAILURES failures in any FAILURE_WINDOW_S.
FAILURE_DELAYS_S = (1, 2, 4, 8)
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
MAX_REMEMBERED = 1000  # failures kept until the next success, for the audit log
# 3: attempts in flight name their slot and process; 2: attempts without a slot (read as ended);
# 1: failures only (read as they are).
STATE_VERSION = 3


# --- failed-unlock backoff --------------------------------------------------------------------

# While its key derivation runs, an attempt holds one of MAX_FAILURES slots: an exclusive lock on
# a slot file that the operating system lets go of when the process ends, however it ends. An
# attempt starts only while recent failures + busy slots < MAX_FAILURES, so the guesses of any
# number of parallel processes never exceed the failure rule, and a right password waits for a
# slot instead of being refused (docs/adr/0018-parallel-unlocks.md).
SLOT_WAIT_S = 60.0  # a waiting attempt gives up when no other attempt began or ended for this long
# One waiter at a time looks for a free slot, every POLL_S (jittered); the others wait for their
# turn on the waiting-room lock, looking at the state file every ROOM_POLL_S, so that a hundred
# waiting processes cost the ones deriving keys almost no CPU.
POLL_S = 0.05
ROOM_POLL_S = 0.25
STATE_LOCK_WAIT_S = 30.0  # the state lock is held for a read and a write, never across a KDF
LOCK_SUFFIX = ".lock"


def lock_files(state_file: Path) -> list[Path]:
    """The lock files kept beside `state_file`: the state lock, the waiting room, then one per
    slot (0600, empty; they stay in place so that every process locks the same file)."""
    name = state_file.name
    slots = [state_file.with_name(f"{name}.slot{n}{LOCK_SUFFIX}") for n in range(MAX_FAILURES)]
    room = state_file.with_name(f"{name}.waiting{LOCK_SUFFIX}")
    return [state_file.with_name(name + LOCK_SUFFIX), room, *slots]


def folder_writable(folder: Path) -> bool:
    """Whether files can be created in `folder`: False on read-only media (a backup copy, a
    forensic image) or a folder whose permissions refuse it."""
    return os.access(folder, os.W_OK | os.X_OK)


@dataclass(frozen=True)
class InFlight:
    """An attempt whose password is being checked: the slot it holds and the process holding it
    (for people reading the state file; whether it still runs is told by the slot's lock)."""

    attempt_id: str
    started_at: float
    slot: int
    pid: int


@dataclass(frozen=True)
class _State:
    failures: list[float]  # oldest first
    in_flight: list[InFlight]

    @property
    def empty(self) -> bool:
        return not self.failures and not self.in_flight


class _Slot(Protocol):
    number: int

    def release(self) -> None: ...


class _Ledger(Protocol):
    """Where the attempts are counted: the folder's files, or this process's memory."""

    shared: bool

    def held(self) -> contextlib.AbstractContextManager[None]: ...

    def read(self) -> _State: ...

    def write(self, state: _State) -> None: ...

    def slots(self, state: _State) -> tuple[set[int], _Slot | None]: ...

    def waiting_room(self, progress: _Progress) -> contextlib.AbstractContextManager[None]: ...


class _Progress:
    """Whether other attempts still begin or end while one waits for a slot: UnlockBackoff once
    nothing has moved for `limit_s` (stopped processes holding every slot)."""

    def __init__(self, limit_s: float) -> None:
        self._limit_s = limit_s
        self._seen: object = None
        self._since = time.monotonic()

    def saw(self, state: _State) -> None:
        signature = (tuple(state.failures), tuple(e.attempt_id for e in state.in_flight))
        if signature != self._seen:
            self._seen, self._since = signature, time.monotonic()
        elif time.monotonic() - self._since >= self._limit_s:
            raise UnlockBackoff(1)


class UnlockAttempt:
    """A password check under way, holding a slot (`UnlockThrottle.attempt`).

    Settle it with `failed()` before telling anyone the password was wrong, or `succeeded()`.
    Left unsettled (an error, Ctrl-C, a killed process) it frees its slot and counts nothing:
    its outcome was never shown to anyone."""

    def __init__(self, ledger: _Ledger, entry: InFlight, slot: _Slot, clock: Clock) -> None:
        self._ledger = ledger
        self._entry = entry
        self._slot = slot
        self._clock = clock
        self._settled = False

    @property
    def attempt_id(self) -> str:
        return self._entry.attempt_id

    @property
    def started_at(self) -> float:
        return self._entry.started_at

    @property
    def shared(self) -> bool:
        """Whether the attempt is counted for every process (in the vault folder) or only in this
        one (the folder cannot be written: read-only media)."""
        return self._ledger.shared

    def failed(self) -> None:
        """The password was wrong: a failure, at the time the attempt began."""
        self._settle(
            lambda state, now: replace(
                state,
                failures=sorted(
                    [*state.failures[-(MAX_REMEMBERED - 1) :], min(self.started_at, now)]
                ),
            )
        )

    def succeeded(self) -> tuple[float, ...]:
        """The password was right: the failures recorded so far are forgotten and returned,
        oldest first, for the audit log."""
        cleared: list[float] = []

        def forget(state: _State, now: float) -> _State:
            cleared.extend(state.failures)
            return replace(state, failures=[])

        self._settle(forget)
        return tuple(cleared)

    def abandon(self) -> None:
        """No outcome (the check did not finish): free the slot, count nothing."""
        if not self._settled:
            self._settle(lambda state, now: state)

    def _settle(self, outcome: Callable[[_State, float], _State]) -> None:
        self._settled = True
        try:
            with self._ledger.held():
                state = self._ledger.read()
                others = [e for e in state.in_flight if e.attempt_id != self.attempt_id]
                self._ledger.write(outcome(replace(state, in_flight=others), self._clock()))
                # Freed only once the outcome is written, under the state lock: no process can
                # see the attempt neither in flight nor settled.
                self._slot.release()
        finally:
            self._slot.release()


class UnlockThrottle:
    """Unlock attempts in unlock_state.json, and the wait they impose on the next try.

    After the n-th failure within the window (n = 1..4) the next try waits FAILURE_DELAYS_S[n-1]
    seconds after that failure. With 5 failures within the window, unlocking is refused until
    the first of those 5 is FAILURE_WINDOW_S old: at most 5 failures in any 15 minutes.

    Only a wrong password counts. Every read-modify-write of the state file happens under an
    exclusive lock on a file beside it, so the count is exact with any number of processes.
    A password check holds one of MAX_FAILURES slots while its key derivation runs and starts
    only while recent failures + checks in flight < MAX_FAILURES; otherwise it waits for a slot
    (at most SLOT_WAIT_S without any other attempt beginning or ending, then UnlockBackoff).
    So parallel guessers together never get more than 5 guesses per 15 minutes, and parallel
    commands with the right password all succeed, at most 5 deriving at once. A slot is a lock
    the operating system releases when its process dies: an attempt cut short (killed, power
    cut) never becomes a failure and holds nothing afterwards; its outcome was never shown, so
    it is no free guess (docs/SECURITY.md, docs/adr/0018-parallel-unlocks.md).

    A folder that cannot be written (read-only media) keeps the same rule in this process's
    memory, starting from the failures its state file already holds.
    """

    def __init__(
        self,
        path: Path,
        clock: Clock,
        *,
        sleep: Sleep = time.sleep,
        slot_wait_s: float = SLOT_WAIT_S,
    ) -> None:
        self._path = path
        self._clock = clock
        self._sleep = sleep
        self._slot_wait_s = slot_wait_s

    def wait_seconds(self) -> int:
        """Whole seconds the recorded failures impose before the next attempt (0: none)."""

        def look(ledger: _Ledger) -> int:
            with ledger.held():
                now = self._clock()
                return _wait_for(_clamped(ledger.read().failures, now), now)

        return self._with_ledger(look)

    @contextlib.contextmanager
    def attempt(self) -> Iterator[UnlockAttempt]:
        """A slot for one password check, noted in the state file before the check runs.

        UnlockBackoff when recent failures impose a wait, or when no slot came free."""
        attempt = self._with_ledger(self._take_slot)
        try:
            yield attempt
        finally:
            attempt.abandon()

    def clear(self) -> None:
        """Forget every failure (the vault was recovered with the station's key)."""

        def forget(ledger: _Ledger) -> None:
            with ledger.held():
                ledger.write(replace(ledger.read(), failures=[]))

        self._with_ledger(forget)

    def _with_ledger(self, work: Callable[[_Ledger], T]) -> T:
        if folder_writable(self._path.parent):
            try:
                return work(_SharedLedger(self._path))
            except OSError:
                pass  # the lock files cannot be made after all (media os.access cannot judge)
        return work(_process_ledger(self._path))

    def _take_slot(self, ledger: _Ledger) -> UnlockAttempt:
        progress = _Progress(self._slot_wait_s)
        attempt = self._try_slot(ledger, progress)
        if attempt is not None:
            return attempt
        # Every slot is taken by a check in flight: wait for one to end, as long as attempts
        # still begin or end (a stopped process would hold its slot for ever).
        with ledger.waiting_room(progress):
            while attempt is None:
                self._sleep(POLL_S * (0.5 + secrets.randbelow(1000) / 1000))
                attempt = self._try_slot(ledger, progress)
        return attempt

    def _try_slot(self, ledger: _Ledger, progress: _Progress) -> UnlockAttempt | None:
        """The attempt, holding a free slot; None when every slot the failures leave is taken.
        UnlockBackoff when the failures impose a wait."""
        with ledger.held():
            now = self._clock()
            state = ledger.read()
            busy, slot = ledger.slots(state)
            try:
                current = _State(
                    _clamped(state.failures, now),
                    # An attempt whose slot is free has ended without settling: its process
                    # died. It is dropped, never counted as a failure.
                    [e for e in state.in_flight if e.slot in busy],
                )
                wait = _wait_for(current.failures, now)
                recent = len(_recent(current.failures, now))
                if wait > 0 or slot is None or recent + len(busy) >= MAX_FAILURES:
                    if current != state:
                        ledger.write(current)
                    if wait > 0:
                        raise UnlockBackoff(wait)
                    progress.saw(current)
                    return None
                entry = InFlight(secrets.token_hex(8), now, slot.number, os.getpid())
                ledger.write(replace(current, in_flight=[*current.in_flight, entry]))
                attempt, slot = UnlockAttempt(ledger, entry, slot, self._clock), None
                return attempt
            finally:
                if slot is not None:
                    slot.release()


class _FileSlot:
    def __init__(self, number: int, lock: FileLock) -> None:
        self.number = number
        self._lock: FileLock | None = lock

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            with contextlib.suppress(OSError):
                lock.release()


class _SharedLedger:
    """unlock_state.json, for every process: each read-modify-write under an exclusive lock on
    unlock_state.json.lock, and the slots as locks on their own files."""

    shared = True

    def __init__(self, path: Path) -> None:
        self._path = path
        self._state_lock, self._room, *self._slot_files = lock_files(path)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        lock = _file_lock(self._state_lock)
        try:
            lock.acquire(timeout=STATE_LOCK_WAIT_S)
        except Timeout as exc:
            raise UnlockBackoff(1) from exc
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                lock.release()

    def read(self) -> _State:
        return _load(self._path)

    @contextlib.contextmanager
    def waiting_room(self, progress: _Progress) -> Iterator[None]:
        room = _file_lock(self._room)
        while True:
            try:
                room.acquire(timeout=ROOM_POLL_S, poll_interval=ROOM_POLL_S / 3)
                break
            except Timeout:
                progress.saw(_load(self._path))  # written atomically: no lock needed to read
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                room.release()

    def write(self, state: _State) -> None:
        if state.empty:
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
            return
        content = {
            "version": STATE_VERSION,
            "failures": state.failures,
            "in_flight": [
                {"id": e.attempt_id, "at": e.started_at, "slot": e.slot, "pid": e.pid}
                for e in state.in_flight
            ],
        }
        with contextlib.suppress(StorageFull):  # a full disk must not lock the officer out
            atomic_write(self._path, json.dumps(content).encode("ascii"))

    def slots(self, state: _State) -> tuple[set[int], _Slot | None]:
        """The busy slots, and a free one taken (if any)."""
        busy: set[int] = set()
        taken: _FileSlot | None = None
        try:
            for number, path in enumerate(self._slot_files):
                lock = _file_lock(path)
                try:
                    lock.acquire(blocking=False)
                except Timeout:
                    busy.add(number)
                    continue
                if taken is None:
                    taken = _FileSlot(number, lock)
                else:
                    lock.release()
        except BaseException:
            if taken is not None:
                taken.release()
            raise
        return busy, taken


def _file_lock(path: Path) -> FileLock:
    # A fresh object each time: one FileLock object is re-entrant, and two attempts in the same
    # process must exclude each other like two processes do. No soft-lock fallback: a soft lock
    # outlives a killed process, a slot must not.
    return FileLock(
        path,
        mode=0o600,
        thread_local=False,
        fallback_to_soft=False,
        preserve_lock_file=True,
    )


class _MemorySlot:
    def __init__(self, number: int) -> None:
        self.number = number

    def release(self) -> None:
        """Nothing to do: the attempt's entry is the slot, and settling removed it."""


class _ProcessLedger:
    """The attempts of this process, for a folder that cannot be written."""

    shared = False

    def __init__(self, failures: list[float]) -> None:
        self._guard = threading.Lock()
        self._state = _State(failures, [])

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._guard:
            yield

    def read(self) -> _State:
        return self._state

    @contextlib.contextmanager
    def waiting_room(self, progress: _Progress) -> Iterator[None]:
        yield  # a few threads at most: each looks for a slot itself

    def write(self, state: _State) -> None:
        self._state = state

    def slots(self, state: _State) -> tuple[set[int], _Slot | None]:
        busy = {e.slot for e in state.in_flight}
        free = [n for n in range(MAX_FAILURES) if n not in busy]
        return busy, (_MemorySlot(free[0]) if free else None)


_process_ledgers: dict[str, _ProcessLedger] = {}
_process_ledgers_guard = threading.Lock()


def _process_ledger(path: Path) -> _ProcessLedger:
    """This process's ledger for the vault at `path` (shared by every `Vault` object of it)."""
    key = os.path.realpath(path)
    with _process_ledgers_guard:
        ledger = _process_ledgers.get(key)
        if ledger is None:
            ledger = _process_ledgers[key] = _ProcessLedger(_load(path).failures)
        return ledger


def _load(path: Path) -> _State:
    # A missing or unreadable state file counts as no failures: it holds no secret, and
    # whoever can delete it can also copy the header and attack it offline (Argon2-bound).
    # A folder in its place is another matter: no failure could ever be recorded.
    if path.is_dir():
        raise InvalidInput("vault.unlock_state_not_a_file", path=str(path))
    try:
        data = json.loads(path.read_bytes())
        failures = sorted(float(t) for t in data["failures"] if _is_time(t))
    except (OSError, ValueError, KeyError, TypeError):
        return _State([], [])
    listed = data.get("in_flight", []) if isinstance(data, dict) else []
    in_flight = [
        InFlight(item["id"][:32], float(item["at"]), item["slot"], item["pid"])
        for item in (listed if isinstance(listed, list) else [])[:MAX_FAILURES]
        if isinstance(item, dict) and isinstance(item.get("id"), str)
        if _is_time(item.get("at")) and _is_small_int(item.get("slot"), MAX_FAILURES)
        if _is_small_int(item.get("pid"), 2**32)
    ]
    return _State(failures, in_flight)


def _clamped(failures: list[float], now: float) -> list[float]:
    """A clock that went back counts the times after `now` from now (or they would never
    expire)."""
    return sorted(min(t, now) for t in failures)


def _recent(failures: list[float], now: float) -> list[float]:
    return [t for t in failures if now - t < FAILURE_WINDOW_S]


def _wait_for(failures: list[float], now: float) -> int:
    until = _allowed_from(_recent(failures, now))
    return max(0, math.ceil(until - now)) if until > now else 0


def _allowed_from(failures: list[float]) -> float:
    """The time from which the rule above allows the next try, given failures oldest first."""
    if len(failures) >= MAX_FAILURES:
        return failures[-MAX_FAILURES] + FAILURE_WINDOW_S
    if failures:
        return failures[-1] + FAILURE_DELAYS_S[len(failures) - 1]
    return -math.inf


def _is_small_int(value: object, bound: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < bound


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
