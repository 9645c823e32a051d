"""Retries: exponential backoff with full jitter on network trouble, never on a refusal.

The clock, the sleep and the random source are replaced at the edge; the retry loop is real.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from functools import partial

import pytest

from sync.client.engine import BackgroundSync, RetryPolicy, call_with_retries
from sync.client.report import SyncReport
from sync.client.transport import (
    AuthRejected,
    DeviceRevokedError,
    RetryLater,
    ServerNotTrusted,
    ServerUnreachable,
    SyncError,
    SyncRejected,
    error_for,
)


class FlakyServer:
    """Fails with the given errors, in order, then answers."""

    def __init__(self, *errors: SyncError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def run(
    server: Callable[[], str], policy: RetryPolicy, rng: Callable[[], float]
) -> tuple[str | None, list[float]]:
    slept: list[float] = []
    try:
        result: str | None = call_with_retries(server, policy, sleep=slept.append, rng=rng)
    except SyncError:
        result = None
    return result, slept


def test_the_delays_double_from_one_second_up_to_the_cap() -> None:
    server = FlakyServer(*[ServerUnreachable() for _ in range(11)])
    result, slept = run(server, RetryPolicy(max_attempts=12), rng=lambda: 1.0)
    assert result == "ok"
    assert slept == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_full_jitter_draws_each_delay_between_zero_and_its_ceiling() -> None:
    server = FlakyServer(*[ServerUnreachable() for _ in range(5)])
    _, low = run(server, RetryPolicy(max_attempts=6), rng=lambda: 0.0)
    assert low == [0, 0, 0, 0, 0]
    server = FlakyServer(*[ServerUnreachable() for _ in range(5)])
    _, mid = run(server, RetryPolicy(max_attempts=6), rng=lambda: 0.25)
    assert mid == [0.25, 0.5, 1, 2, 4]


def test_it_gives_up_after_the_configured_number_of_attempts() -> None:
    server = FlakyServer(*[ServerUnreachable() for _ in range(10)])
    result, slept = run(server, RetryPolicy(max_attempts=3), rng=lambda: 0.5)
    assert result is None
    assert server.calls == 3
    assert len(slept) == 2


def test_busy_and_failing_servers_are_retried_honouring_retry_after() -> None:
    server = FlakyServer(RetryLater(30, status=429), RetryLater(None, status=500))
    result, slept = run(server, RetryPolicy(), rng=lambda: 0.5)
    assert result == "ok"
    assert slept == [45, 1.0]  # Retry-After 30 s, spread over [30, 60]; then the backoff


def test_devices_turned_away_together_do_not_come_back_together() -> None:
    waits = []
    for draw in (0.0, 0.3, 0.7, 0.99):
        server = FlakyServer(RetryLater(5, status=429))
        _, slept = run(server, RetryPolicy(), rng=partial(float, draw))  # every draw is `draw`
        waits.extend(slept)
    assert waits == [5.0, 6.5, 8.5, 9.95]


def test_a_busy_server_gets_more_retries_than_an_unreachable_one() -> None:
    policy = RetryPolicy(max_attempts=6)
    busy = FlakyServer(*[RetryLater(5, status=429) for _ in range(20)])
    assert run(busy, policy, rng=lambda: 0.5)[0] == "ok"
    assert busy.calls == 21 == policy.busy_attempts
    busier = FlakyServer(*[RetryLater(5, status=429) for _ in range(21)])
    assert run(busier, policy, rng=lambda: 0.5)[0] is None
    once = FlakyServer(RetryLater(5, status=429))
    assert run(once, RetryPolicy(max_attempts=1), rng=lambda: 0.5)[0] is None  # --retries 0


def test_retry_after_never_exceeds_the_cap() -> None:
    server = FlakyServer(RetryLater(3600, status=503))
    _, slept = run(server, RetryPolicy(cap=300), rng=lambda: 0.0)
    assert slept == [300]


@pytest.mark.parametrize(
    "refusal",
    [
        SyncRejected("bad_request", status=400),
        SyncRejected("forbidden", status=403),
        SyncRejected("too_large", status=413),
        AuthRejected(),
        DeviceRevokedError(),
        ServerNotTrusted(),
    ],
    ids=lambda e: type(e).__name__ + getattr(e, "reason", ""),
)
def test_a_refusal_is_never_retried(refusal: SyncError) -> None:
    server = FlakyServer(refusal)
    result, slept = run(server, RetryPolicy(), rng=lambda: 0.5)
    assert result is None
    assert server.calls == 1
    assert slept == []


class Headers(dict[str, str]):
    pass


@pytest.mark.parametrize(
    ("status", "error", "retried"),
    [
        (429, "retry_later", True),
        (503, "retry_later", True),
        (500, None, True),
        (502, None, True),
        (400, "bad_request", False),
        (401, "auth_failed", False),
        (403, "forbidden", False),
        (403, "device_revoked", False),
        (404, "not_found", False),
        (409, "conflict", False),
        (413, "too_large", False),
        (426, "protocol_version", False),
    ],
)
def test_http_answers_are_retried_only_when_busy_or_failing(
    status: int, error: str | None, retried: bool
) -> None:
    body = b"<html>" if error is None else json.dumps({"error": error, "message": "x"}).encode()
    answer = error_for(status, body, Headers({"Retry-After": "7"}))
    server = FlakyServer(answer)
    result, slept = run(server, RetryPolicy(), rng=lambda: 0.0)
    assert (result == "ok") is retried
    assert slept == ([7] if retried else [])


# --- the background helper -----------------------------------------------------------------


def test_background_sync_backs_off_while_unreachable_and_syncs_once_it_answers() -> None:
    answers = [False, False, True]
    synced = threading.Event()
    draws: list[int] = []

    def rng() -> float:  # one draw per backoff wait
        draws.append(1)
        return 1.0

    def probe() -> bool:
        return answers.pop(0) if answers else True

    def run_sync() -> SyncReport:
        synced.set()
        return SyncReport(pushed=1)

    reports: list[SyncReport] = []
    helper = BackgroundSync(
        run_sync,
        probe,
        interval=3600,
        policy=RetryPolicy(base=0.01, cap=0.02),
        rng=rng,
        on_report=reports.append,
    )
    helper.start()
    try:
        assert synced.wait(5)
    finally:
        helper.stop()
    assert len(draws) == 2  # one backoff per failed probe, none after the sync
    assert reports == [SyncReport(pushed=1)]


def test_background_sync_stops_for_good_when_the_device_is_revoked() -> None:
    errors: list[BaseException] = []
    calls: list[int] = []

    def run_sync() -> SyncReport:
        calls.append(1)
        raise DeviceRevokedError()

    helper = BackgroundSync(run_sync, lambda: True, interval=0.01, on_error=errors.append)
    helper.start()
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    helper.stop()
    assert calls == [1]
    assert isinstance(errors[0], DeviceRevokedError)
