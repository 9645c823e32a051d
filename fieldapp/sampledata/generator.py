"""Seeded generator of realistic Arabic records: households, persons and every activity type.

For tests, benchmarks and the demo. Names come from `resources/reference/iraqi_names.csv` (with
their spelling variants used now and then, as clerks write them), places from the administrative
reference, text from the phrase banks in `resources/sample/phrases.json`, record types and
choices from the forms. The same seed and `today` give the same records, ids included. Every
record passes the form validator (tests/test_sample_data.py checks it).

    python -m fieldapp.sampledata.generator --seed 1 --households 10 [--today 2026-11-20]

prints one JSON object per line: {"type": ..., "id": ..., "fields": {...}}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fieldapp.forms.definitions import HARD_MAX_STRING, load_forms
from fieldapp.forms.reference import load_reference
from fieldapp.sampledata.activities import ACTIVITIES
from fieldapp.sampledata.households import (
    GeneratedRecord,
    SampleGenerator,
    SampleHousehold,
    fill,
    load_names,
)
from fieldapp.sampledata.phrases import shipped_phrases

# Weights of 0, 1, 2 and 3 activities more than the first one a household gets.
EXTRA_ACTIVITIES = (35, 35, 20, 10)


def _generator(
    seed: int,
    today: datetime.date,
    reference_path: Path | None = None,
    names_path: Path | None = None,
) -> SampleGenerator:
    return SampleGenerator(
        random.Random(seed),
        today,
        reference=load_reference(reference_path),
        names=load_names(names_path),
        forms=load_forms(),
        phrases=shipped_phrases(),
    )


def generate(
    seed: int,
    households: int,
    *,
    today: datetime.date,
    reference_path: Path | None = None,
    names_path: Path | None = None,
    extra_activities: Sequence[int] = EXTRA_ACTIVITIES,
) -> list[GeneratedRecord]:
    """Households with their persons and activities, reproducible from `seed` and `today`.

    Every household gets one activity and then 0, 1, 2, ... more, weighted by
    `extra_activities` (by default one to four in all, about two on average). The first
    activity of household i is the i-th (modulo their number) of
    `fieldapp.sampledata.activities.ACTIVITIES`, so ten or more households cover every type.
    Dates lie in the two
    years before `today` (planned follow-up and next-visit dates may be later). Records come in
    an order a store can take them: each household, then its persons, then its activities.
    """
    if households < 0:
        raise ValueError("households must be zero or more")
    gen = _generator(seed, today, reference_path, names_path)
    in_turn = tuple(ACTIVITIES)
    weights = [activity.weight for activity in ACTIVITIES.values()]
    for index in range(households):
        h = gen.household()
        kinds = [in_turn[index % len(in_turn)]]
        extra = gen.rng.choices(range(len(extra_activities)), weights=extra_activities)[0]
        kinds += gen.rng.choices(in_turn, weights=weights, k=extra)
        span = max((today - h.registered).days - 1, 0)
        days = sorted(
            h.registered + datetime.timedelta(days=gen.rng.randint(0, span)) for _ in kinds
        )
        for kind, day in zip(kinds, days, strict=True):
            _add_activity(gen, kind, h, day)
    return gen.out


def _add_activity(gen: SampleGenerator, kind: str, h: SampleHousehold, day: datetime.date) -> None:
    """One activity of `kind` about household `h` on `day` (and any outsiders it needs)."""
    gen.day = day
    record_id = gen.new_id(day)
    fields = {**gen.header(h, day), **ACTIVITIES[kind].build(gen, h, day)}
    gen.emit(record_id, kind, fields)
    h.activity_ids.setdefault(kind, []).append(record_id)


def records_of_size(
    seed: int, n: int, approx_bytes: int = 1024, *, today: datetime.date | None = None
) -> list[GeneratedRecord]:
    """`n` valid home-visit records of about `approx_bytes` of UTF-8 JSON each, mostly Arabic.

    For benchmarks. The size is that of `json.dumps(record.to_json(), ensure_ascii=False)`; it
    lands within one word below `approx_bytes` from about 500 bytes up to about 15 KiB (the
    observations and the notes hold 4000 characters each). The `household_id`s point at no
    generated household. `today` (default 2026-01-01, for reproducible output) bounds the dates.
    """
    today = today or datetime.date(2026, 1, 1)
    gen = _generator(seed, today)
    phrases = gen.phrases
    pool = (*phrases.home_visit_body, *phrases.filler, *phrases.home_visit_closings)
    form = gen.forms.get("home_visit")
    out: list[GeneratedRecord] = []
    for _ in range(n):
        place = gen.place()
        day = gen.past_day(700, 1)
        ctx = {"place": place.mahalla, "district": place.district.name_ar, "n": 3}
        ctx["p1"] = " ".join(gen.spell(gen.rng.choice(gen.names.male)) for _ in range(3))
        fields: dict[str, Any] = {
            "date": day.isoformat(),
            "governorate": place.gov.pcode,
            "district": place.district.pcode,
            "mahalla": place.mahalla,
            "household_id": gen.new_id(gen.past_day(900, 701)),
            "reason": gen.rng.choice(gen.choice_keys("home_visit", "reason", but=("awareness",))),
            "observations": fill(gen.rng.choice(phrases.home_visit_openings), ctx),
            "action": "advice",
        }
        record = GeneratedRecord(gen.new_id(day), "home_visit", fields)
        for key in ("observations", "notes"):
            fields.setdefault(key, fill(gen.rng.choice(phrases.filler), ctx))
            limit = form.field(key).max_length or HARD_MAX_STRING
            size = _size(record)
            while size < approx_bytes:
                more = " " + fill(gen.rng.choice(pool), ctx)
                if len(fields[key]) + len(more) > limit:
                    break
                fields[key] += more
                size += len(more.encode("utf-8"))  # Arabic prose needs no JSON escapes
            if size >= approx_bytes:
                while size > approx_bytes and " " in fields[key]:
                    kept, cut = fields[key].rsplit(" ", 1)
                    fields[key] = kept
                    size -= len((" " + cut).encode("utf-8"))
                break
        out.append(record)
    return out


def _size(record: GeneratedRecord) -> int:
    return len(json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8"))


def iter_json_lines(records: Sequence[GeneratedRecord]) -> Iterator[str]:
    """Each record as one line of JSON (Arabic kept as is)."""
    for record in records:
        yield json.dumps(record.to_json(), ensure_ascii=False, sort_keys=False)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m fieldapp.sampledata.generator --seed 1 --households 10 [--today YYYY-MM-DD]`."""
    parser = argparse.ArgumentParser(
        prog="python -m fieldapp.sampledata.generator", description=__doc__
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--households", type=int, default=10)
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=datetime.date.today(),
        help="the date the data is made on (default: today); fix it for identical output",
    )
    args = parser.parse_args(argv)
    for line in iter_json_lines(generate(args.seed, args.households, today=args.today)):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
