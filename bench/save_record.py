"""Saving one record (validate, encrypt, revision, outbox, search shadow, audit, commit) against
plain stdlib `sqlite3` inserting the same JSON, one transaction per row, WAL, synchronous=FULL.

    python -m bench.save_record [--saves 500]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.large_vault import (
    PASSWORD,
    RESULTS_DIR,
    large_vault,
    ms_stats,
    peak_rss_mib,
    write_result,
)
from fieldapp import session
from fieldapp.sampledata.generator import records_of_size
from fieldapp.sampledata.households import GeneratedRecord
from fieldapp.vault.crypto import KdfParams

NAME = "save_record"
SEED_RECORDS = 2


def time_store_saves(
    folder: Path, records: list[GeneratedRecord], *, existing: bool = False
) -> list[float]:
    # The KDF plays no part in a save: cheap costs keep the setup short.
    if existing:
        s = session.unlock(folder, PASSWORD)
    else:
        s = session.create(folder, PASSWORD, officer="bench", kdf=KdfParams.for_tests())
    try:
        times = []
        for r in records:
            started = time.perf_counter()
            s.store.add(r.type, r.fields)
            times.append(time.perf_counter() - started)
        return times
    finally:
        s.close()


def time_sqlite_inserts(path: Path, records: list[GeneratedRecord]) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE records (id TEXT PRIMARY KEY, type TEXT, fields TEXT)")
        times = []
        for r in records:
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO records VALUES (?, ?, ?)",
                (r.id, r.type, json.dumps(r.fields, ensure_ascii=False)),
            )
            conn.execute("COMMIT")
            times.append(time.perf_counter() - started)
        return times
    finally:
        conn.close()


def time_saves_into_large_vault(work: Path, records: list[GeneratedRecord]) -> list[float]:
    """The same saves into a copy of the 50,000-record vault: a save must not grow with it."""
    source, _ = large_vault()
    copy = work / "large"
    shutil.copytree(source, copy)
    return time_store_saves(copy, records, existing=True)


def run(saves: int = 500, large_saves: int = 100) -> dict[str, Any]:
    work = RESULTS_DIR / "tmp" / NAME
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    records = records_of_size(SEED_RECORDS, saves, approx_bytes=1024)
    # Warm-up (imports, first pages, form definitions) is not what is being measured.
    time_store_saves(work / "warmup", records[:20])
    store = ms_stats(time_store_saves(work / "vault", records))
    reference = ms_stats(time_sqlite_inserts(work / "plain.sqlite", records))
    into_large = ms_stats(time_saves_into_large_vault(work, records[:large_saves]))
    shutil.rmtree(work, ignore_errors=True)
    return {
        "record_bytes": 1024,
        "store_save": store,
        "sqlite_insert": reference,
        "ratio_p50": round(store["p50_ms"] / reference["p50_ms"], 2),
        "ratio_p95": round(store["p95_ms"] / reference["p95_ms"], 2),
        "store_save_into_50k_vault": into_large,
        "peak_rss_mib": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.save_record")
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    result = run(args.saves)
    print(json.dumps(result, indent=2))
    write_result(NAME, result)


if __name__ == "__main__":
    main()
