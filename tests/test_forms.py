"""Record types as data: every shipped definition loads, is complete in three languages, keeps the
field keys other programs rely on (docs/DOMAIN.md), and a broken definition is a clear error."""

from __future__ import annotations

import json
import re
import shutil
import string
from pathlib import Path
from typing import Any

import pytest

from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import (
    ACTIVITY_HEADER,
    FormDefinitionError,
    FormRegistry,
    default_forms_dir,
    load_forms,
    parse_form,
)
from fieldapp.messages import COUNTED, LANGUAGES, catalog
from fieldapp.paths import resources_dir

# The record types of the domain (docs/DOMAIN.md): the shipped forms must be exactly these.
TYPES = (
    "household",
    "person",
    "home_visit",
    "family_dispute",
    "domestic_violence",
    "cyber_extortion",
    "runaway_return",
    "neighbour_dispute",
    "tribal_liaison",
    "awareness_session",
    "humanitarian_aid",
    "shelter_case",
)
ACTIVITIES = [t for t in TYPES if t not in ("household", "person")]
# What the checks of every form run over: the forms as shipped (a new one is checked too).
SHIPPED_TYPES = load_forms().types()

# docs/DOMAIN.md "Field keys that other programs rely on": key -> choices (None: not an enum).
STABLE_KEYS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "person": {
        "first_name": None,
        "father_name": None,
        "grandfather_name": None,
        "surname": None,
        "mother_name": None,
        "sex": ("male", "female"),
        "birth_date": None,
        "age": None,
        "national_id": None,
        "phone": None,
    },
    "household": {
        k: None
        for k in (
            "governorate",
            "district",
            "subdistrict",
            "mahalla",
            "alley",
            "house",
            "head_id",
            "member_ids",
        )
    },
    "home_visit": {
        "reason": ("follow_up", "complaint", "vulnerable_check", "aid", "awareness"),
        "household_size": None,
        "observations": None,
        "action": ("advice", "aid", "referral"),
        "next_visit_date": None,
    },
    "family_dispute": {
        "dispute_type": (
            "spousal",
            "parents_children",
            "siblings",
            "inheritance",
            "alimony_custody",
            "other",
        ),
        "violence": ("none", "verbal", "minor_physical", "serious_physical"),
        "children_involved": None,
        "party_ids": None,
        "summary": None,
        "outcome": (
            "reconciliation",
            "pledge",
            "referral_family_protection",
            "referral_court",
            "referral_juvenile",
            "referral_health",
            "shelter",
            "under_follow_up",
            "unresolved",
        ),
        "pledge_signed": None,
        "referral_body": None,
        "referral_ref": None,
        "follow_up_until": None,
        "status": ("open", "follow_up", "closed"),
    },
}
FIELD_TYPES_OF = {
    "birth_date": "date",
    "age": "int",
    "national_id": "national_id",
    "phone": "phone",
    "governorate": "governorate",
    "district": "district",
    "head_id": "record_id",
    "member_ids": "record_ids",
    "party_ids": "record_ids",
    "household_id": "record_id",
    "date": "date",
    "household_size": "int",
    "pledge_signed": "bool",
    "children_involved": "bool",
}


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return load_forms()


def test_every_record_type_of_the_domain_has_a_form(forms: FormRegistry) -> None:
    assert set(forms.types()) == set(TYPES)
    assert sorted(p.stem for p in default_forms_dir().glob("*.json")) == sorted(TYPES)


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_form_has_a_version_and_labels_in_three_languages(
    forms: FormRegistry, type_key: str
) -> None:
    form = forms.get(type_key)
    assert form.version >= 1
    assert all(form.label(lang).strip() for lang in LANGUAGES)


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_every_field_and_choice_has_three_labels(forms: FormRegistry, type_key: str) -> None:
    for f in forms.get(type_key).fields:
        assert set(f.labels) == set(LANGUAGES), f.key
        assert all(f.label(lang).strip() for lang in LANGUAGES), f.key
        for choice in f.choices:
            assert all(choice.label(lang).strip() for lang in LANGUAGES), (f.key, choice.key)
            assert choice.key.isascii()


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_sorani_labels_are_sorani_not_arabic_copies(forms: FormRegistry, type_key: str) -> None:
    form = forms.get(type_key)
    labels = [form.labels, *(f.labels for f in form.fields)]
    labels += [c.labels for f in form.fields for c in f.choices]
    copies = [lab["ar"] for lab in labels if lab["ckb"] == lab["ar"]]
    assert not copies


