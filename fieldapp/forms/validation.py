"""The one validator of record fields (device, server and CLI), its results, its value checks.

`validate` walks a form definition (`fieldapp.forms.definitions`, which re-exports it) and calls a
cleaner
per field type, then the form's cross-field rules. Stored forms (what a cleaner returns):

- text: stripped, digits of any script folded to ASCII, CR/CRLF folded to LF (multi-line only);
- int: a Python int; a string of digits in any script is accepted;
- date: `YYYY-MM-DD` (ASCII digits);
- national ID: 12 ASCII digits, spaces and dashes removed;
- phone: `+9647XXXXXXXXX` (E.164, so every program compares and dials one form);
- p-codes: upper case; record ids: lower-case hyphenated UUID;
- multi-enum: the chosen keys in the order the form declares them.

An empty value (None, "", only spaces, an empty list) is "absent": cleaners return None and the
caller decides whether the field was required.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldapp.errors import InvalidInput
from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate
from fieldapp.text import forbidden_character, to_ascii_digits

if TYPE_CHECKING:  # forms imports this module; the validator only reads its objects
    from fieldapp.forms.definitions import Condition, FieldDef, FormDef, Rule
    from fieldapp.forms.reference import AdminReference

# No string of any field may be longer than this, whatever its own limit (the limit is checked
# before any other work, so a hostile 100 MB value costs nothing).
HARD_MAX_STRING = 10_000
HARD_MAX_ITEMS = 500

_INT = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NATIONAL_ID = re.compile(r"^[0-9]{12}$")
_PHONE = re.compile(r"^(?:\+964|00964|0)(7[3-9][0-9]{8})$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHOWN_VALUE = 40  # how much of a refused value an error message repeats
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
        """The problem in `lang`, naming the field by its label: "National ID: must be ..."."""
        label = self.labels.get(lang) or self.labels.get("en") or self.field
        params = {k: _localize(v, lang) for k, v in self.params.items()}
        problem = translate(self.message_key or f"forms.rule.{self.rule}", lang, **params)
        return f"{label}: {problem}"

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
        return str(value.get(lang) or value.get("en") or "")
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


class Invalid(Exception):
    """Raised by a cleaner; the caller turns it into a `FieldError` for its field."""

    def __init__(self, rule: str, message_key: str = "", **params: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.message_key = message_key
        self.params = params


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "…"


def type_error(expected: str) -> Invalid:
    """The error for a value of the wrong kind (`expected`: text, int, bool, date, list)."""
    return Invalid("type", f"forms.rule.type.{expected}", expected=expected)


def _string(value: object, expected: str = "text") -> str | None:
    """A string value checked against the hard cap, digits folded, stripped; None if empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise type_error(expected)
    if len(value) > HARD_MAX_STRING:
        raise Invalid("too_long", max=HARD_MAX_STRING)
    return to_ascii_digits(value).strip() or None


def _list(value: object) -> list[object] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise type_error("list")
    if len(value) > HARD_MAX_ITEMS:
        raise Invalid("max_items", max=HARD_MAX_ITEMS)
    return list(value) or None


def clean_text(value: object, *, max_length: int, multiline: bool = False) -> str | None:
    """Text as stored; refuses control and bidi characters (newline and tab only if multi-line)."""
    if isinstance(value, str) and multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _string(value)
    if text is None:
        return None
    bad = forbidden_character(text, multiline=multiline)
    if bad is not None:
        raise Invalid("forbidden_character", code=f"U+{ord(bad):04X}")
    if len(text) > max_length:
        raise Invalid("max_length", max=max_length, length=len(text))
    return text


