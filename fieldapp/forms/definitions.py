"""Record types as data: the form definitions and their loading.

Each `resources/forms/<type>.json` declares a record type: its fields (key, type, required flag,
labels in ar/ckb/en, choices, limits) and its cross-field rules. `load_forms` reads and checks
them into the types below (`FormDef`, `FieldDef`, `Rule`, ...). The validator that checks a
record against its form is `fieldapp.forms.validation`, which imports this module, never the
other way round. docs/adr/0002-record-types-as-data.md describes the field types and the rule
vocabulary.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from fieldapp.errors import InvalidInput, UserFacingError
from fieldapp.messages import LANGUAGES
from fieldapp.paths import resources_dir

# No string of any field may be longer than this, whatever its own limit, and no list hold more
# items: a definition cannot declare more, and the validator checks these caps before any other
# work, so a hostile 100 MB value costs nothing.
HARD_MAX_STRING = 10_000
HARD_MAX_ITEMS = 500

_VALUE_TYPES = ("text", "int", "bool", "date", "enum", "multi_enum", "national_id", "phone")
FIELD_TYPES = frozenset((*_VALUE_TYPES, "governorate", "district", "record_id", "record_ids"))
# Every activity carries this header (docs/DOMAIN.md section 2); the loader checks it.
ACTIVITY_HEADER = ("date", "governorate", "district", "subdistrict", "mahalla", "alley", "house")


class FormDefinitionError(UserFacingError):
    """A form definition file is unusable; `file` and `problem` say which and why."""

    key = "forms.bad_definition"

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        self.problem = problem
        super().__init__(file=file, problem=problem)


def label_in(labels: Mapping[str, str], lang: str) -> str:
    """The text of a label mapping (language -> text) in `lang`; English if missing, else ""."""
    return labels.get(lang) or labels.get("en") or ""


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum: the stored ASCII key and its labels."""

    key: str
    labels: Mapping[str, str]

    def label(self, lang: str) -> str:
        """The choice's label in `lang` (English if missing)."""
        return label_in(self.labels, lang)


@dataclass(frozen=True)
class FieldDef:
    """One field of a record type, as declared in its form file."""

    key: str
    type: str
    labels: Mapping[str, str]
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    multiline: bool = False
    minimum: int | None = None
    maximum: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    ref_type: str | None = None
    not_future: bool = False
    not_before: str | None = None  # earliest date allowed, YYYY-MM-DD
    governorate_field: str | None = None

    def label(self, lang: str) -> str:
        """The field's label in `lang` (English if missing)."""
        return label_in(self.labels, lang)

    def choice_keys(self) -> tuple[str, ...]:
        """The stored keys of the choices, in declared order."""
        return tuple(c.key for c in self.choices)

    def choice_label(self, key: str, lang: str) -> str:
        """The label of choice `key` in `lang`; the key itself if it is not a choice."""
        for choice in self.choices:
            if choice.key == key:
                return choice.label(lang)
        return key

    def to_json(self) -> dict[str, Any]:
        """The field as its definition file declares it (defaults left out)."""
        out: dict[str, Any] = {
            "key": self.key,
            "type": self.type,
            "required": self.required,
            "labels": dict(self.labels),
        }
        if self.choices:
            out["choices"] = [{"key": c.key, "labels": dict(c.labels)} for c in self.choices]
        optional = {
            "max_length": self.max_length,
            "multiline": self.multiline or None,
            "min": self.minimum,
            "max": self.maximum,
            "min_items": self.min_items,
            "max_items": self.max_items,
            "ref_type": self.ref_type,
            "not_future": self.not_future or None,
            "not_before": self.not_before,
            "governorate_field": self.governorate_field,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


@dataclass(frozen=True)
class Condition:
    """`when` part of a rule: one test on one (cleaned) field value."""

    field: str
    op: str  # "in", "equals", "contains" or "present"
    value: Any

    def holds(self, fields: Mapping[str, Any]) -> bool:
        """True if the condition holds for these cleaned fields (an absent field never matches)."""
        if self.op == "present":
            return (self.field in fields) is self.value
        if self.field not in fields:
            return False
        current = fields[self.field]
        if self.op == "in":
            return any(same_value(current, v) for v in self.value)
        if self.op == "contains":
            return isinstance(current, list) and self.value in current
        return same_value(current, self.value)


def same_value(a: Any, b: Any) -> bool:
    """True if two field values are equal and of one type (True == 1 in Python; not here)."""
    return type(a) is type(b) and bool(a == b)


@dataclass(frozen=True)
class Rule:
    """A cross-field rule; which attributes matter depends on `kind` (see the ADR)."""

    kind: str
    when: tuple[Condition, ...] = ()
    field: str = ""
    fields: tuple[str, ...] = ()
    allowed: tuple[Any, ...] = ()
    other: str = ""
    after: bool = True
    min_days: int | None = None
    max_days: int | None = None
    days: int = 0
    flag: str = ""
    under: int = 18
    parties: tuple[str, ...] = ()
    birth_date_field: str = ""
    age_field: str = ""
    message: str = ""
    source: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def applies(self, fields: Mapping[str, Any]) -> bool:
        """True if every `when` condition holds (a rule without `when` always applies)."""
        return all(c.holds(fields) for c in self.when)


@dataclass(frozen=True)
class FormDef:
    """A record type: its fields in display order, its rules, its labels."""

    type: str
    version: int
    kind: str  # "activity" (dated, with the header) or "entity" (household, person)
    labels: Mapping[str, str]
    fields: tuple[FieldDef, ...]
    rules: tuple[Rule, ...] = ()
    _index: Mapping[str, FieldDef] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {f.key: f for f in self.fields})

    def label(self, lang: str) -> str:
        """The record type's name in `lang`."""
        return label_in(self.labels, lang)

    def keys(self) -> tuple[str, ...]:
        """The field keys, in display order."""
        return tuple(f.key for f in self.fields)

    def to_json(self) -> dict[str, Any]:
        """The form as its definition file declares it (for `fieldapp-cli forms --json`, the UI)."""
        return {
            "type": self.type,
            "version": self.version,
            "kind": self.kind,
            "labels": dict(self.labels),
            "fields": [f.to_json() for f in self.fields],
            "rules": [dict(r.source) for r in self.rules],
        }

    def has(self, key: str) -> bool:
        """True if the form declares field `key`."""
        return key in self._index

    def field(self, key: str) -> FieldDef:
        """The field `key`; `InvalidInput("forms.unknown_field")` if the form has none."""
        try:
            return self._index[key]
        except KeyError:
            raise InvalidInput("forms.unknown_field", type=self.type, field=key) from None


