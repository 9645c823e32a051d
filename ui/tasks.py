"""The task runner: vault work on one worker thread, network work on a pool, results by signal.

The GUI thread never waits on disk or network (docs/adr/0023-desktop-threads.md). A screen asks
for work with `tasks.vault(fn, on_done)` or `tasks.network(fn, on_done)`; `fn` runs on the
worker and never touches a widget; `on_done(result)` (or `on_error(exc)`) runs afterwards on
the GUI thread, delivered through a queued signal. Vault work runs one task at a time, in the
order asked for, so the vault's connection is never used by two threads at once and a save asked
for before a search is done before it.

A callback whose owner (`context`) was destroyed meanwhile is dropped, not called: a screen that
closed while its search was running never receives the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from shiboken6 import isValid

T = TypeVar("T")

ErrorHandler = Callable[[BaseException], None]

log = logging.getLogger(__name__)

NETWORK_THREADS = 4


class _Delivery:
    """One finished task on its way to the GUI thread."""

    __slots__ = ("context", "future", "on_done", "on_error")

    def __init__(
        self,
        future: Future[Any],
        on_done: Callable[[Any], None] | None,
        on_error: ErrorHandler | None,
        context: QObject | None,
    ) -> None:
        self.future = future
        self.on_done = on_done
        self.on_error = on_error
        self.context = context


class TaskRunner(QObject):
    """Runs the app's disk and network work off the GUI thread and hands results back to it.

    `on_unhandled` receives the errors of tasks that were given no `on_error` (the app shows
    them: a UserFacingError in the officer's language, anything else as a crash report)."""

    _finished = Signal(object)
    busy_changed = Signal(int)  # how many tasks are queued or running

    def __init__(self, on_unhandled: ErrorHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_unhandled = on_unhandled
        self._vault = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault")
        self._network = ThreadPoolExecutor(
            max_workers=NETWORK_THREADS, thread_name_prefix="network"
        )
        self._pending = 0
        self._closed = False
        # Emitted from a worker thread, received here on the GUI thread. Queued always: a task
        # that is over before its done-callback is attached emits on the GUI thread itself, and
        # a direct call would run `on_done` inside `vault(...)`, before the caller is ready.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Tasks asked for whose callbacks have not run yet."""
        return self._pending

    @property
    def closed(self) -> bool:
        """True once `shutdown` was called: no more work is taken (a screen that would start
        some, e.g. a timer's draft save firing while the app closes, checks this)."""
        return self._closed

    def vault(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        *,
        context: QObject | None = None,
    ) -> Future[T]:
        """Run `fn` on the vault's worker thread, after the vault work already asked for."""
        return self._submit(self._vault, fn, on_done, on_error, context)

    def network(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        *,
        context: QObject | None = None,
    ) -> Future[T]:
        """Run `fn` on the network pool (it may wait on a server for a long time)."""
        return self._submit(self._network, fn, on_done, on_error, context)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: ErrorHandler | None,
        context: QObject | None,
    ) -> Future[T]:
        if self._closed:
            raise RuntimeError("the task runner was shut down")
        future = pool.submit(fn)
        self._pending += 1
        self.busy_changed.emit(self._pending)
        delivery = _Delivery(future, on_done, on_error, context)
        future.add_done_callback(lambda _f: self._finished.emit(delivery))
        return future

    @Slot(object)
    def _deliver(self, delivery: _Delivery) -> None:
        self._pending -= 1
        self.busy_changed.emit(self._pending)
        if delivery.context is not None and not isValid(delivery.context):
            return  # its screen is gone
        error = delivery.future.exception()
        if error is None:
            if delivery.on_done is not None:
                delivery.on_done(delivery.future.result())
            return
        handler = delivery.on_error or self._on_unhandled
        handler(error)

    def report(self, error: BaseException) -> None:
        """Hand an error a task's own handler did not show to the app's handler (the crash
        report, or a UserFacingError in the officer's language)."""
        self._on_unhandled(error)

    def shutdown(self, *, wait: bool = True) -> None:
        """Take no more work; finish what runs (queued vault work is still done, in order, so a
        save asked for before closing is kept). Network calls are expected to be cut by their
        owners first (the sync engine's `stop`)."""
        self._closed = True
        self._network.shutdown(wait=wait, cancel_futures=True)
        self._vault.shutdown(wait=wait)
