"""fieldapp-cli reading and files: show with linked records, list by pages, attach and files,
status from the core's one sync status."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fieldapp import session as sessions
from fieldapp.store.replica import FileRef, Replica, ServerHead
from tests import test_cli
from tests.drivers.cli import PASSWORD, core_cli, fieldapp_cli
from tests.records import PERSON, home_visit, household
from tests.test_cli import add

# The CLI suite's fixtures: a test KDF, the password in the environment, a fresh vault.
env = test_cli.env
vault = test_cli.vault
run = core_cli
run_full = fieldapp_cli  # as installed: the core's commands and sync's (status)


def test_show_names_linked_records_by_title_and_number(vault: str) -> None:
    [head] = add(vault, "person", {**PERSON, "surname": "الجبوري"}).lines
    [home] = add(vault, "household", household(head_id=head)).lines
    [visit] = add(vault, "home_visit", home_visit(household_id=home)).lines
    shown = run("--data-dir", vault, "--lang", "en", "show", home)
    assert shown.code == 0, shown.err
    [line] = [x for x in shown.lines if x.startswith("Head of household")]
    assert "محمد جاسم حسن الجبوري" in line and head not in line
    as_json = json.loads(run("--data-dir", vault, "show", visit, "--json").out)
    [link] = as_json["links"]["household_id"]
    assert (link["id"], link["here"]) == (home, True) and "حي الجامعة" in link["title"]
    assert as_json["fields"]["household_id"] == home  # the stored value is unchanged


def test_list_pages_with_after_neither_repeat_nor_skip(vault: str) -> None:
    add(vault, "person", [{**PERSON, "first_name": f"علي{i}"} for i in range(7)])
    everything = run("--data-dir", vault, "--lang", "en", "list").lines
    first = run("--data-dir", vault, "--lang", "en", "list", "--limit", "3")
    after = first.err.strip().rsplit(" ", 1)[-1]
    assert "--after" in first.err
    add(vault, "person", {**PERSON, "first_name": "جديد"})  # saved between the pages
    rest = run("--data-dir", vault, "--lang", "en", "list", "--after", after)
    assert rest.code == 0, rest.err
    assert first.lines + rest.lines == everything
    assert rest.err == ""  # the last page: nothing more to say


def test_a_forged_page_key_is_exit_2(vault: str) -> None:
    result = run("--data-dir", vault, "--lang", "en", "list", "--after", "x:y")
    assert result.code == 2 and "page key" in result.err


def test_attach_then_files_save_gives_back_identical_bytes(vault: str, tmp_path: Path) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    photo = bytes(range(256)) * 700
    source = tmp_path / "تعهد.jpg"
    source.write_bytes(photo)
    attached = run("--data-dir", vault, "attach", record_id, str(source))
    assert attached.code == 0, attached.err
    assert attached.out.startswith(hashlib.sha256(photo).hexdigest())
    listed = json.loads(run("--data-dir", vault, "files", record_id, "--json").out)
    assert [(f["name"], f["size"], f["here"]) for f in listed] == [("تعهد.jpg", len(photo), True)]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    saved = run("--data-dir", vault, "files", record_id, "--save", str(out_dir))
    assert saved.code == 0, saved.err
    assert (out_dir / "تعهد.jpg").read_bytes() == photo


def test_files_save_refuses_to_overwrite_and_writes_nothing(vault: str, tmp_path: Path) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(name.encode() * 10)
        run("--data-dir", vault, "attach", record_id, str(tmp_path / name))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "b.jpg").write_bytes(b"already here")
    result = run("--data-dir", vault, "--lang", "en", "files", record_id, "--save", str(out_dir))
    assert result.code == 2 and "already exists" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in out_dir.iterdir()) == ["b.jpg"]
    assert (out_dir / "b.jpg").read_bytes() == b"already here"


def test_a_file_named_like_a_path_is_saved_under_a_safe_name_inside_the_folder(
    vault: str, tmp_path: Path
) -> None:
    # Such a name can only come from another device, through the server: pull one.
    record_id = "0190f0aa-0000-7000-8000-0000000000f1"
    data = b"scanned pledge from another device"
    sha = hashlib.sha256(data).hexdigest()
    with sessions.unlock(Path(vault), PASSWORD) as s:
        replica = Replica(s.store)
        ref = FileRef(sha, len(data), 65536, "../../x\u202egpj.exe", "image/jpeg")
        replica.apply_pull([_server_person(record_id, ref)], 1)
        replica.keep_downloaded_chunk(sha, 0, data)
        assert replica.finish_download(sha)
    out_dir = tmp_path / "save" / "a" / "b"
    out_dir.mkdir(parents=True)
    result = run("--data-dir", vault, "files", record_id, "--save", str(out_dir))
    assert result.code == 0, result.err
    assert [p.name for p in out_dir.iterdir()] == ["xgpj.exe"]
    assert (out_dir / "xgpj.exe").read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "save").rglob("*")) == ["a", "b", "xgpj.exe"]


def test_attach_of_a_missing_file_is_exit_2_without_a_traceback(vault: str) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    result = run("--data-dir", vault, "--lang", "en", "attach", record_id, "/no/such.jpg")
    assert result.code == 2 and "/no/such.jpg" in result.err and "Traceback" not in result.err


def test_status_counts_files_waiting_to_be_sent(vault: str, tmp_path: Path) -> None:
    [record_id] = add(vault, "person", PERSON).lines
    before = run_full("--data-dir", vault, "--lang", "en", "status")
    assert not any("Files to send" in line for line in before.lines)
    (tmp_path / "p.jpg").write_bytes(b"photo")
    run("--data-dir", vault, "attach", record_id, str(tmp_path / "p.jpg"))
    status = json.loads(run_full("--data-dir", vault, "status", "--json").out)
    assert (status["pending"], status["files_to_send"], status["files_to_fetch"]) == (1, 1, 0)
    text = run_full("--data-dir", vault, "--lang", "en", "status").lines
    assert "Files to send: 1. Files to fetch: 0." in text
    assert "Not enrolled with a sync server." in text


def _server_person(record_id: str, ref: FileRef) -> ServerHead:
    return ServerHead(
        record_id=record_id,
        record_type="person",
        form_version=1,
        station="B12",
        rev=2,
        seq=1,
        deleted=False,
        fields=PERSON,
        created_by="sara.k",
        updated_at="2026-11-20T10:00:00+00:00",
        attachments=(ref,),
    )
