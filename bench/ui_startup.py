"""The desktop app's start on the 50,000-record vault, offscreen: from the password's Enter to
the main window painted, and (one run) on to Today painted with its data; the app's memory once
every section, a household page and a record page have been visited. The KDF alone, the start
without widgets (the core: unlock and the first page of summaries) and a plain sqlite3 read of
that page give the shares and ratios; a bare Python + Qt process gives the memory floor.

    python -m bench.ui_startup [--runs 5]

Each run is a fresh process, so start-up pays for its imports' first use and peak memory is its
own: `runs - 1` of `--child start` (to the window painted) and one `--child full` (to Today's
data, then the tour). The bare processes are `--child bare` (QApplication only) and `--child
imported` (QApplication and the app's modules, no window). The vault is the shared cached one
(bench/large_vault.py), with the production Argon2id costs, never the test profile.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.large_vault import CACHE_DIR, PASSWORD, RECORDS, large_vault, write_result

if TYPE_CHECKING:
    from ui.main_window import MainWindow

NAME = "ui_startup"
ROOT = Path(__file__).resolve().parent.parent
SETTLE_ROUNDS = 3  # the task runner idle this many event rounds in a row: nothing chains on
LIMIT_S = 900.0  # Today's first read took minutes at 50k (see docs/PERFORMANCE.md)
# Never the test KDF profile: the budget is about the real Argon2id costs.
TEST_ENV = ("FIELDAPP_KDF_PROFILE", "FIELDAPP_TEST_RUN")


def _status_mib(field: str) -> float:
    """A memory line of /proc/self/status (VmRSS, VmHWM), in MiB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no {field} in /proc/self/status")


