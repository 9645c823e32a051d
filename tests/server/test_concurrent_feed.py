"""Pull never skips a change while many writers commit at once (DESIGN.md invariant 4).

Eight pusher threads (each with its own engine and connection, like eight server processes)
create and edit records, some of them on one shared record, while four puller threads page
through the feed in a loop. At the end every puller must have collected every record, see the
server's head revision of each, and the server must hold exactly one revision per accepted
change.

The same harness is then run with a deliberately naive seq allocation (a sequence value taken
at the start of the transaction, and a short sleep before commit: the classic mistake) and must
catch it skipping, which shows the test can fail. That strategy lives only in this file.

Trials: FIELDAPP_FEED_TRIALS (default 2) runs of the real allocator, FIELDAPP_FEED_CHANGES
(default 40) changes per pusher, FIELDAPP_FEED_NAIVE_TRIALS (default 5) attempts to catch the
naive allocator skipping.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, select, text

from fieldapp.forms.definitions import FormRegistry
from fieldapp.forms.reference import AdminReference
from sync.protocol import PushRequest
from sync.server import schema
from sync.server.database import make_engine, upgrade_database
from sync.server.feed import FeedSequencer
from sync.server.storage import ServerStorage
from tests.records import household

from .conftest import Device, empty_database, enroll

TRIALS = int(os.environ.get("FIELDAPP_FEED_TRIALS", "2"))
CHANGES = int(os.environ.get("FIELDAPP_FEED_CHANGES", "40"))
NAIVE_TRIALS = int(os.environ.get("FIELDAPP_FEED_NAIVE_TRIALS", "5"))
PUSHERS, PULLERS, BATCH = 8, 4, 4


class NaiveSequencerForTestsOnly(FeedSequencer):
    """TEST-ONLY, BROKEN ON PURPOSE: takes the seq from a PostgreSQL sequence when the
    transaction starts and commits a little later, so a later seq can commit first and a
    reader's cursor jumps over the earlier one. Never used outside this file."""

    def at_start(self, conn: Connection) -> int | None:
        return int(conn.execute(text("SELECT nextval('naive_feed_seq')")).scalar_one())

    def at_end(self, conn: Connection, reserved: int | None) -> int:
        assert reserved is not None
        time.sleep(random.uniform(0, 0.004))
        return reserved


@dataclass
class Outcome:
    created: set[str]
    accepted: int  # changes the server applied, merged or flagged as a conflict
    rejected: int
    collected: list[dict[str, int]] = field(default_factory=list)  # per puller: id -> rev
    unordered_pages: int = 0


def _storage(
    url: str, forms: FormRegistry, reference: AdminReference, seq: FeedSequencer
) -> ServerStorage:
    return ServerStorage(make_engine(url), forms=forms, reference=reference, sequencer=seq)


