"""Reading for lists and screens: light record summaries, pages by key, search results.

Nothing here writes. A table painting fifty rows reads fifty summaries and leaves the audit log
alone; only opening one record for a person to read is audited (`Store.open_record`).

A summary is built straight from its row: the stored fields are decoded and only the few a row
shows are kept; no `Record` is made (decoding in Python measured faster than `json_extract` of
those fields inside SQLCipher). Pages follow one stable order, newest change first:
`(updated_at DESC, rid DESC)`, where `rid` is the record's row number. The next page starts
strictly after the key of the last row shown (keyset paging, docs/adr/0013-read-api.md), so the
1,000th page costs what the first does, and records saved between two pages go to the top of the
list rather than shifting the rows of the page after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fieldapp import text
from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import FormDef, FormRegistry
from fieldapp.forms.titles import TITLE_KEYS, title_of
from fieldapp.store.db import Connection, DatabaseError, translate_db_error
from fieldapp.store.records import load_json

MAX_PAGE = 500
MAX_SEARCH_RESULTS = 500
MAX_QUERY_CHARS = 200
# One typed letter matches a large share of any vault and costs a full index scan to rank;
# results start from the second letter.
MIN_QUERY_CHARS = 2
MAX_IDS = 500
_TOKEN_MAX = 120

# The fields a row shows besides its title.
_ROW_KEYS = ("status", "district", "household_id")
_SHOWN_KEYS = frozenset((*TITLE_KEYS, *_ROW_KEYS))
_SUMMARY_COLUMNS = (
    "r.rid, r.id, r.number, r.type, r.updated_at, r.deleted, r.conflict, r.rev, r.fields,"
    " EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id AND o.state = 'rejected'),"
    " EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id AND o.state = 'pending')"
)


class SyncState(StrEnum):
    """Where a record stands with the server, as its row shows it."""

    SYNCED = "synced"  # the server holds this state of the record
    PENDING = "pending"  # a change waits in the outbox
    REJECTED = "rejected"  # the server refused a change of it; the officer must look


@dataclass(frozen=True, order=True)
class PageKey:
    """Where a page ends: the last row's (updated_at, rid). The next page starts after it."""

    updated_at: str
    rid: int

    def token(self) -> str:
        """The key as one opaque line of text, for scripts (`fieldapp-cli list --after`)."""
        return f"{self.rid}:{self.updated_at}"

    @classmethod
    def from_token(cls, token: str) -> PageKey:
        """The key a `token()` gave; anything else is refused as invalid input."""
        rid, sep, updated_at = token.partition(":")
        valid = (
            sep
            and len(token) <= _TOKEN_MAX
            and rid.isascii()
            and rid.isdigit()
            and updated_at
            and text.forbidden_character(updated_at) is None
        )
        if not valid:
            raise InvalidInput("store.bad_page_key")
        return cls(updated_at, int(rid))


@dataclass(frozen=True)
class RecordSummary:
    """One row of a list: enough to show and sort it, not the record itself.

    `title` is in the language the list was asked for; `date`, `status` and `district` are the
    stored values (ISO date, choice key, district code); `household_id` the household a person
    or an activity is linked to (how a person found by name leads to their household)."""

    id: str
    number: str | None
    type: str
    title: str
    date: str | None
    status: str | None
    district: str | None
    sync_state: SyncState
    conflict: bool
    deleted: bool
    updated_at: str
    key: PageKey
    household_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The summary as scripts see it."""
        return {
            "id": self.id,
            "number": self.number,
            "type": self.type,
            "title": self.title,
            "date": self.date,
            "status": self.status,
            "district": self.district,
            "sync_state": str(self.sync_state),
            "conflict": self.conflict,
            "deleted": self.deleted,
            "updated_at": self.updated_at,
            "household_id": self.household_id,
        }


@dataclass(frozen=True)
class ActivityFilter:
    """What an activity list is narrowed to; an empty filter keeps every activity.

    `types` empty means every activity type; dates are ISO (`date_from` and `date_to` both
    included); `status` is a choice key, `district` a p-code."""

    types: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    district: str | None = None

    def matches(self, summary: RecordSummary) -> bool:
        """Whether a summary (e.g. a search hit) passes the filter, as the store's page would."""
        if self.types and summary.type not in self.types:
            return False
        for wanted, value in ((self.status, summary.status), (self.district, summary.district)):
            if wanted is not None and value != wanted:
                return False
        if self.date_from is not None and (summary.date is None or summary.date < self.date_from):
            return False
        return self.date_to is None or (summary.date is not None and summary.date <= self.date_to)


