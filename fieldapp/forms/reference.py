"""Administrative reference data: governorates (admin1) and districts (admin2) with OCHA p-codes.

The app ships `resources/reference/iraq_admin.csv`; a newer file in the same format can be
passed instead (the app takes its path from the settings), so a new district needs no code change.

Format (UTF-8, header row, one row per district):

    admin1_pcode,admin1_en,admin1_ar,admin2_pcode,admin2_en,admin2_ar

Optional columns `admin1_ckb` and `admin2_ckb` carry Sorani names; without them Sorani screens
show the Arabic name (same script, and the names the KRG offices also write in Arabic). The
shipped file names the governorates in Sorani. A place may be typed by p-code or by any of its
names (`find_governorate`, `find_district`); an unknown one gets the closest names
(`similar_governorates`, `similar_districts`).
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fieldapp.errors import UserFacingError
from fieldapp.paths import resources_dir
from fieldapp.text import normalize

REQUIRED_COLUMNS = (
    "admin1_pcode",
    "admin1_en",
    "admin1_ar",
    "admin2_pcode",
    "admin2_en",
    "admin2_ar",
)
_PCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,14}$")


class ReferenceDataError(UserFacingError):
    """The reference file cannot be used: missing columns, bad codes, contradictions."""

    key = "reference.bad_file"

    def __init__(self, file: str, line: int, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        super().__init__(file=file, line=line, problem=problem)


@dataclass(frozen=True)
class AdminUnit:
    """A governorate or a district; `parent` is the governorate's p-code for a district."""

    pcode: str
    name_en: str
    name_ar: str
    name_ckb: str = ""
    parent: str = ""

    def name(self, lang: str) -> str:
        """The name in `lang`: Sorani falls back to Arabic, an unknown language to English."""
        if lang == "ar":
            return self.name_ar
        if lang == "ckb":
            return self.name_ckb or self.name_ar
        return self.name_en


class AdminReference:
    """Governorates and their districts, looked up by p-code."""

    def __init__(
        self, governorates: Iterable[AdminUnit], districts: Iterable[AdminUnit], source: str = ""
    ) -> None:
        self.source = source
        self._governorates = {g.pcode: g for g in governorates}
        self._districts = {d.pcode: d for d in districts}
        self._by_governorate: dict[str, list[AdminUnit]] = {g: [] for g in self._governorates}
        for d in self._districts.values():
            self._by_governorate.setdefault(d.parent, []).append(d)
        # Names in every language, as typed variants fold: "Al-Anbar", "anbar", "الأنبار".
        self._governorate_keys = _name_index(self._governorates.values())
        self._district_keys = _name_index(self._districts.values())

    def governorates(self) -> tuple[AdminUnit, ...]:
        """Every governorate, in p-code order."""
        return tuple(self._governorates[k] for k in sorted(self._governorates))

    def districts(self, gov_pcode: str) -> tuple[AdminUnit, ...]:
        """The districts of a governorate in p-code order; empty for an unknown governorate."""
        return tuple(sorted(self._by_governorate.get(gov_pcode, ()), key=lambda d: d.pcode))

    def governorate(self, pcode: str) -> AdminUnit | None:
        """The governorate with this p-code, or None."""
        return self._governorates.get(pcode)

    def district(self, pcode: str) -> AdminUnit | None:
        """The district with this p-code, or None."""
        return self._districts.get(pcode)

    def is_governorate(self, pcode: str) -> bool:
        """True if `pcode` names a governorate."""
        return pcode in self._governorates

    def is_district(self, pcode: str) -> bool:
        """True if `pcode` names a district (of any governorate)."""
        return pcode in self._districts

    def district_belongs(self, gov_pcode: str, district_pcode: str) -> bool:
        """True if the district exists and lies in that governorate."""
        district = self._districts.get(district_pcode)
        return district is not None and district.parent == gov_pcode

    def governorate_name(self, pcode: str, lang: str) -> str:
        """The governorate's name in `lang`; the p-code itself if it is unknown."""
        unit = self._governorates.get(pcode)
        return unit.name(lang) if unit else pcode

    def district_name(self, pcode: str, lang: str) -> str:
        """The district's name in `lang`; the p-code itself if it is unknown."""
        unit = self._districts.get(pcode)
        return unit.name(lang) if unit else pcode

    def find_governorate(self, text: str) -> str | None:
        """The p-code of the governorate `text` names: its p-code, or its name in Arabic,
        Kurdish or English however spelt (case, hamza, the article); None if none."""
        if text.upper() in self._governorates:
            return text.upper()
        found = self._governorate_keys.get(name_key(text), ())
        return found[0] if len(found) == 1 else None

    def find_district(self, text: str, governorate: str | None = None) -> str | None:
        """The p-code of the district `text` names (p-code or name in any language), within
        `governorate` when given; None if none, or if the name is ambiguous without it."""
        if text.upper() in self._districts:
            return text.upper()
        found = [
            code
            for code in self._district_keys.get(name_key(text), ())
            if governorate is None or self._districts[code].parent == governorate
        ]
        return found[0] if len(found) == 1 else None

    def similar_governorates(self, text: str, limit: int = 3) -> tuple[AdminUnit, ...]:
        """The governorates whose names are closest to `text`: what "did you mean" offers."""
        return self._similar(text, self._governorate_keys, self._governorates, limit)

    def similar_districts(
        self, text: str, governorate: str | None = None, limit: int = 3
    ) -> tuple[AdminUnit, ...]:
        """The districts (of `governorate` when given) whose names are closest to `text`."""
        keys = self._district_keys
        if governorate is not None:
            keys = {
                k: tuple(c for c in codes if self._districts[c].parent == governorate)
                for k, codes in keys.items()
            }
            keys = {k: codes for k, codes in keys.items() if codes}
        return self._similar(text, keys, self._districts, limit)

    def _similar(
        self,
        text: str,
        keys: dict[str, tuple[str, ...]],
        units: dict[str, AdminUnit],
        limit: int,
    ) -> tuple[AdminUnit, ...]:
        close = difflib.get_close_matches(name_key(text), list(keys), n=limit * 3, cutoff=0.6)
        codes = dict.fromkeys(code for key in close for code in keys[key])
        return tuple(units[code] for code in list(codes)[:limit])


