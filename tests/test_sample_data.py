"""The seeded sample-data generator: valid, linked, realistic and reproducible records."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from fieldapp.forms.definitions import FormRegistry, load_forms
from fieldapp.forms.reference import AdminReference, load_reference
from fieldapp.forms.validation import ValidationFailed, person_age, validate
from fieldapp.sampledata.activities import ACTIVITIES
from fieldapp.sampledata.generator import generate, main, records_of_size
from fieldapp.sampledata.households import GeneratedRecord, load_names
from fieldapp.sampledata.phrases import default_phrases_path, load_phrases, shipped_phrases
from fieldapp.text import index_terms, query_terms

TODAY = datetime.date(2026, 11, 20)
UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
PERSON_LINKS = (
    "victim_id",
    "perpetrator_id",
    "person_id",
    "recipient_id",
    "party_ids",
    "notable_ids",
)


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return load_forms()


@pytest.fixture(scope="module")
def activity_types(forms: FormRegistry) -> frozenset[str]:
    return frozenset(form.type for form in forms if form.kind == "activity")


@pytest.fixture(scope="module")
def reference() -> AdminReference:
    return load_reference()


@pytest.fixture(scope="module")
def records() -> list[GeneratedRecord]:
    return generate(7, 60, today=TODAY)


def _by_type(records: list[GeneratedRecord], record_type: str) -> list[GeneratedRecord]:
    return [r for r in records if r.type == record_type]


def _ids(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value] if value else []


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 42])
def test_every_generated_record_passes_its_form(
    seed: int, forms: FormRegistry, reference: AdminReference
) -> None:
    records = generate(seed, 40, today=TODAY)
    ages = {r.id: person_age(r.fields, TODAY) for r in records if r.type == "person"}
    problems = []
    for record in records:
        try:
            validate(
                forms.get(record.type),
                record.fields,
                reference=reference,
                today=TODAY,
                party_ages=ages,
            )
        except ValidationFailed as failed:  # collect them all: one rule can fail many records
            problems.append((record.type, [e.to_dict() for e in failed.errors]))
    assert problems == []


def test_generated_fields_are_already_as_the_validator_stores_them(
    records: list[GeneratedRecord], forms: FormRegistry, reference: AdminReference
) -> None:
    # Except phones, which are written locally (07xx) and stored as +9647xx.
    for record in records:
        cleaned = validate(
            forms.get(record.type), record.fields, reference=reference, today=TODAY
        ).fields
        if "phone" in cleaned:
            assert cleaned.pop("phone") == "+964" + record.fields["phone"][1:]
        assert cleaned == {k: v for k, v in record.fields.items() if k != "phone"}


def test_same_seed_gives_the_same_records_ids_included() -> None:
    assert generate(5, 12, today=TODAY) == generate(5, 12, today=TODAY)


def test_another_seed_gives_other_records() -> None:
    first = generate(5, 5, today=TODAY)
    other = generate(6, 5, today=TODAY)
    assert {r.id for r in first}.isdisjoint({r.id for r in other})


def test_ten_households_cover_every_activity_type(activity_types: frozenset[str]) -> None:
    types = {r.type for r in generate(11, 10, today=TODAY)}
    assert activity_types <= types
    assert {"household", "person"} <= types


def test_ids_are_unique_uuid7(records: list[GeneratedRecord]) -> None:
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    assert all(UUID7.match(i) for i in ids)


def test_households_and_their_persons_point_at_each_other(records: list[GeneratedRecord]) -> None:
    persons = {r.id: r for r in _by_type(records, "person")}
    for household in _by_type(records, "household"):
        members = household.fields["member_ids"]
        assert household.fields["head_id"] in members
        assert all(persons[m].fields["household_id"] == household.id for m in members)
        assert household.fields.get("household_size", len(members)) >= len(members)


def test_activities_point_at_generated_households_and_persons(
    records: list[GeneratedRecord], activity_types: frozenset[str]
) -> None:
    households = {r.id for r in _by_type(records, "household")}
    persons = {r.id for r in _by_type(records, "person")}
    activities = {r.id for r in records if r.type in activity_types}
    for record in records:
        if record.type not in activity_types:
            continue
        if "household_id" in record.fields:
            assert record.fields["household_id"] in households
        for key in PERSON_LINKS:
            assert set(_ids(record.fields.get(key))) <= persons, (record.type, key)
        if "related_record_id" in record.fields:
            assert record.fields["related_record_id"] in activities


def test_every_record_comes_after_the_records_it_points_at_except_member_lists(
    records: list[GeneratedRecord], activity_types: frozenset[str]
) -> None:
    seen: set[str] = set()
    for record in records:
        if record.type in activity_types:
            for key in (*PERSON_LINKS, "household_id", "related_record_id"):
                assert set(_ids(record.fields.get(key))) <= seen, (record.type, key)
        seen.add(record.id)


def test_districts_lie_in_their_governorates_everywhere(
    records: list[GeneratedRecord], reference: AdminReference
) -> None:
    located = [r for r in records if "district" in r.fields]
    assert all(
        reference.district_belongs(r.fields["governorate"], r.fields["district"]) for r in located
    )
    assert len({r.fields["governorate"] for r in located}) >= 10


def test_activity_dates_are_in_the_past_and_in_order_per_household(
    records: list[GeneratedRecord], activity_types: frozenset[str]
) -> None:
    last: dict[str, str] = {}
    for record in records:
        if record.type not in activity_types:
            continue
        assert record.fields["date"] < TODAY.isoformat()
        household = record.fields.get("household_id")
        if household:
            assert record.fields["date"] >= last.get(household, "")
            last[household] = record.fields["date"]


def test_persons_have_quadripartite_names_from_the_names_list(
    records: list[GeneratedRecord],
) -> None:
    names = load_names()
    given = {s for entry in (*names.male, *names.female) for s in entry}
    family = {s for entry in names.surname for s in entry}
    persons = _by_type(records, "person")
    for person in persons:
        f = person.fields
        assert {f["first_name"], f["father_name"], f["grandfather_name"]} <= given
        assert f.get("surname", "الجبوري") in family
        assert f.get("mother_name", "زينب") in given
    used = Counter(p.fields["first_name"] for p in persons)
    variants = {v for entry in (*names.male, *names.female) for v in entry[1:]}
    assert variants & set(used), "spelling variants are used now and then"
    assert sum(1 for p in persons if "surname" in p.fields) > len(persons) / 2
    assert sum(1 for p in persons if "mother_name" in p.fields) > len(persons) / 10


def test_persons_have_realistic_ages_ids_and_phones(records: list[GeneratedRecord]) -> None:
    persons = [p.fields for p in _by_type(records, "person")]
    ages = [person_age(p, TODAY) for p in persons]
    assert all(a is not None and 0 <= a <= 100 for a in ages)
    assert sum(1 for a in ages if a is not None and a < 18) > len(ages) / 5
    assert sum(1 for a in ages if a is not None and a >= 18) > len(ages) / 3
    assert all(
        re.fullmatch(r"[12][0-9]{11}", p["national_id"]) for p in persons if "national_id" in p
    )
    assert all(re.fullmatch(r"07[5789][0-9]{8}", p["phone"]) for p in persons if "phone" in p)
    assert {p["sex"] for p in persons} == {"male", "female"}


def test_children_are_younger_than_their_mother_by_at_least_18_years(
    records: list[GeneratedRecord],
) -> None:
    persons = {r.id: r.fields for r in _by_type(records, "person")}
    for household in _by_type(records, "household"):
        members = [persons[m] for m in household.fields["member_ids"]]
        mothers = [m for m in members if m.get("role") == "wife"] or [
            persons[household.fields["head_id"]]
        ]
        mother_age = person_age(mothers[0], TODAY) or 0
        for child in (m for m in members if m.get("role") in ("son", "daughter")):
            assert mother_age - (person_age(child, TODAY) or 0) >= 17


def test_reports_are_arabic_prose_of_realistic_length(records: list[GeneratedRecord]) -> None:
    texts = [
        r.fields[key]
        for r in records
        for key in ("observations", "summary", "aftercare_plan", "agreed_points")
        if key in r.fields
    ]
    assert texts
    for text in texts:
        assert 60 <= len(text) <= 4000
        letters = [ch for ch in text if ch.isalpha()]
        assert sum(1 for ch in letters if ARABIC_LETTER.match(ch)) / len(letters) > 0.95


def test_family_disputes_show_every_outcome_path(records: list[GeneratedRecord]) -> None:
    disputes = [r.fields for r in generate(3, 150, today=TODAY) if r.type == "family_dispute"]
    outcomes = Counter(d["outcome"] for d in disputes)
    assert {"reconciliation", "pledge", "referral_family_protection"} <= set(outcomes)
    serious = [d for d in disputes if d["violence"] == "serious_physical"]
    assert serious and all(d["outcome"].startswith(("referral", "shelter")) for d in serious)
    assert any(d["status"] == "closed" and d["outcome"] == "reconciliation" for d in disputes)


def test_records_of_size_are_close_to_the_asked_size_and_valid(
    forms: FormRegistry, reference: AdminReference
) -> None:
    for size in (600, 1024, 4096, 12_000):
        made = records_of_size(9, 20, approx_bytes=size)
        assert len(made) == 20
        for record in made:
            actual = len(json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8"))
            assert size - 80 <= actual <= size, (size, actual)
            validate(forms.get(record.type), record.fields, reference=reference, today=TODAY)


def test_records_of_size_are_reproducible() -> None:
    assert records_of_size(4, 5) == records_of_size(4, 5)


def test_cli_prints_one_json_record_per_line() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--seed", "1", "--households", "3", "--today", "2026-11-20"]) == 0
    lines = out.getvalue().splitlines()
    parsed = [json.loads(line) for line in lines]
    assert parsed == [r.to_json() for r in generate(1, 3, today=TODAY)]
    assert all(set(p) == {"type", "id", "fields"} for p in parsed)
    assert "ال" in lines[1], "Arabic is written as is, not as \\u escapes"


def test_every_spelling_used_is_found_by_the_usual_spelling(records: list[GeneratedRecord]) -> None:
    names = load_names()
    usual = {s: entry[0] for entry in (*names.male, *names.female, *names.surname) for s in entry}
    for person in _by_type(records, "person"):
        for key in ("first_name", "father_name", "grandfather_name", "surname", "mother_name"):
            written = person.fields.get(key)
            if written:
                assert set(query_terms(usual[written])) <= set(index_terms(written))


def test_every_activity_form_has_a_builder_and_every_builder_a_form(
    activity_types: frozenset[str],
) -> None:
    assert set(ACTIVITIES) == activity_types


# Phrase banks written per choice of a form's field: (bank, record type, field).
BANKS_BY_CHOICE = [
    ("dispute_openings", "family_dispute", "dispute_type"),
    ("dispute_violence", "family_dispute", "violence"),
    ("dispute_violence", "neighbour_dispute", "violence"),
    ("neighbour_causes", "neighbour_dispute", "cause"),
    ("platform_names", "cyber_extortion", "platform"),
    ("aid_partners", "humanitarian_aid", "partner_type"),
    ("venues", "awareness_session", "venue_type"),
    ("shelters", "shelter_case", "shelter_type"),
]


@pytest.mark.parametrize(("bank", "type_key", "field"), BANKS_BY_CHOICE)
def test_a_phrase_bank_by_choice_has_one_entry_for_each_choice_of_the_form(
    forms: FormRegistry, bank: str, type_key: str, field: str
) -> None:
    entries = getattr(shipped_phrases(), bank)
    assert tuple(entries) == forms.get(type_key).field(field).choice_keys()


def _phrase_file(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads(default_phrases_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_phrase_with_a_placeholder_the_generator_does_not_fill_is_refused(
    tmp_path: Path,
) -> None:
    path = _phrase_file(tmp_path, lambda d: d["filler"].append("أفاد {victim} بذلك."))
    with pytest.raises(ValueError, match=r"filler: unknown placeholders \['victim'\]"):
        load_phrases(path)


def test_a_phrase_file_missing_a_bank_is_refused(tmp_path: Path) -> None:
    path = _phrase_file(tmp_path, lambda d: d.pop("tribes"))
    with pytest.raises(ValueError, match=r"missing banks \['tribes'\]"):
        load_phrases(path)


def test_a_phrase_bank_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    path = _phrase_file(tmp_path, lambda d: d.update(venues=["مدرسة"]))
    with pytest.raises(ValueError, match="venues: must be a non-empty object keyed by choice"):
        load_phrases(path)
