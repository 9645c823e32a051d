"""fieldapp-cli as tests run it: in this process (fast) or as a child process (real exit codes,
a fresh interpreter, killable), always giving a `CliResult`."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from fieldapp.cli import app as core_program
from fieldapp.session import TEST_KDF_PROFILE
from fieldapp.vault import kdf_policy
from sync.client import cli as client_program

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "كلمة-سر-طويلة"  # every driven vault's password
STATION = "B12"  # the station of every driven device

Main = Callable[[Sequence[str], TextIO], int]


@dataclass(frozen=True)
class CliResult:
    """What the person at the keyboard saw: the exit code, standard output and standard error."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)


def run_in_process(main: Main, argv: Sequence[str], *, stdin: str | None = None) -> CliResult:
    """`main(argv)` with stdout and stderr captured and `stdin` (when given) as standard input;
    an argparse usage error (SystemExit) gives its exit code, as the console script would."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stderr(err):
            try:
                code = main(list(argv), out)
            except SystemExit as exit_:
                code = int(exit_.code or 0)
    finally:
        sys.stdin = old_stdin
    return CliResult(code, out.getvalue(), err.getvalue())


def core_cli(*argv: str, stdin: str | None = None) -> CliResult:
    """The core's fieldapp-cli (`fieldapp.cli.app`, no sync commands) in this process."""
    return run_in_process(core_program.main, argv, stdin=stdin)


def fieldapp_cli(*argv: str, stdin: str | None = None) -> CliResult:
    """fieldapp-cli as installed (`sync.client.cli`: the core's commands and enroll, sync,
    status) in this process."""
    return run_in_process(client_program.main, argv, stdin=stdin)


def fieldapp_cli_help(*argv: str) -> CliResult:
    """`fieldapp-cli ARGV --help` in this process; argparse writes help to the process's
    standard output, which is captured as `out`."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = fieldapp_cli(*argv, "--help")
    return CliResult(result.code, printed.getvalue(), result.err)


def use_device_environment(monkeypatch: pytest.MonkeyPatch, *, lang: str | None) -> None:
    """The environment fieldapp-cli reads in this process: the password, the test suite's cheap
    KDF, no new password, and the language (`None`: the default, Arabic)."""
    monkeypatch.setenv("FIELDAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("FIELDAPP_KDF_PROFILE", TEST_KDF_PROFILE)
    monkeypatch.delenv("FIELDAPP_NEW_PASSWORD", raising=False)
    if lang is None:
        monkeypatch.delenv("FIELDAPP_LANG", raising=False)
    else:
        monkeypatch.setenv("FIELDAPP_LANG", lang)


def cli_environment(password: str = PASSWORD, **extra: str) -> dict[str, str]:
    """The environment of a fieldapp-cli child process: this one's without any FIELDAPP_
    setting, then the password, the cheap KDF, the checkout on PYTHONPATH, and `extra`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
    return {
        **inherited,
        "FIELDAPP_PASSWORD": password,
        "FIELDAPP_KDF_PROFILE": TEST_KDF_PROFILE,
        kdf_policy.TEST_RUN_ENV: kdf_policy.TEST_RUN_VALUE,  # with the profile: a test run
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def cli_process(
    argv: Sequence[str],
    *,
    module: str = "fieldapp.cli.app",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> CliResult:
    """`python -m <module> ARGV` as a child process (the core's fieldapp-cli unless `module`
    says otherwise). No traceback may reach the user: the driver asserts that on every run."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_environment() if env is None else env,
        cwd=cwd,
        timeout=120,
        preexec_fn=preexec_fn,  # only setrlimit, before exec
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
