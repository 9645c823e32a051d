"""The officer's agenda over a real vault: next visits, follow-ups, aftercare and shelter reviews
due or overdue, earliest first, page by page; records in conflict."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session as sessions
from fieldapp.store.agenda import Agenda, AgendaCounts, due_rows_query
from fieldapp.store.replica import Replica
from fieldapp.store.store import Store
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from tests.records import PERSON, home_visit, household, server_person

TODAY = date(2026, 11, 20)
WEEK = TODAY + timedelta(days=7)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    noon = datetime(2026, 11, 20, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    s = sessions.create(
        tmp_path / "vault",
        TEST_PASSWORD,
        officer="ali.h",
        station="B12",
        kdf=KdfParams.for_tests(),
        clock=lambda: noon,
    )
    yield s.store
    s.close()


def agenda_of(store: Store) -> Agenda:
    return Agenda(store.connection, store.listing)


def due_ids(store: Store) -> list[str]:
    return [item.summary.id for item in agenda_of(store).page(WEEK, lang="en").items]


def visit(store: Store, household_id: str, day: str, next_visit: str | None) -> str:
    extra: dict[str, Any] = {"household_id": household_id, "date": day}
    if next_visit:
        extra["next_visit_date"] = next_visit
    return store.add("home_visit", home_visit(**extra)).id


def dispute(store: Store, status: str, follow_up_until: str) -> str:
    parties = [store.add("person", PERSON).id, store.add("person", PERSON).id]
    fields = {
        "date": "2026-11-01",
        "governorate": "IQG08",
        "district": "IQG08Q01",
        "dispute_type": "parents_children",
        "violence": "verbal",
        "party_ids": parties,
        "summary": "خلاف بين الأب وابنه حول الدراسة",
        "outcome": "under_follow_up",
        "status": status,
        "follow_up_until": follow_up_until,
    }
    return store.add("family_dispute", fields).id


def test_next_visits_due_within_the_window_come_earliest_first(store: Store) -> None:
    home = store.add("household", household()).id
    other = store.add("household", household()).id
    late = visit(store, home, "2026-11-01", "2026-11-15")
    soon = visit(store, other, "2026-11-10", "2026-11-22")
    visit(store, store.add("household", household()).id, "2026-11-10", "2026-12-20")
    assert due_ids(store) == [late, soon]


def test_a_next_visit_leaves_the_agenda_once_a_later_visit_is_recorded(store: Store) -> None:
    home = store.add("household", household()).id
    visit(store, home, "2026-11-01", "2026-11-15")
    visit(store, home, "2026-11-16", None)
    assert due_ids(store) == []


def test_a_later_visit_to_another_household_leaves_the_next_visit_due(store: Store) -> None:
    home = store.add("household", household()).id
    due = visit(store, home, "2026-11-01", "2026-11-15")
    visit(store, store.add("household", household()).id, "2026-11-16", None)
    assert due_ids(store) == [due]


def test_the_latest_visits_own_next_visit_is_due_and_the_earlier_ones_are_not(
    store: Store,
) -> None:
    home = store.add("household", household()).id
    visit(store, home, "2026-10-01", "2026-10-15")
    visit(store, home, "2026-10-20", "2026-11-01")
    latest = visit(store, home, "2026-11-05", "2026-11-19")
    assert due_ids(store) == [latest]


def test_a_deleted_later_visit_puts_the_next_visit_back_on_the_agenda(store: Store) -> None:
    home = store.add("household", household()).id
    due = visit(store, home, "2026-11-01", "2026-11-15")
    later = visit(store, home, "2026-11-16", None)
    store.delete(later)
    assert due_ids(store) == [due]


def test_the_agenda_finds_later_visits_without_searching_every_visit_for_each(
    store: Store,
) -> None:
    # The households' latest visit dates are found in one grouped pass; a correlated
    # subquery here took minutes on a 50,000-record vault (bench/ui_startup.py).
    sql, params = due_rows_query(WEEK)
    plan = " ".join(
        str(row[-1]) for row in store.connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    )
    assert "CORRELATED" not in plan


def test_a_closed_dispute_has_no_follow_up_due(store: Store) -> None:
    open_case = dispute(store, "open", "2026-11-18")
    dispute(store, "closed", "2026-11-18")
    assert due_ids(store) == [open_case]


def test_an_item_says_what_is_due_and_how_late_it_is(store: Store) -> None:
    dispute(store, "follow_up", "2026-11-18")
    [item] = agenda_of(store).page(WEEK).items
    assert (item.kind, item.due, item.days_late(TODAY)) == ("follow_up", date(2026, 11, 18), 2)


def test_counts_split_overdue_from_due_this_week(store: Store) -> None:
    home = store.add("household", household()).id
    visit(store, home, "2026-11-01", "2026-11-15")
    visit(store, store.add("household", household()).id, "2026-11-10", "2026-11-20")
    visit(store, store.add("household", household()).id, "2026-11-10", "2026-11-25")
    assert agenda_of(store).counts(TODAY, WEEK) == AgendaCounts(overdue=1, due=2)


def test_pages_follow_one_another_without_repeating_an_item(store: Store) -> None:
    home = store.add("household", household()).id
    ids = [visit(store, home, "2026-11-01", "2026-11-15") for _ in range(5)]
    first = agenda_of(store).page(WEEK, limit=3)
    assert first.next_key is not None
    second = agenda_of(store).page(WEEK, after=first.next_key, limit=3)
    shown = [i.summary.id for i in (*first.items, *second.items)]
    assert sorted(shown) == sorted(ids) and second.next_key is None


def test_records_in_conflict_are_listed(store: Store) -> None:
    record_id = "0190f0aa-0000-7000-8000-0000000000c1"
    conflict = {"field": "age", "base": 40, "values": [{"value": 41}, {"value": 42}]}
    head = server_person(record_id, conflicts=(conflict,))
    Replica(store).apply_pull([head], 1)
    store.add("person", PERSON)
    assert [s.id for s in agenda_of(store).in_conflict()] == [record_id]
