"""Sync throughput against a real `fieldapp-server` process, on SQLite and on PostgreSQL.

10,000 generated home visits of ~1 KiB (`records_of_size(seed, 10000, 1024)`):

1. first push from a device that made them all offline (numbers, push, pull of its own heads);
2. re-sync after editing 1% of them;
3. pull of everything to a freshly enrolled device.

Each step is one `fieldapp-cli sync` (in this process, through `sync.client.cli`), timed from
the command to its answer, over HTTPS through a loopback TCP proxy with no faults
(tests/netfault.py) that counts the bytes on the wire both ways (TLS included).

    python -m bench.sync_push_pull [--records 10000] [--backends sqlite,postgresql]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

PostgreSQL: a throwaway database `fieldapp_bench_<pid>` is created next to the one named by
the URL (which must allow CREATE DATABASE) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.large_vault import peak_rss_mib, write_result
from fieldapp import session
from fieldapp.sampledata.generator import records_of_size
from fieldapp.vault.crypto import KdfParams
from sync.client import cli as client_cli
from tests.netfault import NetFaultProxy
from tests.server.serverproc import RunningServer, running_server

NAME = "sync_push_pull"
SEED = 1
PASSWORD = "benchmark passphrase, not a secret"  # noqa: S105 (a throwaway vault)
STATION = "B12"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def cli(data_dir: Path, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = client_cli.main(["--lang", "en", "--data-dir", str(data_dir), *argv], out)
    if code != 0:
        raise RuntimeError(f"fieldapp-cli {argv[0]} exited {code}: {err.getvalue()}")
    return out.getvalue()


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A fresh database on the server of `url`; its URL. Dropped on exit."""
    import psycopg

    name = f"fieldapp_bench_{os.getpid()}"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def enroll(server: RunningServer, proxy: NetFaultProxy, data_dir: Path, user: str) -> None:
    code = server.admin_json("enroll-code", user)["code"]
    cli(data_dir, "enroll", "--server", proxy.url(), "--code", code, "--fingerprint",
        server.fingerprint)  # fmt: skip


def step(proxy: NetFaultProxy, data_dir: Path, records: int) -> dict[str, Any]:
    """One timed `sync` through the proxy: seconds, records/s, bytes per record."""
    proxy.reset_stats()
    started = time.perf_counter()
    report = json.loads(cli(data_dir, "sync", "--json", "--retries", "0"))
    seconds = time.perf_counter() - started
    stats = proxy.stats()
    return {
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds, 1),
        "bytes_up": stats.bytes_up,
        "bytes_down": stats.bytes_down,
        "bytes_per_record": round((stats.bytes_up + stats.bytes_down) / records, 1),
        "report": report,
    }


def run_backend(backend: str, n: int, pg_url: str, work: Path) -> dict[str, Any]:
    os.environ["FIELDAPP_PASSWORD"] = PASSWORD
    os.environ["FIELDAPP_LANG"] = "en"
    with contextlib.ExitStack() as stack:
        database_url = None
        if backend == "postgresql":
            database_url = stack.enter_context(postgres_database(pg_url))
        server = stack.enter_context(running_server(work, database_url=database_url))
        server.admin("station", "add", STATION, "--name", "Karkh", "--governorate", "IQG08",
                     "--district", "IQG08Q01")  # fmt: skip
        for user in ("ali", "zahra"):
            server.admin("user", "add", user, "--role", "officer", "--station", STATION)
        proxy = stack.enter_context(NetFaultProxy(("127.0.0.1", server.port)))

        device = work / f"{backend}-device-a"
        s = session.create(device, PASSWORD, officer="ali", kdf=KdfParams.for_tests())
        s.close()
        enroll(server, proxy, device, "ali")
        generated = records_of_size(SEED, n, 1024)
        started = time.perf_counter()
        s = session.unlock(device, PASSWORD)
        try:
            for i in range(0, n, 1000):
                s.store.add_many([(r.type, r.fields) for r in generated[i : i + 1000]])
            ids = [r.id for r in s.store.iter_records()]
        finally:
            s.close()
        saved_s = time.perf_counter() - started

        push = step(proxy, device, n)
        assert push["report"]["pushed"] == n, push
        rng = random.Random(SEED)
        edited = rng.sample(ids, max(1, n // 100))
        s = session.unlock(device, PASSWORD)
        try:
            for record_id in edited:
                s.store.edit(
                    record_id, {"mahalla": rng.choice(("حي الجامعة", "حي العدل", "الكرادة"))}
                )
        finally:
            s.close()
        resync = step(proxy, device, len(edited))
        fresh = work / f"{backend}-device-b"
        s = session.create(fresh, PASSWORD, officer="zahra", kdf=KdfParams.for_tests())
        s.close()
        enroll(server, proxy, fresh, "zahra")
        pull = step(proxy, fresh, n)
        assert pull["report"]["pulled"] == n, pull
        count = server.admin_json("records", "count", "--station", STATION)["count"]
        assert count == n, count
    return {
        "backend": backend,
        "records": n,
        "local_save_s": round(saved_s, 2),
        "first_push": push,
        "resync_after_1pct_edits": resync,
        "pull_to_fresh_device": pull,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("FIELDAPP_BENCH_PG", DEFAULT_PG))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    results = []
    try:
        for backend in args.backends.split(","):
            results.append(run_backend(backend, args.records, args.postgres_url, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = f"{'backend':<11}{'step':<26}{'records':>8}{'s':>8}{'rec/s':>9}{'B/rec':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        for key in ("first_push", "resync_after_1pct_edits", "pull_to_fresh_device"):
            x = r[key]
            print(f"{r['backend']:<11}{key:<26}{x['records']:>8}{x['seconds']:>8.2f}"
                  f"{x['records_per_s']:>9.1f}{x['bytes_per_record']:>8.0f}")  # fmt: skip
    path = write_result(NAME, {"results": results, "peak_rss_mib": peak_rss_mib()})
    print(f"\n{path}")


if __name__ == "__main__":
    main()
