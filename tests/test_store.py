"""The store over a real SQLCipher file: saves, history, outbox, numbers, search, attachments."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.errors import InvalidInput, RecordNotFound
from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.forms.validation import ValidationFailed
from fieldapp.store.store import Store
from tests.records import PERSON, home_visit, household

IRAQ = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 20, 10, 30, tzinfo=IRAQ)


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return load_forms()


@pytest.fixture(scope="module")
def reference() -> AdminReference:
    return load_reference()


@pytest.fixture
def store(tmp_path: Path, forms: FormRegistry, reference: AdminReference) -> Iterator[Store]:
    conn = sqlcipher3.connect(str(tmp_path / "s.db"))
    conn.execute("PRAGMA key = \"x'" + "33" * 32 + "'\"")
    s = Store.open(
        conn, forms=forms, reference=reference, actor="ali.h", station_id="B12", clock=lambda: NOW
    )
    yield s
    conn.close()


def test_add_returns_the_record_as_saved(store: Store) -> None:
    record = store.add("person", PERSON)
    assert record.type == "person"
    assert record.fields["first_name"] == "محمد"
    assert record.created_by == "ali.h"
    assert record.station_id == "B12"
    assert record.deleted is False
    assert store.get(record.id).fields == record.fields


def test_digits_in_any_script_are_stored_ascii(store: Store) -> None:
    record = store.add("person", {**PERSON, "national_id": "١٩٨٥٠٣١٢٠٠٤٥"})
    assert record.fields["national_id"] == "198503120045"


def test_invalid_record_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(ValidationFailed) as caught:
        store.add("person", {**PERSON, "national_id": "123"})
    assert [e.field for e in caught.value.errors] == ["national_id"]
    assert store.count() == 0
    assert store.pending_count() == 0
    assert list(store.audit.entries()) == []


def test_a_batch_is_all_or_nothing_and_reports_every_bad_item(store: Store) -> None:
    good = dict(PERSON)
    with pytest.raises(ValidationFailed) as caught:
        store.add_many([("person", good), ("person", {**PERSON, "sex": "x"}), ("person", {})])
    fields = [e.field for e in caught.value.errors]
    assert any(f.startswith("[1]") for f in fields) and any(f.startswith("[2]") for f in fields)
    assert store.count() == 0
    saved = store.add_many([("person", good), ("person", {**PERSON, "first_name": "علي"})])
    assert len({r.id for r in saved}) == 2 and store.count() == 2


def test_every_save_queues_a_change_with_a_change_id(store: Store) -> None:
    record = store.add("person", PERSON)
    [change] = store.pending_changes()
    assert change.record_id == record.id and change.op == "create" and change.base_rev == 0
    assert change.fields["first_name"] == "محمد"
    assert len(change.change_id) == 36


def test_an_edit_before_any_push_attempt_replaces_the_queued_change(store: Store) -> None:
    record = store.add("person", PERSON)
    first = store.pending_changes()[0].change_id
    store.edit(record.id, {"first_name": "أحمد"})
    [change] = store.pending_changes()
    assert change.op == "create" and change.fields["first_name"] == "أحمد"
    assert change.change_id != first  # new content, new id


def test_an_edit_after_a_push_attempt_follows_the_earlier_change(store: Store) -> None:
    record = store.add("person", PERSON)
    first = store.pending_changes()[0]
    store.connection.execute("UPDATE outbox SET attempts = 1 WHERE seq = ?", (first.seq,))
    store.edit(record.id, {"first_name": "أحمد"})
    changes = store.pending_changes()
    assert [c.op for c in changes] == ["create", "update"]
    assert changes[0].fields["first_name"] == "محمد"  # what may be on the server stays as sent
    assert changes[1].prev_change_id == first.change_id


def test_edit_keeps_history_and_revalidates(store: Store) -> None:
    record = store.add("person", PERSON)
    store.edit(record.id, {"phone": "0770 123 4567"})
    with pytest.raises(ValidationFailed):
        store.edit(record.id, {"phone": "12345"})
    history = store.history(record.id)
    assert [h.local_seq for h in history] == [1, 2]
    assert "phone" not in history[0].fields and history[1].fields["phone"]
    assert store.get(record.id).local_seq == 2


def test_edit_with_none_clears_an_optional_field(store: Store) -> None:
    record = store.add("person", {**PERSON, "surname": "الجبوري"})
    assert "surname" not in store.edit(record.id, {"surname": None}).fields


def test_delete_is_a_tombstone_that_syncs_and_leaves_search(store: Store) -> None:
    record = store.add("person", PERSON)
    store.delete(record.id)
    assert store.get(record.id).deleted is True
    assert store.records("person") == []
    assert store.search("محمد") == []
    assert store.pending_changes()[-1].op in ("create", "delete")
    with pytest.raises(InvalidInput):
        store.edit(record.id, {"first_name": "علي"})


def test_unknown_record_and_unknown_type_are_clear_errors(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        store.get("0190c0de-0000-7000-8000-000000000000")
    with pytest.raises(InvalidInput):
        store.add("no_such_type", {})
    with pytest.raises(InvalidInput):
        store.records("no_such_type")


def test_every_action_is_audited_without_record_content(store: Store) -> None:
    record = store.add("person", PERSON)
    store.edit(record.id, {"first_name": "علي"})
    store.open_record(record.id)
    store.delete(record.id)
    entries = list(store.audit.entries())
    assert [e.action for e in entries] == ["create", "update", "view", "delete"]
    assert all(e.actor == "ali.h" and e.record_id == record.id for e in entries)
    assert entries[1].details == {"fields": ["first_name"]}
    dump = json.dumps([e.details for e in entries], ensure_ascii=False)
    assert "محمد" not in dump and "علي" not in dump
    assert store.audit.verify() == []


def test_numbers_come_from_reserved_blocks_and_arrive_later_when_none_is_left(store: Store) -> None:
    store.connection.execute("BEGIN")
    store.numbers.add_block("B12", 2026, 100, 101)
    store.connection.execute("COMMIT")
    a, b, c = (store.add("person", PERSON) for _ in range(3))
    provisional = f"P/{store.today().year}/1"
    assert (a.number, b.number, c.number) == ("B12-2026-100", "B12-2026-101", provisional)
    store.connection.execute("BEGIN")
    store.numbers.add_block("B12", 2026, 500, 599)
    assert store.numbers.assign_missing("B12") == 1
    store.connection.execute("COMMIT")
    assert store.get(c.id).number == "B12-2026-500"
    with pytest.raises(InvalidInput):
        store.numbers.add_block("B12", 2026, 550, 650)


def test_search_finds_spelling_variants_and_shows_the_original(store: Store) -> None:
    record = store.add("person", {**PERSON, "first_name": "أحمد", "surname": "الجبوري"})
    store.add("person", {**PERSON, "first_name": "زينب", "surname": "التميمي"})
    for query in ("احمد", "أحمد", "جبوري", "الجبوري", "احم", "أحمد الجبوري"):
        hits = store.search(query)
        assert [h.record.id for h in hits] == [record.id], query
        assert hits[0].record.fields["first_name"] == "أحمد"


def test_search_by_phone_national_id_and_number(store: Store) -> None:
    store.connection.execute("BEGIN")
    store.numbers.add_block("B12", 2026, 7, 9)
    store.connection.execute("COMMIT")
    record = store.add(
        "person", {**PERSON, "phone": "0771 234 5678", "national_id": "198503120045"}
    )
    for query in ("07712345678", "٠٧٧١٢٣٤٥٦٧٨", "9647712345678", "198503120045", "B12-2026-7"):
        assert [h.record.id for h in store.search(query)] == [record.id], query


def test_names_rank_above_free_text(store: Store) -> None:
    by_name = store.add("person", {**PERSON, "first_name": "كريم"})
    hh = store.add("household", household(head_id=by_name.id))
    visit = store.add(
        "home_visit", home_visit(household_id=hh.id, observations="الجار كريم حاضر أثناء الزيارة")
    )
    ids = [h.record.id for h in store.search("كريم")]
    assert ids[0] == by_name.id and visit.id in ids


def test_hostile_search_text_is_only_text(store: Store) -> None:
    store.add("person", PERSON)
    for query in ('"', "*", "NEAR(محمد", "محمد OR", "-", ":", "(", "^", 'محمد" OR "x'):
        store.search(query)  # no FTS5 syntax error escapes


def test_attachments_stream_in_chunks_and_read_back(store: Store) -> None:
    record = store.add("person", PERSON)
    data = bytes(range(256)) * 1000  # 256 KB, four chunks
    info = store.attach(record.id, io.BytesIO(data), name="تعهد.jpg", mime="image/jpeg")
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.chunks == 4
    again = store.attach(record.id, io.BytesIO(data), name="تعهد.jpg", mime="image/jpeg")
    assert again.sha256 == info.sha256
    out = io.BytesIO()
    assert store.read_attachment(record.id, info.sha256, out) == len(data)
    assert out.getvalue() == data
    assert store.attachments_of(record.id) == [(info.sha256, "تعهد.jpg", "image/jpeg", len(data))]


def test_an_attachment_arriving_in_pieces_resumes_and_is_checked(store: Store) -> None:
    data = b"x" * 150_000
    sha = hashlib.sha256(data).hexdigest()
    chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]
    a = store.attachments
    store.connection.execute("BEGIN")
    a.expect(sha, len(data))
    a.put_chunk(sha, 2, chunks[2])
    a.put_chunk(sha, 0, chunks[0])
    store.connection.execute("COMMIT")
    assert a.missing_chunks(sha) == [1]
    with pytest.raises(InvalidInput):
        a.finish(sha)
    store.connection.execute("BEGIN")
    a.put_chunk(sha, 1, chunks[1])
    a.put_chunk(sha, 1, chunks[1])  # a resent chunk is harmless
    finished = a.finish(sha)
    assert finished is not None and finished.complete
    store.connection.execute("COMMIT")
    assert b"".join(a.chunks(sha)) == data


def test_a_corrupted_download_is_discarded(store: Store) -> None:
    data = b"y" * 1000
    sha = hashlib.sha256(data).hexdigest()
    a = store.attachments
    store.connection.execute("BEGIN")
    a.expect(sha, len(data))
    a.put_chunk(sha, 0, b"z" * 1000)
    assert a.finish(sha) is None
    assert a.missing_chunks(sha) == [0]
    store.connection.execute("COMMIT")


def test_a_batch_can_link_records_by_ids_made_elsewhere(store: Store) -> None:
    person_id = "01a225b4-02d5-7492-abd8-dafb08f1a718"
    saved = store.add_many(
        [("person", PERSON, person_id), ("household", household(head_id=person_id))]
    )
    assert saved[0].id == person_id and saved[1].fields["head_id"] == person_id
    with pytest.raises(InvalidInput):
        store.add_many([("person", PERSON, person_id)])  # the same id twice
    with pytest.raises(InvalidInput):
        store.add_many([("person", PERSON, "not-a-uuid")])
    assert store.count() == 2


def test_a_dispute_sees_the_ages_of_parties_added_earlier_in_the_same_batch(store: Store) -> None:
    adult, minor = "01a225b4-0000-7000-8000-00000000000a", "01a225b4-0000-7000-8000-00000000000b"
    dispute = {
        "date": "2026-11-18",
        "governorate": "IQG08",
        "district": "IQG08Q01",
        "dispute_type": "parents_children",
        "violence": "verbal",
        "party_ids": [adult, minor],
        "summary": "خلاف بين الأب وابنه حول الدراسة",
        "outcome": "under_follow_up",
        "status": "open",
    }
    saved = store.add_many(
        [
            ("person", PERSON, adult),
            ("person", {**PERSON, "first_name": "يوسف", "age": 15}, minor),
            ("family_dispute", dispute),
        ]
    )
    assert "juvenile_review" in saved[2].flags
    assert "minor" in saved[1].flags
