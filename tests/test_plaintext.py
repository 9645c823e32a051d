"""Nothing is written in clear: every byte under the data folder is searched for known text.

Records of every type, carrying unique Arabic and Latin markers, national ID numbers and phone
numbers, are written through `fieldapp-cli` (child processes) and through the store API, with
attachments whose names and contents carry markers too. Then every file under the vault folder
(database, WAL, SHM, header, unlock state, anything else) is searched for each marker in UTF-8,
UTF-16-LE and UTF-16-BE, once with the vault open (WAL and SHM present) and once after it is
closed. The child processes get an empty HOME, TMPDIR and working folder, which must stay empty:
the export the user names is the only plaintext written, and only where it was named.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session, text
from fieldapp.forms.definitions import load_forms
from fieldapp.sampledata.generator import generate
from fieldapp.session import TEST_KDF_PROFILE
from tests.drivers.cli import PASSWORD, ROOT, cli_process

TODAY = datetime.date(2026, 11, 20)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
# Letters that Arabic search normalization leaves alone, so a marker is stored and indexed as
# the same text (both forms are scanned anyway).
ARABIC_DIGITS = "بتثجحخدسشص"


def arabic_marker(n: int) -> str:
    return "طلسم" + "".join(ARABIC_DIGITS[int(d)] for d in f"{n:04d}")


def latin_marker(n: int) -> str:
    return f"zqxmarker{n:04d}"


@dataclass
class Written:
    """What the test wrote, and what it saw of the disk while doing so."""

    data_dir: Path
    markers: dict[str, list[str]] = field(default_factory=dict)  # record id -> its markers
    extra_markers: list[str] = field(default_factory=list)  # attachment names and contents
    export: Path | None = None
    outside_dirs: list[Path] = field(default_factory=list)  # HOME, TMPDIR, cwd: stay empty
    hits_while_open: dict[str, list[str]] = field(default_factory=dict)
    files_while_open: list[str] = field(default_factory=list)

    def all_markers(self) -> list[str]:
        return [m for ms in self.markers.values() for m in ms] + self.extra_markers


# --- the scanner ------------------------------------------------------------------------------


def needles(markers: Iterable[str]) -> dict[bytes, str]:
    """Each marker (and its normalized search form) in every encoding, mapped to a label."""
    found: dict[bytes, str] = {}
    for marker in markers:
        for form in {marker, text.normalize(marker)}:
            for encoding in ENCODINGS:
                found[form.encode(encoding)] = f"{form} ({encoding})"
    return found


def scan(folder: Path, markers: Iterable[str]) -> dict[str, list[str]]:
    """File (relative to `folder`) -> the markers found in it, over the whole tree."""
    wanted = needles(markers)
    hits: dict[str, list[str]] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            data = path.read_bytes()
            found = [label for needle, label in wanted.items() if needle in data]
            if found:
                hits[str(path.relative_to(folder))] = found
    return hits


# --- writing ----------------------------------------------------------------------------------


def cli(args: list[str], *, env: dict[str, str], cwd: Path, stdin: str | None = None) -> str:
    """The core's fieldapp-cli as a child process with exactly `env`; must succeed."""
    result = cli_process(args, env=env, cwd=cwd, stdin=stdin)
    assert result.code == 0, result.err
    return result.out


def two_of_each_type() -> list[tuple[str, dict[str, Any]]]:
    """Two generated records of every type (ten households or more cover them all)."""
    chosen: dict[str, list[dict[str, Any]]] = {}
    for record in generate(7, 25, today=TODAY):
        picked = chosen.setdefault(record.type, [])
        if len(picked) < 2:
            picked.append(dict(record.fields))
    assert set(chosen) == set(load_forms().types())
    assert all(len(v) == 2 for v in chosen.values())
    return [(kind, fields) for kind, pair in sorted(chosen.items()) for fields in pair]


def with_markers(kind: str, fields: dict[str, Any], n: int) -> tuple[dict[str, Any], list[str]]:
    """`fields` with this record's markers in its notes (and, for a person, its own national
    ID and phone number)."""
    markers = [arabic_marker(n), latin_marker(n)]
    marked = {**fields, "notes": f"ملاحظة {markers[0]} و {markers[1]} انتهت"}
    if kind == "person":
        national_id = f"1987{n:08d}"
        local_phone = f"0783{n:07d}"
        marked.update(national_id=national_id, phone=local_phone)
        markers += [national_id, "+964" + local_phone[1:], local_phone]
    return marked, markers


