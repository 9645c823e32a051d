"""Damaged vaults, wrong folders and a full disk, end to end through `fieldapp-cli`.

Each case runs the real command in a child process on a real vault and checks what the person
at the keyboard sees: the exit code, the translated message, nothing on stdout, and never a
traceback. The full-disk cases then check that nothing was half written.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fieldapp import session
from fieldapp.errors import VaultDamaged
from fieldapp.messages import translate
from fieldapp.store.db import transaction
from fieldapp.vault.vault import DB_FILE, HEADER_FILE
from tests.drivers.cli import PASSWORD, CliResult, cli_process, core_cli, use_device_environment
from tests.records import PERSON

PAGE_SIZE = 4096  # SQLCipher 4 default
EXIT_ERROR, EXIT_INVALID, EXIT_DAMAGED = 1, 2, 4
NOTES = "لاحظت الدورية وجود خلاف بين الجيران حول موقف السيارات وتمت التهدئة. "


def cli(
    data_dir: Path,
    *argv: str,
    stdin: str | None = None,
    lang: str = "ar",
    preexec_fn: Callable[[], None] | None = None,
) -> CliResult:
    """The core's fieldapp-cli on `data_dir` as a child process (no traceback, ever)."""
    argv = ("--lang", lang, "--data-dir", str(data_dir), *argv)
    return cli_process(argv, stdin=stdin, preexec_fn=preexec_fn)


def person(marker: str, i: int) -> dict[str, Any]:
    return {**PERSON, "first_name": "زينب", "notes": f"{marker}-{i} " + NOTES * 50}


def add_batch(data_dir: Path, items: Sequence[dict[str, Any]], **kw: Any) -> CliResult:
    return cli(data_dir, "add", "person", "--json", "-", stdin=json.dumps(items), **kw)


def make_vault(data_dir: Path, records: int) -> list[str]:
    """A vault made and filled through the CLI; returns the ids of its records."""
    assert cli(data_dir, "init", "--officer", "ali.h", "--station", "B12").code == 0
    result = add_batch(data_dir, [person("before", i) for i in range(records)])
    assert result.code == 0, result.err
    return result.out.split()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    data_dir = tmp_path_factory.mktemp("pristine") / "vault"
    ids = make_vault(data_dir, 120)
    # The last connection to close checkpoints the WAL: the database file holds everything.
    assert not (data_dir / (DB_FILE + "-wal")).exists()
    assert (data_dir / DB_FILE).stat().st_size > 64 * PAGE_SIZE
    return data_dir, ids


@pytest.fixture
def damaged(tmp_path: Path, pristine: tuple[Path, list[str]]) -> Path:
    """A copy of the pristine vault, for a test to damage."""
    copy = tmp_path / "vault"
    shutil.copytree(pristine[0], copy)
    return copy


def flip_byte(path: Path, offset: int) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x5A]))


def assert_damaged(result: CliResult, lang: str = "ar") -> None:
    assert result.code == EXIT_DAMAGED, result
    assert result.out == ""
    # The message is the last line; test_damage_is_reported_with_the_message_alone checks that
    # nothing else reaches stderr.
    assert result.err.splitlines()[-1] == translate("vault.damaged", lang)


# --- a damaged database -----------------------------------------------------------------------


