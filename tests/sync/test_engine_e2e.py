"""Devices against the REAL server: a `fieldapp-server` process over HTTPS on a loopback port
(tests/server/serverproc.py).

Everything on the device goes through fieldapp-cli (enroll, add, edit, sync, status, show), as
an officer's script would; the server is administered with fieldapp-server's own commands.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from fieldapp.dates import local_time
from fieldapp.forms.definitions import load_forms
from fieldapp.messages import translate
from fieldapp.store.replica import SERVER_URL, Replica
from fieldapp.text import isolate
from sync.client.engine import SyncEngine
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.transport import ServerUnreachable, Transport
from sync.protocol import AttachmentManifest, PushRequest, PushResponse
from sync.server import tls
from tests.drivers.cli import STATION
from tests.drivers.device import Device, same_head
from tests.drivers.server_admin import add_station, conflicts, enroll_code, records_count
from tests.records import PERSON, household
from tests.server.serverproc import (
    RunningServer,
    free_port,
    running_server,
    start_server,
    stop_server,
)

# --- enrollment ------------------------------------------------------------------------------


def test_enrolling_with_code_and_fingerprint_pins_the_certificate(
    server: RunningServer, officer: str, device: Device
) -> None:
    result = device.enroll(server, officer)
    assert officer in result.out
    status = device.status()
    assert (status["username"], status["station"], status["server"]) == (
        officer,
        STATION,
        server.base_url,
    )
    pem = device.data_dir / SERVER_CERT_FILE
    assert pem.stat().st_mode & 0o777 == 0o600
    assert tls.fingerprint(pem.read_bytes()) == server.fingerprint


def test_a_fingerprint_typed_with_colons_in_capitals_is_accepted(
    server: RunningServer, officer: str, device: Device
) -> None:
    typed = tls_format(server.fingerprint)
    code = enroll_code(server, officer)
    device.ok("enroll", "--server", server.base_url, "--code", code, "--fingerprint", typed)


def tls_format(fingerprint: str) -> str:
    upper = fingerprint.upper()
    return ":".join(upper[i : i + 2] for i in range(0, 64, 2))


def test_a_wrong_fingerprint_is_refused_before_anything_is_sent(
    server: RunningServer, officer: str, device: Device
) -> None:
    code = enroll_code(server, officer)
    wrong = ("0" if server.fingerprint[0] != "0" else "1") + server.fingerprint[1:]
    result = device.cli(
        "enroll", "--server", server.base_url, "--code", code, "--fingerprint", wrong
    )
    assert result.code == 2
    assert "does not match" in result.err
    assert not device.data_dir.exists()  # no vault, no pinned certificate
    # The code was never presented, so it still works with the right fingerprint.
    device.ok(
        "enroll", "--server", server.base_url, "--code", code, "--fingerprint", server.fingerprint
    )


def test_a_server_with_another_certificate_is_refused(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    device.add("person", PERSON)
    impostor = tls.make_certificate(["localhost", "127.0.0.1"])
    (device.data_dir / SERVER_CERT_FILE).write_bytes(impostor.cert_pem)  # pinned: another one
    result = device.cli("sync", "--retries", "0")
    assert result.code == 5
    assert "certificate" in result.err
    assert device.status()["pending"] == 1


def test_an_enrollment_code_works_once(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    code = enroll_code(server, officer)
    args = (
        "enroll",
        "--server",
        server.base_url,
        "--code",
        code,
        "--fingerprint",
        server.fingerprint,
    )
    device.ok(*args)
    again = other_device.cli(*args)
    assert again.code == 2
    assert "not valid" in again.err


def test_a_wrong_fingerprint_error_names_the_station_not_the_servers_fingerprint(
    server: RunningServer, officer: str, device: Device
) -> None:
    wrong = ("0" if server.fingerprint[0] != "0" else "1") + server.fingerprint[1:]
    code = enroll_code(server, officer)
    result = device.cli(
        "enroll", "--server", server.base_url, "--code", code, "--fingerprint", wrong
    )
    assert result.code == 2
    assert "station gave you" in result.err and "Call the station" in result.err
    shown = result.err.replace(":", "").lower()
    assert server.fingerprint not in shown and server.fingerprint[:16] not in shown


def test_a_refused_code_leaves_no_vault_and_no_certificate(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    code = enroll_code(server, officer)
    args = ("enroll", "--server", server.base_url, "--code", code)
    device.ok(*args, "--fingerprint", server.fingerprint)
    again = other_device.cli(*args, "--fingerprint", server.fingerprint)  # used up
    assert again.code == 2
    assert not other_device.data_dir.exists()


def test_a_failed_enrollment_into_an_empty_folder_leaves_it_empty(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    code = enroll_code(server, officer)
    args = ("enroll", "--server", server.base_url, "--code", code)
    device.ok(*args, "--fingerprint", server.fingerprint)
    other_device.data_dir.mkdir()
    assert other_device.cli(*args, "--fingerprint", server.fingerprint).code == 2
    assert list(other_device.data_dir.iterdir()) == []


def test_enrolling_with_an_unreachable_server_leaves_nothing(
    server: RunningServer, officer: str, device: Device
) -> None:
    closed = f"https://127.0.0.1:{free_port()}"
    code = enroll_code(server, officer)
    result = device.cli("enroll", "--server", closed, "--code", code,
                        "--fingerprint", server.fingerprint)  # fmt: skip
    assert result.code == 5
    assert not device.data_dir.exists()


# --- two devices, one record -----------------------------------------------------------------


def test_edits_of_different_fields_on_two_devices_merge(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    assert device.sync()["pushed"] == 1
    assert other_device.sync()["pulled"] == 1
    device.edit(record_id, {"phone": "07701234567"})  # both offline
    other_device.edit(record_id, {"age": 35})
    assert device.sync()["pushed"] == 1
    report = other_device.sync()
    assert (report["pushed"], report["merged"], report["conflicts"]) == (1, 1, 0)
    device.sync()
    a, b = device.show(record_id), other_device.show(record_id)
    assert same_head(a, b), (a, b)
    assert (a["fields"]["phone"], a["fields"]["age"], a["conflict"]) == (
        "+9647701234567",
        35,
        False,
    )


def test_edits_of_the_same_field_give_one_conflict_with_both_values(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    device.sync()
    other_device.sync()
    device.edit(record_id, {"age": 40})
    other_device.edit(record_id, {"age": 41})
    device.sync()
    assert other_device.sync()["conflicts"] == 1
    device.sync()
    a, b = device.show(record_id), other_device.show(record_id)
    assert same_head(a, b), (a, b)
    assert a["conflict"] is True
    assert a["fields"]["age"] == 40  # what reached the server first stays until a clerk decides
    [conflict] = [c for c in conflicts(server) if c["record_id"] == record_id]
    assert conflict["field"] == "age"
    assert sorted(v["value"] for v in conflict["values"]) == [40, 41]
    assert device.status()["conflicts"] == other_device.status()["conflicts"] == 1
    # Both values, and who entered them, reach both devices (not only a flag).
    for shown in (a, b):
        [field] = shown["conflicts"]
        assert field["field"] == "age"
        assert {(v["value"], v["username"]) for v in field["values"]} == {
            (40, officer),
            (41, officer),
        }
    text = device.ok("show", record_id).out
    assert "! Age: \u206840\u2069" in text and "\u206841\u2069" in text, text


def test_a_delete_racing_an_edit_is_a_conflict_not_a_silent_loss(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    device.sync()
    other_device.sync()
    device.ok("delete", record_id, "--yes")
    other_device.edit(record_id, {"age": 36})
    device.sync()
    assert other_device.sync()["conflicts"] == 1
    device.sync()
    a, b = device.show(record_id), other_device.show(record_id)
    assert same_head(a, b), (a, b)
    assert (a["deleted"], a["conflict"]) == (True, True)
    assert any(c["record_id"] == record_id for c in conflicts(server))
    assert [c["field"] for c in b["conflicts"]] == ["_deleted"]
    assert "! deletion: " in other_device.ok("show", record_id).out


# --- one bad change --------------------------------------------------------------------------


def test_a_rejected_change_is_shown_in_status_and_the_rest_goes_through(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    bad = device.add("person", PERSON)
    good = device.add("household", household())
    # A change the server's rules refuse (as from a laptop with outdated form definitions).
    with device.session() as session:
        session.store.connection.execute(
            "UPDATE outbox SET fields = ? WHERE record_id = ?",
            (json.dumps({**PERSON, "nickname": "أبو علي"}), bad),
        )
    report = device.sync()
    assert (report["pushed"], report["rejected"]) == (1, 1)
    status = device.status()
    assert (status["pending"], status["rejected"]) == (0, 1)
    [rejected] = status["rejected_changes"]
    assert rejected["record_id"] == bad
    assert "nickname" in {p["field"] for p in rejected["problems"]}
    assert device.show(good)["rev"] == 1
    assert "1 change was refused by the server" in device.ok("sync").out


def test_status_names_a_refused_field_by_its_label_in_the_readers_language(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    refused = device.add("person", PERSON)
    with device.session() as session:  # as from a laptop whose validator let it through
        session.store.connection.execute(
            "UPDATE outbox SET fields = ? WHERE record_id = ?",
            (json.dumps({**PERSON, "national_id": "12"}), refused),
        )
    assert device.sync()["rejected"] == 1
    shown = device.ok("--lang", "ar", "status").out
    label = load_forms().get("person").field("national_id").label("ar")
    assert isolate(label) in shown and "national_id" not in shown


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        (
            "ar",
            "أُرسلت ٣ تغييرات (لم يُدمج أي منها، بلا تعارض)، "
            + "ولم يُرفض أي تغيير؛ ولم يُستلم أي سجل.",
        ),
        ("ckb", "٣ گۆڕانکاری نێردران (٠ تێکەڵکران، ٠ ناکۆک)، ٠ ڕەتکرانەوە؛ ٠ تۆمار وەرگیران."),
        ("en", "Sent 3 changes (0 merged, 0 in conflict), 0 refused; received 0 records."),
    ],
)
def test_the_sync_summary_agrees_with_each_count_in_the_readers_language(
    server: RunningServer, officer: str, device: Device, lang: str, summary: str
) -> None:
    device.enroll(server, officer)
    device.sync()  # what the station already has (other tests' records) is received first
    device.add_many("person", [PERSON, PERSON, PERSON])
    assert device.ok("--lang", lang, "sync", "--retries", "0").out.strip() == summary


def test_status_shows_the_last_sync_in_baghdad_time(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    device.sync()
    last_sync = device.status()["last_sync"]
    shown = device.ok("--lang", "ar", "status").out
    at = isolate(local_time(last_sync, "ar"))  # a time inside an Arabic line keeps its order
    assert translate("sync.status_last", "ar", at=at) in shown
    assert last_sync not in shown


# --- revocation, unreachable server, replay --------------------------------------------------


def test_a_revoked_device_is_refused_and_its_vault_wiped(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    device.add("person", PERSON)
    server.admin("device", "revoke", device.status()["device_id"])
    result = device.cli("sync")
    assert result.code == 6
    assert "revoked" in result.err
    assert not device.data_dir.exists()


def test_an_unreachable_server_exits_5_and_loses_nothing(tmp_path: Path, device: Device) -> None:
    with running_server(tmp_path) as own:
        add_station(own)
        own.admin("user", "add", "ali.h", "--role", "officer", "--station", STATION)
        device.enroll(own, "ali.h")
        stop_server(own)
        record_id = device.add("person", PERSON)
        result = device.cli("sync", "--retries", "1")
        assert result.code == 5
        assert "cannot be reached" in result.err
        assert device.status()["pending"] == 1
        assert device.show(record_id)["fields"]["age"] == PERSON["age"]
        # The server is back (on another port: the test moves the device's address along).
        back = start_server(own.data_dir, fingerprint=own.fingerprint)
        try:
            with device.session() as session:
                session.store.set_state(SERVER_URL, back.base_url)
            assert device.sync()["pushed"] == 1
            assert device.status()["pending"] == 0
        finally:
            stop_server(back)


class CutAfterPush(Transport):
    """The server commits the batch, then the line drops before the answer arrives."""

    cuts = 1

    def push(self, request: PushRequest) -> PushResponse:
        response = super().push(request)
        if self.cuts:
            self.cuts -= 1
            raise ServerUnreachable()
        return response


def test_a_batch_replayed_after_a_lost_answer_counts_once(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    ids = [device.add("person", {**PERSON, "age": 30 + i}) for i in range(3)]
    before = records_count(server, STATION)
    with device.session() as session:
        link = device.link(session, CutAfterPush)
        engine = device.engine(session, link)
        with pytest.raises(ServerUnreachable):
            engine.sync()
        assert session.store.pending_count() == 3  # not settled: no answer came
        report = engine.sync()
        assert (report.pushed, report.merged, report.conflicts) == (3, 0, 0)
        assert engine.sync().pushed == 0
    assert records_count(server, STATION) == before + 3
    assert [device.show(i)["rev"] for i in ids] == [1, 1, 1]


def test_syncing_twice_is_the_same_as_syncing_once(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    first = device.sync()
    head = device.show(record_id)
    count = records_count(server, STATION)
    second = device.sync()
    assert first["pushed"] == 1
    assert second == {"pushed": 0, "pulled": 0, "merged": 0, "conflicts": 0, "rejected": 0}
    assert device.show(record_id) == head
    assert records_count(server, STATION) == count


def test_records_get_numbers_from_the_server_block(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    device.sync()
    number = device.show(record_id)["number"]
    assert number is not None and number.startswith(f"{STATION}-")


class CutDuringUpload(Transport):
    """The line drops after the first chunk of a file has reached the server."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chunks_sent: list[int] = []
        self.cut = True

    def put_chunk(self, sha256: str, index: int, data: bytes) -> AttachmentManifest:
        if self.cut and self.chunks_sent:
            self.cut = False
            raise ServerUnreachable()
        self.chunks_sent.append(index)
        return super().put_chunk(sha256, index, data)