# Filter conditions on stored fields: constant SQL, the wanted value a parameter.
_FIELD_FILTERS = (
    ("date_from", "json_extract(r.fields, '$.date') >= ?"),
    ("date_to", "json_extract(r.fields, '$.date') <= ?"),
    ("status", "json_extract(r.fields, '$.status') = ?"),
    ("district", "json_extract(r.fields, '$.district') = ?"),
)


@dataclass(frozen=True)
class RecordPage:
    """One page of a list. `next_key` is None on the last page."""

    items: tuple[RecordSummary, ...]
    next_key: PageKey | None


@dataclass(frozen=True)
class SummaryHit:
    """A search result: the summary and its rank (lower is better)."""

    summary: RecordSummary
    rank: float


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _links_to(form: FormDef, raw: str, record_id: str) -> bool:
    stored = load_json(raw)
    if not isinstance(stored, dict):
        return False
    for field in form.fields:
        value = stored.get(field.key)
        if field.type == "record_id" and value == record_id:
            return True
        if field.type == "record_ids" and isinstance(value, list) and record_id in value:
            return True
    return False


def _summary(row: Sequence[Any], forms: FormRegistry, lang: str) -> RecordSummary:
    rid, record_id, number, record_type, updated_at, deleted, conflict, rev, raw = row[:9]
    rejected, pending = row[9:11]
    stored = load_json(raw)
    shown = stored if isinstance(stored, dict) else {}
    extracted = {k: shown.get(k) for k in _SHOWN_KEYS}
    if rejected:
        state = SyncState.REJECTED
    elif pending or not rev:
        state = SyncState.PENDING
    else:
        state = SyncState.SYNCED
    title_fields = {k: v for k, v in extracted.items() if v is not None}
    if record_type in forms:
        title = title_of(record_type, title_fields, bool(deleted), forms, lang)
    else:  # a type this app version does not know (pulled from a newer server)
        title = record_type
    return RecordSummary(
        id=record_id,
        number=number,
        type=record_type,
        title=title,
        date=_text(extracted["date"]),
        status=_text(extracted["status"]),
        district=_text(extracted["district"]),
        sync_state=state,
        conflict=bool(conflict),
        deleted=bool(deleted),
        updated_at=updated_at,
        key=PageKey(updated_at, int(rid)),
        household_id=_text(extracted["household_id"]),
    )


def page_query(*, by_type: bool, after: bool) -> str:
    """The SQL of one keyset page of summaries. Parameters, in order: the type (if `by_type`),
    the key's updated_at and rid (if `after`), then the row limit. Public so that the benchmark
    runs exactly this query on plain SQLite."""
    clauses = ["r.type = ?"] if by_type else []
    clauses.append("r.deleted = 0")
    if after:
        clauses.append("(r.updated_at, r.rid) < (?, ?)")
    # Constant column names and clauses only are spliced in; every value is a parameter.
    return (
        f"SELECT {_SUMMARY_COLUMNS} FROM records r WHERE {' AND '.join(clauses)}"  # noqa: S608
        " ORDER BY r.updated_at DESC, r.rid DESC LIMIT ?"
    )


def match_expression(query: str) -> str | None:
    """The FTS5 expression for a search box's text, or None when it is too short to search."""
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput("store.query_too_long", limit=MAX_QUERY_CHARS)
    expression = text.fts_match_expression(query)
    if expression is None or len(text.normalize(query).replace(" ", "")) < MIN_QUERY_CHARS:
        return None
    return expression


