"""The one validator of record fields (device, server and CLI) and its results.

`validate` walks a form definition (`fieldapp.forms.definitions`), cleans each field with the
cleaner of its type (`fieldapp.forms.values`, which also says how each type is stored), then
checks the form's cross-field rules. Every problem found becomes a `FieldError`; together they
raise one `ValidationFailed`. This module is the one import path for `validate`,
`validate_patch`, `ValidatedFields`, `ValidationFailed`, `FieldError` and `person_age`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import (
    HARD_MAX_STRING,
    Condition,
    FieldDef,
    FormDef,
    Rule,
    label_in,
    same_value,
)
from fieldapp.forms.reference import AdminReference, AdminUnit
from fieldapp.forms.values import (
    SHOWN_LENGTH,
    Invalid,
    clean_bool,
    clean_choice,
    clean_choices,
    clean_date,
    clean_int,
    clean_national_id,
    clean_pcode,
    clean_phone,
    clean_record_id,
    clean_record_ids,
    clean_text,
    parse_date,
    shown_value,
)
from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate
from fieldapp.numerals import format_count
from fieldapp.text import isolate, printable

_COMMA = {"ar": "، ", "ckb": "، ", "en": ", "}


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: `rule` names the check, `params` its details.

    `params` holds language-neutral JSON values; a value that is a mapping of language to text
    (a label) is shown in the reader's language. `labels` is the field's label per language.
    """

    field: str
    rule: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)
    message_key: str = dataclasses.field(default="", compare=False)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problem in `lang` for a person, naming the field by its label, never its key:
        "National ID: must be ...", and in a batch which item: "Record 2: National ID: ...".
        A field the form does not have is named as it was typed. The value the person typed
        is isolated (it keeps its direction in an Arabic line); everything is printable."""
        item = self.params.get("item")
        key = self.field.removeprefix(f"[{item}].") if isinstance(item, int) else self.field
        label = printable(label_in(self.labels, lang)) or isolate(key)
        params = {
            k: isolate(str(v)) if k == "value" else printable(_localize(v, lang))
            for k, v in self.params.items()
        }
        problem = translate(self.message_key or f"forms.rule.{self.rule}", lang, **params)
        line = f"{label}: {problem}"
        if isinstance(item, int) and not isinstance(item, bool):
            # People count records from 1; the key `[0].national_id` counts from 0.
            return translate(
                "forms.item_problem", lang, item=format_count(item + 1, lang), problem=line
            )
        return line

    def at_item(self, index: int) -> FieldError:
        """The same error about item `index` of a batch: field `[index].key`, `item` in params."""
        return dataclasses.replace(
            self, field=f"[{index}].{self.field}", params={**self.params, "item": index}
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for the wire (the server's refusal) and the CLI."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldError:
        """The inverse of `to_dict` (unknown keys ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _localize(value: Any, lang: str) -> str:
    if isinstance(value, Mapping) and value and set(value) <= set(LANGUAGES):
        return label_in(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(_localize(v, lang) for v in value)
    return str(value)


class ValidationFailed(InvalidInput):
    """A record's fields broke one or more rules; `errors` lists every problem found."""

    key = "forms.validation_failed"

    def __init__(self, errors: Sequence[FieldError], form_type: str = "") -> None:
        self.errors = list(errors)
        self.form_type = form_type
        super().__init__(count=len(self.errors))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """A heading and one line per problem, in `lang`."""
        heading = translate(self.key, lang, **self.params)
        return "\n".join([heading, *(e.message(lang) for e in self.errors)])


@dataclass(frozen=True)
class ValidatedFields:
    """What the validator accepted: the cleaned fields to store and the flags it derived."""

    fields: dict[str, Any]
    flags: frozenset[str] = frozenset()


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Completed years between a birth date and `today`."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def person_age(fields: Mapping[str, Any], today: datetime.date) -> int | None:
    """A person record's age on `today`: from `birth_date` if known, else its recorded `age`.

    Callers use it to build the `party_ages` they pass to `validate`.
    """
    birth = fields.get("birth_date")
    if isinstance(birth, str) and birth:
        try:
            return age_on(parse_date(birth), today)
        except ValueError:
            return None
    age = fields.get("age")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


# --- the record validator ----------------------------------------------------------------------


def validate(
    form: FormDef,
    fields: Mapping[str, object],
    *,
    reference: AdminReference,
    today: datetime.date,
    party_ages: Mapping[str, int | None] | None = None,
) -> ValidatedFields:
    """Check a record's fields against its form; return them cleaned, with derived flags.

    Pure: `today` stands for the clock and `reference` for the administrative units.
    `party_ages` maps person record ids to their age (see `person_age`) so `age_flag` rules can
    flag a case with a minor party; without it only the `minor_involved` tick box raises the flag.
    Raises `ValidationFailed` listing every problem found, not just the first.
    """
    if not isinstance(fields, Mapping):
        raise InvalidInput("forms.fields_not_an_object", type=form.type)
    errors: list[FieldError] = []
    failed: set[str] = set()
    cleaned: dict[str, Any] = {}
    for key in fields:
        if not isinstance(key, str) or not form.has(key):
            errors.append(FieldError(str(key)[:SHOWN_LENGTH], "unknown_field"))
    for fdef in form.fields:
        try:
            value = _clean(fdef, fields.get(fdef.key), today)
        except Invalid as e:
            errors.append(_error(fdef, e.rule, e.params, e.message_key))
            failed.add(fdef.key)
            continue
        if value is not None:
            cleaned[fdef.key] = value
        elif fdef.required:
            errors.append(_error(fdef, "required"))
            failed.add(fdef.key)
    for fdef in form.fields:
        problem = _check_admin(fdef, cleaned, reference)
        if problem is not None:
            errors.append(problem)
            failed.add(fdef.key)
            del cleaned[fdef.key]
    flags: set[str] = set()
    for rule in form.rules:
        errors.extend(_check_rule(form, rule, cleaned, failed, today, party_ages, flags))
    if errors:
        raise ValidationFailed(errors, form.type)
    return ValidatedFields(cleaned, frozenset(flags))


def validate_patch(
    form: FormDef,
    current: Mapping[str, object],
    patch: Mapping[str, object],
    *,
    reference: AdminReference,
    today: datetime.date,
    party_ages: Mapping[str, int | None] | None = None,
) -> ValidatedFields:
    """Validate an edit: `patch` merged onto `current`, then the whole record checked.

    A key set to None in the patch clears that field (refused if the field is required).
    """
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return validate(form, merged, reference=reference, today=today, party_ages=party_ages)


def _error(
    fdef: FieldDef, rule: str, params: Mapping[str, Any] | None = None, message_key: str = ""
) -> FieldError:
    return FieldError(fdef.key, rule, dict(params or {}), dict(fdef.labels), message_key)


def _clean(fdef: FieldDef, value: object, today: datetime.date) -> object:
    kind = fdef.type
    if kind == "text":
        limit = fdef.max_length or HARD_MAX_STRING
        return clean_text(value, max_length=limit, multiline=fdef.multiline)
    if kind == "int":
        return clean_int(value, minimum=fdef.minimum, maximum=fdef.maximum)
    if kind == "date":
        return clean_date(
            value, today=today, not_future=fdef.not_future, not_before=fdef.not_before
        )
    if kind in ("enum", "multi_enum"):
        return (clean_choice if kind == "enum" else clean_choices)(value, fdef.choice_keys())
    if kind == "record_ids":
        return clean_record_ids(value, min_items=fdef.min_items, max_items=fdef.max_items)
    return _SIMPLE_CLEANERS[kind](value)


_SIMPLE_CLEANERS = {
    "bool": clean_bool,
    "national_id": clean_national_id,
    "phone": clean_phone,
    "governorate": clean_pcode,
    "district": clean_pcode,
    "record_id": clean_record_id,
}


def _names(reference: AdminReference, pcode: str) -> dict[str, str]:
    return {lang: reference.governorate_name(pcode, lang) for lang in LANGUAGES}


def _unknown_place(
    fdef: FieldDef, rule: str, typed: str, similar: Sequence[AdminUnit], message_key: str
) -> FieldError:
    """An unknown governorate or district, with the closest names when there are some."""
    if not similar:
        return _error(fdef, rule, {"value": shown_value(typed)}, message_key)
    names = {lang: _COMMA[lang].join(u.name(lang) for u in similar) for lang in LANGUAGES}
    params = {"value": shown_value(typed), "suggestions": names}
    return _error(fdef, rule, params, "forms.rule.place_did_you_mean")


def _check_admin(
    fdef: FieldDef, cleaned: dict[str, Any], reference: AdminReference
) -> FieldError | None:
    """Governorates must exist; districts must exist and lie in the form's governorate. A
    name (Arabic, Kurdish or English) is accepted for a p-code, and replaced by it in
    `cleaned`; an unknown one is refused with the closest names."""
    code = cleaned.get(fdef.key)
    if code is None or fdef.type not in ("governorate", "district"):
        return None
    gov = cleaned.get(fdef.governorate_field or "")
    gov = gov if isinstance(gov, str) and reference.is_governorate(gov) else None
    if fdef.type == "governorate":
        found = reference.find_governorate(code)
        if found is None:
            similar = reference.similar_governorates(code)
            return _unknown_place(fdef, "governorate", code, similar, "forms.rule.governorate")
        cleaned[fdef.key] = found  # a name typed in any language is stored as its p-code
    if fdef.type == "district":
        found = reference.find_district(code, gov) or reference.find_district(code)
        if found is None:
            similar = reference.similar_districts(code, gov)
            return _unknown_place(fdef, "district", code, similar, "forms.rule.district_unknown")
        cleaned[fdef.key] = code = found
        if (
            isinstance(gov, str)
            and reference.is_governorate(gov)
            and not reference.district_belongs(gov, code)
        ):
            return _error(fdef, "district", {"governorate": _names(reference, gov)})
    return None


def _value_labels(form: FormDef, key: str, value: Any) -> dict[str, str]:
    """A stored value as people read it, per language (choice label, yes/no)."""
    fdef = form.field(key)
    if isinstance(value, bool):
        word = "forms.value.yes" if value else "forms.value.no"
        return {lang: translate(word, lang) for lang in LANGUAGES}
    return {lang: fdef.choice_label(str(value), lang) for lang in LANGUAGES}


def _describe(form: FormDef, conditions: Sequence[Condition]) -> dict[str, str]:
    """The `when` of a rule in words, per language: "Outcome: Reconciliation, Written pledge"."""
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        parts = []
        for c in conditions:
            label = form.field(c.field).label(lang)
            if c.op == "present":
                parts.append(label)
                continue
            values = c.value if c.op == "in" else (c.value,)
            shown = _COMMA[lang].join(_value_labels(form, c.field, v)[lang] for v in values)
            parts.append(f"{label}: {shown}")
        out[lang] = "; ".join(parts)
    return out


def _check_rule(
    form: FormDef,
    rule: Rule,
    cleaned: Mapping[str, Any],
    failed: set[str],
    today: datetime.date,
    party_ages: Mapping[str, int | None] | None,
    flags: set[str],
) -> list[FieldError]:
    """Errors of one cross-field rule (adding any flag it raises to `flags`)."""
    if not rule.applies(cleaned):
        return []
    kind = rule.kind
    if kind == "requires":
        when = _describe(form, rule.when)
        return [
            _error(form.field(k), "requires", {"when": when}, rule.message)
            for k in rule.fields
            if k not in cleaned and k not in failed
        ]
    if kind == "restrict":
        value = cleaned.get(rule.field)
        if rule.field in failed or any(same_value(value, v) for v in rule.allowed):
            return []
        allowed = [_value_labels(form, rule.field, v) for v in rule.allowed]
        params = {"when": _describe(form, rule.when), "allowed": _join(allowed)}
        return [_error(form.field(rule.field), "restrict", params, rule.message)]
    if kind == "at_least_one":
        if any(k in cleaned or k in failed for k in rule.fields):
            return []
        names = _join([dict(form.field(k).labels) for k in rule.fields], " / ")
        return [_error(form.field(rule.fields[0]), "at_least_one", {"fields": names}, rule.message)]
    if kind == "date_window":
        return _check_date_window(form, rule, cleaned)
    if kind == "waiting_period":
        since = cleaned.get(rule.other)
        if since is None:
            return []
        earliest = parse_date(since) + datetime.timedelta(days=rule.days)
        if today >= earliest:
            return []
        waiting: dict[str, Any] = {
            "days": rule.days,
            "since": dict(form.field(rule.other).labels),
            "earliest": earliest.isoformat(),
        }
        return [_error(form.field(rule.field), "waiting_period", waiting, rule.message)]
    if kind == "flag" or (kind == "age_flag" and _has_minor(rule, cleaned, today, party_ages)):
        flags.add(rule.flag)
    return []


def _join(items: Sequence[Mapping[str, str]], sep: str | None = None) -> dict[str, str]:
    return {lang: (sep or _COMMA[lang]).join(i[lang] for i in items) for lang in LANGUAGES}


def _check_date_window(form: FormDef, rule: Rule, cleaned: Mapping[str, Any]) -> list[FieldError]:
    value, other = cleaned.get(rule.field), cleaned.get(rule.other)
    if value is None or other is None:
        return []
    days = (parse_date(value) - parse_date(other)).days
    if not rule.after:
        days = -days
    low = rule.min_days or 0
    if low <= days and (rule.max_days is None or days <= rule.max_days):
        return []
    params: dict[str, Any] = {"other": dict(form.field(rule.other).labels)}
    if rule.max_days is not None:
        params.update(min_days=low, max_days=rule.max_days)
        rule_name, key = "date_window", "forms.rule.date_window"
    elif low > 0:
        params.update(min_days=low)
        rule_name, key = "date_window", "forms.rule.date_min_days"
    else:
        rule_name = "date_order"
        key = "forms.rule.date_not_before" if rule.after else "forms.rule.date_not_after"
    return [_error(form.field(rule.field), rule_name, params, rule.message or key)]


def _has_minor(
    rule: Rule,
    cleaned: Mapping[str, Any],
    today: datetime.date,
    party_ages: Mapping[str, int | None] | None,
) -> bool:
    if rule.parties:
        if party_ages is None:
            return False
        for key in rule.parties:
            value = cleaned.get(key)
            ids = value if isinstance(value, list) else [value] if value else []
            for record_id in ids:
                age = party_ages.get(record_id)
                if age is not None and age < rule.under:
                    return True
        return False
    age = person_age(
        {"birth_date": cleaned.get(rule.birth_date_field), "age": cleaned.get(rule.age_field)},
        today,
    )
    return age is not None and age < rule.under
