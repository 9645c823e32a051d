"""What the benchmarks share: the 50,000-record vault (built once, cached), timing statistics,
peak memory and the JSON result files under bench/results/ (gitignored)."""

from __future__ import annotations

import datetime
import json
import platform
import resource
import shutil
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldapp import session
from fieldapp.sampledata.generator import generate
from fieldapp.sampledata.households import GeneratedRecord
from fieldapp.vault.crypto import KdfParams

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CACHE_DIR = RESULTS_DIR / "cache"
PASSWORD = "benchmark passphrase, not a secret"  # noqa: S105 (a throwaway vault)
RECORDS = 50_000
SEED = 1
TODAY = datetime.date(2026, 11, 20)
BATCH = 1_000
HOUSEHOLDS = 6_000  # about 9 records per household: a little over 50,000 in all


def sample_records(n: int = RECORDS) -> list[GeneratedRecord]:
    """The first `n` records of the seeded generator (households, persons, activities)."""
    records = generate(SEED, HOUSEHOLDS, today=TODAY)
    if len(records) < n:
        raise RuntimeError(f"the generator gave {len(records)} records, fewer than {n}")
    return records[:n]


def large_vault(n: int = RECORDS) -> tuple[Path, dict[str, Any]]:
    """The folder of a vault holding `n` generated records (production Argon2 costs), built on
    first use with `store.add_many` in batches; returns it and the figures of that bulk load."""
    folder = CACHE_DIR / f"vault-{n}-seed{SEED}"
    done = folder.with_suffix(".json")
    if done.is_file() and (folder / "vault.db").is_file():
        return folder, json.loads(done.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    done.unlink(missing_ok=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    records = sample_records(n)
    s = session.create(folder, PASSWORD, officer="bench", station="B12", kdf=KdfParams())
    try:
        started = time.perf_counter()
        for start in range(0, n, BATCH):
            batch = records[start : start + BATCH]
            s.store.add_many([(r.type, r.fields) for r in batch])
        elapsed = time.perf_counter() - started
    finally:
        s.close()
    figures = {
        "records": n,
        "batch": BATCH,
        "seconds": round(elapsed, 2),
        "records_per_s": round(n / elapsed, 1),
        "db_mib": round((folder / "vault.db").stat().st_size / 2**20, 1),
    }
    done.write_text(json.dumps(figures, indent=2))
    return folder, figures


def ms_stats(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of durations, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(p95, 3),
        "max_ms": round(ms[-1], 3),
    }


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        **result,
    }
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main() -> None:
    """`python -m bench.large_vault`: build the cached vault (if needed) and print its figures."""
    folder, figures = large_vault()
    print(folder)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
