"""Blocks of human-readable record numbers per station and year (docs/SYNC.md, Record numbers).

The next free number of each (station, year) lives in one `number_counters` row, advanced by a
single `UPDATE ... RETURNING` under its row lock, so two blocks never overlap, whatever the
number of server processes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, insert, update

from sync.protocol import MAX_NUMBER_BLOCK, NumberBlock
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity
from sync.server.database import insert_ignoring_duplicates, retrying, writing
from sync.server.errors import BadRequest, Forbidden
from sync.server.schema import iso


class NumberBlocks:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def reserve(self, identity: DeviceIdentity, year: int, count: int) -> NumberBlock:
        """A new block of `count` numbers of the device's station for `year`."""
        if not identity.can_write:
            raise Forbidden("this role does not create records")
        if not 1 <= count <= MAX_NUMBER_BLOCK:
            raise BadRequest("bad_count", f"count must be 1..{MAX_NUMBER_BLOCK}")
        if not 2000 <= year <= 2200:
            raise BadRequest("bad_year", "year out of range")
        return retrying(lambda: self._reserve_once(identity, year, count))

    def _reserve_once(self, identity: DeviceIdentity, year: int, count: int) -> NumberBlock:
        counter = t.number_counters
        with writing(self._engine) as conn:
            insert_ignoring_duplicates(
                conn, counter, {"station": identity.station, "year": year, "next": 1}
            )
            after = conn.execute(
                update(counter)
                .where(counter.c.station == identity.station, counter.c.year == year)
                .values(next=counter.c.next + count)
                .returning(counter.c.next)
            ).scalar_one()
            first, last = int(after) - count, int(after) - 1
            conn.execute(
                insert(t.number_blocks).values(
                    station=identity.station,
                    year=year,
                    first=first,
                    last=last,
                    device_id=identity.device_id,
                    username=identity.username,
                    at=iso(self._clock()),
                )
            )
        return NumberBlock(station=identity.station, year=year, first=first, last=last)