def empty_dir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    base = tmp_path_factory.mktemp("plaintext")
    home, tmp, cwd = (empty_dir(base / name) for name in ("home", "tmp", "cwd"))
    exports = empty_dir(base / "exports")
    data_dir = base / "vault"
    w = Written(data_dir, outside_dirs=[home, tmp, cwd])
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "FIELDAPP_PASSWORD": PASSWORD,
        "FIELDAPP_KDF_PROFILE": TEST_KDF_PROFILE,
        "FIELDAPP_TEST_RUN": "1",  # with the profile: a test run
    }
    dd = ["--data-dir", str(data_dir)]
    items = two_of_each_type()

    # Through the CLI: the first record of every type, one child process per type.
    cli([*dd, "init", "--officer", "ali.h", "--station", "B12"], env=env, cwd=cwd)
    cli_ids: list[str] = []
    for n, (kind, fields) in enumerate(items):
        if n % 2:
            continue
        marked, markers = with_markers(kind, fields, n)
        out = cli([*dd, "add", kind, "--json", "-"], env=env, cwd=cwd, stdin=json.dumps(marked))
        (record_id,) = out.split()
        w.markers[record_id] = markers
        cli_ids.append(record_id)
    # An edit through the CLI: the record gets a new marker (the old text stays in history).
    edited = cli_ids[0]
    new_markers = [arabic_marker(900), latin_marker(900)]
    patch = {"notes": f"عدلت {new_markers[0]} {new_markers[1]}"}
    cli([*dd, "edit", edited, "--json", json.dumps(patch)], env=env, cwd=cwd)
    w.extra_markers += w.markers[edited][:2]  # now only in its history
    w.markers[edited] = new_markers + w.markers[edited][2:]
    for command in (["search", arabic_marker(2)], ["show", edited], ["history", edited]):
        cli([*dd, *command], env=env, cwd=cwd)
    w.export = exports / "records.json"
    cli([*dd, "export", "--out", str(w.export)], env=env, cwd=cwd)

    # Through the store API: the second record of every type, and attachments.
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = str(tmp)
    try:
        with session.unlock(data_dir, PASSWORD) as s:
            for n, (kind, fields) in enumerate(items):
                if n % 2 == 0:
                    continue
                marked, markers = with_markers(kind, fields, n)
                record = s.store.add(kind, marked)
                w.markers[record.id] = markers
            photo_marker, name_marker = arabic_marker(950), latin_marker(951)
            pledge_marker = arabic_marker(952)
            w.extra_markers += [photo_marker, name_marker, pledge_marker]
            # Several 64 KiB chunks; the markers sit inside and across chunk boundaries.
            photo = (b"\xff\xd8\xff\xe0JFIF" + photo_marker.encode() * 3000)[: 200 * 1024]
            target = next(iter(w.markers))
            s.store.attach(
                target, io.BytesIO(photo), name=f"صورة-{name_marker}.jpg", mime="image/jpeg"
            )
            pledge = f"تعهد خطي {pledge_marker}".encode("utf-16-le")
            s.store.attach(target, io.BytesIO(pledge), name="تعهد.txt", mime="text/plain")
            for record_id in list(w.markers)[:3]:
                s.store.search(w.markers[record_id][0])
            # Scanned while the vault is open: the WAL and SHM hold the latest pages.
            w.files_while_open = sorted(p.name for p in data_dir.iterdir())
            w.hits_while_open = scan(data_dir, w.all_markers())
    finally:
        tempfile.tempdir = saved_tempdir
    yield w


# --- the tests --------------------------------------------------------------------------------


def test_the_scan_finds_a_marker_planted_in_a_copy_of_the_vault(
    written: Written, tmp_path: Path
) -> None:
    """Control: the scanner sees every encoding of a marker, in any file, at any depth, so the
    tests below cannot pass by scanning nothing."""
    copy = tmp_path / "copy"
    shutil.copytree(written.data_dir, copy)
    marker = arabic_marker(17)
    latin = latin_marker(18)
    assert scan(copy, [marker, latin]) == {}
    with (copy / "vault.db").open("ab") as f:
        f.write(marker.encode("utf-16-be"))
    nested = copy / "sub" / "deeper"
    nested.mkdir(parents=True)
    (nested / "leak.txt").write_bytes(b"..." + latin.encode("utf-16-le") + b"...")
    (copy / "unlock_state.json").write_bytes(marker.encode("utf-8"))
    hits = scan(copy, [marker, latin])
    assert hits == {
        "vault.db": [f"{marker} (utf-16-be)"],
        "sub/deeper/leak.txt": [f"{latin} (utf-16-le)"],
        "unlock_state.json": [f"{marker} (utf-8)"],
    }


def test_the_markers_were_written(written: Written) -> None:
    types = len(load_forms().types())
    assert len(written.markers) == 2 * types
    # Two per record, three more per person (ID, phone in two forms), five in attachments and
    # history.
    assert len(written.all_markers()) == 2 * 2 * types + 2 * 3 + 5


def test_no_marker_is_in_any_file_of_the_open_vault(written: Written) -> None:
    assert {"vault.db", "vault.db-wal", "vault.db-shm", "header.json"} <= set(
        written.files_while_open
    )
    assert written.hits_while_open == {}


def test_no_marker_is_in_any_file_of_the_closed_vault(written: Written) -> None:
    files = [p for p in written.data_dir.rglob("*") if p.is_file()]
    assert written.data_dir / "vault.db" in files and written.data_dir / "header.json" in files
    assert scan(written.data_dir, written.all_markers()) == {}


def test_nothing_is_written_outside_the_vault_but_the_export_the_user_named(
    written: Written,
) -> None:
    for folder in written.outside_dirs:
        assert list(folder.rglob("*")) == [], folder
    assert written.export is not None
    assert sorted(written.export.parent.iterdir()) == [written.export]
    # The export is the one deliberate plaintext: it does hold the records.
    exported = scan(written.export.parent, written.all_markers())
    assert set(exported) == {written.export.name}


def test_search_finds_every_record_by_each_of_its_markers(written: Written) -> None:
    with session.unlock(written.data_dir, PASSWORD) as s:
        for record_id, markers in written.markers.items():
            for marker in markers:
                hits = [hit.record.id for hit in s.store.search(marker)]
                assert hits == [record_id], (marker, hits)
