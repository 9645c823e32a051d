"""The sample-data generator's state and the people it makes: households, persons, places.

`SampleGenerator` holds the seeded random source, the forms, the phrase banks and the records
made so far, with the small helpers every activity builder uses (`fieldapp.sampledata.activities`)
and the household and person records. `fieldapp.sampledata.generator` drives it; this module
imports neither of them.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.forms.definitions import FormRegistry
from fieldapp.forms.reference import AdminReference, AdminUnit
from fieldapp.ids import uuid7
from fieldapp.paths import resources_dir
from fieldapp.sampledata.phrases import Phrases

_VARIANT_RATE = 0.2  # how often a name is written in one of its variant spellings


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

    def fields(self) -> dict[str, Any]:
        """The address as a household and every activity header record it."""
        return {
            "governorate": self.gov.pcode,
            "district": self.district.pcode,
            "subdistrict": self.subdistrict,
            "mahalla": self.mahalla,
            "alley": self.alley,
            "house": self.house,
        }


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


def fill(template: str, ctx: dict[str, Any]) -> str:
    """A phrase template with its placeholders filled from `ctx`."""
    return template.format_map(ctx)


class SampleGenerator:
    """Holds the seeded random source, what the records draw on and the records made so far."""

    def __init__(
        self,
        rng: random.Random,
        today: datetime.date,
        *,
        reference: AdminReference,
        names: NameBank,
        forms: FormRegistry,
        phrases: Phrases,
    ) -> None:
        self.rng = rng
        self.today = today
        self.reference = reference
        self.names = names
        self.forms = forms
        self.phrases = phrases
        self.out: list[GeneratedRecord] = []
        self.day = today  # the day the records being made now were entered (stamps their ids)

    # --- small helpers -------------------------------------------------------------------

    def new_id(self, day: datetime.date) -> str:
        """A UUIDv7 stamped during office hours (Baghdad, UTC+3) on `day`, from the seed."""
        midnight = calendar.timegm(day.timetuple()) - 3 * 3600
        ms = (midnight + self.rng.randint(8 * 3600, 15 * 3600)) * 1000 + self.rng.randint(0, 999)
        return uuid7(unix_ms=ms, random_bytes=self.rng.randbytes)

    def choice_keys(self, type_key: str, field: str, *, but: Sequence[str] = ()) -> list[str]:
        """The choices the form of `type_key` declares for `field`, in order, except `but`."""
        keys = self.forms.get(type_key).field(field).choice_keys()
        return [k for k in keys if k not in but]

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
        sentences.extend(self.rng.sample(self.phrases.filler, min(extra, len(self.phrases.filler))))
        return " ".join(fill(s, ctx) for s in sentences)

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
            "tribe": self.rng.choice(self.phrases.tribes),
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
                civil_id_office=fill(
                    self.rng.choice(self.phrases.civil_offices), self.place_ctx(place)
                ),
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
                self.phrases.occupations_student
                if sex == "male"
                else self.phrases.occupations_student_f
            )
        return self.rng.choice(
            self.phrases.occupations_male if sex == "male" else self.phrases.occupations_female
        )

    def place(self) -> SamplePlace:
        """A random neighbourhood in a random district of a random governorate."""
        gov = self.rng.choice(self.reference.governorates())
        district = self.rng.choice(self.reference.districts(gov.pcode))
        house = str(self.rng.randint(1, 150))
        return SamplePlace(
            gov,
            district,
            self.rng.choice(self.phrases.mahallas),
            str(self.rng.randint(1, 60)),
            house + (f"/{self.rng.randint(1, 4)}" if self.chance(0.15) else ""),
            fill(self.phrases.subdistrict, {"district": district.name_ar})
            if self.chance(0.4)
            else None,
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
        h.vulnerabilities = [
            k for k in self.choice_keys("household", "vulnerabilities") if k in h.vulnerabilities
        ]
        ctx = self.ctx(h)
        self.emit(
            h.id,
            "household",
            slot=slot,
            fields={
                **place.fields(),
                "landmark": fill(self.rng.choice(self.phrases.landmarks), ctx)
                if self.chance(0.5)
                else None,
                "head_id": head.id,
                "member_ids": [m.id for m in h.members],
                "household_size": len(h.members)
                + (self.rng.randint(1, 3) if self.chance(0.1) else 0),
                "phone": head.fields.get("phone"),
                "vulnerabilities": h.vulnerabilities or None,
                "notes": self.paragraph(ctx, self.phrases.home_visit_body)
                if self.chance(0.2)
                else None,
            },
        )
        return h

    def outsider(
        self, place: SamplePlace, sex: str, low: int, high: int, role: str
    ) -> SamplePerson:
        """A person from outside the household (a neighbour, a notable, an ex-husband)."""
        return self.person(sex, self.rng.randint(low, high), role, place)

    def header(self, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
        """The header every activity carries: its date and the household's address."""
        return {"date": day.isoformat(), **h.place.fields()}


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
