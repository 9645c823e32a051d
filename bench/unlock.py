"""Unlocking with the production Argon2id costs: the password check an officer waits for.

python -m bench.unlock [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from typing import Any

from bench.large_vault import PASSWORD, RESULTS_DIR, ms_stats, peak_rss_mib, write_result
from fieldapp import session
from fieldapp.vault import crypto
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.vault import Vault

NAME = "unlock"


def run(repeat: int = 5) -> dict[str, Any]:
    folder = RESULTS_DIR / "tmp" / NAME
    shutil.rmtree(folder, ignore_errors=True)
    params = KdfParams()
    session.create(folder, PASSWORD, kdf=params).close()
    try:
        derive, unlock, full = [], [], []
        for _ in range(repeat):
            started = time.perf_counter()
            crypto.derive_kek(PASSWORD, params)
            derive.append(time.perf_counter() - started)
            vault = Vault.open(folder)
            started = time.perf_counter()
            vault.unlock(PASSWORD)
            unlock.append(time.perf_counter() - started)
            vault.lock()
            started = time.perf_counter()
            session.unlock(folder, PASSWORD).close()
            full.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "kdf": {k: v for k, v in params.to_dict().items() if k != "salt"},
        "argon2id": ms_stats(derive),
        "vault_unlock": ms_stats(unlock),
        "session_unlock": ms_stats(full),
        "peak_rss_mib": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.unlock")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    result = run(args.repeat)
    print(json.dumps(result, indent=2))
    write_result(NAME, result)


if __name__ == "__main__":
    main()
