"""Search finds what officers type: phones however written, Sorani and Arabic spellings of one
name, record numbers in any digit script (the store over a real SQLCipher file)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlcipher3

from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.store.store import Store
from tests.records import PERSON, home_visit, household

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=timezone(timedelta(hours=3)))


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return load_forms()


@pytest.fixture(scope="module")
def reference() -> AdminReference:
    return load_reference()


@pytest.fixture
def store(tmp_path: Path, forms: FormRegistry, reference: AdminReference) -> Iterator[Store]:
    conn = sqlcipher3.connect(str(tmp_path / "s.db"))
    conn.execute("PRAGMA key = \"x'" + "44" * 32 + "'\"")
    s = Store.open(
        conn, forms=forms, reference=reference, actor="ali.h", station_id="B12", clock=lambda: NOW
    )
    yield s
    conn.close()


def _ids(store: Store, query: str) -> list[str]:
    return [hit.record.id for hit in store.search(query)]


@pytest.mark.parametrize(
    "typed",
    [
        "0770 123 4567",
        "0770-123-4567",
        "(0770) 123-4567",
        "+964 770 123 4567",
        "+9647701234567",
        "00964 770 123 4567",
        "009647701234567",
        "7701234567",
        "٠٧٧٠ ١٢٣ ٤٥٦٧",
        "۰۷۷۰ ۱۲۳ ۴۵۶۷",
        "٠٠٩٦٤-٧٧٠-١٢٣-٤٥٦٧",
    ],
)
def test_a_phone_typed_any_way_finds_the_person(store: Store, typed: str) -> None:
    wanted = store.add("person", {**PERSON, "phone": "07701234567"})
    store.add("person", {**PERSON, "phone": "07711234567"})
    assert _ids(store, typed) == [wanted.id]


def test_a_phone_being_typed_finds_it_by_its_first_digits(store: Store) -> None:
    wanted = store.add("person", {**PERSON, "phone": "07701234567"})
    store.add("person", {**PERSON, "phone": "07811234567"})
    assert _ids(store, "0770 12") == [wanted.id]


def test_a_phone_beside_a_name_finds_only_that_person(store: Store) -> None:
    wanted = store.add("person", {**PERSON, "first_name": "علي", "phone": "07701234567"})
    store.add("person", {**PERSON, "first_name": "علي", "phone": "07711234567"})
    assert _ids(store, "علي 0770 123 4567") == [wanted.id]


def test_a_name_in_sorani_spelling_finds_the_arabic_spelling(store: Store) -> None:
    arabic = store.add("person", {**PERSON, "first_name": "أحمد", "father_name": "محمد"})
    assert _ids(store, "ئەحمەد") == [arabic.id]
    assert _ids(store, "ئەحمەد محەمەد") == [arabic.id]


def test_a_name_in_arabic_spelling_finds_the_sorani_spelling(store: Store) -> None:
    sorani = store.add("person", {**PERSON, "first_name": "زەینەب", "father_name": "عەلی"})
    assert _ids(store, "زينب علي") == [sorani.id]
    assert _ids(store, "فاطمة") == []


def test_kurdish_letters_find_the_arabic_ones(store: Store) -> None:
    arabic = store.add("person", {**PERSON, "first_name": "كريم", "father_name": "إبراهيم"})
    assert _ids(store, "کەریم ئیبراهیم") == [arabic.id]


def test_the_sorani_match_ranks_below_the_exact_one_and_never_replaces_it(store: Store) -> None:
    arabic = store.add("person", {**PERSON, "first_name": "أحمد"})
    sorani = store.add("person", {**PERSON, "first_name": "ئەحمەد"})
    assert _ids(store, "أحمد") == [arabic.id, sorani.id]
    assert _ids(store, "ئەحمەد") == [sorani.id, arabic.id]


def test_sorani_matches_wait_behind_a_full_page_of_exact_ones(store: Store) -> None:
    exact = [store.add("person", {**PERSON, "first_name": "أحمد"}).id for _ in range(3)]
    store.add("person", {**PERSON, "first_name": "ئەحمەد"})
    assert sorted(_ids_limited(store, "أحمد", 3)) == sorted(exact)


def _ids_limited(store: Store, query: str, limit: int) -> list[str]:
    return [hit.record.id for hit in store.search(query, limit=limit)]


def test_extended_arabic_indic_digits_find_a_national_id(store: Store) -> None:
    wanted = store.add("person", {**PERSON, "national_id": "۱۹۸۵۰۳۱۲۰۰۴۵"})
    assert wanted.fields["national_id"] == "198503120045"
    assert _ids(store, "۱۹۸۵۰۳۱۲۰۰۴۵") == [wanted.id]
    assert _ids(store, "١٩٨٥٠٣١٢٠٠٤٥") == [wanted.id]


def _numbered(store: Store, count: int) -> list[str]:
    store.connection.execute("BEGIN")
    store.numbers.add_block("B12", 2026, 1, count)
    store.connection.execute("COMMIT")
    return [store.add("person", {**PERSON, "age": 20 + i}).id for i in range(count)]


@pytest.mark.parametrize("typed", ["B12-2026-1", "b12-2026-1", "B12-٢٠٢٦-١", "B12-۲۰۲۶-۱"])
def test_a_record_number_finds_that_record_and_nothing_unrelated(store: Store, typed: str) -> None:
    first, *_ = _numbered(store, 12)  # B12-2026-10, -11, -12 start like B12-2026-1
    hh = store.add("household", household())
    store.add("home_visit", home_visit(household_id=hh.id, observations="B12 2026 1"))
    assert _ids(store, typed) == [first]


def test_a_record_number_not_in_this_vault_finds_nothing(store: Store) -> None:
    _numbered(store, 2)
    assert _ids(store, "B12-2026-3") == []


def test_summaries_search_the_same_way(store: Store) -> None:
    arabic = store.add("person", {**PERSON, "first_name": "أحمد", "phone": "07701234567"})
    sorani = store.add("person", {**PERSON, "first_name": "ئەحمەد"})
    assert [h.summary.id for h in store.listing.search("ئەحمەد")] == [sorani.id, arabic.id]
    assert [h.summary.id for h in store.listing.search("0770 123 4567")] == [arabic.id]