def search_query(
    columns: str, expression: str, limit: int, record_type: str | None
) -> tuple[str, list[Any]]:
    """The ranked full-text query over the search shadow, selecting `columns` of `records r`
    (a constant of the caller, never input): ranked inside the index first, then only the kept
    rows joined to the records; the match expression and the type are parameters."""
    if record_type is None:
        sql = (
            f"SELECT {columns}, s.rank FROM ("  # noqa: S608
            " SELECT rowid, bm25(search_index, 8.0, 1.0, 1.0) AS rank FROM search_index"
            " WHERE search_index MATCH ? ORDER BY rank LIMIT ?"
            ") s JOIN records r ON r.rid = s.rowid ORDER BY s.rank, r.updated_at DESC"
        )
        return sql, [expression, limit]
    sql = (
        f"SELECT {columns}, bm25(search_index, 8.0, 1.0, 1.0) AS rank"  # noqa: S608
        " FROM search_index JOIN records r ON r.rid = search_index.rowid"
        " WHERE search_index MATCH ? AND r.type = ?"
        " ORDER BY rank, r.updated_at DESC LIMIT ?"
    )
    return sql, [expression, record_type, limit]


def activities_query(
    types: Sequence[str], narrowed: ActivityFilter, after: PageKey | None
) -> tuple[str, list[Any]]:
    """The SQL and parameters (the row limit to be appended) of one keyset page of live
    records of `types` passing `narrowed`'s date, status and district. Public so that the
    benchmark runs exactly this query on plain SQLite."""
    clauses = ["r.deleted = 0"]
    params: list[Any] = list(types)
    if len(types) == 1:
        clauses.append("r.type = ?")
    else:
        # The unary + keeps the planner on the (deleted, updated_at, rid) index, which gives
        # the page order; the index by type would sort every activity for each page.
        clauses.append(f"+r.type IN ({', '.join('?' * len(types))})")
    if after is not None:
        clauses.append("(r.updated_at, r.rid) < (?, ?)")
        params += [after.updated_at, int(after.rid)]
    for attribute, clause in _FIELD_FILTERS:
        wanted = getattr(narrowed, attribute)
        if wanted is not None:
            clauses.append(clause)
            params.append(str(wanted))
    sql = (
        f"SELECT {_SUMMARY_COLUMNS} FROM records r WHERE {' AND '.join(clauses)}"  # noqa: S608
        " ORDER BY r.updated_at DESC, r.rid DESC LIMIT ?"
    )
    return sql, params


Rows = Callable[[str, Sequence[Any]], list[Any]]