class FormRegistry:
    """Every loaded record type, by type key."""

    def __init__(self, forms: Iterable[FormDef]) -> None:
        self._forms = {f.type: f for f in forms}

    def get(self, type_key: str) -> FormDef:
        """The form of `type_key`; `InvalidInput("forms.unknown_type")` if there is none."""
        try:
            return self._forms[type_key]
        except KeyError:
            raise InvalidInput("forms.unknown_type", type=type_key) from None

    def types(self) -> tuple[str, ...]:
        """The type keys, sorted."""
        return tuple(sorted(self._forms))

    def __contains__(self, type_key: object) -> bool:
        return type_key in self._forms

    def __iter__(self) -> Iterator[FormDef]:
        return iter(self._forms[k] for k in self.types())

    def __len__(self) -> int:
        return len(self._forms)


def default_forms_dir() -> Path:
    """The folder of the shipped form definitions."""
    return resources_dir() / "forms"


def load_forms(folder: Path | None = None) -> FormRegistry:
    """Load and check every `*.json` form definition in `folder` (the shipped ones by default).

    Raises `FormDefinitionError` naming the file and the problem for any malformed definition,
    including a reference (`ref_type`) to a type that is not loaded.
    """
    folder = folder or default_forms_dir()
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise FormDefinitionError(str(folder), "no form definitions (*.json) in this folder")
    forms: list[tuple[Path, FormDef]] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise FormDefinitionError(str(path), f"cannot read: {e}") from e
        except json.JSONDecodeError as e:
            raise FormDefinitionError(str(path), f"not valid JSON: line {e.lineno}: {e.msg}") from e
        forms.append((path, parse_form(data, expected_type=path.stem, file=str(path))))
    known = {form.type for _, form in forms}
    for path, form in forms:
        for f in form.fields:
            if f.ref_type is not None and f.ref_type not in known:
                raise FormDefinitionError(
                    str(path), f"field {f.key}: ref_type {f.ref_type!r} is not a loaded type"
                )
    return FormRegistry(form for _, form in forms)


