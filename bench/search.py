"""Search over the 50,000-record vault: names, a name typed letter by letter (search-as-you-type
runs one search per keystroke), phone numbers, national IDs and free text.

    python -m bench.search [--queries-per-kind 40]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

from bench.large_vault import (
    PASSWORD,
    large_vault,
    ms_stats,
    peak_rss_mib,
    sample_records,
    write_result,
)
from fieldapp import session
from fieldapp.sampledata.households import GeneratedRecord

NAME = "search"
FREE_TEXT = ("خلاف", "زيارة", "مساعدات", "الابتزاز", "تعهد", "الجيران", "المدرسة", "توعية")


def typed_prefixes(name: str) -> list[str]:
    """What the search box holds after each keystroke of `name` (spaces included)."""
    return [name[:i] for i in range(1, len(name) + 1) if not name[:i].endswith(" ")]


def queries(
    records: list[GeneratedRecord], per_kind: int, rng: random.Random
) -> dict[str, list[str]]:
    persons = [r.fields for r in records if r.type == "person"]
    picked = rng.sample(persons, per_kind)
    with_id = [p for p in persons if p.get("national_id")]
    with_phone = [p for p in persons if p.get("phone")]
    typed: list[str] = []
    for p in picked[: max(1, per_kind // 4)]:
        typed += typed_prefixes(f"{p['first_name']} {p['father_name']}")
    return {
        "name (first + father)": [f"{p['first_name']} {p['father_name']}" for p in picked],
        "name typed prefix by prefix": typed,
        # As written on the card and typed: 07XXXXXXXXX (stored as +9647XXXXXXXXX).
        "phone (as typed, 07...)": [
            p["phone"] for p in rng.sample(with_phone, min(per_kind, len(with_phone)))
        ],
        "national ID": [p["national_id"] for p in rng.sample(with_id, min(per_kind, len(with_id)))],
        "free text": [rng.choice(FREE_TEXT) for _ in range(per_kind)],
    }


def run(per_kind: int = 40) -> dict[str, Any]:
    folder, _ = large_vault()
    by_kind = queries(sample_records(), per_kind, random.Random(7))
    s = session.unlock(folder, PASSWORD)
    try:
        s.store.search("محمد")  # warm-up: the first query pays for reading the index pages
        result: dict[str, Any] = {"records": s.store.count(), "kinds": {}}
        everything: list[float] = []
        for kind, texts in by_kind.items():
            times, hits = [], []
            for text in texts:
                started = time.perf_counter()
                found = s.store.search(text)
                times.append(time.perf_counter() - started)
                hits.append(len(found))
            everything += times
            result["kinds"][kind] = {
                **ms_stats(times),
                "mean_hits": round(sum(hits) / len(hits), 1),
                "zero_hits": sum(1 for h in hits if h == 0),
            }
        # The slowest keystrokes: the first letters match the most records.
        result["one_letter"] = ms_stats(_time_each(s, ["م", "ع", "ح", "ا", "ف"]))
        result["all"] = ms_stats(everything)
    finally:
        s.close()
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def _time_each(s: session.Session, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        s.store.search(text)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--queries-per-kind", type=int, default=40)
    args = parser.parse_args()
    result = run(args.queries_per_kind)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    write_result(NAME, result)


if __name__ == "__main__":
    main()
