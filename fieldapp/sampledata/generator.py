"""Seeded generator of realistic Arabic records: households, persons and every activity type.

For tests, benchmarks and the demo. Names come from `resources/reference/iraqi_names.csv` (with
their spelling variants used now and then, as clerks write them), places from the administrative
reference, text from the phrase banks in `fieldapp.sampledata.phrases`. The same seed and `today`
give the same records, ids included. Every record passes the form validator
(tests/test_sample_data.py checks it).

    python -m fieldapp.sampledata.generator --seed 1 --households 10 [--today 2026-11-20]

prints one JSON object per line: {"type": ..., "id": ..., "fields": {...}}.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.forms.reference import AdminReference, AdminUnit, load_reference
from fieldapp.ids import uuid7
from fieldapp.paths import resources_dir
from fieldapp.sampledata import phrases as P
from fieldapp.sampledata.activities import BUILDERS

ACTIVITY_TYPES = (
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
# How often each type comes up after the first activity of a household (home visits most).
_ACTIVITY_WEIGHTS = (30, 14, 8, 6, 4, 10, 4, 6, 12, 3)
_VARIANT_RATE = 0.2  # how often a name is written in one of its variant spellings
_VULNERABILITIES = ("widow", "orphans", "disability", "poverty", "elderly", "displaced")


@dataclass(frozen=True)
class GeneratedRecord:
    """One generated record: its id (a UUIDv7), its type key and its fields by field key."""

    id: str
    type: str
    fields: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The record as the CLI prints it: {"type", "id", "fields"}."""
        return {"type": self.type, "id": self.id, "fields": self.fields}


@dataclass(frozen=True)
class NameBank:
    """Given names and family names, each with its alternative spellings."""

    male: tuple[tuple[str, ...], ...]
    female: tuple[tuple[str, ...], ...]
    surname: tuple[tuple[str, ...], ...]


def load_names(path: Path | None = None) -> NameBank:
    """Read `iraqi_names.csv` (kind,name,variants; variants separated by `|`)."""
    path = path or resources_dir() / "reference" / "iraqi_names.csv"
    kinds: dict[str, list[tuple[str, ...]]] = {"male": [], "female": [], "surname": []}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            variants = [v.strip() for v in (row.get("variants") or "").split("|") if v.strip()]
            kinds.setdefault(row["kind"].strip(), []).append((row["name"].strip(), *variants))
    return NameBank(tuple(kinds["male"]), tuple(kinds["female"]), tuple(kinds["surname"]))


@dataclass
class SamplePerson:
    """A generated person, with the name spellings its relatives' records derive from."""

    id: str
    sex: str
    age: int
    first: tuple[str, ...]  # the name and its spellings, so relatives can write it differently
    father: tuple[str, ...]
    surname: tuple[str, ...] | None
    fields: dict[str, Any]

    @property
    def name(self) -> str:
        """The name as an officer writes it in a report: first, father, surname."""
        parts = [self.fields["first_name"], self.fields["father_name"]]
        return " ".join([*parts, self.fields.get("surname") or ""]).strip()


@dataclass
class SamplePlace:
    """Where a household lives: governorate and district units, neighbourhood, alley, house."""

    gov: AdminUnit
    district: AdminUnit
    mahalla: str
    alley: str
    house: str
    subdistrict: str | None


@dataclass
class SampleHousehold:
    """A generated household: its members (head first) and the activities made about it."""

    id: str
    place: SamplePlace
    members: list[SamplePerson]
    vulnerabilities: list[str]
    registered: datetime.date
    activity_ids: dict[str, list[str]] = field(default_factory=dict)

    @property
    def head(self) -> SamplePerson:
        """The head of the household."""
        return self.members[0]

    def spouse(self) -> SamplePerson | None:
        """The head's wife, if the household has one."""
        return next((p for p in self.members if p.fields.get("role") == "wife"), None)

    def children(self) -> list[SamplePerson]:
        """The head's sons and daughters, of any age."""
        return [p for p in self.members if p.fields.get("role") in ("son", "daughter")]


def _fmt(template: str, ctx: dict[str, Any]) -> str:
    return template.format_map(ctx)


