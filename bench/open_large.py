"""From password to the first page of the list on the 50,000-record vault: unlock (production
Argon2id), open the store, read the newest 50 records and the total count.

    python -m bench.open_large [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bench.large_vault import PASSWORD, large_vault, ms_stats, peak_rss_mib, write_result
from fieldapp import session

NAME = "open_large"
FIRST_PAGE = 50


def run(repeat: int = 3) -> dict[str, Any]:
    folder, build = large_vault()
    unlock, first_page, total = [], [], []
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        s = session.unlock(folder, PASSWORD)
        unlocked = time.perf_counter()
        try:
            page = s.store.records(limit=FIRST_PAGE)
            count = s.store.count()
            done = time.perf_counter()
        finally:
            s.close()
        assert len(page) == FIRST_PAGE
        unlock.append(unlocked - started)
        first_page.append(done - unlocked)
        total.append(done - started)
    return {
        "records": count,
        "bulk_load": build,
        "unlock": ms_stats(unlock),
        "first_page_and_count": ms_stats(first_page),
        "unlock_to_first_page": ms_stats(total),
        "peak_rss_mib": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.open_large")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    result = run(args.repeat)
    print(json.dumps(result, indent=2))
    write_result(NAME, result)


if __name__ == "__main__":
    main()
