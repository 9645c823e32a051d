"""200 simulated devices (the real client code) syncing at once: throughput and p95.

Against a real `fieldapp-server serve` process on a loopback port (HTTPS, pinned certificate),
on SQLite and on PostgreSQL. Every simulated device is the real client: its own SQLCipher vault
(`fieldapp.session.create`, test KDF costs), enrolled for real (a one-time code from the
server's admin CLI, the certificate fetched and checked against the fingerprint, then
`sync.client.enroll.complete_enrollment`), and its own `Replica` + `SyncEngine` + requests
`Transport`
with the engine's default `RetryPolicy`. Its outbox holds a day of work: 2/3 to 5/3 of
`--records` home visits of ~1 KiB (`records_of_size`), a fifth of them edited once. Devices
belong to `--stations` stations and `--officers` officers (by default 20 stations of 10 devices,
two per officer). Every device pulls its whole station's day, so the pulled volume grows with
the square of the station size; with larger stations the run mostly measures the simulated
clients writing pulled records into their vaults, which share this machine's CPUs.

How: `--processes` worker processes (Python's GIL would make 200 client threads in one process
the bottleneck) each run their share of the devices, one thread per device (a vault is used on
the thread that opened it). All vaults are created, enrolled and filled first; then the devices
wait on one event per wave and the main process releases them all at once. Each device times
its own `engine.sync()`, from the call to the answer. Waves:

1. `first_sync`: every device pushes its day (and pulls what its station has so far);
2. `catch_up`: every device syncs again and pulls the rest of its station's day;
3. `settle_1`, `settle_2` (untimed, not all at once: two devices per worker process at a time,
   up to five tries each): whatever the timed waves left undone is finished, so that
4. `idle_poll`: every device syncs with nothing new on either side (the cost of polling).

Per wave: wall time from the release to the last answer, syncs/s and changes/s, p50/p95/max of
the per-device latency, errors (must be 0), retries the engine made on 429/503/unreachable (a
counting subclass of `Transport`) and the seconds it slept backing off, the HTTP statuses and
request times in the server's access log, CPU seconds used by the server (and PostgreSQL) and by
the clients, and the load average. Afterwards `fieldapp-server records count --json` must equal
the number of records made, every device must hold every record of its station with nothing
left to send, and the timed waves must have had no error; `verification.problems` says what
failed (exit status 1 only if records are missing). The server's log is kept as
bench/results/sync_fleet-<backend>-serve.log. Client processes run at `--nice` 10: on one
machine they would otherwise starve the server they are measuring.

    python -m bench.sync_fleet [--devices 200] [--records 30] [--processes N]
        [--stations 20] [--officers 100] [--nice 10] [--backends sqlite,postgresql]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

PostgreSQL: a throwaway database made and dropped by `bench.sync_push_pull.postgres_database`.
Results: bench/results/sync_fleet.json.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import multiprocessing as mp
import os
import queue
import random
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from bench.large_vault import RESULTS_DIR, ms_stats, peak_rss_mib, write_result
from bench.sync_push_pull import DEFAULT_PG, PASSWORD, postgres_database
from fieldapp import session
from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.sampledata.generator import records_of_size
from fieldapp.store.replica import Replica
from fieldapp.vault.crypto import KdfParams
from sync.client import enroll
from sync.client.engine import RetryPolicy, SyncEngine, call_with_retries
from sync.client.transport import RetryLater, ServerUnreachable, Transport
from sync.server import cli as server_cli
from tests.server.serverproc import RunningServer, running_server

NAME = "sync_fleet"
# (name, settle): settle rounds are untimed, SETTLE_AT_ONCE devices per worker process at a
# time, up to SETTLE_TRIES tries each: they finish what the timed waves left undone.
WAVES = (("first_sync", False), ("catch_up", False), ("settle_1", True), ("settle_2", True),
         ("idle_poll", False))  # fmt: skip
TIMED = tuple(name for name, settle in WAVES if not settle)
SETTLE_AT_ONCE, SETTLE_TRIES = 2, 5
PREPARE_AT_ONCE = 4  # devices of one worker process being created / enrolled at the same time
READY_TIMEOUT = WAVE_TIMEOUT = 1800.0
BRIEF = ("wave", "errors", "changes_pushed", "wall_s", "latency", "retries", "cpu_s")
ACCESS_LINE = re.compile(r"fieldapp\.server\.access \S+ (\S+) (\S+) (\d+) (\d+)ms")
MAHALLAS = ("حي الجامعة", "حي العدل", "الكرادة", "المنصور", "حي الخضراء")


@dataclass(frozen=True)
class DevicePlan:
    """What one simulated device is: whose, where, its enrollment and its day of work."""

    index: int
    username: str
    station: str
    code: str
    fingerprint: str
    folder: str
    records: int
    edits: int
    seed: int


@dataclass
class DeviceResult:
    """One device's answer to one wave."""

    index: int
    wave: int
    station: str
    seconds: float
    started: float  # time.monotonic(): one clock for every process on the machine
    ended: float
    pid: int
    cpu: tuple[float, float]  # the worker process's CPU seconds at the start and at the end
    report: dict[str, int]  # SyncReport.to_json(); empty on an error
    requests: int
    retries: dict[str, int]
    backoff_s: float
    local_records: int
    pending_after: int
    error: str | None


