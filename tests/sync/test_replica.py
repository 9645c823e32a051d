"""The device's sync bookkeeping over a real SQLCipher store (no server, no HTTP)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session as sessions
from fieldapp.store.replica import ChangeOutcome, FileRef, Replica, ServerHead, SyncIdentity
from fieldapp.store.store import Store
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from tests.records import PERSON, household

SERVER_PERSON = "0190f0aa-0000-7000-8000-000000000001"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[sessions.Session]:
    with sessions.create(
        tmp_path / "vault",
        TEST_PASSWORD,
        officer="ali.h",
        station="B12",
        kdf=KdfParams.for_tests(),
    ) as s:
        yield s


@pytest.fixture
def store(session: sessions.Session) -> Store:
    return session.store


@pytest.fixture
def replica(store: Store) -> Replica:
    return Replica(store)


def head(record_id: str, rev: int, seq: int, fields: dict[str, Any], **extra: Any) -> ServerHead:
    values: dict[str, Any] = {
        "record_id": record_id,
        "record_type": "person",
        "form_version": 1,
        "station": "B12",
        "rev": rev,
        "seq": seq,
        "deleted": False,
        "fields": fields,
        "created_by": "sara.k",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    values.update(extra)
    return ServerHead(**values)


def applied(change_id: str, record_id: str, rev: int, status: str = "applied") -> ChangeOutcome:
    return ChangeOutcome(change_id, record_id, status, rev=rev)


# --- push bookkeeping ------------------------------------------------------------------------


def test_a_batch_is_marked_attempted_so_a_later_edit_follows_it_instead_of_rewriting_it(
    store: Store, replica: Replica
) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    assert sent.attempts == 1
    store.edit(record.id, {"age": 35})
    pending = store.pending_changes()
    assert pending[0].change_id == sent.change_id
    assert pending[0].fields["age"] == 34  # what may already be on the server is untouched
    assert pending[1].prev_change_id == sent.change_id
    assert pending[1].fields["age"] == 35


def test_an_applied_change_leaves_the_outbox_and_the_record_is_based_on_its_revision(
    store: Store, replica: Replica
) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    tally = replica.apply_results([applied(sent.change_id, record.id, 1)])
    assert tally.applied == 1
    assert store.pending_count() == 0
    after = store.get(record.id, audit=False)
    assert (after.rev, after.base_rev, after.conflict) == (1, 1, False)


def test_an_edit_made_while_a_change_was_in_flight_keeps_its_base_and_stays_pending(
    store: Store, replica: Replica
) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    store.edit(record.id, {"age": 35})
    replica.apply_results([applied(sent.change_id, record.id, 1)])
    after = store.get(record.id, audit=False)
    assert (after.rev, after.base_rev) == (1, 0)
    [follow_up] = store.pending_changes()
    assert follow_up.prev_change_id == sent.change_id
    assert follow_up.fields["age"] == 35


def test_a_merged_change_keeps_its_base_until_the_merged_head_is_pulled(
    store: Store, replica: Replica
) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    replica.apply_results([applied(sent.change_id, record.id, 3, "merged")])
    after = store.get(record.id, audit=False)
    assert (after.rev, after.base_rev) == (3, 0)
    merged = {**PERSON, "phone": "07701234567"}
    replica.apply_pull([head(record.id, 3, 9, merged)], 9)
    after = store.get(record.id, audit=False)
    assert (after.rev, after.base_rev) == (3, 3)
    assert after.fields["phone"] == "07701234567"


def test_a_conflict_result_flags_the_record(store: Store, replica: Replica) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    tally = replica.apply_results([applied(sent.change_id, record.id, 2, "conflict")])
    assert tally.conflicts == 1
    assert store.get(record.id, audit=False).conflict
    assert replica.counts().conflicts == 1


def test_a_rejected_change_is_kept_with_its_reason_and_the_rest_goes_through(
    store: Store, replica: Replica
) -> None:
    bad = store.add("person", PERSON)
    good = store.add("household", household())
    batch = replica.outbox_batch(200)
    problems = ({"field": "age", "rule": "max", "params": {"max": 120}},)
    tally = replica.apply_results(
        [
            ChangeOutcome(
                batch[0].change_id, bad.id, "rejected", reason="invalid", problems=problems
            ),
            applied(batch[1].change_id, good.id, 1),
        ]
    )
    assert (tally.rejected, tally.applied) == (1, 1)
    counts = replica.counts()
    assert (counts.pending, counts.rejected) == (0, 1)
    [kept] = replica.rejected_changes()
    assert (kept.record_id, kept.reason) == (bad.id, "invalid")
    assert kept.problems == problems
    assert replica.outbox_batch(200) == []  # a refused change is not sent again


def test_replayed_results_change_nothing(store: Store, replica: Replica) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    replica.apply_results([applied(sent.change_id, record.id, 1)])
    store.edit(record.id, {"age": 35})
    tally = replica.apply_results([applied(sent.change_id, record.id, 1)])
    assert tally.settled == 0
    assert store.pending_count() == 1


def test_a_result_the_device_cannot_use_leaves_the_change_pending(
    store: Store, replica: Replica
) -> None:
    record = store.add("person", PERSON)
    [sent] = replica.outbox_batch(200)
    tally = replica.apply_results([ChangeOutcome(sent.change_id, record.id, "applied", rev=None)])
    assert tally.settled == 0
    assert store.pending_count() == 1


# --- pull ------------------------------------------------------------------------------------


def test_a_pulled_record_is_inserted_searchable_and_the_cursor_stored(
    store: Store, replica: Replica
) -> None:
    fields = {**PERSON, "first_name": "زينب", "sex": "female"}
    changed = replica.apply_pull([head(SERVER_PERSON, 1, 5, fields, number="B12-2026-7")], 5)
    assert changed == 1
    record = store.get(SERVER_PERSON, audit=False)
    assert (record.rev, record.base_rev, record.number) == (1, 1, "B12-2026-7")
    assert record.fields["first_name"] == "زينب"
    assert [h.record.id for h in store.search("زينب")] == [SERVER_PERSON]
    assert replica.cursor() == 5
    assert store.pending_count() == 0  # what came from the server is not sent back
    assert store.history(SERVER_PERSON)[-1].origin == "server"


def test_pulling_a_newer_head_replaces_a_record_without_local_changes(
    store: Store, replica: Replica
) -> None:
    replica.apply_pull([head(SERVER_PERSON, 1, 5, PERSON)], 5)
    replica.apply_pull([head(SERVER_PERSON, 2, 8, PERSON, deleted=True, conflicts=({},))], 8)
    record = store.get(SERVER_PERSON, audit=False)
    assert (record.rev, record.base_rev, record.deleted, record.conflict) == (2, 2, True, True)
    assert store.search("محمد") == []


def test_conflict_values_are_kept_until_the_server_stops_listing_them(
    store: Store, replica: Replica
) -> None:
    values = [
        {"value": 40, "change_id": SERVER_PERSON, "username": "ali.h", "rev": 2},
        {"value": 41, "change_id": SERVER_PERSON, "username": "sara.k", "rev": 3},
    ]
    conflict = {"field": "age", "base": 35, "values": values}
    replica.apply_pull([head(SERVER_PERSON, 3, 5, PERSON, conflicts=(conflict,))], 5)
    assert replica.conflicts_of(SERVER_PERSON) == [conflict]
    assert replica.apply_pull([head(SERVER_PERSON, 4, 6, PERSON)], 6) == 1  # a clerk resolved it
    assert replica.conflicts_of(SERVER_PERSON) == []
    assert store.get(SERVER_PERSON, audit=False).conflict is False


def test_a_listed_file_is_expected_then_arrives_chunk_by_chunk(
    store: Store, replica: Replica
) -> None:
    data = bytes(range(200)) * 10
    sha = hashlib.sha256(data).hexdigest()
    ref = FileRef(sha, len(data), 1000, "صورة.jpg", "image/jpeg")
    replica.apply_pull([head(SERVER_PERSON, 1, 5, PERSON)], 5)
    assert replica.apply_pull([head(SERVER_PERSON, 1, 6, PERSON, attachments=(ref,))], 6) == 1
    assert replica.apply_pull([head(SERVER_PERSON, 1, 6, PERSON, attachments=(ref,))], 6) == 0
    [wanted] = replica.attachments_to_download()
    assert (wanted.sha256, wanted.missing) == (sha, (0, 1))
    replica.keep_downloaded_chunk(sha, 1, data[1000:])
    assert replica.attachments_to_download()[0].missing == (0,)
    replica.keep_downloaded_chunk(sha, 0, b"x" * 1000)  # damaged on the way
    assert replica.finish_download(sha) is False
    assert replica.attachments_to_download()[0].missing == (0, 1)  # fetched again, whole
    replica.keep_downloaded_chunk(sha, 0, data[:1000])
    replica.keep_downloaded_chunk(sha, 1, data[1000:])
    assert replica.finish_download(sha) is True
    assert replica.attachments_to_download() == []
    assert replica.attachments_to_upload() == []  # the server has it: never sent back
    copy = io.BytesIO()
    store.read_attachment(SERVER_PERSON, sha, copy)
    assert copy.getvalue() == data


def test_a_pull_never_overwrites_a_change_not_yet_pushed(store: Store, replica: Replica) -> None:
    replica.apply_pull([head(SERVER_PERSON, 1, 5, PERSON)], 5)
    store.edit(SERVER_PERSON, {"age": 40})
    [waiting] = store.pending_changes()
    server_fields = {**PERSON, "phone": "07701234567"}
    replica.apply_pull([head(SERVER_PERSON, 2, 9, server_fields)], 9)
    record = store.get(SERVER_PERSON, audit=False)
    assert record.fields["age"] == 40
    assert "phone" not in record.fields
    assert (record.rev, record.base_rev) == (2, 1)
    assert store.pending_changes() == [waiting]  # same change, same base_rev
    history = store.history(SERVER_PERSON)
    assert history[-1].origin == "server"
    assert history[-1].fields["phone"] == "07701234567"


def test_a_page_and_its_cursor_are_written_together_or_not_at_all(
    store: Store, replica: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = "0190f0aa-0000-7000-8000-000000000002"
    calls: list[str] = []
    original = store.reindex

    def failing_reindex(record_id: str) -> None:
        calls.append(record_id)
        if len(calls) == 2:
            raise OSError("power cut")
        original(record_id)

    monkeypatch.setattr(store, "reindex", failing_reindex)
    with pytest.raises(OSError):
        replica.apply_pull([head(SERVER_PERSON, 1, 5, PERSON), head(other, 1, 6, PERSON)], 6)
    assert replica.cursor() == 0
    assert store.count() == 0
    monkeypatch.setattr(store, "reindex", original)
    replica.apply_pull([head(SERVER_PERSON, 1, 5, PERSON), head(other, 1, 6, PERSON)], 6)
    assert (replica.cursor(), store.count()) == (6, 2)


def test_the_same_page_pulled_twice_changes_nothing_the_second_time(
    store: Store, replica: Replica
) -> None:
    page = [head(SERVER_PERSON, 1, 5, PERSON)]
    assert replica.apply_pull(page, 5) == 1
    assert replica.apply_pull(page, 5) == 0
    assert len(store.history(SERVER_PERSON)) == 1


def test_a_head_older_than_what_the_device_knows_is_ignored(store: Store, replica: Replica) -> None:
    replica.apply_pull([head(SERVER_PERSON, 3, 5, {**PERSON, "age": 50})], 5)
    assert replica.apply_pull([head(SERVER_PERSON, 2, 4, PERSON)], 4) == 0
    assert store.get(SERVER_PERSON, audit=False).fields["age"] == 50
    assert replica.cursor() == 5  # the cursor never moves back


# --- numbers, identity, status ---------------------------------------------------------------


def test_a_number_block_numbers_the_records_waiting_for_one(store: Store, replica: Replica) -> None:
    waiting = store.add("person", PERSON)
    year = int(waiting.created_at[:4])
    assert waiting.number == f"P/{year}/1"  # provisional until a block arrives
    assert replica.add_number_block("B12", year, 101, 200) == 1
    assert store.get(waiting.id, audit=False).number == f"B12-{year}-101"
    replica.add_number_block("B12", year, 101, 200)  # the same answer again: no error
    assert replica.numbers_remaining("B12", year) == 99


def test_a_provisional_number_is_never_offered_for_a_push(store: Store, replica: Replica) -> None:
    waiting = store.add("person", PERSON)
    assert replica.record_numbers([waiting.id]) == {waiting.id: None}
    replica.add_number_block("B12", int(waiting.created_at[:4]), 1, 9)
    assert replica.record_numbers([waiting.id]) == {waiting.id: f"B12-{waiting.created_at[:4]}-1"}


def test_identity_is_kept_in_the_vault_and_the_token_is_never_shown(
    store: Store, replica: Replica
) -> None:
    assert replica.identity() is None
    identity = SyncIdentity(
        device_id="0190f0aa-0000-7000-8000-00000000000d",
        server_url="https://127.0.0.1:8443",
        username="sara.k",
        station="B07",
        role="officer",
        station_name="Karkh",
        token="t" * 43,
    )
    replica.set_identity(identity)
    assert replica.identity() == identity
    assert "t" * 43 not in repr(identity)
    assert (store.actor, store.station_id) == ("sara.k", "B07")


def test_finishing_a_sync_records_its_time(replica: Replica) -> None:
    assert replica.last_sync() is None
    at = replica.finish_sync({"pushed": 0})
    assert replica.last_sync() == at