def test_sorani_labels_use_the_usual_words(forms: FormRegistry) -> None:
    person = forms.get("person")
    assert person.field("first_name").label("ckb") == "ناو"
    assert person.field("father_name").label("ckb") == "ناوی باوک"
    assert person.field("sex").label("ckb") == "ڕەگەز"
    assert person.field("sex").choice_label("female", "ckb") == "مێ"
    visit = forms.get("home_visit")
    assert visit.field("date").label("ckb") == "بەروار"
    assert visit.field("governorate").label("ckb") == "پارێزگا"
    assert visit.field("district").label("ckb") == "قەزا"


@pytest.mark.parametrize("type_key", sorted(STABLE_KEYS))
def test_field_keys_other_programs_rely_on_are_there(forms: FormRegistry, type_key: str) -> None:
    form = forms.get(type_key)
    for key, choices in STABLE_KEYS[type_key].items():
        f = form.field(key)
        if choices is not None:
            assert f.type == "enum" and f.choice_keys() == choices, key
        if key in FIELD_TYPES_OF:
            assert f.type == FIELD_TYPES_OF[key], key


@pytest.mark.parametrize("type_key", ACTIVITIES)
def test_every_activity_has_the_common_header(forms: FormRegistry, type_key: str) -> None:
    form = forms.get(type_key)
    assert form.kind == "activity"
    assert form.keys()[: len(ACTIVITY_HEADER)] == ACTIVITY_HEADER
    assert form.field("date").required and form.field("date").not_future
    assert form.field("district").governorate_field == "governorate"
    assert form.field("notes").multiline
    if form.has("household_id"):
        assert form.field("household_id").ref_type == "household"


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_every_text_field_has_a_sensible_limit(forms: FormRegistry, type_key: str) -> None:
    for f in forms.get(type_key).fields:
        if f.type == "text":
            assert f.max_length is not None and 1 <= f.max_length <= 4000, f.key
            if f.key in ("notes", "observations", "summary"):
                assert f.multiline and f.max_length == 4000


def test_name_parts_are_limited_to_60_characters(forms: FormRegistry) -> None:
    person = forms.get("person")
    for key in ("first_name", "father_name", "grandfather_name", "surname", "mother_name"):
        assert person.field(key).max_length == 60


def test_person_links_point_to_persons(forms: FormRegistry) -> None:
    assert forms.get("household").field("head_id").ref_type == "person"
    party_ids = forms.get("family_dispute").field("party_ids")
    assert party_ids.ref_type == "person" and party_ids.min_items == 2


def test_unknown_type_is_invalid_input_with_a_message_key(forms: FormRegistry) -> None:
    with pytest.raises(InvalidInput) as caught:
        forms.get("parking_ticket")
    assert caught.value.key == "forms.unknown_type"
    assert "parking_ticket" in caught.value.message("ar")
    assert "نوع سجل غير معروف" in caught.value.message("ar")


def test_unknown_field_of_a_form_is_invalid_input(forms: FormRegistry) -> None:
    with pytest.raises(InvalidInput) as caught:
        forms.get("person").field("nickname")
    assert caught.value.key == "forms.unknown_field"


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_to_json_gives_back_the_same_definition(forms: FormRegistry, type_key: str) -> None:
    form = forms.get(type_key)
    again = parse_form(json.loads(json.dumps(form.to_json())), expected_type=type_key, file="x")
    assert again == form
    assert [r.source for r in again.rules] == [r.source for r in form.rules]


# --- messages --------------------------------------------------------------------------------

MESSAGES_FILE = resources_dir() / "messages" / "forms.json"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_forms_messages_keep_their_placeholders_in_every_language() -> None:
    messages = json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))
    for key, texts in messages.items():
        assert set(texts) - {COUNTED} == set(LANGUAGES), key
        # a counted message: its "other" form shows every placeholder (tests/test_messages.py
        # checks each form)
        english = _placeholders(_other_form(texts["en"]))
        assert _placeholders(_other_form(texts["ar"])) == english, key
        assert _placeholders(_other_form(texts["ckb"])) == english, key


def _other_form(text: str | dict[str, str]) -> str:
    return text["other"] if isinstance(text, dict) else text


RULE_MESSAGES = [
    *("required", "unknown_field", "too_long", "max_length", "forbidden_character", "min", "max"),
    *("date_format", "future_date", "choice", "duplicate", "national_id", "phone", "record_id"),
    *("min_items", "max_items", "governorate", "district", "district_unknown", "requires"),
    *("restrict", "at_least_one", "date_not_before", "date_not_after", "date_window"),
    *("date_min_days", "waiting_period", "type.text", "type.int", "type.bool", "type.date"),
    *("type.list", "type.choice"),
]