# --- reading definition files -------------------------------------------------------------------

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CHOICE_KEY = re.compile(r"^[a-z0-9_]+$")
_FORM_PROPS = {"type", "version", "kind", "labels", "fields", "rules"}
_FIELD_PROPS = {"key", "type", "required", "labels"}
_TYPE_PROPS: dict[str, set[str]] = {
    "text": {"max_length", "multiline"},
    "int": {"min", "max"},
    "date": {"not_future", "not_before"},
    "enum": {"choices"},
    "multi_enum": {"choices"},
    "record_id": {"ref_type"},
    "record_ids": {"ref_type", "min_items", "max_items"},
    "district": {"governorate_field"},
}
# rule kind -> (required properties, optional properties); "rule" itself is implied.
_RULE_PROPS: dict[str, tuple[set[str], set[str]]] = {
    "requires": ({"when", "then_required"}, {"message"}),
    "restrict": ({"when", "field", "in"}, {"message"}),
    "at_least_one": ({"fields"}, {"message"}),
    "date_window": ({"field"}, {"after", "before", "min_days", "max_days", "message"}),
    "waiting_period": ({"when", "field", "since", "days"}, {"message"}),
    "flag": ({"when", "flag"}, set()),
    "age_flag": ({"flag", "under"}, {"parties", "birth_date", "age"}),
}
_CONDITION_OPS = ("in", "equals", "contains", "present")