def name_key(text: str) -> str:
    """A place name folded so its spellings meet: search normalization, the article (al-, ال)
    dropped from each word, spaces removed."""
    words = normalize(text[:200]).split()
    if len(words) > 1 and words[0] == "al":
        words = words[1:]
    bare = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    bare = [w[3:] if w.startswith("al-") else w for w in bare]
    return "".join(bare)


def _name_index(units: Iterable[AdminUnit]) -> dict[str, tuple[str, ...]]:
    index: dict[str, dict[str, None]] = {}
    for unit in units:
        for name in (unit.name_en, unit.name_ar, unit.name_ckb):
            if name:
                index.setdefault(name_key(name), {})[unit.pcode] = None
    return {key: tuple(codes) for key, codes in index.items()}


def default_reference_path() -> Path:
    """The reference file shipped with the app."""
    return resources_dir() / "reference" / "iraq_admin.csv"


def load_reference(path: Path | None = None) -> AdminReference:
    """Read a reference file (the shipped one by default).

    Raises `ReferenceDataError` naming the file, line and problem when the file is unreadable,
    lacks a column, has a malformed p-code or an empty name, or contradicts itself (a district
    under two governorates, one governorate with two names).
    """
    path = path or default_reference_path()
    name = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
            header = rows[0].keys() if rows else set()
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ReferenceDataError(name, 0, f"cannot read the file: {e}") from e
    if not rows:
        raise ReferenceDataError(name, 1, "no rows (expected a header and one row per district)")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ReferenceDataError(name, 1, f"missing columns: {', '.join(missing)}")

    governorates: dict[str, AdminUnit] = {}
    districts: dict[str, AdminUnit] = {}
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in REQUIRED_COLUMNS):
            raise ReferenceDataError(name, line, "wrong number of columns")
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                raise ReferenceDataError(name, line, f"empty {column}")
        for column in ("admin1_pcode", "admin2_pcode"):
            if not _PCODE.match(values[column]):
                raise ReferenceDataError(name, line, f"malformed {column}: {values[column]!r}")
        gov = AdminUnit(
            values["admin1_pcode"],
            values["admin1_en"],
            values["admin1_ar"],
            values.get("admin1_ckb", ""),
        )
        if gov.pcode in districts:
            raise ReferenceDataError(name, line, f"{gov.pcode} is also a district code")
        known = governorates.setdefault(gov.pcode, gov)
        if known != gov:
            raise ReferenceDataError(name, line, f"governorate {gov.pcode} has different names")
        district = AdminUnit(
            values["admin2_pcode"],
            values["admin2_en"],
            values["admin2_ar"],
            values.get("admin2_ckb", ""),
            parent=gov.pcode,
        )
        if district.pcode in governorates:
            raise ReferenceDataError(name, line, f"{district.pcode} is also a governorate code")
        if district.pcode in districts:
            raise ReferenceDataError(name, line, f"district {district.pcode} listed twice")
        districts[district.pcode] = district
    return AdminReference(governorates.values(), districts.values(), source=name)