def test_every_message_key_written_in_the_code_exists() -> None:
    source = "".join(
        (Path(__file__).parent.parent / "fieldapp" / "forms" / name).read_text(encoding="utf-8")
        for name in ("definitions.py", "values.py", "validation.py", "reference.py")
    )
    keys = set(re.findall(r'"((?:forms|reference)\.[a-z_.]+)"', source))
    rules = set(re.findall(r'Invalid\("(\w+)"', source)) - {"type"}  # "type" has one key per type
    keys |= {f"forms.rule.{r}" for r in rules}
    keys |= {f"forms.rule.type.{t}" for t in re.findall(r'type_error\("(\w+)"\)', source)}
    assert len(keys) > 20
    assert not keys - set(catalog())


@pytest.mark.parametrize("rule", RULE_MESSAGES)
def test_every_rule_the_validator_reports_has_a_message(rule: str) -> None:
    assert f"forms.rule.{rule}" in catalog()


@pytest.mark.parametrize("type_key", SHIPPED_TYPES)
def test_messages_named_by_rules_exist(forms: FormRegistry, type_key: str) -> None:
    for rule in forms.get(type_key).rules:
        assert not rule.message or rule.message in catalog(), rule.message


# --- broken definition files -----------------------------------------------------------------


def _edit(data: dict[str, Any], change: str) -> None:
    fields = data["fields"]
    if change == "unknown field type":
        fields[0]["type"] = "colour"
    elif change == "missing Sorani label":
        del fields[0]["labels"]["ckb"]
    elif change == "misspelt property":
        fields[0]["requried"] = True
    elif change == "enum without choices":
        next(f for f in fields if f["type"] == "enum")["choices"] = []
    elif change == "text without max_length":
        del next(f for f in fields if f["type"] == "text")["max_length"]
    elif change == "duplicate field":
        fields.append(dict(fields[0]))
    elif change == "rule on a missing field":
        data["rules"].append(
            {
                "rule": "requires",
                "when": {"field": "ghost", "equals": "x"},
                "then_required": ["summary"],
            }
        )
    elif change == "rule with an unknown choice":
        data["rules"][0]["when"] = {"field": "violence", "equals": "extreme"}
    elif change == "unknown rule":
        data["rules"].append({"rule": "sometimes"})
    elif change == "missing header":
        data["fields"] = [f for f in fields if f["key"] != "mahalla"]
    elif change == "reference to a missing type":
        next(f for f in fields if f["key"] == "party_ids")["ref_type"] = "suspect"
    elif change == "type differs from file name":
        data["type"] = "dispute"


BROKEN = {
    "unknown field type": "unknown field type 'colour'",
    "missing Sorani label": "missing ckb label",
    "misspelt property": "unknown properties ['requried']",
    "enum without choices": "non-empty list of choices",
    "text without max_length": "needs max_length",
    "duplicate field": "declared twice",
    "rule on a missing field": "no field 'ghost'",
    "rule with an unknown choice": "'extreme' is not a choice of violence",
    "unknown rule": "unknown rule 'sometimes'",
    "missing header": "missing ['mahalla']",
    "reference to a missing type": "ref_type 'suspect'",
    "type differs from file name": "does not match the file name",
}


@pytest.mark.parametrize("change", sorted(BROKEN))
def test_broken_definition_names_the_file_and_the_problem(tmp_path: Path, change: str) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(default_forms_dir(), folder)
    path = folder / "family_dispute.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    _edit(data, change)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_forms(folder)
    assert caught.value.file == str(path)
    assert BROKEN[change] in caught.value.problem
    assert "family_dispute.json" in caught.value.message("ar")
    assert BROKEN[change] in caught.value.message("en")


def test_definition_that_is_not_json_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(default_forms_dir(), folder)
    (folder / "person.json").write_text('{"type": "person",\n  "version": }', encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_forms(folder)
    assert caught.value.file.endswith("person.json")
    assert "not valid JSON: line 2" in caught.value.problem


def test_empty_forms_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FormDefinitionError) as caught:
        load_forms(tmp_path)
    assert "no form definitions" in caught.value.problem


def test_a_folder_of_replacement_definitions_is_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(default_forms_dir(), folder)
    path = folder / "awareness_session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 2
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_forms(folder).get("awareness_session").version == 2
