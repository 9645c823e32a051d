"""Human-readable record numbers, `station-year-seq`, from blocks the server reserved.

Two officers offline at the same time never hand out the same number because each device only
takes numbers from its own blocks. A record saved when no block is left gets its number later,
when a block arrives (`assign_missing`), in the order the records were made.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.errors import InvalidInput
from fieldapp.store.db import Connection


@dataclass(frozen=True)
class NumberBlock:
    station: str
    year: int
    first: int
    last: int
    next: int

    @property
    def remaining(self) -> int:
        return self.last - self.next + 1


def format_number(station: str, year: int, seq: int) -> str:
    return f"{station}-{year}-{seq}"


class RecordNumbers:
    """The device's reserved blocks. The caller owns the transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_block(self, station: str, year: int, first: int, last: int) -> None:
        """Keep a block the server reserved for this device; overlapping blocks are refused."""
        if not (0 < first <= last) or not (2000 <= year <= 2200) or not station:
            raise InvalidInput("numbers.bad_block", first=first, last=last)
        overlap = self._conn.execute(
            "SELECT 1 FROM number_blocks WHERE station = ? AND year = ? AND first <= ?"
            " AND last >= ?",
            (station, year, last, first),
        ).fetchone()
        if overlap:
            raise InvalidInput("numbers.overlapping_block", first=first, last=last)
        self._conn.execute(
            "INSERT INTO number_blocks (station, year, first, last, next) VALUES (?,?,?,?,?)",
            (station, year, first, last, first),
        )

    def take(self, station: str, year: int) -> str | None:
        """The next free number for `station` in `year`, or None when no block has one left."""
        row = self._conn.execute(
            "SELECT id, next FROM number_blocks WHERE station = ? AND year = ? AND next <= last"
            " ORDER BY first LIMIT 1",
            (station, year),
        ).fetchone()
        if row is None:
            return None
        self._conn.execute("UPDATE number_blocks SET next = next + 1 WHERE id = ?", (row[0],))
        return format_number(station, year, int(row[1]))

    def blocks(self, station: str | None = None) -> list[NumberBlock]:
        sql = "SELECT station, year, first, last, next FROM number_blocks"
        rows = (
            self._conn.execute(sql + " WHERE station = ? ORDER BY year, first", (station,))
            if station
            else self._conn.execute(sql + " ORDER BY station, year, first")
        )
        return [NumberBlock(*row) for row in rows]

    def remaining(self, station: str, year: int) -> int:
        return sum(b.remaining for b in self.blocks(station) if b.year == year)

    def assign_missing(self, station: str) -> int:
        """Give numbers to this station's records that have none yet, oldest first."""
        rows = self._conn.execute(
            "SELECT id, substr(created_at, 1, 4) FROM records WHERE number IS NULL"
            " AND station_id = ? ORDER BY created_at, id",
            (station,),
        ).fetchall()
        assigned = 0
        for record_id, year in rows:
            number = self.take(station, int(year))
            if number is None:
                continue
            self._conn.execute("UPDATE records SET number = ? WHERE id = ?", (number, record_id))
            assigned += 1
        return assigned
