"""A real `fieldapp-server serve` process for tests: a temp data folder, a free loopback port,
HTTPS with the certificate `init` made (clients use `requests` with `verify=server.cert_path`,
never verify=False).

    with running_server(tmp_path) as server:
        server.admin("station", "add", "B12", "--name", "Karrada", "--governorate", "IQG08",
                     "--district", "IQG08Q01")
        server.admin("user", "add", "ali", "--role", "officer", "--station", "B12")
        code = server.admin_json("enroll-code", "ali")["code"]
        requests.post(server.url("/v1/enroll"), json=..., headers=server.headers(),
                      verify=server.cert_path)

Admin commands run as separate `fieldapp-server` processes against the same data folder, as a
station script would while the server is serving.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server.config import DataFolder

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0


def server_command() -> list[str]:
    """The `fieldapp-server` console script beside this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("fieldapp-server")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "sync.server"]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "FIELDAPP_LANG": "en", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FIELDAPP_DEBUG", None)
    return {**env, **(extra or {})}


def run_server_command(
    data_dir: Path | None,
    *argv: str,
    lang: str = "en",
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> subprocess.CompletedProcess[str]:
    """`fieldapp-server [--data-dir DIR] --lang LANG ARGV...` as a process; output captured."""
    prefix = ["--lang", lang] + ([] if data_dir is None else ["--data-dir", str(data_dir)])
    return subprocess.run(
        [*server_command(), *prefix, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(env),
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def init_server(
    data_dir: Path, *, database_url: str | None = None, hostnames: Sequence[str] = ()
) -> str:
    """`fieldapp-server init`; returns the certificate fingerprint it printed."""
    argv = ["init", *(["--database-url", database_url] if database_url else [])]
    for name in hostnames:
        argv += ["--hostname", name]
    done = run_server_command(data_dir, *argv)
    if done.returncode != 0:
        raise RuntimeError(f"init failed ({done.returncode}): {done.stderr}")
    return done.stdout.strip()


class AdminCommandFailed(AssertionError):
    pass


@dataclass
class RunningServer:
    """A serving process and its data folder."""

    data_dir: Path
    port: int
    http: bool
    fingerprint: str
    process: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"{'http' if self.http else 'https'}://127.0.0.1:{self.port}"

    @property
    def cert_path(self) -> Path:
        return self.data_dir / "server.pem"

    @property
    def verify(self) -> str:
        """What to give `requests` as `verify=`: the server's own certificate."""
        return str(self.cert_path)

    def url(self, path: str) -> str:
        return self.base_url + path

    @staticmethod
    def headers(token: str | None = None, **extra: str) -> dict[str, str]:
        """Protocol header, and the bearer token when given."""
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **extra}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def admin_run(self, *argv: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        """An admin command as a separate process; any exit code."""
        return run_server_command(self.data_dir, *argv, lang=lang)

    def admin(self, *argv: str) -> str:
        """An admin command that must succeed; its standard output."""
        done = self.admin_run(*argv)
        if done.returncode != 0:
            raise AdminCommandFailed(f"{argv} exited {done.returncode}: {done.stderr}")
        return done.stdout

    def admin_json(self, *argv: str) -> Any:
        return json.loads(self.admin(*argv, "--json"))

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def is_running(self) -> bool:
        return self.process.poll() is None


def _wait_until_answering(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not server.is_running():
            raise RuntimeError(f"fieldapp-server serve exited early:\n{server.log()}")
        try:
            requests.get(server.url("/openapi.json"), verify=server.verify, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"fieldapp-server serve did not answer:\n{server.log()}")


def start_server(
    data_dir: Path, *, http: bool = False, fingerprint: str = "", log_name: str = "serve.log"
) -> RunningServer:
    """`fieldapp-server serve` on a free port of an initialised folder, once it answers.
    (A port taken between choosing and binding is retried with another.)"""
    for _attempt in range(3):
        port = free_port()
        log_path = data_dir.parent / f"{data_dir.name}-{port}-{log_name}"
        argv = ["--lang", "en", "--data-dir", str(data_dir), "serve", "--port", str(port)]
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [*server_command(), *argv, *(["--http"] if http else [])],
                cwd=ROOT,
                stdout=log,
                stderr=log,
                env=_env(),
            )
        server = RunningServer(data_dir, port, http, fingerprint, process, log_path)
        try:
            _wait_until_answering(server)
            return server
        except RuntimeError:
            stop_server(server)
            if "address already in use" not in server.log():
                raise
    raise RuntimeError("no free port for fieldapp-server serve")


def stop_server(server: RunningServer, *, grace: float = 2.0) -> None:
    """SIGTERM (uvicorn finishes requests in flight); after `grace` seconds SIGINT (uvicorn's
    "force quit": it stops waiting for keep-alive connections that clients left open); SIGKILL
    if it is still there 10 s later."""
    process = server.process
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGINT, 10.0)):
        if process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    process.wait()


@contextmanager
def running_server(
    tmp_path: Path,
    *,
    database_url: str | None = None,
    http: bool = False,
    hostnames: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> Iterator[RunningServer]:
    """Init a data folder under `tmp_path` (SQLite unless `database_url`), set `settings` in
    its server.toml (e.g. `{"api_docs": True}`), serve it, yield, and stop the process."""
    data_dir = tmp_path / f"server-{free_port()}"
    fingerprint = init_server(data_dir, database_url=database_url, hostnames=hostnames)
    if settings:
        folder = DataFolder(data_dir)
        folder.save(dataclasses.replace(folder.load(), **settings))
    server = start_server(data_dir, http=http, fingerprint=fingerprint)
    try:
        yield server
    finally:
        stop_server(server)


def console_script_installed() -> bool:
    return Path(sys.executable).with_name("fieldapp-server").exists() or bool(
        shutil.which("fieldapp-server")
    )
