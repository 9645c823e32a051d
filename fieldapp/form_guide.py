"""A record type explained to a person (`fieldapp-cli forms TYPE`, the desktop's help): every
field with its label, type, whether it is required (and when, for conditional rules), its limits
and its choices with their labels, in the person's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fieldapp.display import isolated, shown
from fieldapp.forms.definitions import Condition, FieldDef, FormDef, FormRegistry
from fieldapp.messages import translate


@dataclass(frozen=True)
class FieldGuide:
    """One field as a person needs to know it to fill it in."""

    key: str
    label: str
    type: str
    required: str  # "required", "optional", or the condition that makes it required
    notes: tuple[str, ...]  # limits and cross-field rules, each a sentence
    choices: tuple[tuple[str, str], ...]  # (stored key, label)
    type_label: str  # the type in the reader's words

    def lines(self) -> list[str]:
        # The key is Latin inside what may be an Arabic line: isolated; the type is in its words.
        lines = [f"{self.label} ({isolated(self.key)}, {self.type_label}): {self.required}"]
        lines += [f"    {note}" for note in self.notes]
        lines += [f"    - {isolated(key)}: {label}" for key, label in self.choices]
        return lines


@dataclass(frozen=True)
class FormGuide:
    """Every field of one record type, in form order, in one language."""

    type: str
    label: str
    version: int
    fields: tuple[FieldGuide, ...]
    lang: str

    def lines(self) -> list[str]:
        """The guide as text lines: a header, then one block per field."""
        header = translate(
            "forms.guide.header",
            self.lang,
            label=isolated(self.label),
            type=isolated(self.type),
            version=self.version,
            count=len(self.fields),
        )
        return [header] + [line for f in self.fields for line in f.lines()]


def form_guide(form: FormDef, forms: FormRegistry, lang: str) -> FormGuide:
    """Explain `form` in `lang`: each field's label, type, required (or when), limits, rules
    that concern it and its choices with their labels."""
    return FormGuide(
        form.type,
        form.label(lang),
        form.version,
        tuple(_field_guide(form, f, forms, lang) for f in form.fields),
        lang,
    )


def _field_guide(form: FormDef, field: FieldDef, forms: FormRegistry, lang: str) -> FieldGuide:
    required = translate("forms.guide.required" if field.required else "forms.guide.optional", lang)
    notes: list[str] = []
    for rule in form.rules:
        if rule.kind == "requires" and field.key in rule.fields and not field.required:
            when = _conditions(form, rule.when, lang)
            required = translate("forms.guide.required_when", lang, condition=when)
        elif rule.kind == "restrict" and rule.field == field.key:
            values = _values(field, rule.allowed, lang)
            when = _conditions(form, rule.when, lang)
            notes.append(translate("forms.guide.must_be_when", lang, values=values, condition=when))
        elif rule.kind == "at_least_one" and field.key in rule.fields:
            labels = _join([form.field(k).label(lang) for k in rule.fields], lang)
            notes.append(translate("forms.guide.one_of", lang, fields=labels))
    notes += _limits(field, forms, lang)
    choices = tuple((c.key, c.label(lang)) for c in field.choices)
    type_label = translate(f"forms.type.{field.type}", lang)
    return FieldGuide(
        field.key, field.label(lang), field.type, required, tuple(notes), choices, type_label
    )


def _limits(field: FieldDef, forms: FormRegistry, lang: str) -> list[str]:
    notes = []
    if field.max_length is not None:
        notes.append(translate("forms.guide.max_length", lang, count=field.max_length))
    if field.minimum is not None and field.maximum is not None:
        notes.append(translate("forms.guide.range", lang, min=field.minimum, max=field.maximum))
    elif field.minimum is not None:
        notes.append(translate("forms.guide.min", lang, min=field.minimum))
    elif field.maximum is not None:
        notes.append(translate("forms.guide.max", lang, max=field.maximum))
    if field.min_items is not None:
        notes.append(translate("forms.guide.min_items", lang, count=field.min_items))
    if field.max_items is not None:
        notes.append(translate("forms.guide.max_items", lang, count=field.max_items))
    if field.not_future:
        notes.append(translate("forms.guide.not_future", lang))
    if field.not_before is not None:
        notes.append(translate("forms.guide.not_before", lang, date=isolated(field.not_before)))
    if field.ref_type is not None and field.ref_type in forms:
        label = isolated(forms.get(field.ref_type).label(lang))
        notes.append(translate("forms.guide.links_to", lang, type=label))
    return notes


def _conditions(form: FormDef, when: Sequence[Condition], lang: str) -> str:
    parts = []
    for condition in when:
        field = form.field(condition.field)
        label = isolated(field.label(lang))
        if condition.op == "present":
            key = "forms.guide.if_filled" if condition.value else "forms.guide.if_empty"
            parts.append(translate(key, lang, field=label))
        elif condition.op == "in":
            values = _values(field, condition.value, lang)
            parts.append(translate("forms.guide.if_one_of", lang, field=label, values=values))
        elif condition.op == "contains":
            value = _values(field, [condition.value], lang)
            parts.append(translate("forms.guide.if_includes", lang, field=label, value=value))
        else:
            value = _values(field, [condition.value], lang)
            parts.append(translate("forms.guide.if_equals", lang, field=label, value=value))
    return translate("forms.guide.and", lang).join(parts)


def _values(field: FieldDef, values: Sequence[Any], lang: str) -> str:
    return _join([shown(field, v, lang) for v in values], lang)


def _join(items: Sequence[str], lang: str) -> str:
    return translate("forms.guide.or", lang).join(items)


__all__ = ["FieldGuide", "FormGuide", "form_guide"]
