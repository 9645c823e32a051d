"""Run every benchmark, each in its own process (so peak memory is its own), and print a table.

    python -m bench.run_all        (or: make bench)

The 50,000-record vault is built once into bench/results/cache/ and reused; delete that folder
to rebuild it. Results: bench/results/<benchmark>.json and bench/results/summary.json.

`sync_fleet` (200 devices syncing at once) runs on SQLite only, about 6 minutes on 2 cores; set
FIELDAPP_BENCH_PG to a PostgreSQL URL (one that may CREATE DATABASE) to run it there too, about
as long again. The other sync benchmarks (sync_push_pull, sync_link) are run by hand.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlcipher3

from bench.large_vault import RESULTS_DIR

BENCHMARKS = (
    "save_record",
    "search",
    "unlock",
    "open_large",
    "list_pages",
    "ui_lists",
    "ui_startup",
    "sync_fleet",
)
ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "FIELDAPP_BENCH_PG"  # also read by the sync benchmarks themselves


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kib = int(f.readline().split()[1])
    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    sqlite_version = conn.execute("SELECT sqlite_version()").fetchone()[0]
    conn.close()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "sqlcipher": cipher,
        "sqlite": sqlite_version,
    }


def arguments(name: str) -> list[str]:
    """Command-line arguments of a benchmark in this run."""
    if name == "sync_fleet":
        return ["--backends", "sqlite,postgresql" if os.environ.get(PG_ENV) else "sqlite"]
    return []


def run_module(name: str) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *arguments(name)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    result: dict[str, Any] = json.loads((RESULTS_DIR / f"{name}.json").read_text("utf-8"))
    return result


def rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(figure, p50, p95, note) for the table."""
    out: list[tuple[str, str, str, str]] = []

    def ms(d: dict[str, Any]) -> tuple[str, str]:
        return f"{d['p50_ms']:.2f} ms", f"{d['p95_ms']:.2f} ms"

    save = results["save_record"]
    out.append(
        ("save one record (store.add)", *ms(save["store_save"]), f"n={save['store_save']['n']}")
    )
    out.append(("  plain sqlite3 insert, same JSON", *ms(save["sqlite_insert"]), "reference"))
    out.append(("  ratio store / sqlite3", f"{save['ratio_p50']}x", f"{save['ratio_p95']}x", ""))
    large_save = save["store_save_into_50k_vault"]
    out.append(("save one record, 50k vault", *ms(large_save), f"n={large_save['n']}"))
    search = results["search"]
    for kind, figures in search["kinds"].items():
        note = f"n={figures['n']}, {figures['mean_hits']} hits avg"
        out.append((f"search: {kind}", *ms(figures), note))
    out.append(("search: one letter (worst keystroke)", *ms(search["one_letter"]), ""))
    out.append(("search: all queries", *ms(search["all"]), f"RSS {search['peak_rss_mib']} MiB"))
    unlock = results["unlock"]
    out.append(("Argon2id (production costs)", *ms(unlock["argon2id"]), str(unlock["kdf"])))
    out.append(("unlock (KDF + open database)", *ms(unlock["vault_unlock"]), ""))
    large = results["open_large"]
    out.append(("50k vault: unlock (session)", *ms(large["unlock"]), ""))
    out.append(("50k vault: first 50 + count", *ms(large["first_page_and_count"]), ""))
    note = f"RSS {large['peak_rss_mib']} MiB"
    out.append(("50k vault: password to first page", *ms(large["unlock_to_first_page"]), note))
    build = large["bulk_load"]
    out.append(
        (
            "bulk load (add_many, batches of 1000)",
            f"{build['records_per_s']} rec/s",
            "",
            f"{build['records']} in {build['seconds']} s, {build['db_mib']} MiB",
        )
    )
    pages = results["list_pages"]
    deep = pages["deep_page"]
    for page in (1, deep):
        figures = pages[f"page_{page}"]
        note = f"plain sqlite3 {figures['plain_sqlite3_query']['p50_ms']:.2f} ms"
        out.append(
            (
                f"list page {page} of {pages['page_rows']} (summaries)",
                *ms(figures["store_summaries"]),
                note,
            )
        )
    offset = pages[f"page_{deep}"]["sqlcipher_offset_for_contrast"]
    out.append((f"  page {deep} by OFFSET (not used)", *ms(offset), "contrast"))
    lists = results["ui_lists"]
    note = f"ratio SQLCipher / plain query {lists['search_query_ratio_sqlcipher_over_plain']}x"
    searched = lists["search asked to painted: all"]
    out.append(("desktop: search asked to painted", *ms(searched), note))
    scroll = lists["scroll the whole activity list"]
    note = f"{scroll['rows']} rows, {scroll['pages']} pages, {scroll['total_s']} s in all"
    out.append(("desktop: activity page to painted", *ms(scroll["page_asked_to_painted"]), note))
    start = results["ui_startup"]

    def spread(d: dict[str, Any]) -> tuple[str, str]:
        return f"{d['median_ms']:.0f} ms", f"max {d['max_ms']:.0f} ms"

    note = f"Argon2id {start['kdf_share_of_window']:.0%} of it, {start['runs']} fresh processes"
    out.append(
        ("desktop: password to window painted", *spread(start["enter_to_window_painted"]), note)
    )
    today_s = start["enter_to_today_data_painted_one_run_s"]
    out.append(("desktop: password to Today's data", f"{today_s} s", "", "one run"))
    note = f"ratio window / core {start['window_over_core']}x"
    out.append(("  core: unlock and first page", *spread(start["core_unlock_first_page"]), note))
    memory = start["memory"]
    note = (
        f"peak {memory['after_tour']['peak_rss_mib']} MiB;"
        f" bare Qt {memory['bare_qapplication']['rss_mib']} MiB"
    )
    rss = f"{memory['after_tour']['rss_mib']} MiB"
    out.append(("desktop: RSS after every section", rss, "", note))
    for fleet in results["sync_fleet"]["results"]:
        for wave in fleet["waves"]:
            if wave["wave"] not in ("first_sync", "idle_poll"):
                continue
            figure = f"{fleet['devices']} devices at once: {wave['wave']} ({fleet['backend']})"
            note = (
                f"{wave['syncs_per_s']} syncs/s, {wave['changes_per_s']} changes/s,"
                f" {wave['errors']} errors, {sum(wave['retries'].values())} retries"
            )
            out.append((figure, *ms(wave["latency"]), note))
    return out


def main() -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    print("building / checking the 50,000-record vault ...", flush=True)
    subprocess.run([sys.executable, "-m", "bench.large_vault"], cwd=ROOT, check=True)
    results = {}
    for name in BENCHMARKS:
        print(f"running {name} ...", flush=True)
        results[name] = run_module(name)
    summary = {"machine": machine(), "results": results}
    (RESULTS_DIR / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    table = rows(results)
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    print()
    print(json.dumps(summary["machine"]))
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
