"""The task runner keeps the GUI thread free: work runs elsewhere, results come back by signal."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from fieldapp.errors import InvalidInput
from ui.tasks import TaskRunner


def after(event: threading.Event, value: str) -> str:
    """Work that takes as long as the test wants: `value` once `event` is set."""
    event.wait(30)
    return value


@pytest.fixture
def unhandled() -> list[BaseException]:
    return []


@pytest.fixture
def tasks(unhandled: list[BaseException]) -> Iterator[TaskRunner]:
    runner = TaskRunner(on_unhandled=unhandled.append)
    yield runner
    runner.shutdown()


def test_the_event_loop_keeps_running_while_vault_work_waits(
    qtbot: QtBot, tasks: TaskRunner
) -> None:
    release = threading.Event()
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    results: list[str] = []
    tasks.vault(partial(after, release, "saved"), results.append)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=10_000)  # the loop ran while fn waited
    assert results == []
    release.set()
    qtbot.waitUntil(lambda: results == ["saved"], timeout=10_000)
    timer.stop()


def test_results_arrive_on_the_gui_thread(qtbot: QtBot, tasks: TaskRunner) -> None:
    seen: list[tuple[str, str]] = []
    gui = threading.current_thread().name

    def work() -> str:
        return threading.current_thread().name

    tasks.vault(work, lambda worker: seen.append((worker, threading.current_thread().name)))
    tasks.network(work, lambda worker: seen.append((worker, threading.current_thread().name)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert sorted(w.split("_")[0] for w, _ in seen) == ["network", "vault"]
    assert {g for _, g in seen} == {gui}


def test_vault_work_runs_one_at_a_time_in_the_order_asked(qtbot: QtBot, tasks: TaskRunner) -> None:
    running = 0
    most = 0
    order: list[int] = []
    guard = threading.Lock()

    def step(n: int) -> int:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.002)
        with guard:
            running -= 1
        return n

    for n in range(20):
        tasks.vault(partial(step, n), order.append)
    qtbot.waitUntil(lambda: len(order) == 20, timeout=10_000)
    assert order == list(range(20))
    assert most == 1


def test_network_work_is_not_held_up_by_slow_vault_work(qtbot: QtBot, tasks: TaskRunner) -> None:
    release = threading.Event()
    done: list[str] = []
    tasks.vault(partial(after, release, "vault"), done.append)
    tasks.network(lambda: "network", done.append)
    qtbot.waitUntil(lambda: done == ["network"], timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: done == ["network", "vault"], timeout=10_000)


def test_an_error_goes_to_its_handler_or_else_to_the_app(
    qtbot: QtBot, tasks: TaskRunner, unhandled: list[BaseException]
) -> None:
    def fail() -> None:
        raise InvalidInput("store.query_too_long", limit=10)

    handled: list[BaseException] = []
    tasks.vault(fail, on_error=handled.append)
    tasks.vault(fail)
    qtbot.waitUntil(lambda: len(handled) == 1 and len(unhandled) == 1, timeout=10_000)
    assert isinstance(handled[0], InvalidInput)
    assert isinstance(unhandled[0], InvalidInput)


def test_a_result_for_a_closed_screen_is_dropped(qtbot: QtBot, tasks: TaskRunner) -> None:
    release = threading.Event()
    screen = QObject()
    got: list[str] = []
    tasks.vault(partial(after, release, "late"), got.append, context=screen)
    screen.deleteLater()
    qtbot.waitUntil(lambda: tasks.pending == 1, timeout=1_000)
    qtbot.wait(10)  # deleteLater runs at the next event loop turn
    release.set()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    assert got == []


def test_a_result_is_never_delivered_inside_the_call_that_asked_for_it(
    qtbot: QtBot, tasks: TaskRunner
) -> None:
    # A task over before its callback is attached (here: one already done when asked) must
    # still be delivered later, from the event loop, never from inside `tasks.vault(...)`.
    got: list[str] = []
    for _ in range(50):
        tasks.vault(lambda: "quick", got.append)
        assert got == [], "delivered inside the call"
        qtbot.waitUntil(lambda: got == ["quick"], timeout=10_000)
        got.clear()
