"""A demo world on this machine: a local `fieldapp-server` with three stations, their officers and
generated records, and one officer's laptop enrolled to it, for `fieldapp --demo`.

Everything is real: the server is its own process on a loopback port over HTTPS (SQLite, in the
demo's folder), the laptops are SQLCipher vaults that enroll with one-time codes and sync through
the same engine as the app. Some records end in conflict (the officer's old laptop edited them too)
and some changes are refused by the server (as from a laptop with outdated form definitions), so
every screen has something to show. Nothing here is record data of real people.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests

from fieldapp import session as sessions
from fieldapp.sampledata.generator import generate
from fieldapp.sampledata.households import GeneratedRecord
from fieldapp.session import Session, kdf_from_environment
from fieldapp.store.replica import Replica
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.enroll import (
    SERVER_CERT_FILE,
    complete_enrollment,
    enrollment_request,
    fetch_certificate,
)
from sync.client.report import SyncReport
from sync.client.transport import Transport

DEMO_PASSWORD = "demo vault of sample records"  # noqa: S105 (sample data only; never real records)
START_TIMEOUT = 90.0

# code, name, governorate, district (p-codes of resources/reference/iraq_admin.csv)
STATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("B12", "مركز شرطة الأعظمية المجتمعية", "IQG08", "IQG08Q01"),
    ("K03", "مركز شرطة الحويجة المجتمعية", "IQG13", "IQG13Q01"),
    ("D07", "مركز شرطة بعقوبة المجتمعية", "IQG10", "IQG10Q04"),
)
OFFICERS: tuple[tuple[str, str], ...] = (  # username, station
    ("ali.hassan", "B12"),
    ("zainab.kadhim", "B12"),
    ("omar.salih", "K03"),
    ("hawre.aziz", "K03"),
    ("sara.jasim", "D07"),
)
APP_OFFICER = "ali.hassan"  # the laptop the app opens
CONFLICTS = 4  # records both of the officer's laptops edited apart
REFUSED = 2  # changes the server refuses


@dataclass(frozen=True)
class DemoSize:
    """How much to generate: households, each with its people and one to six activities (about
    four on average: 500 households bring about 2,000 activities)."""

    households: int = 500
    seed: int = 2026
    extra_activities: tuple[int, ...] = (5, 10, 20, 30, 20, 15)


Progress = Callable[[str], None]


@dataclass
class DemoWorld:
    """The running demo: the server process and the app officer's laptop."""

    folder: Path
    server_dir: Path
    url: str
    fingerprint: str
    process: subprocess.Popen[bytes]
    laptop: Path  # the data folder the app opens
    password: str = DEMO_PASSWORD
    counts: dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_command() -> list[str]:
    """`fieldapp-server` beside this interpreter, else `python -m sync.server`."""
    script = Path(sys.executable).with_name("fieldapp-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.server"]


def server_available() -> bool:
    """Whether the server extra is installed (the demo needs it; an officer's laptop has not).
    Looked up, not imported: the client never loads the server stack."""
    return importlib.util.find_spec("uvicorn") is not None and (
        importlib.util.find_spec("sync.server") is not None
    )


# One interpreter runs all the station's set-up commands (each `fieldapp-server` process would
# spend seconds importing the server stack); the commands are the ones station IT types.
_BATCH = """
import io, json, sys
from sync.server.cli import main
results = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    sys.stderr = err
    code = main(argv, out)
    sys.stderr = sys.__stderr__
    results.append({"code": code, "out": out.getvalue(), "err": err.getvalue()})
json.dump(results, sys.stdout)
"""