def run_feed_harness(
    url: str,
    forms: FormRegistry,
    reference: AdminReference,
    sequencer_factory: Callable[[], FeedSequencer],
    seed: int,
) -> Outcome:
    admin = _storage(url, forms, reference, FeedSequencer())
    admin.add_station("A", "مركز شرطة", "IQG08", "IQG08Q01")
    for n in range(PUSHERS):
        admin.add_user(f"officer{n}", "officer", "A")
    for n in range(PULLERS):
        admin.add_user(f"clerk{n}", "clerk", "A")
    starter = enroll(admin, "officer0", "starter")
    hot = starter.change(fields=household(notes="start"))
    assert starter.push_one(hot).status == "applied"
    pusher_devices = [enroll(admin, f"officer{n}") for n in range(PUSHERS)]
    puller_devices = [enroll(admin, f"clerk{n}") for n in range(PULLERS)]
    admin.engine.dispose()

    outcome = Outcome(created={hot.record_id}, accepted=1, rejected=0)
    lock = threading.Lock()
    pushing_done = threading.Event()
    errors: list[BaseException] = []

    def pusher(device: Device, number: int) -> None:
        rng = random.Random(seed * 100 + number)
        storage = _storage(url, forms, reference, sequencer_factory())
        device.storage = storage
        known: dict[str, int] = {}
        try:
            for start in range(0, CHANGES, BATCH):
                changes = []
                for k in range(start, min(CHANGES, start + BATCH)):
                    roll = rng.random()
                    if known and roll < 0.3:
                        record = rng.choice(sorted(known))
                        changes.append(
                            device.change(
                                record,
                                household(house=str(k)),
                                base_rev=known[record],
                                follow_up=True,
                            )
                        )
                    elif roll < 0.4:
                        changes.append(
                            device.change(
                                hot.record_id, household(notes=f"{number}-{k}"), base_rev=1
                            )
                        )
                    else:
                        changes.append(device.change(fields=household(house=str(k))))
                results = storage.push(
                    device.identity, PushRequest(batch_id=str(uuid.uuid4()), changes=changes)
                ).results
                with lock:
                    for change, result in zip(changes, results, strict=True):
                        if result.status == "rejected":
                            outcome.rejected += 1
                            continue
                        outcome.accepted += 1
                        if change.record_id != hot.record_id:
                            known[change.record_id] = result.rev or 0
                            outcome.created.add(change.record_id)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            storage.engine.dispose()

    def puller(device: Device, number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        storage = _storage(url, forms, reference, FeedSequencer())
        seen: dict[str, int] = {}
        since = 0
        try:
            while True:
                finishing = pushing_done.is_set()  # read before pulling: no change after this
                while True:
                    page = storage.pull(device.identity, since, rng.randint(1, 40))
                    seqs = [r.seq for r in page.records]
                    if seqs != sorted(seqs) or any(s <= since for s in seqs):
                        with lock:
                            outcome.unordered_pages += 1
                    for record in page.records:
                        seen[record.record_id] = record.rev
                    since = page.next_cursor
                    if not page.more:
                        break
                if finishing:
                    break
        except BaseException as error:
            errors.append(error)
        finally:
            storage.engine.dispose()
            with lock:
                outcome.collected.append(seen)

    pushers = [threading.Thread(target=pusher, args=(d, n)) for n, d in enumerate(pusher_devices)]
    pullers = [threading.Thread(target=puller, args=(d, n)) for n, d in enumerate(puller_devices)]
    for thread in pullers + pushers:
        thread.start()
    for thread in pushers:
        thread.join()
    pushing_done.set()
    for thread in pullers:
        thread.join()
    if errors:
        raise errors[0]
    return outcome


def _server_heads(engine: Engine) -> tuple[dict[str, int], int]:
    with engine.connect() as conn:
        heads = dict(conn.execute(select(schema.records.c.id, schema.records.c.rev)).all())
        revisions = conn.execute(select(func.count()).select_from(schema.revisions)).scalar_one()
    return {str(k): int(v) for k, v in heads.items()}, int(revisions)


@pytest.fixture(params=["sqlite", "postgresql"])
def feed_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feed.db'}"
        upgrade_database(url)
        yield url
        return
    yield request.getfixturevalue("postgres_database")


def _fresh(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        empty_database(engine)
    return engine


def test_pullers_collect_every_record_while_eight_writers_push(
    feed_url: str, forms: FormRegistry, reference: AdminReference
) -> None:
    # SQLite serialises writers with its file lock: one trial shows the contract holds there.
    trials = TRIALS if feed_url.startswith("postgresql") else 1
    for trial in range(trials):
        engine = _fresh(feed_url)
        try:
            outcome = run_feed_harness(feed_url, forms, reference, FeedSequencer, seed=trial)
            heads, revisions = _server_heads(engine)
        finally:
            engine.dispose()
        assert outcome.rejected == 0
        assert set(heads) == outcome.created  # every record exactly once on the server
        assert revisions == outcome.accepted  # no revision lost, none doubled
        assert sum(heads.values()) == revisions
        assert outcome.unordered_pages == 0
        assert len(outcome.collected) == PULLERS
        for seen in outcome.collected:
            missed = set(heads) - set(seen)
            assert not missed, f"trial {trial}: a puller missed {len(missed)} records"
            assert seen == heads  # and ended on the server's head of each


def test_the_harness_catches_a_naive_seq_allocation_skipping(
    postgres_database: str, forms: FormRegistry, reference: AdminReference
) -> None:
    skipped = 0
    for trial in range(NAIVE_TRIALS):
        engine = _fresh(postgres_database)
        with engine.begin() as conn:
            conn.execute(text("CREATE SEQUENCE IF NOT EXISTS naive_feed_seq"))
            conn.execute(text("ALTER SEQUENCE naive_feed_seq RESTART WITH 1"))
        try:
            outcome = run_feed_harness(
                postgres_database, forms, reference, NaiveSequencerForTestsOnly, seed=1000 + trial
            )
            heads, _ = _server_heads(engine)
        finally:
            engine.dispose()
        skipped = sum(len(set(heads) - set(seen)) for seen in outcome.collected)
        if skipped:
            print(f"naive allocation: {skipped} records skipped in trial {trial}")
            break
    assert skipped > 0, "the harness could not catch a broken seq allocation"