def test_an_attachment_upload_cut_midway_resumes_with_the_missing_chunks(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    # 175 KiB: 3 to 22 chunks, by the chunk size the link's measured speed picks (8-64 KiB;
    # the first sync's pull may be large enough to measure it, depending on what other tests
    # left on the shared server), fixed when the file is first announced.
    photo = bytes(range(256)) * 700
    with device.session() as session:
        info = session.store.attach(
            record_id, io.BytesIO(photo), name="pledge.jpg", mime="image/jpeg"
        )
        link = device.link(session, CutDuringUpload)
        engine = device.engine(session, link)
        with pytest.raises(ServerUnreachable):
            engine.sync()
        assert link.chunks_sent == [0]
        assert engine.sync().attachments_sent == 1
        sent = list(link.chunks_sent)
        assert engine.sync().attachments_sent == 0
    with other_device.session() as reader, other_device.link(reader, Transport) as look:
        manifest = look.attachment_manifest(info.sha256)
    assert manifest is not None and manifest.complete and manifest.size == len(photo)
    chunks = -(-len(photo) // manifest.chunk_size)
    assert chunks >= 3
    assert sent == list(range(chunks))  # the first chunk once, then only what was missing


class CutDuringDownload(Transport):
    """The line drops after `after` chunks have come down (then works again)."""

    def __init__(self, *args: Any, after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after = after
        self.fetched: list[int] = []

    def get_chunk(self, sha256: str, index: int) -> bytes:
        if len(self.fetched) == self.after:
            self.after = -1
            raise ServerUnreachable()
        self.fetched.append(index)
        return super().get_chunk(sha256, index)


def test_a_file_reaches_the_other_device_and_a_cut_download_resumes(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    device.sync()
    other_device.sync()  # it has the record before the file is complete on the server
    photo = bytes(range(251)) * 800  # 196 KiB: thirteen 16 KiB chunks (link speed not known)
    with device.session() as writer:
        info = writer.store.attach(record_id, io.BytesIO(photo), name="تعهد.jpg", mime="image/jpeg")
    device.sync()  # uploads the file
    assert other_device.show(record_id)["files"] == []  # not pulled yet
    with other_device.session() as reader:
        link = other_device.link(reader, CutDuringDownload, after=2)
        engine = other_device.engine(reader, link)
        with pytest.raises(ServerUnreachable):
            engine.sync()
    [listed] = other_device.show(record_id)["files"]
    assert (listed["sha256"], listed["name"], listed["here"]) == (info.sha256, "تعهد.jpg", False)
    with other_device.session() as reader:
        engine = other_device.engine(reader, link)
        assert engine.sync().attachments_received == 1
        assert link.fetched == list(range(13))  # after the cut only the rest, none twice
        assert engine.sync().attachments_received == 0
        copy = io.BytesIO()
        assert reader.store.read_attachment(record_id, info.sha256, copy) == len(photo)
        assert copy.getvalue() == photo
    assert other_device.show(record_id)["files"][0]["here"] is True
    assert device.show(record_id)["files"][0]["here"] is True
    assert device.sync()["pulled"] == 0  # the uploader learns nothing new from its own file


class SlowLink(Transport):
    """A transport that believes its link carries 5 kB/s (as a 2G link would measure)."""

    def _observe(self, nbytes: int, seconds: float) -> None:
        self.link_rate = 5_000.0


def test_on_a_slow_link_files_go_in_small_chunks_and_arrive_whole(
    server: RunningServer, officer: str, device: Device, other_device: Device
) -> None:
    device.enroll(server, officer)
    other_device.enroll(server, officer)
    record_id = device.add("person", PERSON)
    photo = bytes(range(241)) * 300  # 72,300 bytes: nine 8 KiB chunks, two 64 KiB ones here
    with device.session() as session:
        info = session.store.attach(record_id, io.BytesIO(photo), name="p.jpg", mime="image/jpeg")
        with device.link(session, SlowLink) as link:
            assert SyncEngine(Replica(session.store), link).sync().attachments_sent == 1
            manifest = link.attachment_manifest(info.sha256)
    assert manifest is not None
    assert (manifest.chunk_size, manifest.chunks, manifest.complete) == (8192, 9, True)
    assert other_device.sync()["pulled"] >= 1  # the station's records, this one among them
    with other_device.session() as reader:
        copy = io.BytesIO()
        reader.store.read_attachment(record_id, info.sha256, copy)
        assert copy.getvalue() == photo
