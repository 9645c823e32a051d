"""Governorates and districts: the shipped OCHA file, a replacement file, malformed files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from fieldapp.forms.definitions import load_forms
from fieldapp.forms.reference import (
    REQUIRED_COLUMNS,
    AdminReference,
    ReferenceDataError,
    default_reference_path,
    load_reference,
)
from fieldapp.forms.validation import ValidationFailed, validate

HEADER = ",".join(REQUIRED_COLUMNS)


@pytest.fixture(scope="module")
def shipped() -> AdminReference:
    return load_reference()


def _write(tmp_path: Path, text: str, name: str = "admin.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_has_18_governorates_and_101_districts(shipped: AdminReference) -> None:
    assert len(shipped.governorates()) == 18
    assert sum(len(shipped.districts(g.pcode)) for g in shipped.governorates()) == 101


def test_governorate_names_in_arabic_and_english(shipped: AdminReference) -> None:
    assert shipped.governorate_name("IQG08", "ar") == "بغداد"
    assert shipped.governorate_name("IQG08", "en") == "Baghdad"


def _without_ckb() -> list[str]:
    """The shipped file's lines in the six required columns (no Sorani names)."""
    lines = default_reference_path().read_text(encoding="utf-8").splitlines()
    return [",".join(line.split(",")[:6]) for line in lines]


def test_sorani_names_fall_back_to_arabic_without_a_ckb_column(tmp_path: Path) -> None:
    plain = load_reference(_write(tmp_path, "\n".join(_without_ckb()) + "\n"))
    assert plain.governorate_name("IQG11", "ckb") == plain.governorate_name("IQG11", "ar")
    assert plain.district_name("IQG11Q01", "ckb") == plain.district_name("IQG11Q01", "ar")


def test_the_shipped_file_names_governorates_in_sorani(shipped: AdminReference) -> None:
    assert shipped.governorate_name("IQG11", "ckb") == "هەولێر"


def test_unknown_codes_show_as_themselves(shipped: AdminReference) -> None:
    assert shipped.governorate_name("IQG99", "ar") == "IQG99"
    assert shipped.district_name("IQG99Q01", "en") == "IQG99Q01"
    assert shipped.districts("IQG99") == ()


def test_district_belongs_to_its_governorate_only(shipped: AdminReference) -> None:
    assert shipped.district_belongs("IQG08", "IQG08Q01")
    assert not shipped.district_belongs("IQG01", "IQG08Q01")
    assert not shipped.district_belongs("IQG08", "IQG08Q99")


def test_halabja_is_a_district_of_sulaymaniyah_as_ocha_has_it(shipped: AdminReference) -> None:
    halabja = [d for d in shipped.districts("IQG06") if d.name_ar == "حلبجة"]
    assert len(halabja) == 1
    assert shipped.district_belongs("IQG06", halabja[0].pcode)


def test_districts_are_listed_in_pcode_order(shipped: AdminReference) -> None:
    codes = [d.pcode for d in shipped.districts("IQG08")]
    assert codes == sorted(codes) and codes[0] == "IQG08Q01"


def test_a_newer_file_replaces_the_shipped_one_without_code_changes(tmp_path: Path) -> None:
    lines = _without_ckb()
    header = lines[0] + ",admin1_ckb,admin2_ckb"
    rows = [row + (",هەولێر," if row.startswith("IQG11,") else ",,") for row in lines[1:]]
    rows.append("IQG11,Erbil,أربيل,IQG11Q99,Soran,سوران,هەولێر,سۆران")
    newer = load_reference(_write(tmp_path, "\n".join([header, *rows]) + "\n"))
    assert newer.district_belongs("IQG11", "IQG11Q99")
    assert newer.district_name("IQG11Q99", "ckb") == "سۆران"
    assert newer.governorate_name("IQG11", "ckb") == "هەولێر"
    assert newer.governorate_name("IQG08", "ckb") == "بغداد"  # empty ckb: Arabic

    form = load_forms().get("household")
    record = {"governorate": "IQG11", "district": "IQG11Q99", "mahalla": "شورش"}
    today = datetime.date(2026, 11, 20)
    assert validate(form, record, reference=newer, today=today).fields["district"] == "IQG11Q99"
    with pytest.raises(ValidationFailed):
        validate(form, record, reference=load_reference(), today=today)


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(HEADER + "\nIQG08,Baghdad,بغداد,IQG08Q01,Al-Adhamiya,الأعظمية\n", "utf-8-sig")
    assert load_reference(path).is_district("IQG08Q01")


BAD_FILES = {
    "missing column": (
        "admin1_pcode,admin1_en,admin1_ar,admin2_pcode,admin2_en\nIQG08,Baghdad,بغداد,IQG08Q01,X\n",
        "missing columns: admin2_ar",
    ),
    "empty name": (HEADER + "\nIQG08,Baghdad,,IQG08Q01,Al-Adhamiya,الأعظمية\n", "empty admin1_ar"),
    "malformed pcode": (
        HEADER + "\nIQG08,Baghdad,بغداد,q 1,Al-Adhamiya,الأعظمية\n",
        "malformed admin2_pcode",
    ),
    "district under two governorates": (
        HEADER + "\nIQG08,Baghdad,بغداد,IQG08Q01,A,أ\nIQG01,Anbar,الأنبار,IQG08Q01,A,أ\n",
        "listed twice",
    ),
    "governorate with two names": (
        HEADER + "\nIQG08,Baghdad,بغداد,IQG08Q01,A,أ\nIQG08,Bagdad,بغداد,IQG08Q02,B,ب\n",
        "different names",
    ),
    "short row": (HEADER + "\nIQG08,Baghdad,بغداد\n", "wrong number of columns"),
    "no rows": (HEADER + "\n", "no rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_malformed_reference_file_names_file_line_and_problem(tmp_path: Path, case: str) -> None:
    text, problem = BAD_FILES[case]
    path = _write(tmp_path, text)
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(path)
    assert problem in caught.value.problem
    message = caught.value.message("en")
    assert str(path) in message and problem in message
    assert str(path) in caught.value.message("ar")


def test_missing_reference_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(tmp_path / "nowhere.csv")
    assert "cannot read" in caught.value.problem


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cp1256.csv"
    path.write_bytes((HEADER + "\nIQG08,Baghdad,بغداد,IQG08Q01,A,أ\n").encode("cp1256"))
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(path)
    assert "cannot read" in caught.value.problem