class CountingTransport(Transport):
    """The real transport, counting requests and the answers the engine will retry."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requests = 0
        self.retryable: collections.Counter[str] = collections.Counter()

    def _request(self, method: str, path: str, **kwargs: Any) -> bytes:
        self.requests += 1
        try:
            return super()._request(method, path, **kwargs)
        except RetryLater as exc:
            self.retryable[str(exc.status)] += 1
            raise
        except ServerUnreachable as exc:  # why, at the bottom: a timeout, a reset, ...
            cause: BaseException = exc
            while (below := cause.__cause__ or cause.__context__) is not None:
                cause = below
            self.retryable[f"unreachable:{type(cause).__name__}"] += 1
            raise


# --- worker processes -----------------------------------------------------------------------


class Device:
    """One simulated device: an unlocked vault with its replica, engine and transport. Used
    only on the thread that made it (SQLCipher connections stay on their thread)."""

    def __init__(self, plan: DevicePlan, url: str, forms: FormRegistry, ref: AdminReference):
        self.plan = plan
        folder = Path(plan.folder)
        kdf = KdfParams.for_tests()  # test costs: 200 vaults are made before the run
        self.session = session.create(folder, PASSWORD, officer=plan.username, kdf=kdf,
                                      forms=forms, reference=ref)  # fmt: skip
        try:
            self.replica = Replica(self.session.store)
            self._enroll(url)
            self._day_of_work()
            identity = self.replica.identity()
            assert identity is not None
            pinned = folder / enroll.SERVER_CERT_FILE
            self.transport = CountingTransport(identity.server_url, pinned, identity.device_id,
                                               identity.token)  # fmt: skip
        except BaseException:
            self.session.close()
            raise
        self.backoff_s = 0.0
        self.engine = SyncEngine(
            self.replica, self.transport, sleep=self._sleep, vault=self.session.vault
        )

    def _enroll(self, url: str) -> None:
        der = enroll.fetch_certificate(url)
        enroll.check_fingerprint(der, self.plan.fingerprint)
        request = enroll.enrollment_request(self.plan.code, f"fleet-{self.plan.index:03d}")
        folder = Path(self.plan.folder)
        done = partial(enroll.complete_enrollment, self.replica, folder, url, der, request)
        call_with_retries(done, RetryPolicy(), sleep=time.sleep, rng=random.random)

    def _day_of_work(self) -> None:
        store = self.session.store
        generated = records_of_size(self.plan.seed, self.plan.records, 1024)
        saved = store.add_many([(r.type, r.fields) for r in generated])
        rng = random.Random(self.plan.seed)
        for record in rng.sample(saved, self.plan.edits):
            store.edit(record.id, {"mahalla": rng.choice(MAHALLAS)})

    def _sleep(self, seconds: float) -> None:
        self.backoff_s += seconds
        time.sleep(seconds)

    def sync(self, wave: int) -> DeviceResult:
        self.transport.requests = 0
        self.transport.retryable.clear()
        self.backoff_s = 0.0
        error: str | None = None
        report: dict[str, int] = {}
        cpu, started, clock = time.process_time(), time.monotonic(), time.perf_counter()
        try:
            report = self.engine.sync().to_json()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        seconds, ended = time.perf_counter() - clock, time.monotonic()
        plan, link = self.plan, self.transport
        return DeviceResult(plan.index, wave, plan.station, seconds, started, ended, os.getpid(),
                            (cpu, time.process_time()), report, link.requests,
                            dict(link.retryable), round(self.backoff_s, 3),
                            self.session.store.count(), self.replica.counts().pending,
                            error)  # fmt: skip

    def close(self) -> None:
        self.transport.close()
        self.session.close()


@dataclass
class WorkerContext:
    url: str
    go: Sequence[Event]
    stop: Event  # set when the run is abandoned: waiting devices close without syncing
    out: Any  # multiprocessing.Queue of ("ready" | "failed" | "result", payload)
    forms: FormRegistry
    reference: AdminReference
    prepare_slots: threading.Semaphore
    settle_slots: threading.Semaphore


def device_thread(plan: DevicePlan, ctx: WorkerContext) -> None:
    try:
        with ctx.prepare_slots:
            device = Device(plan, ctx.url, ctx.forms, ctx.reference)
        pending = device.replica.counts().pending
    except BaseException as exc:
        ctx.out.put(("failed", {"index": plan.index, "error": f"{type(exc).__name__}: {exc}"}))
        return
    try:
        ctx.out.put(("ready", {"index": plan.index, "pending": pending}))
        for wave, ((_name, settle), go) in enumerate(zip(WAVES, ctx.go, strict=True)):
            if not go.wait(READY_TIMEOUT + WAVE_TIMEOUT) or ctx.stop.is_set():
                return
            if not settle:
                result = device.sync(wave)
            else:
                with ctx.settle_slots:
                    for _try in range(SETTLE_TRIES):
                        result = device.sync(wave)
                        if result.error is None:
                            break
            ctx.out.put(("result", asdict(result)))
    finally:
        device.close()


def worker_main(
    plans: list[DevicePlan], url: str, go: list[Event], stop: Event, out: Any, nice: int
) -> None:
    """One worker process: a thread per device, all of them until the last wave is done."""
    os.nice(nice)  # the server gets the CPU first: in the field, clients have their own
    slots = threading.Semaphore(PREPARE_AT_ONCE), threading.Semaphore(SETTLE_AT_ONCE)
    ctx = WorkerContext(url, go, stop, out, load_forms(), load_reference(), *slots)
    with ThreadPoolExecutor(len(plans)) as pool:  # a thread per device, for the whole run
        list(pool.map(partial(device_thread, ctx=ctx), plans))


# --- measuring ------------------------------------------------------------------------------


def _processes() -> dict[int, tuple[str, int, float]]:
    """Every process: (name, parent, CPU seconds of it and of its children it has reaped)."""
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):
            name, rest = (entry / "stat").read_text().split(" (", 1)[1].rsplit(") ", 1)
            f = rest.split()
            found[int(entry.name)] = (name, int(f[1]), sum(map(int, f[11:15])) / tick)
    return found


def _tree(root: int | None, procs: dict[int, tuple[str, int, float]]) -> list[int]:
    found, todo = [], [] if root is None else [root]
    while todo:
        found.append(pid := todo.pop())
        todo.extend(child for child, (_n, parent, _c) in procs.items() if parent == pid)
    return found


def tree_cpu(root: int | None) -> float:
    """CPU seconds used so far by `root` and every process below it, those that have ended
    included (uvicorn workers; PostgreSQL's backends come and go)."""
    procs = _processes()
    return sum(procs[pid][2] for pid in _tree(root, procs) if pid in procs)


def run_queue_waits(root: int) -> dict[str, float]:
    """Seconds each live thread of `root` and below has spent runnable but waiting for a CPU:
    a server starved by its neighbours (the clients, other work on the machine) shows here."""
    waits = {}
    for pid in _tree(root, _processes()):
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    waits[task.name] = int((task / "schedstat").read_text().split()[1]) / 1e9
    return waits


def postmaster() -> int | None:
    """The PostgreSQL server's main process on this machine, if one runs."""
    procs = _processes()
    for pid, (name, parent, _cpu) in procs.items():
        if name == "postgres" and procs.get(parent, ("",))[0] != "postgres":
            return pid
    return None


@dataclass
class Probe:
    """Server (and PostgreSQL) CPU, the server log's position and the load at a wave's start."""

    server_pid: int
    postgres_pid: int | None
    log_path: Path
    cpu: tuple[float, ...] = ()
    waits: dict[str, float] = field(default_factory=dict)
    log_offset: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def _cpu(self) -> tuple[float, ...]:
        return tree_cpu(self.server_pid), tree_cpu(self.postgres_pid)

    def start(self) -> None:
        self.cpu, self.log_offset = self._cpu(), self.log_path.stat().st_size
        self.waits = run_queue_waits(self.server_pid)
        self.load = os.getloadavg()

    def finish(self, results: Sequence[DeviceResult]) -> dict[str, Any]:
        time.sleep(0.3)  # the access log line follows the answer
        server, pg = (round(b - a, 1) for a, b in zip(self.cpu, self._cpu(), strict=True))
        waits = run_queue_waits(self.server_pid).items()  # threads that ended are not counted
        wait = round(sum(w - self.waits.get(t, 0.0) for t, w in waits), 1)
        first = {r.pid: r.cpu[0] for r in sorted(results, key=lambda r: -r.cpu[0])}
        last = {r.pid: r.cpu[1] for r in sorted(results, key=lambda r: r.cpu[1])}
        cpu = {"server": server, "clients": round(sum(last[p] - first[p] for p in last), 1)}
        cpu["server_waiting_for_a_cpu"] = wait
        if self.postgres_pid is not None:
            cpu["postgres"] = pg
        with self.log_path.open("rb") as f:
            f.seek(self.log_offset)
            text = f.read().decode("utf-8", "replace")
        statuses: collections.Counter[str] = collections.Counter()
        times: dict[str, list[float]] = collections.defaultdict(list)
        for match in ACCESS_LINE.finditer(text):
            method, path, status, ms = match.groups()
            statuses[status] += 1
            if status == "200":
                path = "/v1/attachments/..." if path.startswith("/v1/attachments/") else path
                times[f"{method} {path}"].append(int(ms) / 1000)
        return {
            "cpu_s": cpu,
            "load_before": [round(x, 2) for x in self.load],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "server_statuses": dict(sorted(statuses.items())),
            "server_warnings": sum("WARNING" in line for line in text.splitlines()),
            "server_ms_200": {k: ms_stats(v) for k, v in sorted(times.items())},
        }


def wave_summary(wave: str, results: list[DeviceResult], go_at: float) -> dict[str, Any]:
    wall = max(r.ended for r in results) - go_at
    retries: collections.Counter[str] = collections.Counter()
    totals: collections.Counter[str] = collections.Counter()
    for r in results:
        retries.update(r.retries)
        totals.update(r.report)
    errors = collections.Counter(r.error for r in results if r.error is not None)
    return {
        "wave": wave,
        "devices": len(results),
        "errors": errors.total(),
        "error_kinds": dict(errors.most_common(5)),
        "changes_pushed": totals["pushed"],
        "heads_pulled": totals["pulled"],
        "merged_rejected": [totals["merged"], totals["rejected"]],
        "wall_s": round(wall, 2),
        "syncs_per_s": round((len(results) - errors.total()) / wall, 1),
        "changes_per_s": round(totals["pushed"] / wall, 1),
        "latency": ms_stats([r.seconds for r in results]),
        "start_spread_ms": round((max(r.started for r in results) - go_at) * 1000, 1),
        "http_requests": sum(r.requests for r in results),
        "retries": dict(sorted(retries.items())),
        "devices_that_retried": sum(1 for r in results if r.retries),
        "backoff_s_total": round(sum(r.backoff_s for r in results), 1),
    }


# --- the run --------------------------------------------------------------------------------


def admin(server: RunningServer, *argv: str) -> str:
    """A `fieldapp-server` admin command, run in this process (200 codes: no 200 processes)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = server_cli.main(["--lang", "en", "--data-dir", str(server.data_dir), *argv], out)
    if code != 0:
        raise RuntimeError(f"fieldapp-server {argv} exited {code}: {err.getvalue()}")
    return out.getvalue()


def make_plans(
    server: RunningServer, args: argparse.Namespace, work: Path, backend: str
) -> list[DevicePlan]:
    """Stations, officers (one home station each) and a device plan with its code per device."""
    stations = [f"F{i + 1:02d}" for i in range(args.stations)]
    for code in stations:
        admin(server, "station", "add", code, "--name", f"Fleet {code}", "--governorate", "IQG08",
              "--district", "IQG08Q01")  # fmt: skip
    officers = [(f"officer{j:03d}", stations[j % len(stations)]) for j in range(args.officers)]
    for username, station in officers:
        admin(server, "user", "add", username, "--role", "officer", "--station", station)
    rng = random.Random(args.seed)
    low, high = max(1, round(args.records * 2 / 3)), max(1, round(args.records * 5 / 3))
    plans = []
    for i in range(args.devices):
        username, station = officers[i % len(officers)]
        code = json.loads(admin(server, "enroll-code", username, "--json"))["code"]
        n, folder, seed = rng.randint(low, high), work / f"{backend}-{i:03d}", args.seed * 1000 + i
        plans.append(DevicePlan(i, username, station, code, server.fingerprint, str(folder),
                                n, n // 5, seed))  # fmt: skip
    return plans


def _collect(
    out: Any, kind: str, n: int, workers: Sequence[Any], timeout: float
) -> list[dict[str, Any]]:
    """`n` messages of `kind` from the workers; RuntimeError on a failure, a dead worker or
    the timeout."""
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(got) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {kind}: {len(got)} of {n}")
        try:
            what, payload = out.get(timeout=1.0)
        except queue.Empty:
            if any(not w.is_alive() and w.exitcode for w in workers):
                raise RuntimeError("a worker process died") from None
            continue
        if what == "failed":
            raise RuntimeError(f"device {payload['index']} could not be prepared: {payload}")
        if what == kind:
            got.append(payload)
    return got


@contextlib.contextmanager
def fleet(
    plans: list[DevicePlan], url: str, processes: int, nice: int
) -> Iterator[tuple[Any, list[Event], list[Any]]]:
    """Worker processes running the devices; stopped (terminated if need be) on exit."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    go = [ctx.Event() for _wave in WAVES]
    stop = ctx.Event()
    shares = [plans[i::processes] for i in range(processes)]
    workers = [
        ctx.Process(target=worker_main, args=(share, url, go, stop, out, nice), daemon=True)
        for share in shares
        if share
    ]
    for w in workers:
        w.start()
    try:
        yield out, go, workers
    finally:
        stop.set()
        for event in go:
            event.set()  # devices still waiting close their vaults and end
        deadline = time.monotonic() + 120
        while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.5)  # a worker exits only once its messages are taken
        for w in workers:
            if w.is_alive():
                w.terminate()
            w.join(10)
        out.close()
        out.join_thread()


