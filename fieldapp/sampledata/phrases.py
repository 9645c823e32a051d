"""The phrase banks of the sample-data generator, in the register of a community-police report.

They are data, in `resources/sample/phrases.json`; this module reads that file once and gives
it types. Each bank is a JSON list of texts, one text, or an object of texts (or lists of texts)
by key, mostly a choice key of a form (a dispute type, a venue type, ...). Templates take these
placeholders, all supplied by the generator: {p1} and {p2} (the parties' names), {place}
(neighbourhood), {district}, {gov}, {n} (a small number), {platform}, {cause}, {found}, {tribe},
{partner}, and {name} (a notable's name).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import string
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.paths import resources_dir

Texts = tuple[str, ...]
# Who and where (p1, p2, name, place, district, gov), then the details of one activity.
PLACEHOLDERS = frozenset(("p1", "p2", "name", "place", "district", "gov"))
PLACEHOLDERS |= {"n", "platform", "cause", "found", "tribe", "partner"}
_MAX_FILE_BYTES = 1_000_000  # the shipped file is about 30 kB


@dataclass(frozen=True)
class Phrases:
    """Every phrase bank, by its key in phrases.json."""

    mahallas: Texts
    subdistrict: str
    landmarks: Texts
    occupations_male: Texts
    occupations_female: Texts
    occupations_student: Texts
    occupations_student_f: Texts
    home_visit_openings: Texts
    home_visit_body: Texts
    home_visit_closings: Texts
    dispute_openings: Mapping[str, Texts]
    dispute_body: Texts
    dispute_drugs: str
    dispute_children: str
    dispute_violence: Mapping[str, str]
    outcome_sentences: Mapping[str, str]
    neighbour_causes: Mapping[str, str]
    neighbour_body: Texts
    dv_body: Texts
    cyber_body: Texts
    runaway_body: Texts
    runaway_found: Texts
    aftercare: Texts
    shelters: Mapping[str, Texts]
    shelter_notes: Texts
    aid_partners: Mapping[str, Texts]
    aid_notes: Texts
    tribes: Texts
    tribe_name: str
    notable: str
    tribal_points: Texts
    venues: Mapping[str, Texts]
    awareness_notes: Texts
    awareness_partners: Texts
    officer_ranks: Texts
    referral_bodies: Mapping[str, str]
    civil_offices: Texts
    platform_names: Mapping[str, str]
    suspect_handles: Texts
    filler: Texts


def default_phrases_path() -> Path:
    """The phrase file shipped with the app."""
    return resources_dir() / "sample" / "phrases.json"


@functools.cache
def shipped_phrases() -> Phrases:
    """The shipped phrase banks, read once per process."""
    return load_phrases()


def load_phrases(path: Path | None = None) -> Phrases:
    """Read and check a phrase file (the shipped one by default).

    Raises `ValueError` naming the file and the bank for a missing or unknown bank, a value of
    the wrong shape, an empty bank or a template with a placeholder the generator does not fill.
    """
    path = path or default_phrases_path()
    raw = path.read_bytes()
    if len(raw) > _MAX_FILE_BYTES:
        raise ValueError(f"{path}: larger than {_MAX_FILE_BYTES} bytes")
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a JSON object of phrase banks")
    hints = typing.get_type_hints(Phrases)
    names = [f.name for f in dataclasses.fields(Phrases)]
    unknown = sorted(set(data) - set(names))
    missing = [n for n in names if n not in data]
    if unknown or missing:
        raise ValueError(f"{path}: unknown banks {unknown}, missing banks {missing}")
    banks = {name: _bank(data[name], hints[name], f"{path}: {name}") for name in names}
    return Phrases(**banks)


def _bank(value: Any, hint: Any, where: str) -> Any:
    if hint is str:
        return _template(value, where)
    if hint == Texts:
        if not isinstance(value, list) or not value:
            raise ValueError(f"{where}: must be a non-empty list of texts")
        return tuple(_template(v, where) for v in value)
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{where}: must be a non-empty object keyed by choice")
    inner = typing.get_args(hint)[1]
    return {key: _bank(v, inner, f"{where}.{key}") for key, v in value.items()}


def _template(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be a non-empty text")
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as e:
        raise ValueError(f"{where}: {e}: {value!r}") from None
    if used - PLACEHOLDERS:
        raise ValueError(f"{where}: unknown placeholders {sorted(used - PLACEHOLDERS)}")
    return value
