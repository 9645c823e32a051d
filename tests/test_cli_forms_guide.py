"""Issue 9, section 6: `fieldapp-cli forms TYPE` shows every field with its label, type, whether
it is required (and when), its limits and its choices with their labels, in the language."""

from __future__ import annotations

import json

import pytest

from fieldapp.forms.definitions import load_forms
from fieldapp.text import isolate
from tests.drivers.cli import core_cli


def guide(record_type: str, lang: str) -> list[str]:
    result = core_cli("--lang", lang, "forms", record_type)
    assert result.code == 0, result.err
    return result.lines


def block(lines: list[str], key: str) -> list[str]:
    """The lines of one field: its head line and the indented ones after it."""
    start = next(i for i, line in enumerate(lines) if f"({isolate(key)}, " in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), None)
    return lines[start:end]


@pytest.mark.parametrize(
    ("lang", "head"),
    [
        ("en", f"Sex ({isolate('sex')}, enum): required"),
        ("ar", f"الجنس ({isolate('sex')}, اختيار واحد): إلزامي"),
        ("ckb", f"ڕەگەز ({isolate('sex')}, یەک هەڵبژاردن): پێویستە"),
    ],
)
def test_a_choice_field_shows_label_type_required_and_its_choices_with_labels(
    lang: str, head: str
) -> None:
    labels = {"en": ("Male", "Female"), "ar": ("ذكر", "أنثى"), "ckb": ("نێر", "مێ")}[lang]
    assert block(guide("person", lang), "sex") == [
        head,
        f"    - {isolate('male')}: {labels[0]}",
        f"    - {isolate('female')}: {labels[1]}",
    ]


@pytest.mark.parametrize(
    ("lang", "rule"),
    [
        ("en", f"must be {isolate('yes')} when {isolate('Outcome')} is"),
        ("ar", f"يجب أن يكون {isolate('نعم')} عندما {isolate('النتيجة')} هو"),
        ("ckb", f"دەبێت {isolate('بەڵێ')} بێت کاتێک {isolate('ئەنجام')}"),
    ],
)
def test_pledge_signed_says_when_it_must_be_yes(lang: str, rule: str) -> None:
    [_, note] = block(guide("family_dispute", lang), "pledge_signed")
    assert note.strip().startswith(rule)


@pytest.mark.parametrize(
    ("lang", "when"),
    [
        ("en", f"required when {isolate('Outcome')} is {isolate('Reconciliation')}"),
        ("ar", f"إلزامي عندما {isolate('النتيجة')} هو {isolate('صلح وتراضي')}"),
        ("ckb", f"پێویستە کاتێک {isolate('ئەنجام')} {isolate('ئاشتەوایی و ڕەزامەندی')} بێت"),
    ],
)
def test_a_conditionally_required_field_says_when_it_is_required(lang: str, when: str) -> None:
    [head] = block(guide("family_dispute", lang), "follow_up_until")
    assert head.endswith(when)


@pytest.mark.parametrize(
    ("lang", "limit"),
    [("en", "from 0 to 120"), ("ar", "من 0 إلى 120"), ("ckb", "لە 0 تا 120")],
)
def test_limits_are_shown(lang: str, limit: str) -> None:
    assert f"    {limit}" in block(guide("person", lang), "age")


def test_every_field_of_the_type_is_listed_in_form_order() -> None:
    form = load_forms().get("household")
    heads = [line for line in guide("household", "en")[1:] if not line.startswith(" ")]
    keys = list(form.keys())
    assert [h.split("(")[-1].split(",")[0] for h in heads] == [isolate(k) for k in keys]


def test_forms_type_json_is_the_definition() -> None:
    result = core_cli("forms", "person", "--json")
    assert json.loads(result.out) == load_forms().get("person").to_json()


def test_forms_of_an_unknown_type_is_exit_2_naming_it() -> None:
    result = core_cli("--lang", "en", "forms", "lecture")
    assert result.code == 2 and "lecture" in result.err
