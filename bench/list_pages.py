"""Pages of a list by key: page 1 and page 1,000 of 50 rows over the 50,000-record vault, through
the store (SQLCipher, summaries built in Python) and as the same keyset query on plain sqlite3
over a copy of the same rows. With keyset paging the deep page should cost what the first does;
OFFSET, timed beside it for contrast, reads and drops every row before the page.

    python -m bench.list_pages [--records 50000] [--repeats 30]

The plain copy holds generated sample data only (no real record), in bench/results/cache.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.large_vault import CACHE_DIR, PASSWORD, RECORDS, large_vault, ms_stats, write_result
from fieldapp import session
from fieldapp.store.listing import PageKey, page_query
from fieldapp.store.migrations import MIGRATIONS

NAME = "list_pages"
PAGE = 50
DEEP_PAGE = 1_000


def _fetch_all(conn: Any, sql: str, params: list[Any]) -> list[Any]:
    return list(conn.execute(sql, params).fetchall())


def _timed(call: Callable[[], object], repeats: int) -> dict[str, float]:
    call()  # warm-up: the first read pays for loading the pages it touches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return ms_stats(times)


def _key_before(conn: Any, page: int) -> PageKey | None:
    """The key of the last row of page `page - 1` (None for the first page); not timed."""
    if page <= 1:
        return None
    row = conn.execute(
        "SELECT updated_at, rid FROM records WHERE deleted = 0"
        " ORDER BY updated_at DESC, rid DESC LIMIT 1 OFFSET ?",
        ((page - 1) * PAGE - 1,),
    ).fetchone()
    return PageKey(row[0], int(row[1]))


def plain_copy(folder: Path, conn: Any, n: int) -> Path:
    """The vault's records, outbox rows and schema on plain sqlite3, built once per size."""
    path = CACHE_DIR / f"plain-{n}.db"
    if path.is_file():
        return path
    plain = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS:  # the same tables and indexes as the vault
        plain.execute("BEGIN")
        step(plain)
        plain.execute("COMMIT")
    columns = [row[1] for row in conn.execute("PRAGMA table_info(records)")]
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    plain.execute("BEGIN")
    plain.executemany(
        f"INSERT INTO records ({names}) VALUES ({marks})",  # noqa: S608 (column names from PRAGMA)
        conn.execute(f"SELECT {names} FROM records"),  # noqa: S608
    )
    outbox = [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]
    plain.executemany(
        f"INSERT INTO outbox ({', '.join(outbox)}) VALUES ({', '.join('?' * len(outbox))})",  # noqa: S608
        conn.execute(f"SELECT {', '.join(outbox)} FROM outbox"),  # noqa: S608
    )
    plain.execute("COMMIT")
    plain.execute("ANALYZE")
    plain.close()
    return path


def run(n: int = RECORDS, repeats: int = 30) -> dict[str, Any]:
    folder, _ = large_vault(n)
    deep = min(DEEP_PAGE, max(1, n // PAGE))
    s = session.unlock(folder, PASSWORD)
    try:
        conn = s.store.connection
        plain_path = plain_copy(folder, conn, n)
        keys = {1: None, deep: _key_before(conn, deep)}
        result: dict[str, Any] = {"records": s.store.count(), "page_rows": PAGE, "deep_page": deep}
        plain = sqlite3.connect(plain_path)
        try:
            for page, key in keys.items():
                sql = page_query(by_type=False, after=key is not None)
                params = ([] if key is None else [key.updated_at, key.rid]) + [PAGE + 1]
                store_rows = s.store.listing.page(after=key, limit=PAGE).items
                plain_rows = plain.execute(sql, params).fetchall()
                assert [r.id for r in store_rows] == [r[1] for r in plain_rows[:PAGE]]
                result[f"page_{page}"] = {
                    "store_summaries": _timed(
                        functools.partial(s.store.listing.page, after=key, limit=PAGE), repeats
                    ),
                    "sqlcipher_query_only": _timed(
                        functools.partial(_fetch_all, conn, sql, params), repeats
                    ),
                    "plain_sqlite3_query": _timed(
                        functools.partial(_fetch_all, plain, sql, params), repeats
                    ),
                }
            offset_sql = page_query(by_type=False, after=False) + " OFFSET ?"
            result[f"page_{deep}"]["sqlcipher_offset_for_contrast"] = _timed(
                lambda: conn.execute(offset_sql, [PAGE, (deep - 1) * PAGE]).fetchall(), repeats
            )
        finally:
            plain.close()
    finally:
        s.close()
    first = result["page_1"]["store_summaries"]["p50_ms"]
    deep_ms = result[f"page_{deep}"]["store_summaries"]["p50_ms"]
    result["deep_over_first"] = round(deep_ms / first, 2) if first else None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.list_pages")
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    result = run(args.records, args.repeats)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    name = NAME if args.records == RECORDS else f"{NAME}-{args.records}"
    write_result(name, result)


if __name__ == "__main__":
    main()
