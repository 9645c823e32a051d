"""The storage contract of device audit trails (sync/server/device_audit.py), on SQLite and
PostgreSQL: what a device ships is kept when it extends the chain held for it; anything else
flags the device, is audited, and does not stop the device from syncing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select, text

from fieldapp.auditchain import FORMAT_DIGEST, GENESIS, details_digest, entry_hash
from sync.protocol import AuditLink, AuditUpload
from sync.server import schema
from sync.server.database import current_revision, upgrade_database
from sync.server.storage import ServerStorage

from .conftest import Device, World
from .helpers import audit_entries


@dataclass
class Chain:
    """A device's audit chain as the device would build it (format 2)."""

    links: list[AuditLink] = field(default_factory=list)

    def add(self, action: str = "view", **extra: Any) -> AuditLink:
        seq = len(self.links) + 1
        prev = self.links[-1].hash if self.links else GENESIS
        values: dict[str, Any] = {
            "seq": seq,
            "at": f"2026-12-01T10:00:{seq % 60:02d}.000+03:00",
            "actor": "ali",
            "action": action,
            "record_id": None,
            "outcome": "ok",
            "details_digest": details_digest(f'{{"_salt":"{seq}"}}'),
            **extra,
        }
        digest = entry_hash(
            prev,
            seq,
            values["at"],
            values["actor"],
            values["action"],
            values["record_id"],
            values["outcome"],
            values["details_digest"],
        )
        link = AuditLink(format=FORMAT_DIGEST, prev_hash=prev, hash=digest, **values)
        self.links.append(link)
        return link

    def grow(self, count: int) -> Chain:
        for _ in range(count):
            self.add()
        return self

    def upload(self, after: int = 0, until: int | None = None) -> AuditUpload:
        base_hash = self.links[after - 1].hash if after else GENESIS
        return AuditUpload(base_seq=after, base_hash=base_hash, entries=self.links[after:until])


def ship(device: Device, upload: AuditUpload) -> int:
    return device.storage.receive_audit(device.identity, upload, "10.0.0.7").acknowledged_seq


def state_of(storage: ServerStorage, device: Device) -> Any:
    (info,) = [d for d in storage.list_devices() if d.device_id == device.identity.device_id]
    return info


def held(engine: Engine, device: Device) -> list[tuple[int, int, str]]:
    d = schema.device_audit
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.c.segment, d.c.seq, d.c.hash)
            .where(d.c.device_id == device.identity.device_id)
            .order_by(d.c.segment, d.c.seq)
        ).all()
    return [(r.segment, r.seq, r.hash) for r in rows]


def breaks(storage: ServerStorage) -> list[dict[str, Any]]:
    return [e for e in audit_entries(storage.engine) if e["action"] == "device_audit_break"]


# --- entries that extend the chain -------------------------------------------------------------


