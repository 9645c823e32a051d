"""Activity lists narrowed by type, date range, status and district: done by the store in
keyset pages over a real vault, agreeing with the same filter applied to every summary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput
from fieldapp.sampledata.generator import generate
from fieldapp.store.listing import (
    ActivityFilter,
    PageKey,
    RecordListing,
    RecordSummary,
    activities_query,
)
from fieldapp.store.store import Store
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("activities") / "vault"
    s = sessions.create(
        folder, TEST_PASSWORD, officer="ali.h", station="B12", kdf=KdfParams.for_tests()
    )
    records = generate(3, 40, today=date(2026, 11, 20))
    s.store.add_many([(r.type, r.fields, r.id) for r in records])
    yield s.store
    s.close()


def every_activity(listing: RecordListing) -> list[RecordSummary]:
    kinds = {f.type for f in listing.forms if f.kind == "activity"}
    rows: list[RecordSummary] = []
    after = None
    while True:
        page = listing.page(after=after, limit=500)
        rows += [r for r in page.items if r.type in kinds]
        if page.next_key is None:
            return rows
        after = page.next_key


def paged(listing: RecordListing, narrowed: ActivityFilter, limit: int) -> list[RecordSummary]:
    rows: list[RecordSummary] = []
    after = None
    while True:
        page = listing.activities(narrowed, after=after, limit=limit)
        assert len(page.items) <= limit
        rows += page.items
        if page.next_key is None:
            return rows
        after = page.next_key


def test_an_empty_filter_pages_through_every_activity_and_nothing_else(store: Store) -> None:
    listing = store.listing
    assert [r.id for r in paged(listing, ActivityFilter(), 7)] == [
        r.id for r in every_activity(listing)
    ]


@pytest.mark.parametrize(
    "narrowed",
    [
        ActivityFilter(types=("home_visit",)),
        ActivityFilter(types=("family_dispute", "neighbour_dispute")),
        ActivityFilter(status="closed"),
        ActivityFilter(date_from="2026-01-01", date_to="2026-06-30"),
        ActivityFilter(types=("family_dispute",), status="open"),
    ],
    ids=["one type", "two types", "status", "date range", "type and status"],
)
def test_filtered_pages_hold_exactly_the_matching_activities_in_list_order(
    store: Store, narrowed: ActivityFilter
) -> None:
    listing = store.listing
    expected = [r.id for r in every_activity(listing) if narrowed.matches(r)]
    assert expected, "the sample data should hold some"
    assert [r.id for r in paged(listing, narrowed, 5)] == expected


def test_a_district_filter_keeps_only_that_districts_activities(store: Store) -> None:
    district = next(r.district for r in every_activity(store.listing) if r.district)
    rows = paged(store.listing, ActivityFilter(district=district), 10)
    assert rows
    assert {r.district for r in rows} == {district}


def test_a_filter_nothing_matches_gives_an_empty_last_page(store: Store) -> None:
    page = store.listing.activities(ActivityFilter(date_from="2099-01-01"))
    assert (page.items, page.next_key) == ((), None)


def test_a_household_is_not_an_activity_type(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.listing.activities(ActivityFilter(types=("household",)))


def test_pages_of_several_types_walk_the_list_order_index_without_sorting(store: Store) -> None:
    narrowed = ActivityFilter(types=("home_visit", "family_dispute"), status="open")
    sql, params = activities_query(narrowed.types, narrowed, PageKey("2026-11-20", 9))
    plan = store.connection.execute(f"EXPLAIN QUERY PLAN {sql}", [*params, 5]).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "records_page " in details
    assert "TEMP B-TREE" not in details


def test_a_summary_names_the_household_an_activity_or_person_belongs_to(store: Store) -> None:
    households = {r.id for r in store.listing.page("household", limit=500).items}
    people = store.listing.page("person", limit=500).items
    linked = {p.household_id for p in people if p.household_id is not None}
    assert linked
    assert linked <= households
    assert any(r.household_id in households for r in every_activity(store.listing))