def page_offsets(db: Path) -> dict[str, int]:
    pages = db.stat().st_size // PAGE_SIZE
    return {
        "first page": 1000,
        "middle page": (pages // 2) * PAGE_SIZE + 1500,
        "last page": (pages - 1) * PAGE_SIZE + 2500,
    }


@pytest.mark.parametrize("where", ["first page", "middle page", "last page"])
def test_a_flipped_byte_in_the_database_is_reported_as_damage_by_check(
    damaged: Path, where: str
) -> None:
    db = damaged / DB_FILE
    flip_byte(db, page_offsets(db)[where])
    assert_damaged(cli(damaged, "check"))


@pytest.mark.parametrize("command", [["list"], ["search", "زينب"], ["audit", "verify"]])
def test_a_flipped_byte_in_the_first_page_stops_every_command(
    damaged: Path, command: list[str]
) -> None:
    flip_byte(damaged / DB_FILE, 300)
    assert_damaged(cli(damaged, *command))


def test_damage_is_reported_with_the_message_alone(damaged: Path) -> None:
    """Only the translated message reaches stderr: not SQLCipher's own log lines ("ERROR CORE
    sqlcipher_page_cipher: hmac check failed for pgno=1", printed at its default WARN level)."""
    flip_byte(damaged / DB_FILE, 300)
    result = cli(damaged, "list")
    assert result.code == EXIT_DAMAGED
    assert result.err == translate("vault.damaged", "ar") + "\n"


def test_the_damage_message_comes_in_the_chosen_language(damaged: Path) -> None:
    flip_byte(damaged / DB_FILE, 300)
    assert_damaged(cli(damaged, "list", lang="en"), lang="en")


def test_reading_every_record_past_a_damaged_data_page_is_reported_as_damage(
    damaged: Path, pristine: tuple[Path, list[str]]
) -> None:
    """`export` and `list` read every record; a page in the middle has a flipped byte. If they
    read it they report damage and print nothing; `check` always does."""
    db = damaged / DB_FILE
    flip_byte(db, page_offsets(db)["middle page"])
    results = [cli(damaged, "export", "--out", str(damaged.parent / "out.json"))]
    results.append(cli(damaged, "list"))
    for result in results:
        assert result.code in (0, EXIT_DAMAGED), result
        if result.code == EXIT_DAMAGED:
            assert_damaged(result)
    assert_damaged(cli(damaged, "check"))


class _ConnectionInErrorState:
    """A real vault connection whose next write is refused as SQLCipher refuses it after a read
    passed over a page that failed its check (handed back as zeros, with no error)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, *params: Any) -> Any:
        if sql == "BEGIN IMMEDIATE":
            raise sqlcipher3.OperationalError("attempt to write a readonly database")
        return self._conn.execute(sql, *params)


def test_a_write_refused_after_reading_over_damage_is_reported_as_damage(
    damaged: Path,
) -> None:
    with session.unlock(damaged, PASSWORD) as s:
        refusing = _ConnectionInErrorState(s.store.connection)
        with pytest.raises(VaultDamaged), transaction(refusing):
            pass


def test_a_flipped_byte_in_any_page_gives_exit_0_or_4_never_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page of a small vault in turn: a command either does not need that page (exit 0)
    or reports the vault damaged (exit 4); a damaged page must never surface as an internal
    error (exit 1), whichever table or index it belongs to. In-process (`core_cli`), because a
    child process per page and command would take minutes."""
    use_device_environment(monkeypatch, lang=None)
    pristine_dir = tmp_path / "pristine"
    ids = make_vault(pristine_dir, 12)
    pages = (pristine_dir / DB_FILE).stat().st_size // PAGE_SIZE
    commands = [["list"], ["search", "زينب"], ["show", ids[5]], ["audit", "verify"]]
    internal_errors = []
    for page in range(pages):
        for command in commands:
            work = tmp_path / "work"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(pristine_dir, work)
            flip_byte(work / DB_FILE, page * PAGE_SIZE + 2000)
            result = core_cli("--data-dir", str(work), *command)
            assert "Traceback" not in result.err
            if result.code not in (0, EXIT_DAMAGED):
                internal_errors.append((page + 1, command[0], result.code, result.err.strip()[:30]))
    assert internal_errors == []


def test_a_truncated_database_is_reported_as_damage(damaged: Path) -> None:
    db = damaged / DB_FILE
    with db.open("r+b") as f:
        f.truncate((db.stat().st_size // PAGE_SIZE // 2) * PAGE_SIZE + 100)
    assert_damaged(cli(damaged, "check"))


def test_a_database_cut_inside_its_first_page_is_reported_as_damage(damaged: Path) -> None:
    with (damaged / DB_FILE).open("r+b") as f:
        f.truncate(1000)
    assert_damaged(cli(damaged, "list"))


def test_an_empty_database_file_is_reported_as_damage(damaged: Path) -> None:
    (damaged / DB_FILE).write_bytes(b"")
    assert_damaged(cli(damaged, "list"))


def test_a_missing_database_file_is_reported_as_damage(damaged: Path) -> None:
    (damaged / DB_FILE).unlink()
    assert_damaged(cli(damaged, "list"))
    assert not (damaged / DB_FILE).exists()  # no fresh empty database made in its place


# --- a damaged header -------------------------------------------------------------------------


def header_offsets(header: Path) -> dict[str, int]:
    text = header.read_bytes()
    return {
        "wrapped key": text.index(b'"ct"') + 20,
        "kdf salt": text.index(b'"salt"') + 12,
        "checksum": text.index(b'"sha256:') + 20,
        "vault id": text.index(b'"vault_id"') + 16,
        "first brace": 0,
    }


@pytest.mark.parametrize(
    "where", ["wrapped key", "kdf salt", "checksum", "vault id", "first brace"]
)
def test_a_flipped_byte_in_the_header_is_reported_as_damage(damaged: Path, where: str) -> None:
    header = damaged / HEADER_FILE
    flip_byte(header, header_offsets(header)[where])
    assert_damaged(cli(damaged, "list"))


def test_a_truncated_header_is_reported_as_damage(damaged: Path) -> None:
    header = damaged / HEADER_FILE
    header.write_bytes(header.read_bytes()[:200])
    assert_damaged(cli(damaged, "list"))


# --- not a vault ------------------------------------------------------------------------------


def assert_not_a_vault(result: CliResult, folder: Path) -> None:
    assert result.code == EXIT_INVALID, result
    assert result.out == ""
    assert result.err.strip() == translate("cli.no_vault_in", "ar", path=str(folder))


def test_a_missing_data_folder_is_invalid_input_with_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert_not_a_vault(cli(missing, "list"), missing)
    assert_not_a_vault(cli(missing, "add", "person", "--json", json.dumps(PERSON)), missing)
    assert not missing.exists()


def test_a_foreign_folder_is_invalid_input_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "letter.txt").write_text("hello")
    (foreign / "vault.db").write_bytes(b"SQLite format 3\x00" + bytes(4080))
    before = {p.name: p.read_bytes() for p in foreign.iterdir()}
    assert_not_a_vault(cli(foreign, "list"), foreign)
    assert_not_a_vault(cli(foreign, "check"), foreign)
    assert {p.name: p.read_bytes() for p in foreign.iterdir()} == before


def test_a_file_given_as_data_folder_is_invalid_input(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder")
    assert_not_a_vault(cli(a_file, "list"), a_file)


# --- a full disk ------------------------------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str) -> Iterator[bool]:
    """Mount a tmpfs of `size` on `path` (root only); yields whether that worked."""
    path.mkdir()
    mounted = (
        os.geteuid() == 0
        and shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def fill_disk(folder: Path, leave_bytes: int) -> Path:
    """Write a filler file until the disk is full, then give back `leave_bytes`."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as f, contextlib.suppress(OSError):
        while True:
            f.write(bytes(PAGE_SIZE))
    with filler.open("r+b") as f:
        f.truncate(max(0, filler.stat().st_size - leave_bytes))
    return filler


def check_after_failed_add(data_dir: Path, earlier: list[str], marker: str, count: int) -> None:
    """The vault opens and checks clean; earlier records are intact; the failed batch is there
    whole or not at all."""
    with session.unlock(data_dir, PASSWORD) as s:
        s.vault.check_integrity()
        assert s.store.audit.verify() == []
        for i, record_id in enumerate(earlier):
            assert s.store.get(record_id, audit=False).fields["notes"].startswith(f"before-{i} ")
        failed = [
            r for r in s.store.iter_records("person") if r.fields["notes"].startswith(marker + "-")
        ]
        assert len(failed) in (0, count)
        for record in failed:
            assert len(s.store.history(record.id)) == 1
        pending = {c.record_id for c in s.store.pending_changes(limit=100_000)}
        assert {r.id for r in failed} <= pending


def assert_disk_full(result: CliResult) -> None:
    assert result.code == EXIT_ERROR, result
    assert result.out == ""
    assert result.err.strip() == translate("store.disk_full", "ar")


def test_a_full_disk_fails_the_add_cleanly_and_loses_nothing(tmp_path: Path) -> None:
    mount_point = tmp_path / "small"
    with small_tmpfs(mount_point, "4m") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (not root?); the RLIMIT_FSIZE test covers it")
        data_dir = mount_point / "vault"
        earlier = make_vault(data_dir, 10)
        filler = fill_disk(mount_point, leave_bytes=96 * 1024)
        marker = "full-" + uuid.uuid4().hex[:8]
        result = add_batch(data_dir, [person(marker, i) for i in range(40)])
        assert_disk_full(result)
        filler.unlink()
        check_after_failed_add(data_dir, earlier, marker, 40)
        # With space again the same batch goes in.
        again = add_batch(data_dir, [person(marker, i) for i in range(40)])
        assert again.code == 0, again
        assert len(again.out.split()) == 40


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_file_size_limit_fails_the_add_cleanly_and_loses_nothing(tmp_path: Path) -> None:
    """The same through RLIMIT_FSIZE (works without root): writes past the limit fail with
    EFBIG, which SQLite reports as an I/O error."""
    data_dir = tmp_path / "vault"
    earlier = make_vault(data_dir, 10)
    marker = "limit-" + uuid.uuid4().hex[:8]
    size = (data_dir / DB_FILE).stat().st_size
    # The WAL may grow to `size` + 64 KiB: enough for the unlock's audit entry, not for 40
    # records of 8 KiB written three times each (record, revision, outbox).
    limit = _limit_file_size(size + 64 * 1024)
    result = add_batch(data_dir, [person(marker, i) for i in range(40)], preexec_fn=limit)
    assert_disk_full(result)
    check_after_failed_add(data_dir, earlier, marker, 40)
