"""The desktop lists on the 50,000-record vault, offscreen: from a search being asked (what the
typing pause starts) to its rows painted, for every keystroke of names and phones and for record
numbers; what a keystroke costs the GUI thread; and scrolling the whole activity list page by
page to its end. The same searches and pages on plain sqlite3 give the ratio.

    python -m bench.ui_lists [--records 50000] [--names 10]

The plain copy holds generated sample data only (no real record), in bench/results/cache.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from bench.large_vault import PASSWORD, RECORDS, large_vault, ms_stats, peak_rss_mib, write_result
from bench.list_pages import plain_copy
from bench.search import typed_prefixes
from fieldapp import session
from fieldapp.store.listing import ActivityFilter, PageKey, activities_query, search_rows
from ui.lists.activities import ActivityList
from ui.lists.households import HouseholdList
from ui.lists.model import PAGE_SIZE as PAGE
from ui.lists.model import SEARCH_LIMIT, SummaryModel
from ui.preferences import Preferences
from ui.tasks import TaskRunner
from ui.workspace import Workspace

NAME = "ui_lists"
SEARCH_COLUMNS = "r.rid, r.id"


def _until(app: QApplication, done: Callable[[], bool], limit_s: float = 60.0) -> None:
    """Process events until `done` (the GUI thread keeps working meanwhile)."""
    deadline = time.perf_counter() + limit_s
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the list did not answer")


def _key(widget: QWidget, ch: str) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
        QCoreApplication.sendEvent(widget, event)


def _with_search_index(plain_path: Path, conn: Any) -> None:
    """The plain copy gets the vault's search shadow too (once)."""
    plain = sqlite3.connect(plain_path, isolation_level=None)
    try:
        if plain.execute("SELECT count(*) FROM search_index").fetchone()[0] == 0:
            plain.execute("BEGIN")
            plain.executemany(
                "INSERT INTO search_index (rowid, names, body, loose) VALUES (?, ?, ?, ?)",
                conn.execute("SELECT rowid, names, body, loose FROM search_index"),
            )
            plain.execute("COMMIT")
    finally:
        plain.close()


def _queries(s: session.Session, names: int) -> dict[str, list[str]]:
    """Names (first + father) typed letter by letter, phones typed in groups, record numbers."""
    store = s.store
    people = store.listing.page("person", limit=500).items
    homes = [store.get(h.id) for h in store.listing.page("household", limit=500).items]
    phones = [str(h.fields["phone"]) for h in homes if h.fields.get("phone")][:names]
    typed_phones = []
    for phone in phones:
        digits = "".join(ch for ch in phone if ch.isdigit())
        local = "0" + digits[3:] if digits.startswith("964") else digits
        typed_phones.append(f"{local[:4]} {local[4:7]} {local[7:]}")
    return {
        "name typed key by key": [
            prefix
            for p in people[:names]
            for prefix in typed_prefixes(" ".join(p.title.split()[:2]))
            if len(prefix) >= 2
        ],
        "phone typed key by key": [
            prefix for phone in typed_phones for prefix in typed_prefixes(phone) if len(prefix) >= 2
        ],
        "record number": [str(h.number) for h in store.listing.page(limit=500).items[::50][:names]],
    }


def _search_painted(app: QApplication, screen: HouseholdList, query: str) -> float:
    """Seconds from the search being asked (the typing pause over) to its rows painted."""
    model: SummaryModel = screen.model
    model.search_as_typed(query)
    started = time.perf_counter()
    model.reload()
    _until(app, lambda: not model.state.loading)
    screen.list.table.viewport().repaint()
    return time.perf_counter() - started


def _keystroke_cost(app: QApplication, screen: HouseholdList, text: str) -> list[float]:
    """Seconds the GUI thread spends on each key of `text` (the search itself runs later)."""
    box = screen.list.search_box
    box.clear()
    times = []
    for ch in text:
        started = time.perf_counter()
        _key(box, ch)
        times.append(time.perf_counter() - started)
    _until(app, lambda: not screen.model.state.loading)
    return times


