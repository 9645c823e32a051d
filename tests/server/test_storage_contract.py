"""The storage contract: every backend (SQLite, PostgreSQL) must pass every test here.

Like Kinto's storage test suite, the tests speak only through `ServerStorage`, never through a
backend's tables, so a new backend is proven by running this file against it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text

from fieldapp.ids import uuid7
from sync.protocol import CHUNK_SIZE, AttachmentAnnounce, AttachmentManifest, PushRequest
from sync.server import schema
from sync.server.database import current_revision, upgrade_database
from sync.server.errors import (
    AlreadyExists,
    AuthFailed,
    BadRequest,
    DeviceRevoked,
    EnrollCodeInvalid,
    Forbidden,
    NotFound,
)
from sync.server.storage import ServerStorage
from tests.records import household

from .conftest import Clock, World
from .helpers import audit_entries

# --- schema and migrations ---------------------------------------------------------------------


def test_migrated_database_matches_the_schema_module(engine: Engine, database_url: str) -> None:
    upgrade_database(database_url)  # a second run changes nothing
    assert current_revision(engine) == "0003"
    with engine.connect() as conn:
        drift = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata
        )
    assert drift == []


def test_upgrade_from_0001_links_existing_files_to_their_records(
    database_url: str, engine: Engine
) -> None:
    with engine.begin() as conn:
        for table in reversed(schema.ALL_TABLES):
            conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_database(database_url, "0001")
    now = "2026-11-01T09:00:00.000000Z"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO stations (code, name, governorate, district, created_at)"
                " VALUES ('A', 'x', 'IQG08', 'IQG08Q01', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO attachments (station, sha256, size, chunk_size, chunks, record_id,"
                " name, mime, complete, device_id, created_at) VALUES ('A', :sha, 5, 65536, 1,"
                " :rid, 'p.jpg', 'image/jpeg', false, :rid, :now)"
            ),
            {"sha": "a" * 64, "rid": "0" * 8 + "-0000-7000-8000-" + "0" * 12, "now": now},
        )
    upgrade_database(database_url)
    assert current_revision(engine) == "0003"
    with engine.connect() as conn:
        linked = conn.execute(select(schema.record_files.c.sha256, schema.record_files.c.name))
        assert linked.all() == [("a" * 64, "p.jpg")]


# --- enrollment and authentication -------------------------------------------------------------


def test_enroll_code_enrolls_one_device_once(storage: ServerStorage, world: World) -> None:
    code = storage.create_enroll_code("ali")
    enrolled = storage.enroll(code, "field laptop")
    assert (enrolled.username, enrolled.role, enrolled.station) == ("ali", "officer", "A")
    assert enrolled.station_name == "مركز شرطة الأعظمية"
    with pytest.raises(EnrollCodeInvalid):
        storage.enroll(code, "second laptop")
    assert sorted(d.name for d in storage.list_devices("ali")) == ["field laptop", "laptop"]


def test_enroll_code_is_accepted_as_typed_without_dashes_in_lower_case(
    storage: ServerStorage, world: World
) -> None:
    code = storage.create_enroll_code("sara")
    assert len(code.replace("-", "")) >= 12
    assert storage.enroll(code.replace("-", " ").lower(), "x").username == "sara"


def test_enroll_code_expires(storage: ServerStorage, world: World, clock: Clock) -> None:
    code = storage.create_enroll_code("ali", ttl=timedelta(hours=24))
    clock.advance(hours=24, seconds=1)
    with pytest.raises(EnrollCodeInvalid):
        storage.enroll(code, "late laptop")


def test_unknown_enroll_code_is_refused(storage: ServerStorage, world: World) -> None:
    with pytest.raises(EnrollCodeInvalid):
        storage.enroll("ABCD-EFGH-JKMN-PQRS", "x")


def test_token_is_stored_only_as_its_hash(
    storage: ServerStorage, world: World, engine: Engine
) -> None:
    code = storage.create_enroll_code("ali")
    enrolled = storage.enroll(code, "x")
    assert len(enrolled.token) >= 43
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(schema.devices)).all()]
        codes = [tuple(r) for r in conn.execute(select(schema.enroll_codes)).all()]
    dump = repr(rows) + repr(codes)
    assert enrolled.token not in dump and code.replace("-", "") not in dump
    assert hashlib.sha256(enrolled.token.encode()).hexdigest() in dump


def test_wrong_token_is_refused_with_or_without_device_id(world: World) -> None:
    ali = world["ali"]
    with pytest.raises(AuthFailed):
        world.storage.authenticate(ali.identity.device_id, ali.token[:-2] + "xx")
    with pytest.raises(AuthFailed):
        world.storage.authenticate(None, ali.token[:-2] + "xx")
    with pytest.raises(AuthFailed):
        world.storage.authenticate(world["sara"].identity.device_id, ali.token)
    assert world.storage.authenticate(None, ali.token) == ali.identity


def test_revoked_device_is_refused_but_only_its_token_learns_it(world: World) -> None:
    ali = world["ali"]
    world.storage.revoke_device(ali.identity.device_id)
    with pytest.raises(DeviceRevoked):
        world.storage.authenticate(ali.identity.device_id, ali.token)
    with pytest.raises(DeviceRevoked):
        world.storage.authenticate(None, ali.token)
    with pytest.raises(AuthFailed):
        world.storage.authenticate(ali.identity.device_id, "not-the-token" * 4)
    assert world.storage.list_devices("ali")[0].revoked_at is not None
    world.storage.authenticate(None, world["sara"].token)  # the others still work


def test_disabled_user_cannot_authenticate_or_enroll(world: World) -> None:
    world.storage.set_user_disabled("ali")
    with pytest.raises(AuthFailed):
        world.storage.authenticate(None, world["ali"].token)
    with pytest.raises(BadRequest):
        world.storage.create_enroll_code("ali")


def test_admin_refuses_duplicates_unknown_places_and_stations(storage: ServerStorage) -> None:
    storage.add_station("A", "a", "IQG08", "IQG08Q01")
    with pytest.raises(AlreadyExists):
        storage.add_station("A", "a", "IQG08", "IQG08Q01")
    with pytest.raises(BadRequest):
        storage.add_station("C", "c", "IQG99", "IQG08Q01")
    with pytest.raises(BadRequest):
        storage.add_station("C", "c", "IQG08", "IQG01Q01")  # a district of another governorate
    with pytest.raises(NotFound):
        storage.add_user("x", "officer", "NOPE")
    with pytest.raises(BadRequest):
        storage.add_user("x", "chief", "A")
    storage.add_user("x", "officer", "A")
    with pytest.raises(AlreadyExists):
        storage.add_user("x", "clerk", "A")
    with pytest.raises(NotFound):
        storage.create_enroll_code("nobody")
    with pytest.raises(NotFound):
        storage.revoke_device(uuid7())


# --- station scoping and roles -----------------------------------------------------------------


def test_pull_never_returns_another_stations_records(world: World) -> None:
    a_record = world["ali"].change()
    b_record = world["omar"].change(fields=household(district="IQG08Q03"))
    world["ali"].push(a_record)
    world["omar"].push(b_record)
    assert set(world["sara"].pull_all()) == {a_record.record_id}
    assert set(world["omar"].pull_all()) == {b_record.record_id}
    assert set(world["zaid"].pull_all()) == {a_record.record_id, b_record.record_id}
    assert world["omar"].head(a_record.record_id) is None


def test_change_to_another_stations_record_is_rejected_and_kept(world: World) -> None:
    created = world["ali"].change()
    world["ali"].push(created)
    intrusion = world["omar"].change(created.record_id, household(notes="x"), base_rev=1)
    result = world["omar"].push_one(intrusion)
    assert (result.status, result.reason) == ("rejected", "forbidden_station")
    head = world["ali"].pull_all()[created.record_id]
    assert head.rev == 1 and "notes" not in head.fields
    kept = world.storage.rejections("B")
    assert [(r.change_id, r.reason) for r in kept] == [(intrusion.change_id, "forbidden_station")]


def test_supervisor_reads_but_every_push_is_rejected_read_only(world: World) -> None:
    result = world["zaid"].push_one(world["zaid"].change())
    assert (result.status, result.reason) == ("rejected", "read_only")
    assert world.storage.records_count() == 0
    with pytest.raises(Forbidden):
        world.storage.reserve_numbers(world["zaid"].identity, 2026, 10)


# --- push: apply, validate, replay -------------------------------------------------------------


def test_create_is_applied_as_revision_one_with_server_cleaned_fields(world: World) -> None:
    world.storage.reserve_numbers(world["ali"].identity, 2026, 10)  # A-2026-1..10 are ali's
    change = world["ali"].change(fields=household(phone="٠٧٧٠١٢٣٤٥٦٧"), number="A-2026-1")
    result = world["ali"].push_one(change)
    assert (result.status, result.rev) == ("applied", 1)
    head = world["huda"].pull_all()[change.record_id]
    assert head.fields["phone"] == "+9647701234567"
    assert (head.rev, head.deleted, head.created_by, head.station) == (1, False, "ali", "A")
    assert head.number == "A-2026-1" and head.seq > 0 and head.conflicts == []


@pytest.mark.parametrize("times", [2, 5])
def test_replaying_a_batch_any_number_of_times_equals_one_delivery(
    world: World, times: int
) -> None:
    ali = world["ali"]
    existing = ali.change()
    ali.push(existing)
    batch = PushRequest(
        batch_id=uuid7(),
        changes=[
            ali.change(),
            ali.change(fields=household(district="IQG01Q01")),  # rejected
            ali.change(existing.record_id, household(notes="x"), base_rev=1),
            ali.change(existing.record_id, household(notes="x", house="7"), follow_up=True),
        ],
    )
    first = world.storage.push(ali.identity, batch).results
    heads = ali.pull_all()
    for _ in range(times):
        assert world.storage.push(ali.identity, batch).results == first
    assert ali.pull_all() == heads
    assert [r.status for r in first] == ["applied", "rejected", "applied", "applied"]
    assert heads[existing.record_id].rev == 3
    assert world.storage.records_count() == 2
    assert len(world.storage.rejections()) == 1


def test_invalid_changes_are_rejected_one_by_one_and_the_rest_go_through(world: World) -> None:
    ali = world["ali"]
    changes = [
        ali.change(),
        ali.change(fields={"governorate": "IQG08", "district": "IQG08Q01"}),  # no mahalla
        ali.change(fields=household(unknown_key=1)),
        ali.change(record_type="no_such_type"),
        ali.change(fields=household(notes="x" * 70_000)),
        ali.change(),
    ]
    results = ali.push(*changes)
    assert [r.status for r in results] == ["applied", *["rejected"] * 4, "applied"]
    assert [r.reason for r in results[1:5]] == ["invalid", "invalid", "unknown_type", "too_large"]
    assert [(p.field, p.rule) for p in results[1].problems] == [("mahalla", "required")]
    assert [(p.field, p.rule) for p in results[2].problems] == [("unknown_key", "unknown_field")]
    kept = world.storage.rejections("A")
    assert [k.change_id for k in kept] == [c.change_id for c in changes[1:5]]
    assert kept[0].change["fields"] == changes[1].fields and kept[0].username == "ali"
    assert world.storage.records_count("A") == 2


def test_change_id_of_another_device_is_not_replayed_to_it(world: World) -> None:
    change = world["ali"].change()
    world["ali"].push(change)
    result = world["sara"].push_one(change)
    assert (result.status, result.reason) == ("rejected", "change_id_reused")


def test_delete_on_the_current_head_makes_a_tombstone(world: World) -> None:
    ali = world["ali"]
    created = ali.change()
    ali.push(created)
    result = ali.push_one(ali.change(created.record_id, created.fields, base_rev=1, op="delete"))
    assert (result.status, result.rev) == ("applied", 2)
    head = world["huda"].pull_all()[created.record_id]
    assert head.deleted and head.fields == created.fields
    assert world.storage.records_count() == 0
    assert world.storage.records_count(include_deleted=True) == 1


# --- record numbers ----------------------------------------------------------------------------


def test_number_blocks_follow_each_other_per_station_and_year(world: World) -> None:
    s = world.storage
    first = s.reserve_numbers(world["ali"].identity, 2026, 50)
    second = s.reserve_numbers(world["sara"].identity, 2026, 10)
    other_year = s.reserve_numbers(world["sara"].identity, 2027, 5)
    other_station = s.reserve_numbers(world["omar"].identity, 2026, 5)
    assert (first.first, first.last, first.station) == (1, 50, "A")
    assert (second.first, second.last) == (51, 60)
    assert (other_year.first, other_year.last) == (1, 5)
    assert (other_station.station, other_station.first) == ("B", 1)
    with pytest.raises(BadRequest):
        s.reserve_numbers(world["ali"].identity, 2026, 0)


def test_number_blocks_never_overlap_when_reserved_from_two_threads(world: World) -> None:
    blocks: list[tuple[int, int]] = []
    lock = threading.Lock()

    def reserve(username: str) -> None:
        for _ in range(15):
            block = world.storage.reserve_numbers(world[username].identity, 2026, 7)
            with lock:
                blocks.append((block.first, block.last))

    threads = [threading.Thread(target=reserve, args=(u,)) for u in ("ali", "sara")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [n for first, last in blocks for n in range(first, last + 1)]
    assert len(blocks) == 30 and sorted(numbers) == list(range(1, 30 * 7 + 1))


# --- attachments -------------------------------------------------------------------------------


def _announce(world: World, username: str, data: bytes, record_id: str | None = None) -> str:
    sha = hashlib.sha256(data).hexdigest()
    body = AttachmentAnnounce(
        size=len(data), record_id=record_id or uuid7(), name="pledge.jpg", mime="image/jpeg"
    )
    world.storage.announce_attachment(world[username].identity, sha, body)
    return sha


def _chunks(data: bytes) -> list[bytes]:
    return [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)]


def test_attachment_upload_resumes_where_it_stopped_and_downloads_whole(world: World) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 1000)
    ali = world["ali"]
    sha = _announce(world, "ali", data)
    assert ali.manifest(sha).missing == [0, 1, 2]
    ali.put_chunk(sha, 2, _chunks(data)[2])
    # The connection drops here; the device asks what is missing and carries on.
    assert ali.manifest(sha).missing == [0, 1]
    ali.put_chunk(sha, 0, _chunks(data)[0])
    ali.put_chunk(sha, 0, _chunks(data)[0])  # a retried chunk does no harm
    done = ali.put_chunk(sha, 1, _chunks(data)[1])
    assert done.complete and done.missing == [] and done.chunks == 3
    assert _announce(world, "ali", data) == sha  # announcing again is harmless
    huda = world["huda"]
    assert b"".join(huda.get_chunk(sha, i) for i in range(3)) == data


def test_attachment_whose_chunks_do_not_match_its_hash_is_refused_and_reset(
    world: World,
) -> None:
    data = os.urandom(CHUNK_SIZE + 10)
    ali = world["ali"]
    sha = _announce(world, "ali", data)
    wrong = _chunks(os.urandom(CHUNK_SIZE + 10))
    ali.put_chunk(sha, 0, wrong[0])
    with pytest.raises(BadRequest) as refused:
        ali.put_chunk(sha, 1, wrong[1])
    assert refused.value.reason == "hash_mismatch"
    assert ali.manifest(sha).missing == [0, 1]
    with pytest.raises(NotFound):
        ali.get_chunk(sha, 0)
    with pytest.raises(BadRequest):
        ali.put_chunk(sha, 1, data[:11])  # wrong size for the last chunk


def test_the_first_announce_fixes_a_files_chunk_size(world: World) -> None:
    s, ali = world.storage, world["ali"].identity
    data = os.urandom(20_000)
    sha = hashlib.sha256(data).hexdigest()

    def announce(chunk_size: int) -> AttachmentManifest:
        body = AttachmentAnnounce(
            size=len(data),
            record_id=uuid7(),
            name="p.jpg",
            mime="image/jpeg",
            chunk_size=chunk_size,
        )
        return s.announce_attachment(ali, sha, body)

    with pytest.raises(BadRequest) as refused:
        announce(12_288)  # not a power of two
    assert refused.value.reason == "bad_chunk_size"
    first = announce(8192)
    assert (first.chunk_size, first.chunks, first.missing) == (8192, 3, [0, 1, 2])
    assert announce(65_536).chunk_size == 8192  # a later announce cannot change it
    for i in range(3):
        done = world["ali"].put_chunk(sha, i, data[i * 8192 : (i + 1) * 8192])
    assert done.complete
    assert world["huda"].get_chunk(sha, 2) == data[16_384:]


def test_a_completed_file_brings_its_record_back_to_the_feed_listing_it(world: World) -> None:
    ali, huda = world["ali"], world["huda"]
    record = ali.change(fields=household(), op="create")
    ali.push_one(record)
    data = os.urandom(CHUNK_SIZE + 5)
    sha = _announce(world, "ali", data, record.record_id)
    cursor = huda.storage.pull(huda.identity, 0).next_cursor
    ali.put_chunk(sha, 0, _chunks(data)[0])
    # Not complete yet: the head is not moved and lists no file.
    assert huda.storage.pull(huda.identity, cursor).records == []
    ali.put_chunk(sha, 1, _chunks(data)[1])
    (head,) = huda.storage.pull(huda.identity, cursor).records
    assert (head.record_id, head.rev) == (record.record_id, 1)  # same revision, new position
    assert [(f.sha256, f.size, f.chunk_size, f.name) for f in head.attachments] == [
        (sha, len(data), CHUNK_SIZE, "pledge.jpg")
    ]
    # The same file announced for a second record links it there too, at once.
    other = ali.change(fields=household(), op="create")
    ali.push_one(other)
    cursor = head.seq
    assert _announce(world, "ali", data, other.record_id) == sha
    moved = huda.pull_all(cursor)
    assert [f.sha256 for f in moved[other.record_id].attachments] == [sha]
    first = huda.head(record.record_id)
    assert first is not None and first.attachments[0].sha256 == sha
    # Another station's device sees neither record nor file.
    assert world["omar"].pull_all() == {}


def test_attachments_are_invisible_to_other_stations_and_read_only_for_supervisors(
    world: World,
) -> None:
    data = b"scanned pledge"
    sha = _announce(world, "ali", data)
    world["ali"].put_chunk(sha, 0, data)
    with pytest.raises(NotFound):
        world["omar"].manifest(sha)
    with pytest.raises(NotFound):
        world["omar"].get_chunk(sha, 0)
    assert world["zaid"].get_chunk(sha, 0) == data
    with pytest.raises(Forbidden):
        _announce(world, "zaid", b"other")


# --- pull paging -------------------------------------------------------------------------------


def test_pull_pages_never_skip_even_when_records_change_between_pages(world: World) -> None:
    ali, huda = world["ali"], world["huda"]
    created = [ali.change() for _ in range(25)]
    ali.push(*created)
    seen: dict[str, int] = {}
    since, pages = 0, 0
    while True:
        page = world.storage.pull(huda.identity, since, 7)
        pages += 1
        seqs = [r.seq for r in page.records]
        assert seqs == sorted(seqs) and all(q > since for q in seqs)
        for record in page.records:
            seen[record.record_id] = record.rev
        if pages == 2:  # edits land while the device is paging: they come again later
            ali.push(
                *(ali.change(c.record_id, household(notes="n"), base_rev=1) for c in created[:3])
            )
        since = page.next_cursor
        if not page.more:
            break
    assert set(seen) == {c.record_id for c in created}
    assert all(seen[c.record_id] == 2 for c in created[:3])
    empty = world.storage.pull(huda.identity, since, 7)
    assert (empty.records, empty.next_cursor, empty.more) == ([], since, False)


def test_pull_limit_is_capped(world: World) -> None:
    world["ali"].push(*(world["ali"].change() for _ in range(3)))
    page = world.storage.pull(world["ali"].identity, 0, 10_000)
    assert len(page.records) == 3 and not page.more
    with pytest.raises(BadRequest):
        world.storage.pull(world["ali"].identity, -1, 10)


# --- audit -------------------------------------------------------------------------------------


def test_audit_entries_keep_who_what_when_where_outcome(
    storage: ServerStorage, clock: Clock
) -> None:
    storage.audit(who="ali/dev", action="pull", where="10.0.0.7", outcome="ok", record_ids=["r1"])
    storage.audit(who="?", action="auth", where="10.0.0.8", outcome="auth_failed")
    latest = audit_entries(storage.engine)
    assert [(e["who"], e["action"], e["where"], e["outcome"]) for e in latest] == [
        ("?", "auth", "10.0.0.8", "auth_failed"),
        ("ali/dev", "pull", "10.0.0.7", "ok"),
    ]
    assert latest[1]["record_ids"] == ["r1"] and latest[1]["at"].startswith("2026-12-01T09:00")