def clean_int(
    value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """A whole number, from an int or a string of digits in any script, within its bounds."""
    number: int
    if value is None:
        return None
    if isinstance(value, bool):
        raise type_error("int")
    if isinstance(value, int):
        number = value
    else:
        text = _string(value, "int")
        if text is None:
            return None
        if not _INT.match(text):
            raise type_error("int")
        number = int(text)
    if minimum is not None and number < minimum:
        raise Invalid("min", min=minimum)
    if maximum is not None and number > maximum:
        raise Invalid("max", max=maximum)
    return number


def clean_bool(value: object) -> bool | None:
    """A JSON boolean; anything else (including "true" and 1) is the wrong type."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise type_error("bool")
    return value


def clean_date(value: object, *, today: datetime.date, not_future: bool = False) -> str | None:
    """A calendar date as `YYYY-MM-DD`; with `not_future`, not after `today`."""
    if isinstance(value, datetime.datetime):
        raise type_error("date")
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = _string(value, "date")
    if text is None:
        return None
    if not _DATE.match(text):
        raise Invalid("date_format", value=_shown(text))
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid("date_format", value=_shown(text)) from None
    if not_future and day > today:
        raise Invalid("future_date", today=today.isoformat())
    return text


def parse_date(text: str) -> datetime.date:
    """A stored `YYYY-MM-DD` date as a `datetime.date`."""
    return datetime.date.fromisoformat(text)


def clean_choice(value: object, keys: Sequence[str]) -> str | None:
    """One of the declared choice keys."""
    key = _string(value, "choice")
    if key is None:
        return None
    if key not in keys:
        raise Invalid("choice", value=_shown(key))
    return key


def clean_choices(value: object, keys: Sequence[str]) -> list[str] | None:
    """Several choice keys, each at most once, stored in the declared order."""
    items = _list(value)
    if items is None:
        return None
    chosen: set[str] = set()
    for item in items:
        key = clean_choice(item, keys)
        if key is None:
            continue
        if key in chosen:
            raise Invalid("duplicate", value=_shown(key))
        chosen.add(key)
    return [k for k in keys if k in chosen] or None


def clean_national_id(value: object) -> str | None:
    """The unified national card number: exactly 12 digits, in any script, spaces/dashes allowed."""
    text = _string(value)
    if text is None:
        return None
    compact = re.sub(r"[\s-]", "", text)
    if not _NATIONAL_ID.match(compact):
        raise Invalid("national_id")
    return compact


def clean_phone(value: object) -> str | None:
    """An Iraqi mobile number stored as `+9647XXXXXXXXX`.

    Accepted as written: `+964 7xx xxx xxxx`, `00964 7xx...` or `07xx xxx xxxx`, in any digit
    script, with spaces or dashes anywhere. The operator prefix is not checked (numbers move).
    """
    text = _string(value)
    if text is None:
        return None
    match = _PHONE.match(re.sub(r"[\s-]", "", text))
    if match is None:
        raise Invalid("phone")
    return "+964" + match.group(1)


def clean_pcode(value: object) -> str | None:
    """An administrative p-code, upper case (whether it exists is the caller's check)."""
    text = _string(value)
    return text.upper() if text else None


def clean_record_id(value: object) -> str | None:
    """A record id: a UUID in its canonical lower-case hyphenated form."""
    text = _string(value)
    if text is None:
        return None
    text = text.lower()
    if not _UUID.match(text):
        raise Invalid("record_id", value=_shown(text))
    return text


def clean_record_ids(
    value: object, *, min_items: int | None = None, max_items: int | None = None
) -> list[str] | None:
    """A list of distinct record ids, in the order given, within the item bounds."""
    items = _list(value)
    if items is None:
        return None
    ids: list[str] = []
    for item in items:
        record_id = clean_record_id(item)
        if record_id is None:
            continue
        if record_id in ids:
            raise Invalid("duplicate", value=record_id)
        ids.append(record_id)
    if min_items is not None and len(ids) < min_items:
        raise Invalid("min_items", min=min_items)
    if max_items is not None and len(ids) > max_items:
        raise Invalid("max_items", max=max_items)
    return ids or None


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Completed years between a birth date and `today`."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def person_age(fields: Mapping[str, Any], today: datetime.date) -> int | None:
    """A person record's age on `today`: from `birth_date` if known, else its recorded `age`.

    Callers use it to build the `party_ages` they pass to `fieldapp.forms.definitions.validate`.
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
            errors.append(FieldError(str(key)[:_SHOWN_VALUE], "unknown_field"))
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
        return clean_date(value, today=today, not_future=fdef.not_future)
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


def _check_admin(
    fdef: FieldDef, cleaned: Mapping[str, Any], reference: AdminReference
) -> FieldError | None:
    """Governorates must exist; districts must exist and lie in the form's governorate."""
    code = cleaned.get(fdef.key)
    if code is None:
        return None
    if fdef.type == "governorate" and not reference.is_governorate(code):
        return _error(fdef, "governorate", {"value": _shown(code)})
    if fdef.type == "district":
        if not reference.is_district(code):
            return _error(fdef, "district", {"value": _shown(code)}, "forms.rule.district_unknown")
        gov = cleaned.get(fdef.governorate_field or "")
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
        if rule.field in failed or any(_same_value(value, v) for v in rule.allowed):
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


def _same_value(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


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
