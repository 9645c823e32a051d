"""Reading for lists and screens over a real vault: summaries without audit writes, pages by
key, one audited open, a record laid out for display, a record's files, the sync status."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput
from fieldapp.presentation import record_view
from fieldapp.store.files import safe_file_name
from fieldapp.store.listing import PageKey, SyncState
from fieldapp.store.replica import ChangeOutcome, FileRef, Replica
from fieldapp.store.store import Store
from fieldapp.store.sync_status import sync_status
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from tests.records import PERSON, home_visit, household, server_person

IRAQ = timezone(timedelta(hours=3))


class Clock:
    """The device clock, moved by the test (several saves may share one second)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 10, 0, tzinfo=IRAQ)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(tmp_path: Path, clock: Clock) -> Iterator[sessions.Session]:
    s = sessions.create(
        tmp_path / "vault",
        TEST_PASSWORD,
        officer="ali.h",
        station="B12",
        kdf=KdfParams.for_tests(),
        clock=clock,
    )
    yield s
    s.close()


@pytest.fixture
def store(session: sessions.Session) -> Store:
    return session.store


def audit_rows(store: Store) -> int:
    return int(store.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def with_numbers(store: Store, first: int = 1, last: int = 999) -> None:
    store.connection.execute("BEGIN")
    store.numbers.add_block("B12", 2026, first, last)
    store.connection.execute("COMMIT")


def people(store: Store, count: int, clock: Clock, *, per_second: int = 1) -> list[str]:
    ids = []
    for i in range(count):
        ids.append(store.add("person", {**PERSON, "first_name": f"محمد{i}"}).id)
        if (i + 1) % per_second == 0:
            clock.tick()
    return ids


# --- summaries -------------------------------------------------------------------------------


def test_a_summary_carries_what_a_row_shows(store: Store) -> None:
    parties = [store.add("person", PERSON).id for _ in range(2)]
    with_numbers(store)
    visit = store.add("family_dispute", {**_dispute(), "party_ids": parties})
    [row] = store.listing.page("family_dispute", lang="en").items
    assert row.id == visit.id and row.number == "B12-2026-1" and row.type == "family_dispute"
    assert row.title.startswith("Family dispute") and "2026-11-18" in row.title
    assert (row.date, row.status, row.district) == ("2026-11-18", "open", "IQG08Q01")
    assert row.sync_state is SyncState.PENDING and row.conflict is False and row.deleted is False


def test_a_person_summary_is_titled_by_the_full_name(store: Store) -> None:
    store.add("person", {**PERSON, "surname": "الجبوري"})
    [row] = store.listing.page(lang="ar").items
    assert row.title == "محمد جاسم حسن الجبوري"
    assert row.date is None and row.status is None


def test_listing_and_searching_write_no_audit_entry(store: Store, clock: Clock) -> None:
    people(store, 30, clock)
    before = audit_rows(store)
    page = store.listing.page(limit=10)
    store.listing.page(after=page.next_key, limit=10)
    store.listing.search("محمد")
    store.listing.by_ids([page.items[0].id])
    store.get(page.items[0].id)
    assert audit_rows(store) == before


def test_opening_a_record_for_a_person_is_audited_once(store: Store) -> None:
    record = store.add("person", PERSON)
    before = audit_rows(store)
    store.open_record(record.id)
    entries = list(store.audit.entries())
    assert audit_rows(store) == before + 1
    assert (entries[-1].action, entries[-1].record_id) == ("view", record.id)


def test_the_sync_state_of_a_row_follows_the_outbox(store: Store) -> None:
    replica = Replica(store)
    synced, pending, refused = (store.add("person", PERSON) for _ in range(3))
    batch = {c.record_id: c for c in replica.outbox_batch(10)}
    replica.apply_results(
        [
            ChangeOutcome(batch[synced.id].change_id, synced.id, "applied", rev=1),
            ChangeOutcome(batch[refused.id].change_id, refused.id, "rejected", reason="invalid"),
        ]
    )
    states = {row.id: row.sync_state for row in store.listing.page().items}
    assert states == {
        synced.id: SyncState.SYNCED,
        pending.id: SyncState.PENDING,
        refused.id: SyncState.REJECTED,
    }


def test_search_returns_summaries_best_first(store: Store) -> None:
    wanted = store.add("person", {**PERSON, "first_name": "أحمد", "surname": "الجبوري"})
    store.add("person", {**PERSON, "first_name": "زينب", "surname": "التميمي"})
    hits = store.listing.search("احمد جبوري")
    assert [h.summary.id for h in hits] == [wanted.id]
    assert hits[0].summary.title.startswith("أحمد")
    assert store.listing.search("ا") == []  # one letter: no search yet


# --- pages by key ----------------------------------------------------------------------------


def test_pages_by_key_cover_every_record_once_newest_first(store: Store, clock: Clock) -> None:
    # Three records per second: the key's row number breaks the ties of updated_at.
    ids = people(store, 23, clock, per_second=3)
    seen, key = [], None
    while True:
        page = store.listing.page(after=key, limit=5)
        seen += [row.id for row in page.items]
        key = page.next_key
        if key is None:
            break
    assert seen == list(reversed(ids))


def test_records_saved_between_pages_neither_repeat_nor_hide_a_row(
    store: Store, clock: Clock
) -> None:
    ids = people(store, 12, clock)
    first = store.listing.page(limit=5)
    people(store, 4, clock)  # newer: they go above the first page
    second = store.listing.page(after=first.next_key, limit=5)
    assert [r.id for r in second.items] == list(reversed(ids))[5:10]
    assert not {r.id for r in first.items} & {r.id for r in second.items}


def test_the_last_page_has_no_next_key(store: Store, clock: Clock) -> None:
    people(store, 4, clock)
    assert store.listing.page(limit=4).next_key is None
    assert store.listing.page(limit=3).next_key is not None


def test_a_page_key_survives_as_text_and_a_forged_one_is_refused(
    store: Store, clock: Clock
) -> None:
    people(store, 6, clock)
    first = store.listing.page(limit=3)
    assert first.next_key is not None
    again = PageKey.from_token(first.next_key.token())
    assert again == first.next_key
    for bad in ("", "x:2026", "12", "1:\u202e", "9" * 200 + ":a"):
        with pytest.raises(InvalidInput):
            PageKey.from_token(bad)


def test_pages_of_one_type_hold_only_that_type(store: Store, clock: Clock) -> None:
    people(store, 3, clock)
    store.add("household", household())
    rows = store.listing.page("household").items
    assert [r.type for r in rows] == ["household"]
    with pytest.raises(InvalidInput):
        store.listing.page("no_such_type")


def test_deleted_records_leave_the_list(store: Store, clock: Clock) -> None:
    a, b = people(store, 2, clock)
    store.delete(a)
    assert [r.id for r in store.listing.page().items] == [b]


# --- a record for display --------------------------------------------------------------------


def test_a_record_shows_its_linked_household_and_persons_by_title_and_number(
    store: Store,
) -> None:
    with_numbers(store, 40)
    head = store.add("person", {**PERSON, "surname": "الجبوري"})
    home = store.add("household", household(head_id=head.id, mahalla="حي الجامعة"))
    visit = store.add("home_visit", home_visit(household_id=home.id))
    view = record_view(store, visit.id, "en")
    [link] = next(f for f in view.fields if f.key == "household_id").links
    assert (link.id, link.number, link.here) == (home.id, "B12-2026-41", True)
    assert "حي الجامعة" in link.title
    text = "\n".join(view.lines())
    assert "B12-2026-41" in text and home.id not in text
    head_view = record_view(store, home.id, "ar")
    [head_field] = [f for f in head_view.fields if f.key == "head_id"]
    assert "محمد جاسم حسن الجبوري" in head_field.value and "B12-2026-40" in head_field.value


def test_a_link_to_a_record_not_on_this_device_says_so(store: Store) -> None:
    missing = "0190c0de-0000-7000-8000-0000000000aa"
    visit = store.add("home_visit", home_visit(household_id=missing))
    view = record_view(store, visit.id, "en")
    [link] = next(f for f in view.fields if f.key == "household_id").links
    assert link.here is False
    assert any(missing in line and "not on this device" in line for line in view.lines())


def test_a_record_view_is_one_audited_open(store: Store) -> None:
    home = store.add("household", household())
    visit = store.add("home_visit", home_visit(household_id=home.id))
    before = audit_rows(store)
    record_view(store, visit.id, "en")
    assert audit_rows(store) == before + 1


def test_a_conflict_shows_each_value_with_who_entered_it(store: Store) -> None:
    person_id = "0190f0aa-0000-7000-8000-000000000001"
    conflict = {
        "field": "age",
        "base": 40,
        "values": [
            {"value": 41, "username": "ali.h", "rev": 2, "change_id": "c1"},
            {"value": 42, "username": "sara.k", "rev": 3, "change_id": "c2"},
        ],
    }
    Replica(store).apply_pull([server_person(person_id, conflicts=(conflict,))], 1)
    view = record_view(store, person_id, "en")
    [shown] = view.conflicts
    assert shown.label == "Age"
    assert [(v.shown, v.username) for v in shown.values] == [("41", "ali.h"), ("42", "sara.k")]
    assert view.to_json()["conflicts"] == [conflict]


# --- files -----------------------------------------------------------------------------------


def test_a_file_attached_from_a_path_saves_out_identical(store: Store, tmp_path: Path) -> None:
    record = store.add("person", PERSON)
    source = tmp_path / "تعهد.jpg"
    photo = bytes(range(256)) * 1500  # several chunks
    source.write_bytes(photo)
    added = store.files.attach_path(record.id, source)
    assert (added.name, added.mime, added.size) == ("تعهد.jpg", "image/jpeg", len(photo))
    assert added.present and not added.on_server
    out = tmp_path / "out"
    out.mkdir()
    saved = store.files.save(record.id, added.sha256, out)
    assert saved == out / "تعهد.jpg" and saved.read_bytes() == photo


def test_saving_never_overwrites_a_file_already_there(store: Store, tmp_path: Path) -> None:
    record = store.add("person", PERSON)
    added = store.files.attach(record.id, io.BytesIO(b"pledge"), name="p.txt", mime="text/plain")
    (tmp_path / "p.txt").write_bytes(b"mine")
    with pytest.raises(InvalidInput) as refused:
        store.files.save(record.id, added.sha256, tmp_path)
    assert refused.value.key == "files.exists"
    assert (tmp_path / "p.txt").read_bytes() == b"mine"


@pytest.mark.parametrize(
    ("stored", "saved"),
    [
        ("../../x", "x"),
        ("..\\..\\evil.txt", "evil.txt"),
        ("/etc/passwd", "passwd"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("..", "file"),
        (".hidden", "hidden"),
        ("CON.txt", "_CON.txt"),
        ("a:b*c?.jpg", "a_b_c_.jpg"),
    ],
)
def test_a_stored_name_never_acts_as_a_path(stored: str, saved: str) -> None:
    assert safe_file_name(stored) == saved


def test_a_file_named_like_a_path_is_saved_inside_the_folder(store: Store, tmp_path: Path) -> None:
    # Names arrive from other devices through the server: the pull keeps them as they are.
    record_id = "0190f0aa-0000-7000-8000-000000000002"
    data = b"scanned pledge"
    sha = hashlib.sha256(data).hexdigest()
    ref = FileRef(sha, len(data), 65536, "../../x\u202egpj.exe", "image/jpeg")
    replica = Replica(store)
    replica.apply_pull([server_person(record_id, attachments=(ref,))], 1)
    out = tmp_path / "out" / "inner"
    out.mkdir(parents=True)
    with pytest.raises(InvalidInput) as early:
        store.files.save(record_id, sha, out)
    assert early.value.key == "files.not_here"  # listed, not downloaded yet
    replica.keep_downloaded_chunk(sha, 0, data)
    assert replica.finish_download(sha)
    saved = store.files.save(record_id, sha, out)
    assert saved.parent == out and saved.name == "xgpj.exe"
    assert saved.read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["inner", "xgpj.exe"]


def test_an_attached_file_waits_for_the_sync_once_its_record_is_on_the_server(
    store: Store,
) -> None:
    record = store.add("person", PERSON)
    replica = Replica(store)
    added = store.files.attach(record.id, io.BytesIO(b"photo"), name="a.jpg", mime="image/jpeg")
    assert replica.attachments_to_upload() == []  # the record itself is not on the server yet
    [change] = replica.outbox_batch(10)
    replica.apply_results([ChangeOutcome(change.change_id, record.id, "applied", rev=1)])
    [upload] = replica.attachments_to_upload()
    assert (upload.record_id, upload.sha256, upload.name) == (record.id, added.sha256, "a.jpg")


def test_attaching_refuses_a_folder_a_pipe_and_a_missing_file(store: Store, tmp_path: Path) -> None:
    record = store.add("person", PERSON)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # opening it to read would wait for a writer forever
    expected = {tmp_path: "files.not_a_file", pipe: "files.not_a_file"}
    expected[tmp_path / "missing.jpg"] = "files.cannot_read"
    for path, key in expected.items():
        with pytest.raises(InvalidInput) as refused:
            store.files.attach_path(record.id, path)
        assert refused.value.key == key
    assert store.files.of(record.id) == []


def test_a_deleted_record_takes_no_new_file(store: Store) -> None:
    record = store.add("person", PERSON)
    store.delete(record.id)
    with pytest.raises(InvalidInput) as refused:
        store.files.attach(record.id, io.BytesIO(b"x"), name="a.jpg", mime="image/jpeg")
    assert refused.value.key == "store.record_deleted"
    assert store.files.of(record.id) == []


# --- sync status -----------------------------------------------------------------------------


def test_the_sync_status_counts_what_waits_and_names_what_was_refused(store: Store) -> None:
    replica = Replica(store)
    kept = store.add("person", PERSON)
    refused = store.add("person", PERSON)
    store.files.attach(kept.id, io.BytesIO(b"photo"), name="a.jpg", mime="image/jpeg")
    batch = {c.record_id: c for c in replica.outbox_batch(10)}
    problem = {"field": "age", "rule": "range"}
    replica.apply_results(
        [
            ChangeOutcome(
                batch[refused.id].change_id,
                refused.id,
                "rejected",
                reason="invalid",
                problems=(problem,),
            )
        ]
    )
    status = sync_status(replica)
    assert status.enrolled is False and status.last_sync is None
    assert (status.pending, status.conflicts, status.files_to_send) == (1, 0, 1)
    [rejected] = status.rejected
    assert (rejected.record_id, rejected.reason, rejected.problems) == (
        refused.id,
        "invalid",
        (problem,),
    )
    assert status.to_json()["rejected"] == 1


def _dispute() -> dict[str, object]:
    return {
        "date": "2026-11-18",
        "governorate": "IQG08",
        "district": "IQG08Q01",
        "dispute_type": "parents_children",
        "violence": "verbal",
        "summary": "خلاف بين الأب وابنه حول الدراسة",
        "outcome": "under_follow_up",
        "status": "open",
    }