def _admin(server_dir: Path, *commands: Sequence[str]) -> list[str]:
    """Run `fieldapp-server` admin commands on `server_dir`, in order; their outputs."""
    prefix = ["--lang", "en", "--data-dir", str(server_dir)]
    done = subprocess.run(
        [sys.executable, "-c", _BATCH],
        input=json.dumps([[*prefix, *argv] for argv in commands]),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"fieldapp-server set-up failed: {done.stderr.strip()[-500:]}")
    outputs: list[str] = []
    for argv, result in zip(commands, json.loads(done.stdout), strict=True):
        if result["code"] != 0:
            raise RuntimeError(f"fieldapp-server {argv[0]} failed: {result['err'].strip()}")
        outputs.append(result["out"])
    return outputs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(server_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`fieldapp-server serve` on a free loopback port, once it answers (a port taken between
    choosing and binding is retried with another)."""
    log_path = server_dir / "serve.log"
    for _attempt in range(5):
        port = _free_port()
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [*server_command(), "--lang", "en", "--data-dir", str(server_dir), "serve",
                 "--host", "127.0.0.1", "--port", str(port)],
                stdout=log, stderr=log,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )  # fmt: skip
        url = f"https://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(url + "/", verify=str(server_dir / "server.pem"), timeout=2)
                return process, url
            except requests.ConnectionError:
                time.sleep(0.1)
        if process.poll() is None:
            process.kill()
        process.wait()
        if "already in use" not in log_path.read_text(encoding="utf-8", errors="replace"):
            break
    raise RuntimeError(f"the demo server did not start; see {log_path}")


def _enroll(world_url: str, data_dir: Path, code: str, name: str) -> Session:
    """A new vault in `data_dir`, enrolled with the one-time `code` the station gave, synced
    once (its first block of record numbers, the station's records). The session is left open."""
    der = fetch_certificate(world_url)
    session = sessions.create(data_dir, DEMO_PASSWORD, kdf=kdf_from_environment())
    try:
        replica = Replica(session.store)
        complete_enrollment(replica, data_dir, world_url, der, enrollment_request(code, name))
        _sync(session, data_dir)
    except BaseException:
        session.close()
        raise
    return session


def _sync(session: Session, data_dir: Path) -> SyncReport:
    with session.open_for_sync() as access:
        identity = Replica(access.store).identity()
        assert identity is not None
        cert = data_dir / SERVER_CERT_FILE
        with Transport(identity.server_url, cert, identity.device_id, identity.token) as link:
            return SyncEngine.over(access, link, policy=RetryPolicy(max_attempts=5)).sync()


def _share(records: Sequence[GeneratedRecord], parts: int) -> list[list[GeneratedRecord]]:
    """Generated records dealt out by household (a household, its people and activities stay
    together, in the order a store can take them)."""
    shares: list[list[GeneratedRecord]] = [[] for _ in range(parts)]
    turn = -1
    for record in records:
        if record.type == "household":
            turn = (turn + 1) % parts
        shares[max(turn, 0)].append(record)
    return shares


def build(
    folder: Path, size: DemoSize = DemoSize(), progress: Progress = lambda _s: None
) -> DemoWorld:
    """Make the demo world in `folder` (emptied first) and leave its server running."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, mode=0o700)
    server_dir = folder / "server"
    progress("server")
    laptops = [*(username for username, _station in OFFICERS), APP_OFFICER]  # + the old laptop
    outputs = _admin(
        server_dir,
        ["init"],
        *(["station", "add", code, "--name", name, "--governorate", governorate,
           "--district", district] for code, name, governorate, district in STATIONS),
        *(["user", "add", username, "--role", "officer", "--station", station]
          for username, station in OFFICERS),
        *(["enroll-code", username, "--json"] for username in laptops),
    )  # fmt: skip
    fingerprint = outputs[0].strip()
    codes = [json.loads(out)["code"] for out in outputs[-len(laptops) :]]
    process, url = _serve(server_dir)
    world = DemoWorld(folder, server_dir, url, fingerprint, process, folder / "laptop")
    try:
        _populate(world, size, codes, progress)
    except BaseException:
        world.stop()
        raise
    return world


def _populate(world: DemoWorld, size: DemoSize, codes: list[str], progress: Progress) -> None:
    records = generate(
        size.seed, size.households, today=date.today(), extra_activities=size.extra_activities
    )
    shares = _share(records, len(OFFICERS))
    laptop: Session | None = None
    for (username, _station), share, code in zip(OFFICERS, shares, codes, strict=False):
        progress(username)
        is_app = username == APP_OFFICER
        data_dir = world.laptop if is_app else world.folder / f"laptop-{username}"
        session = _enroll(world.url, data_dir, code, f"laptop-{username}")
        session.store.add_many([(r.type, r.fields, r.id) for r in share])
        _sync(session, data_dir)
        if is_app:
            laptop = session
        else:
            session.close()
    assert laptop is not None
    try:
        progress("conflicts")
        _make_conflicts(world, laptop, codes[-1])
        _make_refusals(world, laptop)
        _sync(laptop, world.laptop)
        world.counts = {t: laptop.store.count(t) for t in laptop.store.forms.types()}
    finally:
        laptop.close()


def _make_conflicts(world: DemoWorld, laptop: Session, code: str) -> None:
    """The officer's old laptop and this one edit the same households apart: the second to
    sync meets the first's edit, and a clerk (and the officer) sees the conflict."""
    _sync(laptop, world.laptop)  # the other officers' records of the station arrive first
    old_dir = world.folder / "laptop-old"
    old = _enroll(world.url, old_dir, code, "old-laptop")
    try:
        households = laptop.store.listing.page("household", limit=CONFLICTS).items
        for n, item in enumerate(households):
            old.store.edit(item.id, {"notes": f"زيارة متابعة {n + 1}: الأسرة بحاجة إلى مساعدة"})
            laptop.store.edit(item.id, {"notes": f"تم الاتصال بالأسرة هاتفياً ({n + 1})"})
        _sync(old, old_dir)
    finally:
        old.close()


def _make_refusals(world: DemoWorld, laptop: Session) -> None:
    """Changes the server's rules refuse, as from a laptop with outdated form definitions: a
    field the station's forms no longer know, written into the waiting change itself."""
    people = laptop.store.listing.page("person", limit=REFUSED).items
    for item in people:
        laptop.store.edit(item.id, {"notes": "ملاحظة قديمة"})
        row = laptop.store.connection.execute(
            "SELECT fields FROM outbox WHERE record_id = ?", (item.id,)
        ).fetchone()
        fields = {**json.loads(row[0]), "nickname": "أبو علي"}
        laptop.store.connection.execute(
            "UPDATE outbox SET fields = ? WHERE record_id = ?", (json.dumps(fields), item.id)
        )