class SampleGenerator:
    """Holds the seeded random source and the records made so far."""

    def __init__(
        self, rng: random.Random, today: datetime.date, reference: AdminReference, names: NameBank
    ) -> None:
        self.rng = rng
        self.today = today
        self.reference = reference
        self.names = names
        self.out: list[GeneratedRecord] = []
        self.day = today  # the day the records being made now were entered (stamps their ids)

    # --- small helpers -------------------------------------------------------------------

    def new_id(self, day: datetime.date) -> str:
        """A UUIDv7 stamped during office hours (Baghdad, UTC+3) on `day`, from the seed."""
        midnight = calendar.timegm(day.timetuple()) - 3 * 3600
        ms = (midnight + self.rng.randint(8 * 3600, 15 * 3600)) * 1000 + self.rng.randint(0, 999)
        return uuid7(unix_ms=ms, random_bytes=self.rng.randbytes)

    def chance(self, p: float) -> bool:
        """True with probability `p`."""
        return self.rng.random() < p

    def spell(self, spellings: tuple[str, ...]) -> str:
        """A name as written: usually its usual spelling, now and then a variant."""
        if len(spellings) > 1 and self.chance(_VARIANT_RATE):
            return self.rng.choice(spellings[1:])
        return spellings[0]

    def past_day(self, max_days: int = 700, min_days: int = 0) -> datetime.date:
        """A day between `max_days` and `min_days` before today."""
        return self.today - datetime.timedelta(days=self.rng.randint(min_days, max_days))

    def subset(self, keys: Sequence[str], low: int, high: int) -> list[str]:
        """Between low and high keys, in their declared order (as the validator stores them)."""
        chosen = set(self.rng.sample(list(keys), self.rng.randint(low, min(high, len(keys)))))
        return [k for k in keys if k in chosen]

    def paragraph(self, ctx: dict[str, Any], *parts: str | Sequence[str], extra: int = 0) -> str:
        """Sentences: each str part as is, one choice from each sequence, plus `extra` fillers."""
        sentences = [p if isinstance(p, str) else self.rng.choice(p) for p in parts]
        sentences.extend(self.rng.sample(P.FILLER, min(extra, len(P.FILLER))))
        return " ".join(_fmt(s, ctx) for s in sentences)

    def ref_number(self, day: datetime.date) -> str:
        """A referral letter number as written on the letter: `number/year`."""
        return f"{self.rng.randint(100, 9999)}/{day.year}"

    def emit(
        self, record_id: str, record_type: str, fields: dict[str, Any], slot: int | None = None
    ) -> None:
        """Add a record (None fields left out), at the end or at position `slot`."""
        clean = {k: v for k, v in fields.items() if v is not None}
        record = GeneratedRecord(record_id, record_type, clean)
        self.out.insert(len(self.out) if slot is None else slot, record)

    def ctx(self, h: SampleHousehold, **extra: Any) -> dict[str, Any]:
        """Values for every phrase-bank placeholder, about household `h`, overridden by `extra`."""
        base: dict[str, Any] = {
            "p1": h.head.name,
            "p2": "",
            "place": h.place.mahalla,
            "district": h.place.district.name_ar,
            "gov": h.place.gov.name_ar,
            "n": self.rng.randint(2, 6),
            "platform": "",
            "cause": "",
            "found": "",
            "tribe": self.rng.choice(P.TRIBES),
            "partner": "",
        }
        base.update(extra)
        return base

    # --- people and households -----------------------------------------------------------

    def birth_fields(self, age: int) -> dict[str, Any]:
        """A birth date giving `age` today, or (for some adults) just the age."""
        if age > 0 and self.chance(0.3):
            return {"age": age}
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + datetime.timedelta(days=1)
        span = max((latest - earliest).days, 0)
        born = earliest + datetime.timedelta(days=self.rng.randint(0, span))
        return {"birth_date": born.isoformat()}

    def person(
        self,
        sex: str,
        age: int,
        role: str | None,
        place: SamplePlace,
        *,
        father: tuple[str, ...] | None = None,
        grandfather: tuple[str, ...] | None = None,
        surname: tuple[str, ...] | None = None,
        mother: tuple[str, ...] | None = None,
        household_id: str | None = None,
    ) -> SamplePerson:
        """A person record (emitted now), with a quadripartite name and realistic details."""
        given = self.rng.choice(self.names.male if sex == "male" else self.names.female)
        father = father or self.rng.choice(self.names.male)
        grandfather = grandfather or self.rng.choice(self.names.male)
        if surname is None and self.chance(0.85):
            surname = self.rng.choice(self.names.surname)
        record_id = self.new_id(self.day)
        fields: dict[str, Any] = {
            "first_name": self.spell(given),
            "father_name": self.spell(father),
            "grandfather_name": self.spell(grandfather),
            "surname": self.spell(surname) if surname else None,
            "mother_name": self.spell(mother or self.rng.choice(self.names.female))
            if mother or self.chance(0.3)
            else None,
            "sex": sex,
            **self.birth_fields(age),
            "marital_status": _marital_status(role, age),
            "national_id": self.national_id() if self.chance(0.8 if age >= 18 else 0.4) else None,
            "phone": self.phone() if age >= 16 and self.chance(0.85) else None,
            "occupation": self.occupation(sex, age) if age >= 15 and self.chance(0.6) else None,
            "role": role,
            "household_id": household_id,
        }
        if age >= 40 and self.chance(0.25):
            fields.update(
                civil_id_number=str(self.rng.randint(10000, 99999999)),
                civil_id_register=str(self.rng.randint(1, 900)),
                civil_id_page=str(self.rng.randint(1, 400)),
                civil_id_office=_fmt(self.rng.choice(P.CIVIL_OFFICES), self.place_ctx(place)),
            )
        found = SamplePerson(record_id, sex, age, given, father, surname, fields)
        self.emit(record_id, "person", fields)
        return found

    def place_ctx(self, place: SamplePlace) -> dict[str, str]:
        """The governorate and district names, for phrase templates."""
        return {"gov": place.gov.name_ar, "district": place.district.name_ar}

    def national_id(self) -> str:
        """A 12-digit unified national card number."""
        return str(self.rng.randint(1, 2)) + "".join(str(self.rng.randint(0, 9)) for _ in range(11))

    def phone(self) -> str:
        """A mobile number written locally: 07[5789] and eight digits."""
        return (
            "07" + self.rng.choice("5789") + "".join(str(self.rng.randint(0, 9)) for _ in range(8))
        )

    def occupation(self, sex: str, age: int) -> str:
        """An occupation fitting sex and age (students under 23)."""
        if age < 23:
            return self.rng.choice(
                P.OCCUPATIONS_STUDENT if sex == "male" else P.OCCUPATIONS_STUDENT_F
            )
        return self.rng.choice(P.OCCUPATIONS_MALE if sex == "male" else P.OCCUPATIONS_FEMALE)

    def place(self) -> SamplePlace:
        """A random neighbourhood in a random district of a random governorate."""
        gov = self.rng.choice(self.reference.governorates())
        district = self.rng.choice(self.reference.districts(gov.pcode))
        house = str(self.rng.randint(1, 150))
        return SamplePlace(
            gov,
            district,
            self.rng.choice(P.MAHALLAS),
            str(self.rng.randint(1, 60)),
            house + (f"/{self.rng.randint(1, 4)}" if self.chance(0.15) else ""),
            f"مركز {district.name_ar}" if self.chance(0.4) else None,
        )

    def household(self) -> SampleHousehold:
        """A household and its members: a head, a wife or a widow, children, maybe a grandmother."""
        place = self.place()
        self.day = self.past_day(900, 30)
        h = SampleHousehold(self.new_id(self.day), place, [], [], registered=self.day)
        slot = len(self.out)  # the household goes before its members, made next
        widow = self.chance(0.15)
        family = self.rng.choice(self.names.surname)
        if widow:
            head_age = self.rng.randint(28, 65)
            late_husband = self.rng.choice(self.names.male)
            late_grandfather = self.rng.choice(self.names.male)
            head = self.person("female", head_age, "head_of_family", place, household_id=h.id)
            father, grandfather, mother_age = late_husband, late_grandfather, head_age
            h.vulnerabilities.append("widow")
        else:
            head_age = self.rng.randint(24, 70)
            head = self.person(
                "male", head_age, "head_of_family", place, surname=family, household_id=h.id
            )
            father, grandfather = head.first, head.father
            mother_age = max(18, head_age - self.rng.randint(0, 10))
        h.members.append(head)
        wife = None
        if not widow:
            wife = self.person("female", mother_age, "wife", place, household_id=h.id)
            h.members.append(wife)
        eldest = max(0, min(mother_age - 18, 30))
        youngest = min(max(0, mother_age - 45), eldest)
        for _ in range(self.rng.randint(1, 6)):
            age = self.rng.randint(youngest, eldest)
            sex = self.rng.choice(("male", "female"))
            child = self.person(
                sex,
                age,
                "son" if sex == "male" else "daughter",
                place,
                father=father,
                grandfather=grandfather,
                surname=family if not widow else None,
                mother=(wife or head).first if self.chance(0.5) else None,
                household_id=h.id,
            )
            h.members.append(child)
        if self.chance(0.15) and not widow:
            grandmother_age = min(95, head_age + self.rng.randint(18, 30))
            h.members.append(self.person("female", grandmother_age, None, place, household_id=h.id))
            h.vulnerabilities.append("elderly")
        if widow and any(c.age < 18 for c in h.children()):
            h.vulnerabilities.append("orphans")
        for key, p in (("poverty", 0.4), ("disability", 0.1), ("displaced", 0.1)):
            if self.chance(p):
                h.vulnerabilities.append(key)
        h.vulnerabilities = [k for k in _VULNERABILITIES if k in h.vulnerabilities]
        ctx = self.ctx(h)
        self.emit(
            h.id,
            "household",
            slot=slot,
            fields={
                "governorate": place.gov.pcode,
                "district": place.district.pcode,
                "subdistrict": place.subdistrict,
                "mahalla": place.mahalla,
                "alley": place.alley,
                "house": place.house,
                "landmark": _fmt(self.rng.choice(P.LANDMARKS), ctx) if self.chance(0.5) else None,
                "head_id": head.id,
                "member_ids": [m.id for m in h.members],
                "household_size": len(h.members)
                + (self.rng.randint(1, 3) if self.chance(0.1) else 0),
                "phone": head.fields.get("phone"),
                "vulnerabilities": h.vulnerabilities or None,
                "notes": self.paragraph(ctx, P.HOME_VISIT_BODY) if self.chance(0.2) else None,
            },
        )
        return h

    def outsider(
        self, place: SamplePlace, sex: str, low: int, high: int, role: str
    ) -> SamplePerson:
        """A person from outside the household (a neighbour, a notable, an ex-husband)."""
        return self.person(sex, self.rng.randint(low, high), role, place)

    def header(
        self, h: SampleHousehold, day: datetime.date, *, address: bool = True
    ) -> dict[str, Any]:
        """The header every activity carries, from the household's address."""
        place = h.place
        fields: dict[str, Any] = {
            "date": day.isoformat(),
            "governorate": place.gov.pcode,
            "district": place.district.pcode,
            "subdistrict": place.subdistrict,
            "mahalla": place.mahalla,
        }
        if address:
            fields.update(alley=place.alley, house=place.house)
        return fields

    def activity(self, kind: str, h: SampleHousehold, day: datetime.date) -> None:
        """One activity of `kind` about household `h` on `day` (and any outsiders it needs)."""
        self.day = day
        record_id = self.new_id(day)
        fields = {**self.header(h, day), **BUILDERS[kind](self, h, day)}
        self.emit(record_id, kind, fields)
        h.activity_ids.setdefault(kind, []).append(record_id)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _marital_status(role: str | None, age: int) -> str | None:
    if role is None:
        return "widowed" if age >= 60 else None
    if role in ("husband", "wife") or (role == "head_of_family" and age >= 25):
        return "married"
    if age < 18 or role in ("son", "daughter"):
        return "single" if age >= 12 else None
    return None


