"""Human-readable record numbers, `station-year-seq`, from blocks the server reserved.

Two officers offline at the same time never hand out the same number because each device only
takes numbers from its own blocks. A record saved when no block is left gets its number later,
when a block arrives (`assign_missing`), in the order the records were made.

Until then it carries a provisional number, `P/2026/7`, counted on this device, so an officer
can read it out from the moment it is saved. The slash never appears in a station code
(protocol.Code), so a provisional number can never be taken for, or collide with, a real one.
It is never sent to the server, and when the real number replaces it, it still finds the record
(`record_of`, search) (docs/adr/0021-provisional-record-numbers.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.errors import InvalidInput
from fieldapp.store.db import Connection
from fieldapp.text import to_ascii_digits


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


PROVISIONAL_PREFIX = "P/"


def format_number(station: str, year: int, seq: int) -> str:
    return f"{station}-{year}-{seq}"


def format_provisional(year: int, seq: int) -> str:
    """A number this device gave while it had no reserved one: `P/2026/7`."""
    return f"{PROVISIONAL_PREFIX}{year}/{seq}"


def is_provisional(number: str | None) -> bool:
    """True for a number this device gave itself (never sent to the server)."""
    return bool(number) and str(number).startswith(PROVISIONAL_PREFIX)


def normalize_number(text: str) -> str:
    """A number as typed (any digit script, surrounding spaces, `p/` for `P/`) in the form it
    is stored: ASCII digits, `P/` upper case."""
    typed = to_ascii_digits(text.strip())
    if typed[:2].lower() == PROVISIONAL_PREFIX.lower():
        typed = PROVISIONAL_PREFIX + typed[2:]
    return typed


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

    def take_provisional(self, record_id: str, year: int) -> str:
        """The next provisional number of `year` on this device, kept as `record_id`'s."""
        row = self._conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM provisional_numbers WHERE year = ?", (year,)
        ).fetchone()
        seq = int(row[0])
        number = format_provisional(year, seq)
        self._conn.execute(
            "INSERT INTO provisional_numbers (number, record_id, year, seq) VALUES (?,?,?,?)",
            (number, record_id, year, seq),
        )
        return number

    def record_of(self, number: str) -> str | None:
        """The id of the record that holds `number` now, or held it as its provisional one."""
        row = self._conn.execute("SELECT id FROM records WHERE number = ?", (number,)).fetchone()
        if row is None:
            row = self._conn.execute(
                "SELECT record_id FROM provisional_numbers WHERE number = ?", (number,)
            ).fetchone()
        return None if row is None else str(row[0])

    def former_numbers(self, record_id: str) -> list[str]:
        """Provisional numbers a record had before its real one (they still find it)."""
        rows = self._conn.execute(
            "SELECT p.number FROM provisional_numbers p JOIN records r ON r.id = p.record_id"
            " WHERE p.record_id = ? AND p.number IS NOT r.number ORDER BY p.seq",
            (record_id,),
        )
        return [str(row[0]) for row in rows]

    def assign_waiting(self, station: str) -> list[str]:
        """Give real numbers to this station's records that have none or a provisional one,
        oldest first; returns the ids of the records that got one."""
        rows = self._conn.execute(
            "SELECT id, substr(created_at, 1, 4) FROM records WHERE station_id = ?"
            " AND (number IS NULL OR number LIKE 'P/%') ORDER BY created_at, rid",
            (station,),
        ).fetchall()
        assigned: list[str] = []
        for record_id, year in rows:
            number = self.take(station, int(year))
            if number is None:
                continue
            self._conn.execute("UPDATE records SET number = ? WHERE id = ?", (number, record_id))
            assigned.append(str(record_id))
        return assigned

    def assign_missing(self, station: str) -> int:
        """Give numbers to this station's records waiting for one (see `assign_waiting`)."""
        return len(self.assign_waiting(station))