def test_a_first_upload_is_kept_and_acknowledged_up_to_its_last_entry(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(5)
    assert ship(world["ali"], chain.upload()) == 5
    assert [seq for _, seq, _ in held(storage.engine, world["ali"])] == [1, 2, 3, 4, 5]
    info = state_of(storage, world["ali"])
    assert (info.audit_seq, info.audit_flagged_at) == (5, None)


def test_entries_after_the_acknowledged_one_extend_the_chain(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(3)
    ship(world["ali"], chain.upload())
    chain.grow(4)
    assert ship(world["ali"], chain.upload(after=3)) == 7
    assert state_of(storage, world["ali"]).audit_flagged_at is None
    assert breaks(storage) == []


def test_a_replayed_upload_changes_nothing(world: World, storage: ServerStorage) -> None:
    chain = Chain().grow(4)
    ship(world["ali"], chain.upload())
    # The answer was lost: the device sends the same entries again, and then some.
    chain.grow(2)
    assert ship(world["ali"], chain.upload()) == 6
    assert [seq for _, seq, _ in held(storage.engine, world["ali"])] == [1, 2, 3, 4, 5, 6]
    assert state_of(storage, world["ali"]).audit_flagged_at is None


def test_an_upload_with_no_new_entries_is_acknowledged_where_it_stands(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(2)
    ship(world["ali"], chain.upload())
    assert ship(world["ali"], chain.upload(after=2)) == 2
    assert state_of(storage, world["ali"]).audit_flagged_at is None


def test_each_device_has_its_own_chain(world: World, storage: ServerStorage) -> None:
    ship(world["ali"], Chain().grow(3).upload())
    assert ship(world["sara"], Chain().grow(2).upload()) == 2
    assert state_of(storage, world["sara"]).audit_flagged_at is None


# --- a chain that no longer extends what the server holds --------------------------------------


def rewritten(chain: Chain, drop_seq: int) -> Chain:
    """The chain as an officer rewrites it: entry `drop_seq` deleted, the rest renumbered and
    every hash recomputed (each link still a valid format-2 entry)."""
    kept = [link for link in chain.links if link.seq != drop_seq]
    again = Chain()
    for link in kept:
        again.add(
            link.action, record_id=link.record_id, at=link.at, details_digest=link.details_digest
        )
    return again


def test_a_rewritten_chain_flags_the_device_and_the_break_is_audited(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain()
    chain.grow(2)
    chain.add("export")
    chain.grow(2)
    ship(world["ali"], chain.upload())
    forged = rewritten(chain, drop_seq=3).grow(2)  # 4 old entries renumbered, 2 new ones
    ship(world["ali"], forged.upload(after=5))  # the device starts after the acknowledged one
    info = state_of(storage, world["ali"])
    assert info.audit_flagged_at is not None
    assert info.audit_problem == "chain_rewritten after 5"
    (entry,) = breaks(storage)
    assert entry["who"] == world["ali"].identity.who
    assert entry["outcome"] == "chain_rewritten after 5"
    assert entry["where"] == "10.0.0.7"


def test_the_entries_held_before_a_break_are_kept_beside_the_rewritten_ones(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(5)
    ship(world["ali"], chain.upload())
    forged = rewritten(chain, drop_seq=3).grow(1)
    assert ship(world["ali"], forged.upload()) == 5
    rows = held(storage.engine, world["ali"])
    assert [(segment, seq) for segment, seq, _ in rows] == [
        *((1, seq) for seq in range(1, 6)),
        *((2, seq) for seq in range(1, 6)),
    ]
    assert [h for segment, _, h in rows if segment == 1] == [link.hash for link in chain.links]


def test_a_flagged_device_keeps_syncing_and_its_later_entries_are_acknowledged(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(4)
    ship(world["ali"], chain.upload())
    forged = rewritten(chain, drop_seq=2)
    ship(world["ali"], forged.upload())
    forged.grow(3)
    assert ship(world["ali"], forged.upload(after=3)) == 6
    assert world["ali"].push_one(world["ali"].change(op="create")).status == "applied"
    assert len(breaks(storage)) == 1  # the new chain extends its own segment without a break


def test_an_upload_that_starts_after_entries_the_server_never_received_flags_the_device(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(6)
    ship(world["ali"], chain.upload(until=2))
    ship(world["ali"], chain.upload(after=4))  # entries 3 and 4 never shipped
    assert state_of(storage, world["ali"]).audit_problem == "gap after 4"


def test_an_entry_whose_hash_does_not_recompute_flags_the_device_and_is_not_kept(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(3)
    ship(world["ali"], chain.upload())
    chain.add()
    doctored = chain.links[3].model_copy(update={"outcome": "denied"})  # hash left as it was
    upload = AuditUpload(base_seq=3, base_hash=chain.links[2].hash, entries=[doctored])
    assert ship(world["ali"], upload) == 3
    assert state_of(storage, world["ali"]).audit_problem == "hash_mismatch after 3"
    assert [seq for _, seq, _ in held(storage.engine, world["ali"])] == [1, 2, 3]


def test_a_legacy_entry_after_a_recomputable_one_flags_the_device(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(2)
    ship(world["ali"], chain.upload())
    chain.add()
    legacy = chain.links[2].model_copy(update={"format": 1})  # the server could not recompute it
    upload = AuditUpload(base_seq=2, base_hash=chain.links[1].hash, entries=[legacy])
    ship(world["ali"], upload)
    assert state_of(storage, world["ali"]).audit_problem == "format after 2"


def test_the_first_problem_stays_on_the_device_and_every_break_is_audited(
    world: World, storage: ServerStorage
) -> None:
    chain = Chain().grow(4)
    ship(world["ali"], chain.upload())
    ship(world["ali"], rewritten(chain, drop_seq=2).upload())
    ship(world["ali"], chain.upload(after=2))  # and back to the old chain: another break
    assert state_of(storage, world["ali"]).audit_problem == "chain_rewritten after 0"
    assert len(breaks(storage)) == 2


def test_the_flag_stays_until_an_admin_clears_it(world: World, storage: ServerStorage) -> None:
    chain = Chain().grow(3)
    ship(world["ali"], chain.upload())
    forged = rewritten(chain, drop_seq=1)
    ship(world["ali"], forged.upload())
    forged.grow(2)
    ship(world["ali"], forged.upload(after=2))
    assert state_of(storage, world["ali"]).audit_flagged_at is not None
    assert storage.clear_audit_flag(world["ali"].identity.device_id) is True
    info = state_of(storage, world["ali"])
    assert (info.audit_flagged_at, info.audit_problem, info.audit_seq) == (None, None, 4)
    assert len(held(storage.engine, world["ali"])) == 3 + 4  # the evidence stays
    assert storage.clear_audit_flag(world["ali"].identity.device_id) is False


# --- migration ---------------------------------------------------------------------------------


def test_upgrade_from_0002_gives_existing_devices_no_audit_trail_and_no_flag(
    database_url: str, engine: Engine
) -> None:
    with engine.begin() as conn:
        for table in reversed(schema.ALL_TABLES):
            conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_database(database_url, "0002")
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
                "INSERT INTO users (username, role, station, stations, created_at, disabled)"
                " VALUES ('ali', 'officer', 'A', '[]', :now, false)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO devices (id, username, token_hash, name, enrolled_at)"
                " VALUES (:id, 'ali', :hash, 'laptop', :now)"
            ),
            {"id": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "hash": "b" * 64, "now": now},
        )
    upgrade_database(database_url)
    assert current_revision(engine) == "0003"
    with engine.connect() as conn:
        row = conn.execute(select(schema.devices)).one()
    assert (row.audit_segment, row.audit_seq, row.audit_flagged_at) == (0, None, None)