def generate(
    seed: int,
    households: int,
    *,
    today: datetime.date,
    reference_path: Path | None = None,
    names_path: Path | None = None,
) -> list[GeneratedRecord]:
    """Households with their persons and activities, reproducible from `seed` and `today`.

    Every household gets one to four activities; the first activity of household i is
    `ACTIVITY_TYPES[i % 10]`, so ten or more households cover every type. Dates lie in the two
    years before `today` (planned follow-up and next-visit dates may be later). Records come in
    an order a store can take them: each household, then its persons, then its activities.
    """
    if households < 0:
        raise ValueError("households must be zero or more")
    gen = SampleGenerator(
        random.Random(seed), today, load_reference(reference_path), load_names(names_path)
    )
    for index in range(households):
        h = gen.household()
        kinds = [ACTIVITY_TYPES[index % len(ACTIVITY_TYPES)]]
        extra = gen.rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]
        kinds += gen.rng.choices(ACTIVITY_TYPES, weights=_ACTIVITY_WEIGHTS, k=extra)
        span = max((today - h.registered).days - 1, 0)
        days = sorted(
            h.registered + datetime.timedelta(days=gen.rng.randint(0, span)) for _ in kinds
        )
        for kind, day in zip(kinds, days, strict=True):
            gen.activity(kind, h, day)
    return gen.out


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
    gen = SampleGenerator(random.Random(seed), today, load_reference(), load_names())
    pool = (*P.HOME_VISIT_BODY, *P.FILLER, *P.HOME_VISIT_CLOSINGS)
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
            "reason": gen.rng.choice(("follow_up", "complaint", "vulnerable_check", "aid")),
            "observations": _fmt(gen.rng.choice(P.HOME_VISIT_OPENINGS), ctx),
            "action": "advice",
        }
        record = GeneratedRecord(gen.new_id(day), "home_visit", fields)
        for key in ("observations", "notes"):
            fields.setdefault(key, _fmt(gen.rng.choice(P.FILLER), ctx))
            size = _size(record)
            while size < approx_bytes:
                more = " " + _fmt(gen.rng.choice(pool), ctx)
                if len(fields[key]) + len(more) > _MAX_TEXT:
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


_MAX_TEXT = 4000  # the forms' limit on observations and notes


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