def run_backend(backend: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        database_url = None
        if backend == "postgresql":
            database_url = stack.enter_context(postgres_database(args.postgres_url))
        server = stack.enter_context(running_server(work, database_url=database_url))
        started = time.perf_counter()
        plans = make_plans(server, args, work, backend)
        url = server.base_url
        out, go, workers = stack.enter_context(fleet(plans, url, args.processes, args.nice))
        ready = _collect(out, "ready", len(plans), workers, READY_TIMEOUT)
        prepare_s = time.perf_counter() - started
        made = sum(p.records for p in plans)
        pg = postmaster() if backend == "postgresql" else None
        probe = Probe(server.process.pid, pg, server.log_path)
        waves = []
        try:
            for index, (name, _settle) in enumerate(WAVES):
                probe.start()
                go_at = time.monotonic()
                go[index].set()
                payloads = _collect(out, "result", len(plans), workers, WAVE_TIMEOUT)
                results = [DeviceResult(**p) for p in payloads]
                waves.append({**wave_summary(name, results, go_at), **probe.finish(results)})
                print(json.dumps({"backend": backend, **{k: waves[-1][k] for k in BRIEF}}))
            verification = verify(server, plans, results, waves)
        finally:
            with contextlib.suppress(OSError):
                RESULTS_DIR.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(server.log_path, RESULTS_DIR / f"{NAME}-{backend}-serve.log")
    return {
        "backend": backend,
        "devices": len(plans),
        "processes": len(workers),
        "stations": args.stations,
        "officers": args.officers,
        "records_made": made,
        "edits_made": sum(p.edits for p in plans),
        "outbox_before": sum(r["pending"] for r in ready),
        "prepare_s": round(prepare_s, 1),
        "waves": waves,
        "verification": verification,
    }


def verify(
    server: RunningServer,
    plans: Sequence[DevicePlan],
    last: Sequence[DeviceResult],
    waves: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """After the idle wave: the server holds every record made (its admin CLI says so), every
    device holds every record of its station and has nothing left to send, the idle wave moved
    nothing, and no timed wave had an error. `problems` lists what failed; `lost` is set when a
    record is missing anywhere (a correctness failure, not a slow server)."""
    made = sum(p.records for p in plans)
    counted = json.loads(server.admin("records", "count", "--json"))["count"]
    per_station = {
        code: json.loads(server.admin("records", "count", "--station", code, "--json"))["count"]
        for code in sorted({p.station for p in plans})
    }
    by_index = {r.index: r for r in last}
    behind = [p.index for p in plans if by_index[p.index].local_records != per_station[p.station]]
    pending = [r.index for r in last if r.pending_after]
    problems, idle = [], waves[-1]
    if counted != made:
        problems.append(f"server holds {counted} records, {made} were made")
    if behind or pending:
        problems.append(f"devices behind: {behind[:10]}, with changes left: {pending[:10]}")
    if idle["changes_pushed"] or idle["heads_pulled"]:
        problems.append("the idle poll moved records")
    for wave in waves:
        if wave["wave"] in TIMED and wave["errors"]:
            problems.append(f"{wave['errors']} devices failed their sync in {wave['wave']}")
    return {
        "server_records_count": counted,
        "per_station": per_station,
        "devices_behind": len(behind),
        "devices_with_pending_changes": len(pending),
        "lost": counted != made or bool(behind or pending),
        "passed": not problems,
        "problems": problems,
    }


def main() -> None:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--records", type=int, default=30, help="mean records per device")
    parser.add_argument("--processes", type=int, default=min(8, max(4, 2 * cpus)))
    parser.add_argument("--stations", type=int, default=20)
    parser.add_argument("--officers", type=int, default=100)
    parser.add_argument("--nice", type=int, default=10, help="of the client processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("FIELDAPP_BENCH_PG", DEFAULT_PG))
    args = parser.parse_args()
    if min(args.devices, args.records, args.processes, args.stations, args.officers) < 1:
        parser.error("counts must be at least 1")
    args.officers = min(args.officers, args.devices)
    args.stations = min(args.stations, args.officers)
    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    results = []
    load_start = os.getloadavg()
    try:
        for backend in args.backends.split(","):
            results.append(run_backend(backend.strip(), args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = {
        "cpus": cpus,
        "load_at_start": [round(x, 2) for x in load_start],
        "load_at_end": [round(x, 2) for x in os.getloadavg()],
        "results": results,
        "peak_rss_mib_main": peak_rss_mib(),
    }
    print(f"{'backend':<11}{'wave':<11}{'devices':>8}{'wall s':>8}{'syncs/s':>9}"
          f"{'chg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>7}")  # fmt: skip
    for r in results:
        for w in r["waves"]:
            lat = w["latency"]
            print(f"{r['backend']:<11}{w['wave']:<11}{w['devices']:>8}{w['wall_s']:>8.2f}"
                  f"{w['syncs_per_s']:>9.1f}{w['changes_per_s']:>8.1f}{lat['p50_ms']:>9.0f}"
                  f"{lat['p95_ms']:>9.0f}{lat['max_ms']:>9.0f}{w['errors']:>7}")  # fmt: skip
    path = write_result(NAME, summary)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\n{path}")
    for r in results:
        for problem in r["verification"]["problems"]:
            print(f"{r['backend']}: {problem}")
    lost = [r["backend"] for r in results if r["verification"]["lost"]]
    if lost:
        raise SystemExit(f"records lost or not delivered on {', '.join(lost)}")


if __name__ == "__main__":
    main()