def _memory() -> dict[str, float]:
    return {
        "rss_mib": _status_mib("VmRSS"),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child_bare(imported: bool) -> dict[str, Any]:
    """QApplication alone (and, if `imported`, every module the app loads), no window."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    if imported:
        import ui.desktop
        import ui.screens  # noqa: F401 (what start_desktop loads before its first window)
    app.processEvents()
    return _memory()


def _child_start(folder: Path, full: bool) -> dict[str, Any]:
    """One start, timed from Enter to the main window painted; if `full`, on to Today painted
    with its data, then the tour and the memory it leaves. The KDF and the start without
    widgets are timed first, in the same process, while nothing else runs."""
    result: dict[str, Any] = _kdf_and_core(folder)
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.desktop import Desktop
    from ui.main_window import SECTIONS
    from ui.preferences import Preferences
    from ui.screens import FieldScreens
    from ui.start.unlock import UnlockScreen
    from ui.tasks import TaskRunner
    from ui.today import TodayScreen

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    errors: list[BaseException] = []
    # The timed waits sleep until an event comes, as app.exec() does: polling would take one
    # of the two cores from Argon2id (0.4-0.6 s more to the session, measured). The timer only
    # wakes the wait now and then to look at the deadline.
    wake = QTimer()
    wake.start(100)
    tasks = TaskRunner(on_unhandled=errors.append)
    wired = FieldScreens()
    desktop = Desktop(folder, tasks, Preferences(), wired.factories())
    desktop.opened.connect(lambda: wired.attach(desktop.opened_window()))
    stamps: dict[str, float] = {}
    desktop.opened.connect(lambda: stamps.setdefault("window_shown", time.perf_counter()))
    desktop.show()
    start = desktop.start_window
    assert start is not None and isinstance(start.start_screen, UnlockScreen)
    unlock = start.start_screen

    def delivered(pending: int) -> None:
        # The runner counts a task done just before its callback: here, the new Session is
        # about to reach the unlock screen (the main window is built after this).
        if pending == 0 and "entered" in stamps:
            stamps.setdefault("session_open", time.perf_counter())

    tasks.busy_changed.connect(delivered)

    def settle() -> None:
        """Events until no task is pending for a few rounds (a result may ask for more)."""
        deadline, idle = time.perf_counter() + LIMIT_S, 0
        while idle < SETTLE_ROUNDS:
            app.processEvents()
            idle = idle + 1 if tasks.pending == 0 else 0
            if errors:
                raise RuntimeError(f"a task failed: {errors[0]!r}")
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not settle")

    def until(done: Callable[[], bool]) -> None:
        deadline = time.perf_counter() + LIMIT_S
        while not done():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if errors:
                raise RuntimeError(f"a task failed: {errors[0]!r}")
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not answer")

    settle()  # the unlock screen's own look at the back-off is over
    app.processEvents()
    before_unlock = _memory()
    QTest.keyClicks(unlock.password, PASSWORD)

    def today_painted() -> bool:
        window = desktop.main_window
        if window is None or not window.isVisible() or tasks.pending:
            return False
        today = window.section_screen("today")
        # Today's rows are empty until its one read has arrived; then rows or a note.
        return isinstance(today, TodayScreen) and today.agenda_list.count() > 0

    started = stamps["entered"] = time.perf_counter()
    QTest.keyClick(unlock.password, Qt.Key.Key_Return)
    until(lambda: "window_shown" in stamps)
    window = desktop.opened_window()
    window.repaint()  # the window painted, not only laid out: Today's frame, no data yet
    result["enter_to_session_s"] = stamps["session_open"] - started
    result["enter_to_window_shown_s"] = stamps["window_shown"] - started
    result["enter_to_window_painted_s"] = time.perf_counter() - started
    result["memory_at_unlock_screen"] = before_unlock
    if not full:
        return result  # Today's read still runs on the vault's worker: the caller exits hard
    until(today_painted)
    window.repaint()
    result["enter_to_today_painted_s"] = time.perf_counter() - started
    today = window.section_screen("today")
    assert isinstance(today, TodayScreen)
    result["today_agenda_rows"] = today.agenda_list.count()
    result["memory_at_today"] = _memory()
    result["memory_after_tour"] = _tour(window, SECTIONS, settle)
    desktop.close_session()
    tasks.shutdown()
    return result


def _tour(
    window: MainWindow, sections: tuple[str, ...], settle: Callable[[], None]
) -> dict[str, Any]:
    """Every section, then a household's page and a record's page; the memory they leave."""
    for index in range(len(sections)):
        window.show_section(index)
        settle()
        window.repaint()
    store = window.workspace.session.store
    ids = window.workspace.tasks.vault(
        lambda: (
            store.listing.page("household", limit=1).items[0].id,
            store.listing.page("home_visit", limit=1).items[0].id,
        )
    )
    settle()
    household, record = ids.result()
    for record_id in (household, record):
        window.open_record(record_id)
        settle()
        window.repaint()
    return {**_memory(), "visited": [*sections, "household page", "record page"]}


def _kdf_and_core(folder: Path) -> dict[str, Any]:
    """The KDF alone, Vault.unlock, and the start without widgets (session unlock and the first
    page of summaries, what the Households list shows first) on the same vault."""
    from fieldapp import session
    from fieldapp.vault import crypto
    from fieldapp.vault.crypto import KdfParams
    from fieldapp.vault.vault import Vault

    header = json.loads((folder / "header.json").read_text("utf-8"))
    params = KdfParams.from_dict(header["kdf"])
    started = time.perf_counter()
    crypto.derive_kek(PASSWORD, params)
    kdf = time.perf_counter() - started
    vault = Vault.open(folder)
    started = time.perf_counter()
    vault.unlock(PASSWORD)
    vault_unlock = time.perf_counter() - started
    vault.lock()
    started = time.perf_counter()
    s = session.unlock(folder, PASSWORD)
    try:
        s.store.listing.page(limit=50)
        core = time.perf_counter() - started
    finally:
        s.close()
    return {
        "kdf": {k: v for k, v in params.to_dict().items() if k != "salt"},
        "argon2id_s": kdf,
        "vault_unlock_s": vault_unlock,
        "core_unlock_first_page_s": core,
    }


def _plain_first_page(repeat: int) -> list[float]:
    """Open the plain sqlite3 copy of the rows and read the first page of summaries."""
    from fieldapp.store.listing import page_query

    path = CACHE_DIR / f"plain-{RECORDS}.db"
    if not path.is_file():
        return []
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        conn = sqlite3.connect(path)
        rows = conn.execute(page_query(by_type=False, after=False), [51]).fetchall()
        conn.close()
        times.append(time.perf_counter() - started)
        assert len(rows) == 51
    return times


def _child(kind: str, folder: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ENV}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run(
        [sys.executable, "-m", "bench.ui_startup", "--child", kind, "--folder", str(folder)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _seconds(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "max_ms": round(max(ms), 1),
        "min_ms": round(min(ms), 1),
    }


def _mib(values: list[float]) -> dict[str, float]:
    return {"median_mib": round(statistics.median(values), 1), "max_mib": max(values)}


def run(runs: int = 5) -> dict[str, Any]:
    folder, _ = large_vault()
    bare = _child("bare", folder)
    imported = _child("imported", folder)
    starts = [_child("start", folder) for _ in range(runs - 1)]
    full = _child("full", folder)
    starts.append(full)

    def each(key: str) -> list[float]:
        return [float(r[key]) for r in starts]

    window = each("enter_to_window_painted_s")
    kdf = each("argon2id_s")
    core = each("core_unlock_first_page_s")
    plain = _plain_first_page(runs)
    today = full["enter_to_today_painted_s"]
    memory = full["memory_after_tour"]
    result: dict[str, Any] = {
        "records": RECORDS,
        "kdf": full["kdf"],
        "runs": runs,
        "enter_to_session_open": _seconds(each("enter_to_session_s")),
        "enter_to_window_shown": _seconds(each("enter_to_window_shown_s")),
        "enter_to_window_painted": _seconds(window),
        "enter_to_today_data_painted_one_run_s": round(today, 1),
        "today_agenda_rows": full["today_agenda_rows"],
        "argon2id_alone": _seconds(kdf),
        "vault_unlock_alone": _seconds(each("vault_unlock_s")),
        "core_unlock_first_page": _seconds(core),
        "kdf_share_of_window": round(statistics.median(kdf) / statistics.median(window), 2),
        "kdf_share_of_today_data": round(statistics.median(kdf) / today, 4),
        "window_over_core": round(statistics.median(window) / statistics.median(core), 2),
        "memory": {
            "bare_qapplication": bare,
            "qapplication_and_app_modules": imported,
            "at_unlock_screen_rss": _mib([r["memory_at_unlock_screen"]["rss_mib"] for r in starts]),
            "at_today_data": full["memory_at_today"],
            "after_tour": memory,
            "app_share_over_bare_mib": round(memory["rss_mib"] - bare["rss_mib"], 1),
        },
        "per_run": starts,
    }
    if plain:
        result["plain_sqlite3_open_first_page"] = _seconds(plain)
        result["window_over_plain_sqlite3"] = round(
            statistics.median(window) / statistics.median(plain), 1
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_startup")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--child", choices=("bare", "imported", "start", "full"), help=argparse.SUPPRESS
    )
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if args.child in ("start", "full"):
            # A short run leaves Today's read running on the vault's worker, and a failed one
            # may too; an ordinary exit would wait for it (minutes at 50k).
            try:
                print(json.dumps(_child_start(args.folder, full=args.child == "full")), flush=True)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(1)
            os._exit(0)
        print(json.dumps(_child_bare(args.child == "imported")))
        return
    result = run(args.runs)
    print(json.dumps({k: v for k, v in result.items() if k != "per_run"}, indent=2))
    write_result(NAME, result)


if __name__ == "__main__":
    main()