class _Reader:
    """Checks one definition file; every failure names the file and where in it."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FormDefinitionError(self.file, f"{where}: {problem}" if where else problem)

    def obj(self, value: Any, where: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "must be a JSON object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(where, f"unknown properties {unknown}")
        return value

    def key(self, value: Any, where: str, pattern: re.Pattern[str] = _KEY) -> str:
        if not isinstance(value, str) or not pattern.match(value):
            self.fail(where, f"{value!r} is not a valid key (lower-case ASCII, digits, _)")
        return value

    def labels(self, value: Any, where: str) -> dict[str, str]:
        labels = self.obj(value, where, set(LANGUAGES))
        for lang in LANGUAGES:
            text = labels.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.fail(where, f"missing {lang} label")
        return dict(labels)

    def integer(self, value: Any, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"must be a whole number from {low} to {high}")
        return value

    def date(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail(where, "must be a date written YYYY-MM-DD")
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(where, "must be a date written YYYY-MM-DD")
        return value

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            self.fail(where, "must be true or false")
        return value

    def key_list(self, value: Any, where: str, fields: Mapping[str, FieldDef]) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(where, "must be a non-empty list of field keys")
        for key in value:
            if not isinstance(key, str) or key not in fields:
                self.fail(where, f"no field {key!r}")
        return tuple(value)

    def field_of(
        self, value: Any, where: str, fields: Mapping[str, FieldDef], *types: str
    ) -> FieldDef:
        f = fields.get(value) if isinstance(value, str) else None
        if f is None:
            self.fail(where, f"no field {value!r}")
        if types and f.type not in types:
            self.fail(where, f"field {value!r} must be of type {' or '.join(types)}")
        return f


def parse_form(data: Any, *, expected_type: str, file: str) -> FormDef:
    """Build a `FormDef` from a decoded definition file, or raise `FormDefinitionError`."""
    r = _Reader(file)
    form = r.obj(data, "", _FORM_PROPS)
    for prop in ("type", "version", "kind", "labels", "fields"):
        if prop not in form:
            r.fail("", f"missing {prop!r}")
    type_key = r.key(form["type"], "type")
    if type_key != expected_type:
        r.fail("type", f"{type_key!r} does not match the file name ({expected_type}.json)")
    version = r.integer(form["version"], "version", 1, 10_000)
    kind = form["kind"]
    if kind not in ("activity", "entity"):
        r.fail("kind", "must be 'activity' or 'entity'")
    labels = r.labels(form["labels"], "labels")
    if not isinstance(form["fields"], list) or not form["fields"]:
        r.fail("fields", "must be a non-empty list")
    fields: dict[str, FieldDef] = {}
    for i, raw in enumerate(form["fields"]):
        f = _parse_field(r, raw, f"fields[{i}]")
        if f.key in fields:
            r.fail(f"fields[{i}]", f"field {f.key!r} declared twice")
        fields[f.key] = f
    for f in fields.values():
        if f.type == "district":
            r.field_of(
                f.governorate_field, f"field {f.key}: governorate_field", fields, "governorate"
            )
    if kind == "activity":
        missing = [k for k in (*ACTIVITY_HEADER, "notes") if k not in fields]
        if missing:
            r.fail("fields", f"an activity needs the common header; missing {missing}")
        date = fields["date"]
        if date.type != "date" or not date.required or not date.not_future:
            r.fail("field date", "must be a required date with not_future")
    raw_rules = form.get("rules", [])
    if not isinstance(raw_rules, list):
        r.fail("rules", "must be a list")
    rules = tuple(
        replace(_parse_rule(r, raw, f"rules[{i}]", fields), source=raw)
        for i, raw in enumerate(raw_rules)
    )
    return FormDef(type_key, version, kind, labels, tuple(fields.values()), rules)


def _parse_field(r: _Reader, raw: Any, where: str) -> FieldDef:
    if not isinstance(raw, dict):
        r.fail(where, "must be a JSON object")
    type_ = raw.get("type")
    if not isinstance(type_, str) or type_ not in FIELD_TYPES:
        r.fail(where, f"unknown field type {type_!r}; known: {sorted(FIELD_TYPES)}")
    data = r.obj(raw, where, _FIELD_PROPS | _TYPE_PROPS.get(type_, set()))
    key = r.key(data.get("key"), f"{where} key")
    where = f"field {key}"
    choices: list[Choice] = []
    if type_ in ("enum", "multi_enum"):
        raw_choices = data.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            r.fail(where, "an enum needs a non-empty list of choices")
        for i, c in enumerate(raw_choices):
            c = r.obj(c, f"{where} choices[{i}]", {"key", "labels"})
            choice_key = r.key(c.get("key"), f"{where} choices[{i}]", _CHOICE_KEY)
            if choice_key in (x.key for x in choices):
                r.fail(where, f"choice {choice_key!r} declared twice")
            choices.append(Choice(choice_key, r.labels(c.get("labels"), f"{where} {choice_key}")))
    if type_ == "text" and "max_length" not in data:
        r.fail(where, "a text field needs max_length")
    if type_ == "district" and "governorate_field" not in data:
        r.fail(where, "a district field needs governorate_field")
    minimum = data.get("min")
    maximum = data.get("max")
    bound = 10**12
    if minimum is not None:
        minimum = r.integer(minimum, f"{where} min", -bound, bound)
    if maximum is not None:
        maximum = r.integer(
            maximum, f"{where} max", minimum if minimum is not None else -bound, bound
        )
    min_items = data.get("min_items")
    max_items = data.get("max_items")
    if min_items is not None:
        min_items = r.integer(min_items, f"{where} min_items", 0, HARD_MAX_ITEMS)
    if max_items is not None:
        max_items = r.integer(max_items, f"{where} max_items", min_items or 1, HARD_MAX_ITEMS)
    max_length = data.get("max_length")
    ref_type = data.get("ref_type")
    return FieldDef(
        key=key,
        type=type_,
        labels=r.labels(data.get("labels"), f"{where} labels"),
        required=r.flag(data.get("required", False), f"{where} required"),
        choices=tuple(choices),
        max_length=None
        if max_length is None
        else r.integer(max_length, f"{where} max_length", 1, HARD_MAX_STRING),
        multiline=r.flag(data.get("multiline", False), f"{where} multiline"),
        minimum=minimum,
        maximum=maximum,
        min_items=min_items,
        max_items=max_items,
        ref_type=None if ref_type is None else r.key(ref_type, f"{where} ref_type"),
        not_future=r.flag(data.get("not_future", False), f"{where} not_future"),
        not_before=r.date(data["not_before"], f"{where} not_before")
        if "not_before" in data
        else None,
        governorate_field=data.get("governorate_field"),
    )


def _check_value(r: _Reader, f: FieldDef, value: Any, where: str) -> Any:
    """A value a rule compares `f` with must be one `f` can hold."""
    if f.type == "enum" and value not in f.choice_keys():
        r.fail(where, f"{value!r} is not a choice of {f.key}")
    if f.type == "bool" and not isinstance(value, bool):
        r.fail(where, f"{f.key} is true or false, not {value!r}")
    if not isinstance(value, str | int):
        r.fail(where, f"{value!r} cannot be compared with {f.key}")
    return value


def _parse_condition(r: _Reader, raw: Any, where: str, fields: Mapping[str, FieldDef]) -> Condition:
    data = r.obj(raw, where, {"field", *_CONDITION_OPS})
    f = r.field_of(data.get("field"), where, fields)
    ops = [op for op in _CONDITION_OPS if op in data]
    if len(ops) != 1:
        r.fail(where, f"needs exactly one of {list(_CONDITION_OPS)}")
    op = ops[0]
    value = data[op]
    if op == "present":
        return Condition(f.key, op, r.flag(value, where))
    if op == "contains":
        if f.type != "multi_enum" or value not in f.choice_keys():
            r.fail(where, "contains needs a multi_enum field and one of its choices")
        return Condition(f.key, op, value)
    if f.type == "multi_enum":
        r.fail(where, f"{f.key} is a multi_enum: use contains")
    if op == "in":
        if not isinstance(value, list) or not value:
            r.fail(where, "in needs a non-empty list")
        return Condition(f.key, op, tuple(_check_value(r, f, v, where) for v in value))
    return Condition(f.key, op, _check_value(r, f, value, where))


def _parse_rule(r: _Reader, raw: Any, where: str, fields: Mapping[str, FieldDef]) -> Rule:
    kind = raw.get("rule") if isinstance(raw, dict) else None
    if not isinstance(kind, str) or kind not in _RULE_PROPS:
        r.fail(where, f"unknown rule {kind!r}; known: {sorted(_RULE_PROPS)}")
    needed, optional = _RULE_PROPS[kind]
    data = r.obj(raw, f"{where} ({kind})", {"rule"} | needed | optional)
    where = f"{where} ({kind})"
    missing = sorted(needed - set(data))
    if missing:
        r.fail(where, f"missing {missing}")
    raw_when = data.get("when", [])
    when = tuple(
        _parse_condition(r, c, f"{where} when", fields)
        for c in (raw_when if isinstance(raw_when, list) else [raw_when])
    )
    message = data.get("message", "")
    if not isinstance(message, str) or (message and not message.startswith("forms.")):
        r.fail(where, "message must be a message key starting with 'forms.'")
    if kind == "requires":
        return Rule(
            kind, when, fields=r.key_list(data["then_required"], where, fields), message=message
        )
    if kind == "restrict":
        target = r.field_of(data["field"], where, fields)
        allowed = data["in"]
        if not isinstance(allowed, list) or not allowed:
            r.fail(where, "in needs a non-empty list")
        values = tuple(_check_value(r, target, v, where) for v in allowed)
        return Rule(kind, when, field=target.key, allowed=values, message=message)
    if kind == "at_least_one":
        keys = r.key_list(data["fields"], where, fields)
        if len(keys) < 2:
            r.fail(where, "needs at least two fields")
        return Rule(kind, fields=keys, message=message)
    if kind == "date_window":
        target = r.field_of(data["field"], where, fields, "date")
        if ("after" in data) == ("before" in data):
            r.fail(where, "needs exactly one of 'after' and 'before'")
        after = "after" in data
        other = r.field_of(data["after" if after else "before"], where, fields, "date")
        low = r.integer(data.get("min_days", 0), f"{where} min_days", 0, 36_500)
        high = data.get("max_days")
        if high is not None:
            high = r.integer(high, f"{where} max_days", max(low, 1), 36_500)
        return Rule(
            kind,
            field=target.key,
            other=other.key,
            after=after,
            min_days=low,
            max_days=high,
            message=message,
        )
    if kind == "waiting_period":
        target = r.field_of(data["field"], where, fields)
        since = r.field_of(data["since"], where, fields, "date")
        days = r.integer(data["days"], f"{where} days", 1, 3650)
        return Rule(kind, when, field=target.key, other=since.key, days=days, message=message)
    flag = r.key(data["flag"], f"{where} flag")
    if kind == "flag":
        return Rule(kind, when, flag=flag)
    under = r.integer(data["under"], f"{where} under", 1, 120)
    if "parties" in data:
        if "birth_date" in data or "age" in data:
            r.fail(where, "use either parties or birth_date and age")
        parties = r.key_list(data["parties"], where, fields)
        for key in parties:
            r.field_of(key, where, fields, "record_id", "record_ids")
        return Rule(kind, flag=flag, under=under, parties=parties)
    birth = r.field_of(data.get("birth_date"), where, fields, "date")
    age = r.field_of(data.get("age"), where, fields, "int")
    return Rule(kind, flag=flag, under=under, birth_date_field=birth.key, age_field=age.key)