def _scroll_to_end(app: QApplication, screen: ActivityList) -> dict[str, Any]:
    """Page through every activity as the view asks for them; per page: asked to painted."""
    model, table = screen.model, screen.list.table
    _until(app, lambda: not model.state.loading)
    pages: list[float] = []
    started = time.perf_counter()
    while model.state.more:
        asked = time.perf_counter()
        before = model.rowCount()
        table.scrollToBottom()  # the scroll bar at its end: the view calls fetchMore
        _until(app, functools.partial(_grew, model, before))
        table.viewport().repaint()
        pages.append(time.perf_counter() - asked)
    total = time.perf_counter() - started
    return {
        "rows": model.rowCount(),
        "pages": len(pages),
        "total_s": round(total, 2),
        "page_asked_to_painted": ms_stats(pages),
    }


def _grew(model: SummaryModel, before: int) -> bool:
    return model.rowCount() > before or not model.state.more


def _timed(call: Callable[[], object], repeats: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - started) / repeats


def _plain_figures(
    conn: Any, plain: sqlite3.Connection, queries: list[str], types: tuple[str, ...]
) -> dict[str, Any]:
    """The searches' own query, and every activity page, on SQLCipher and on plain sqlite3."""

    def rows_of(c: Any) -> Callable[[str, Any], list[Any]]:
        return lambda sql, params: list(c.execute(sql, params).fetchall())

    figures: dict[str, Any] = {}
    for name, c in (("sqlcipher", conn), ("plain_sqlite3", plain)):
        rows = rows_of(c)
        times = [
            _timed(functools.partial(search_rows, rows, SEARCH_COLUMNS, q, SEARCH_LIMIT, None))
            for q in queries
        ]
        figures[f"search_query_{name}"] = ms_stats(times)

        def every_page(c: Any = c) -> int:
            pages, after = 0, None
            while True:
                sql, params = activities_query(types, ActivityFilter(), after)
                rows = c.execute(sql, [*params, PAGE + 1]).fetchall()
                pages += 1
                if len(rows) <= PAGE:
                    return pages
                last = rows[PAGE - 1]  # rid first, updated_at fifth: `_SUMMARY_COLUMNS`
                after = PageKey(last[4], int(last[0]))

        figures[f"activity_pages_{name}_s"] = round(_timed(every_page), 3)
    return figures


def run(n: int = RECORDS, names: int = 10) -> dict[str, Any]:
    folder, _ = large_vault(n)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window: painted all the same
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    s = session.unlock(folder, PASSWORD)
    tasks = TaskRunner(on_unhandled=lambda error: print("unhandled:", repr(error)))
    ws = Workspace(session=s, tasks=tasks, preferences=Preferences(), data_dir=folder)
    result: dict[str, Any] = {"records": s.store.count()}
    try:
        by_kind = _queries(s, names)
        households = HouseholdList(ws)
        households.resize(1366, 768)
        households.show()
        _until(app, lambda: not households.model.state.loading)
        every: list[float] = []
        for kind, texts in by_kind.items():
            times = [_search_painted(app, households, q) for q in texts]
            every += times
            result[f"search asked to painted: {kind}"] = ms_stats(times)
        result["search asked to painted: all"] = ms_stats(every)
        keys: list[float] = []
        for text in by_kind["phone typed key by key"][-3:]:
            keys += _keystroke_cost(app, households, text)
        result["gui thread per keystroke"] = ms_stats(keys)
        households.close()

        activities = ActivityList(ws)
        activities.resize(1366, 768)
        activities.show()
        result["scroll the whole activity list"] = _scroll_to_end(app, activities)
        activities.close()

        conn = s.store.connection
        plain_path = plain_copy(folder, conn, n)
        _with_search_index(plain_path, conn)
        types = tuple(f.type for f in s.store.forms if f.kind == "activity")
        plain = sqlite3.connect(plain_path)
        try:
            queries = [q for texts in by_kind.values() for q in texts]
            result.update(_plain_figures(conn, plain, queries, types))
        finally:
            plain.close()
    finally:
        tasks.shutdown()
        s.close()
    result["peak_rss_mib"] = peak_rss_mib()
    cipher = result["search_query_sqlcipher"]["p50_ms"]
    plain_ms = result["search_query_plain_sqlite3"]["p50_ms"]
    ratio = round(cipher / plain_ms, 2) if plain_ms else None
    result["search_query_ratio_sqlcipher_over_plain"] = ratio
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_lists")
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--names", type=int, default=10)
    args = parser.parse_args()
    result = run(args.records, args.names)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    write_result(NAME if args.records == RECORDS else f"{NAME}-{args.records}", result)


if __name__ == "__main__":
    main()
