"""Fixtures of the server tests: one storage contract, run against SQLite and PostgreSQL.

`database_url` is parametrised over both backends. PostgreSQL comes from
`FIELDAPP_TEST_DATABASE_URL` (a server URL whose database we may connect to, e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/test`); every test module gets its own fresh
database created next to it and dropped afterwards. When the variable is unset the default
local URL is tried and the PostgreSQL cases are skipped if nothing answers; when it is set
(as CI does) PostgreSQL is mandatory and a connection failure fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.ids import uuid7
from sync.protocol import AttachmentManifest, Change, PushRequest, RecordState
from sync.server import schema
from sync.server.accounts import DeviceIdentity
from sync.server.database import make_engine, upgrade_database, writing
from sync.server.storage import ServerStorage
from tests.records import household

from .helpers import head

ENV_URL = "FIELDAPP_TEST_DATABASE_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


# --- PostgreSQL: availability and one database per module ------------------------------------


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """A URL of the PostgreSQL server (skip, or fail when CI made it mandatory)."""
    configured = os.environ.get(ENV_URL)
    url = configured or DEFAULT_PG_URL
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the server
        if configured:
            pytest.fail(f"{ENV_URL} is set but PostgreSQL cannot be reached: {error}")
        pytest.skip(f"PostgreSQL not reachable at {url} (set {ENV_URL} to require it)")
    finally:
        engine.dispose()
    return url


def _admin_engine(server_url: str) -> Engine:
    return create_engine(server_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def postgres_database(postgres_server_url: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test module; dropped afterwards."""
    name = f"fieldapp_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(postgres_server_url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_database(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def empty_database(engine: Engine) -> None:
    """Back to a just-migrated state (faster than a new database per test)."""
    with writing(engine) as conn:
        names = ", ".join(f'"{table.name}"' for table in schema.ALL_TABLES)
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        conn.execute(schema.feed_counter.insert().values(id=1, seq=0))


# --- the contract fixtures ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        sqlite_url = f"sqlite:///{tmp_path / 'server.db'}"
        upgrade_database(sqlite_url)
        return sqlite_url
    url: str = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    try:
        empty_database(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = make_engine(database_url)
    yield created
    created.dispose()


@pytest.fixture(scope="session")
def forms() -> FormRegistry:
    return load_forms()


@pytest.fixture(scope="session")
def reference() -> AdminReference:
    return load_reference()


@dataclass
class Clock:
    """The storage's clock, moved by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def storage(
    engine: Engine, forms: FormRegistry, reference: AdminReference, clock: Clock
) -> ServerStorage:
    return ServerStorage(engine, forms=forms, reference=reference, clock=clock)


# --- a small world: two stations, their people, enrolled devices -------------------------------


@dataclass
class Device:
    """An enrolled device as a test drives it: its identity and its own bookkeeping."""

    storage: ServerStorage
    identity: DeviceIdentity
    token: str
    last_change: dict[str, str] = field(default_factory=dict)  # record id -> change id

    def change(
        self,
        record_id: str | None = None,
        fields: Mapping[str, Any] | None = None,
        *,
        base_rev: int = 0,
        op: str = "update",
        record_type: str = "household",
        follow_up: bool = False,
        **extra: Any,
    ) -> Change:
        """A change as the device's outbox would send it; `follow_up` names the device's
        previous change of the record in prev_change_id."""
        record_id = record_id or uuid7()
        prev = self.last_change.get(record_id) if follow_up else None
        made = Change.model_validate(
            {
                "change_id": uuid7(),
                "record_id": record_id,
                "record_type": record_type,
                "form_version": 1,
                "op": op,
                "base_rev": base_rev,
                "prev_change_id": prev,
                "created_at": "2026-12-01T12:00:00+03:00",
                "fields": dict(fields if fields is not None else household()),
                **extra,
            }
        )
        self.last_change[record_id] = made.change_id
        return made

    def push(self, *changes: Change) -> list[Any]:
        request = PushRequest(batch_id=str(uuid.uuid4()), changes=list(changes))
        return list(self.storage.push(self.identity, request).results)

    def push_one(self, change: Change) -> Any:
        return self.push(change)[0]

    def head(self, record_id: str) -> RecordState | None:
        """The record's head as this device may see it (None: not in its stations)."""
        return head(self.storage.engine, self.identity, record_id)

    def manifest(self, sha256: str) -> AttachmentManifest:
        return self.storage.attachment_manifest(self.identity, sha256)[0]

    def put_chunk(self, sha256: str, index: int, data: bytes) -> AttachmentManifest:
        return self.storage.put_attachment_chunk(self.identity, sha256, index, data)[0]

    def get_chunk(self, sha256: str, index: int) -> bytes:
        return self.storage.get_attachment_chunk(self.identity, sha256, index)[0]

    def pull_all(self, since: int = 0, limit: int = 500) -> dict[str, Any]:
        """Every head the device may see, by record id (following `more`)."""
        seen: dict[str, Any] = {}
        while True:
            page = self.storage.pull(self.identity, since, limit)
            for record in page.records:
                seen[record.record_id] = record
            since = page.next_cursor
            if not page.more:
                return seen


@dataclass
class World:
    storage: ServerStorage
    devices: dict[str, Device]

    def __getitem__(self, username: str) -> Device:
        return self.devices[username]


def enroll(storage: ServerStorage, username: str, name: str = "laptop") -> Device:
    code = storage.create_enroll_code(username)
    enrolled = storage.enroll(code, name)
    identity = storage.authenticate(enrolled.device_id, enrolled.token)
    return Device(storage, identity, enrolled.token)


def build_world(storage: ServerStorage) -> World:
    """Stations A and B; officers and a clerk at A, an officer at B, a supervisor of both."""
    storage.add_station("A", "مركز شرطة الأعظمية", "IQG08", "IQG08Q01")
    storage.add_station("B", "مركز شرطة الكرخ", "IQG08", "IQG08Q03")
    storage.add_user("ali", "officer", "A")
    storage.add_user("sara", "officer", "A")
    storage.add_user("huda", "clerk", "A")
    storage.add_user("omar", "officer", "B")
    storage.add_user("zaid", "supervisor", None, ["A", "B"])
    return World(storage, {u: enroll(storage, u) for u in ("ali", "sara", "huda", "omar", "zaid")})


@pytest.fixture
def world(storage: ServerStorage) -> World:
    return build_world(storage)