def search_rows(
    rows: Rows, columns: str, query: str, limit: int, record_type: str | None
) -> list[Any]:
    """The rows (`columns` of `records r`, then the rank) of a search, best first.

    `rows(sql, params)` runs one query. A record number (any digit script) finds that record
    alone, or nothing. Otherwise the records matching every word as spelled (`normalize`) come
    first, ranked; then, up to `limit`, those matching only in the loose spelling that Sorani
    and Arabic names share (ئەحمەد, أحمد), ranked after all of them. The rank of a number is 0.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput("store.query_too_long", limit=MAX_QUERY_CHARS)
    limit = max(1, min(int(limit), MAX_SEARCH_RESULTS))
    number = text.record_number(query)
    if number is not None:
        typed = text.to_ascii_digits(query).strip()
        by_type = "" if record_type is None else " AND r.type = ?"
        sql = (
            f"SELECT {columns}, 0.0 FROM records r"  # noqa: S608
            f" WHERE r.number IN (?, ?) AND r.deleted = 0{by_type} LIMIT 1"
        )
        return rows(sql, [number, typed, *([] if record_type is None else [record_type])])
    expression = match_expression(query)
    if expression is None:
        return []
    found = rows(*search_query(columns, expression, limit, record_type))
    # Only Arabic-script letters are spelled differently in Sorani: a query of digits or Latin
    # letters (phones, IDs) is done.
    arabic_script = any("\u0600" <= ch <= "\u06ff" for ch in query)
    loose = text.loose_match_expression(query) if arabic_script else None
    if len(found) >= limit or loose is None:
        return found
    if loose == expression:
        # The query is spelled the same both ways (Arabic, digits): only the loose names of
        # Sorani spellings can add records, and that column is small.
        loose = f"loose : ({loose})"
    # The loose query matches the exact hits again: ask for as many more and skip them.
    seen = {tuple(row[:-1]) for row in found}
    extra = rows(*search_query(columns, loose, limit + len(found), record_type))
    found += [row for row in extra if tuple(row[:-1]) not in seen][: limit - len(found)]
    return found


class RecordListing:
    """Summaries of the records in one store's database. Reads only; never audits."""

    def __init__(self, conn: Connection, forms: FormRegistry) -> None:
        self._conn = conn
        self.forms = forms

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except DatabaseError as exc:  # a damaged page, for one
            raise translate_db_error(exc) from exc

    def page(
        self,
        record_type: str | None = None,
        *,
        after: PageKey | None = None,
        limit: int = 50,
        lang: str = "ar",
    ) -> RecordPage:
        """Up to `limit` live records, newest change first, starting after `after`.

        Pass the previous page's `next_key` to get the next one: no row is repeated or skipped,
        whatever is saved in between (new records go to the top, before the first page)."""
        if record_type is not None:
            self.forms.get(record_type)  # unknown type: a clear error, not an empty list
        limit = max(1, min(int(limit), MAX_PAGE))
        params: list[Any] = [] if record_type is None else [record_type]
        if after is not None:
            params += [after.updated_at, int(after.rid)]
        sql = page_query(by_type=record_type is not None, after=after is not None)
        rows = self._rows(sql, [*params, limit + 1])
        items = tuple(_summary(row, self.forms, lang) for row in rows[:limit])
        next_key = items[-1].key if len(rows) > limit else None
        return RecordPage(items, next_key)

    def activities(
        self,
        narrowed: ActivityFilter | None = None,
        *,
        after: PageKey | None = None,
        limit: int = 50,
        lang: str = "ar",
    ) -> RecordPage:
        """One keyset page of the live activities that pass `narrowed`, in the order of `page`.

        The filter runs inside the query while the page index is walked newest first, so a
        page reads only as far as it needs to find `limit` matches (never the whole vault)."""
        narrowed = narrowed or ActivityFilter()
        kinds = tuple(f.type for f in self.forms if f.kind == "activity")
        for record_type in narrowed.types:
            if record_type not in kinds:
                raise InvalidInput("forms.unknown_type", type=record_type)
        limit = max(1, min(int(limit), MAX_PAGE))
        sql, params = activities_query(narrowed.types or kinds, narrowed, after)
        rows = self._rows(sql, [*params, limit + 1])
        items = tuple(_summary(row, self.forms, lang) for row in rows[:limit])
        return RecordPage(items, items[-1].key if len(rows) > limit else None)

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        record_type: str | None = None,
        lang: str = "ar",
    ) -> list[SummaryHit]:
        """Records matching every word of `query` (the last one as a prefix), best first, as
        summaries: the same matching and ranking as `Store.search` (`search_rows`), none of the
        full records."""
        return [
            SummaryHit(_summary(row[:-1], self.forms, lang), float(row[-1]))
            for row in search_rows(self._rows, _SUMMARY_COLUMNS, query, limit, record_type)
        ]

    def by_ids(self, record_ids: Iterable[str], *, lang: str = "ar") -> dict[str, RecordSummary]:
        """Summaries of the given records that exist here (deleted ones too), by id: how a
        record's links to households and persons are shown."""
        wanted = list(dict.fromkeys(i for i in record_ids if isinstance(i, str) and len(i) <= 64))
        found: dict[str, RecordSummary] = {}
        for start in range(0, len(wanted), MAX_IDS):
            chunk = wanted[start : start + MAX_IDS]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT {_SUMMARY_COLUMNS} FROM records r WHERE r.id IN ({marks})"  # noqa: S608
            for row in self._rows(sql, chunk):
                summary = _summary(row, self.forms, lang)
                found[summary.id] = summary
        return found

    def referring_to(self, record_id: str, *, lang: str = "ar") -> list[RecordSummary]:
        """Live records whose link fields (`record_id`, `record_ids`) name `record_id`: what a
        person is told before deleting it. The text match only narrows; the form decides."""
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM records r WHERE r.deleted = 0 AND r.id != ?"  # noqa: S608
            " AND instr(r.fields, ?) > 0 ORDER BY r.rid"
        )
        found = []
        for row in self._rows(sql, [record_id, json.dumps(record_id)]):
            if row[3] in self.forms and _links_to(self.forms.get(row[3]), row[8], record_id):
                found.append(_summary(row, self.forms, lang))
        return found

    def conflicts_of(self, record_id: str) -> list[dict[str, Any]]:
        """The record's open conflicts as the server last reported them: each a field (or
        `_deleted`), its value at the common base, and every disagreeing value with who made
        it. Empty when there is none."""
        rows = self._rows("SELECT conflicts FROM record_conflicts WHERE record_id = ?", [record_id])
        return [] if not rows else list(load_json(rows[0][0]))
