"""What an officer has to do: next home visits, follow-ups and shelter reviews due or overdue.

The dates come from the forms (DOMAIN.md section 2): a home visit's `next_visit_date`; the
`follow_up_until` of a family or neighbour dispute or a runaway's return while the case is open or
under follow-up (the aftercare of a returned runaway is its follow-up); the `review_date` of a
shelter placement while the person is still placed. A home visit's next visit is done once a
later visit to the same household is recorded, so it leaves the agenda then.

Reads only; nothing is audited (the agenda shows summaries, like a list). Items come in one
stable order, earliest due first, then by row: `(due, rid)`; the next page starts strictly after
the last item's key (keyset paging, docs/adr/0013-read-api.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fieldapp.store.db import Connection, fetch_all
from fieldapp.store.listing import MAX_PAGE, RecordListing, RecordSummary


@dataclass(frozen=True)
class AgendaRule:
    """Records of `record_type` are due on their `date_field`; only those whose `status` is
    one of `open_statuses` (when given); a home visit leaves the agenda once a later visit to
    its household is recorded (`done_by_later_visit`)."""

    record_type: str
    date_field: str
    kind: str
    open_statuses: tuple[str, ...] = ()
    done_by_later_visit: bool = False


OPEN_CASE = ("open", "follow_up")

AGENDA_RULES: tuple[AgendaRule, ...] = (
    AgendaRule("home_visit", "next_visit_date", "visit", done_by_later_visit=True),
    AgendaRule("family_dispute", "follow_up_until", "follow_up", OPEN_CASE),
    AgendaRule("neighbour_dispute", "follow_up_until", "follow_up", OPEN_CASE),
    AgendaRule("runaway_return", "follow_up_until", "aftercare", OPEN_CASE),
    AgendaRule("shelter_case", "review_date", "review", ("placed",)),
)

# A home visit leaves the agenda once a later visit to its household is recorded: it stays while
# its date is not before the household's latest visit date. The latest dates are found once, in
# one grouped pass (not a search of every other visit for each visit, which grew with the
# square of the visits: minutes on a 50,000-record vault). Null-safe as "no later visit
# exists": a visit without a household or without a date stays.
_LATEST_VISITS = (
    " LEFT JOIN (SELECT json_extract(fields, '$.household_id') AS household,"
    " max(json_extract(fields, '$.date')) AS last FROM records"
    " WHERE type = 'home_visit' AND deleted = 0 GROUP BY household) latest"
    " ON latest.household = json_extract(r.fields, '$.household_id')"
)
_NOT_BEFORE_LATEST = " AND NOT coalesce(json_extract(r.fields, '$.date') < latest.last, 0)"


def _rule_query(rule: AgendaRule) -> tuple[str, list[Any]]:
    """One rule's rows (rid, id, due, kind) due on or before the parameter that follows."""
    joined = _LATEST_VISITS if rule.done_by_later_visit else ""
    # Only constant SQL is spliced in (the join); every value is a parameter.
    sql = (
        "SELECT r.rid AS rid, r.id AS id, json_extract(r.fields, ?) AS due, ? AS kind"  # noqa: S608
        f" FROM records r{joined} WHERE r.type = ? AND r.deleted = 0"
    )
    params: list[Any] = [f"$.{rule.date_field}", rule.kind, rule.record_type]
    if rule.open_statuses:
        marks = ", ".join("?" * len(rule.open_statuses))
        sql += f" AND json_extract(r.fields, '$.status') IN ({marks})"
        params += rule.open_statuses
    if rule.done_by_later_visit:
        sql += _NOT_BEFORE_LATEST
    return sql, params


def due_rows_query(until: date) -> tuple[str, list[Any]]:
    """Every rule's rows due on or before `until`, as one query to select from (public so a
    test can read its query plan)."""
    parts: list[str] = []
    params: list[Any] = []
    for rule in AGENDA_RULES:
        sql, rule_params = _rule_query(rule)
        # A stored date is ISO text (YYYY-MM-DD), so text order is date order; anything of
        # another length is not a date and never comes due. Only constant SQL is spliced in.
        parts.append(f"SELECT * FROM ({sql}) WHERE length(due) = 10 AND due <= ?")  # noqa: S608
        params += [*rule_params, until.isoformat()]
    return " UNION ALL ".join(parts), params


@dataclass(frozen=True, order=True)
class AgendaKey:
    """Where a page of the agenda ends: the last item's (due, rid)."""

    due: str
    rid: int


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do: the record's summary, what is due (`kind`: visit, follow_up,
    aftercare, review) and when."""

    summary: RecordSummary
    kind: str
    due: date

    def days_late(self, today: date) -> int:
        """Days past due on `today` (0 when due today, negative when still ahead)."""
        return (today - self.due).days


@dataclass(frozen=True)
class AgendaPage:
    items: tuple[AgendaItem, ...]
    next_key: AgendaKey | None


@dataclass(frozen=True)
class AgendaCounts:
    overdue: int
    due: int  # from today to the end of the window


class Agenda:
    """The officer's agenda over one store's database. Reads only; never audits."""

    def __init__(self, conn: Connection, listing: RecordListing) -> None:
        self._conn = conn
        self._listing = listing

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return fetch_all(self._conn, sql, params)

    def page(
        self,
        until: date,
        *,
        after: AgendaKey | None = None,
        limit: int = 50,
        lang: str = "ar",
    ) -> AgendaPage:
        """Up to `limit` items due on or before `until` (overdue ones first, as they are
        earliest), starting after `after` (the previous page's `next_key`)."""
        limit = max(1, min(int(limit), MAX_PAGE))
        union, params = due_rows_query(until)
        where = ""
        if after is not None:
            where = " WHERE (due, rid) > (?, ?)"
            params += [after.due, int(after.rid)]
        sql = f"SELECT rid, id, due, kind FROM ({union}){where} ORDER BY due, rid LIMIT ?"  # noqa: S608
        rows = self._rows(sql, [*params, limit + 1])
        shown = rows[:limit]
        summaries = self._listing.by_ids([row[1] for row in shown], lang=lang)
        items: list[AgendaItem] = []
        for _rid, record_id, due, kind in shown:
            try:
                when = date.fromisoformat(due)
            except ValueError:
                continue  # ten characters that are not a date: nothing to show
            items.append(AgendaItem(summaries[record_id], kind, when))
        next_key = AgendaKey(shown[-1][2], int(shown[-1][0])) if len(rows) > limit else None
        return AgendaPage(tuple(items), next_key)

    def counts(self, today: date, until: date) -> AgendaCounts:
        """How many items are overdue on `today`, and how many fall due from `today` to
        `until`."""
        union, params = due_rows_query(until)
        sql = f"SELECT count(*) FILTER (WHERE due < ?), count(*) FROM ({union})"  # noqa: S608
        overdue, total = self._rows(sql, [today.isoformat(), *params])[0]
        return AgendaCounts(overdue=int(overdue), due=int(total) - int(overdue))

    def in_conflict(self, *, limit: int = 50, lang: str = "ar") -> list[RecordSummary]:
        """Live records with an open conflict, most recently changed first."""
        limit = max(1, min(int(limit), MAX_PAGE))
        rows = self._rows(
            "SELECT id FROM records WHERE conflict = 1 AND deleted = 0"
            " ORDER BY updated_at DESC, rid DESC LIMIT ?",
            [limit],
        )
        found = self._listing.by_ids([row[0] for row in rows], lang=lang)
        return [found[row[0]] for row in rows if row[0] in found]
