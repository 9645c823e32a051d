"""Search normalization (docs/DOMAIN.md section 3) and the FTS5 expressions built from it."""

from __future__ import annotations

import csv
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp import text as fieldapp_text
from fieldapp.paths import resources_dir
from fieldapp.text import fts_match_expression, index_terms, normalize, query_terms

# The tokenizer the store's search_index uses (fieldapp/store/migrations.py, v2).
TOKENIZER = "unicode61 remove_diacritics 0"

TASHKEEL = [chr(c) for c in (*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06DD))]


# --- one case per rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
        ("فاطمة", "فاطمه"),
        ("مصطفى", "مصطفي"),
        ("مؤمل", "مومل"),
        ("عائشة", "عايشه"),
    ],
    ids=[
        "alef-hamza-above",
        "alef-hamza-below",
        "alef-madda",
        "alef-wasla",
        "teh-marbuta",
        "alef-maksura",
        "waw-hamza",
        "yeh-hamza",
    ],
)
def test_letter_variants_fold_to_one_letter(written: str, expected: str) -> None:
    assert normalize(written) == expected


def test_hamza_on_the_line_is_dropped_so_final_hamza_spellings_match() -> None:
    assert normalize("زهراء") == normalize("زهرا") == "زهرا"


@pytest.mark.parametrize("mark", TASHKEEL, ids=lambda m: f"U+{ord(m):04X}")
def test_every_tashkeel_and_quranic_mark_is_stripped(mark: str) -> None:
    assert normalize(f"مح{mark}مد") == "محمد"


def test_fully_vowelled_name_matches_the_bare_one() -> None:
    assert normalize("مُحَمَّدٌ عَلِيٌّ") == "محمد علي"


def test_tatweel_is_stripped() -> None:
    assert normalize("مـــحـمـد") == "محمد"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("کریم", "كريم"),  # Persian keheh and Farsi yeh
        ("زەینەب", "زهينهب"),  # Kurdish ae
        ("ھادی", "هادي"),  # heh doachashmee
        ("عبد اللہ", "عبدالله"),  # heh goal (Urdu keyboards)
        ("گاطع", "كاطع"),  # Iraqi gaf, written with kaf as often
        ("چاسب", "جاسب"),
        ("ێوە", "يوه"),
    ],
)
def test_persian_and_kurdish_keyboard_letters_fold_to_arabic(written: str, expected: str) -> None:
    assert normalize(written) == expected


@pytest.mark.parametrize("written", ["عبد الله", "عبدالله", "عبد اللہ", "عَبْدُ اللّٰه", "عبـد الله"])
def test_abd_names_are_one_word_however_written(written: str) -> None:
    assert normalize(written) == "عبدالله"


def test_abd_joins_a_following_word_without_article() -> None:
    assert normalize("عبد علي جاسم") == "عبدعلي جاسم"


@pytest.mark.parametrize("written", ["ابو علي", "أبو علي", "ابوعلي", "أبـو عَلي"])
def test_abu_names_are_one_word_however_written(written: str) -> None:
    assert normalize(written) == "ابوعلي"


def test_abu_and_abd_chain_into_one_word() -> None:
    assert normalize("ابو عبد الله") == "ابوعبدالله"


def test_abd_or_abu_at_the_end_stay_as_typed() -> None:
    assert normalize("محمد عبد") == "محمد عبد"
    assert normalize("ابو 12") == "ابو 12"


def test_surname_is_indexed_with_and_without_article() -> None:
    assert index_terms("الجبوري") == ["الجبوري", "جبوري"]


@pytest.mark.parametrize(("query", "value"), [("الجبوري", "جبوري"), ("جبوري", "الجبوري")])
def test_surname_query_finds_it_with_or_without_article(query: str, value: str) -> None:
    assert set(query_terms(query)) <= set(index_terms(value))


def test_joined_name_second_part_is_not_indexed_alone() -> None:
    # A clerk searching الله or علي does not mean every عبدالله or ابوعلي.
    assert index_terms("عبد الله") == ["عبدالله"]
    assert "علي" not in index_terms("ابو علي")


def test_latin_is_case_folded_and_accent_free() -> None:
    assert normalize("Ahmed AL-JABOORI") == "ahmed al jaboori"
    assert normalize("Café STRASSE") == normalize("cafe straße") == "cafe strasse"


@pytest.mark.parametrize("written", ["07701234567", "٠٧٧٠١٢٣٤٥٦٧", "۰۷۷۰۱۲۳۴۵۶۷", "٠٧٧0۱۲۳4٥٦٧"])
def test_digits_of_every_script_become_ascii(written: str) -> None:
    assert normalize(written) == "07701234567"


def test_presentation_forms_become_base_letters() -> None:
    assert normalize("ﻻ ﷲ ﻣﺤﻤﺪ") == "لا الله محمد"


def test_punctuation_and_whitespace_collapse_to_single_spaces() -> None:
    assert normalize("  فاطمة،علي؛  حسن؟\n\tزينب - (مريم) «نور». ") == (
        "فاطمه علي حسن زينب مريم نور"
    )


def test_zero_width_joiners_do_not_split_a_word() -> None:
    assert normalize("کوردستان\u200c\u200dی") == "كوردستاني"


def test_doubled_waw_is_written_once() -> None:
    assert normalize("داوود") == normalize("داود") == "داود"


def test_empty_and_blank_text() -> None:
    assert normalize("") == ""
    assert normalize(" ،؛ - ") == ""
    assert index_terms("") == []
    assert query_terms(" ؟ ") == []
    assert fts_match_expression("  ") is None
    assert fts_match_expression("؟!*") is None


# --- properties --------------------------------------------------------------------------------

arabic_heavy = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(list(" ،؛؟ـ\u200c\u200d\u064b0123456789")),
        st.characters(),
    ),
    max_size=60,
)
any_text = st.one_of(st.text(max_size=80), arabic_heavy)


@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(any_text)
def test_normalized_text_has_no_marks_tatweel_or_foreign_digits(text: str) -> None:
    out = normalize(text)
    assert "ـ" not in out
    assert "  " not in out and out == out.strip()
    for ch in out:
        assert ch == " " or unicodedata.category(ch)[0] in "LN"
        assert unicodedata.category(ch) != "Nd" or ch in "0123456789"
        assert not (0x064B <= ord(ch) <= 0x065F or ord(ch) == 0x0670)


@given(any_text)
def test_query_for_a_value_finds_that_value(text: str) -> None:
    # Whatever was stored, typing it again (complete) finds it.
    assert set(query_terms(text)) <= set(index_terms(text))


# Scripts people write in this app. SQLite's unicode61 knows Unicode 6.1 only: a letter added
# later (none is used in Arabic, Kurdish or Latin names) is a separator to FTS5.
name_script_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF, exclude_characters="\u061c"),
        st.characters(min_codepoint=0x0750, max_codepoint=0x077F),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFBB1),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFC),
        st.characters(min_codepoint=0x0020, max_codepoint=0x024F),
        st.characters(min_codepoint=0x2000, max_codepoint=0x2064),
    ),
    max_size=60,
)


@given(name_script_text)
def test_terms_are_single_fts_tokens(text: str) -> None:
    for term in index_terms(text):
        assert term and " " not in term
        assert _fts_tokens(term) == [term]


@given(name_script_text)
def test_a_record_is_found_by_its_own_text_and_any_prefix_of_it(text: str) -> None:
    with _fts_table([[text]]) as fts:
        for end in range(1, len(text) + 1):
            if fts_match_expression(text[:end]) is not None:
                assert fts.search(text[:end]) == [1], text[:end]


@given(any_text)
def test_match_expression_is_always_valid_fts5(text: str) -> None:
    expression = fts_match_expression(text)
    if expression is None:
        return
    with _fts_table([["محمد جاسم الجبوري"], ['"*NEAR( OR - : ^']]) as fts:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


# --- the reference names list -----------------------------------------------------------------


def _name_rows() -> list[tuple[str, str, str]]:
    path = resources_dir() / "reference" / "iraqi_names.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["kind"], r["name"], r["variants"]) for r in csv.DictReader(f)]


def _variant_pairs() -> Iterator[tuple[str, str]]:
    for _kind, name, variants in _name_rows():
        for variant in filter(None, (v.strip() for v in variants.split("|"))):
            yield name, variant


VARIANT_PAIRS = list(_variant_pairs())


def test_names_list_has_variants() -> None:
    assert len(VARIANT_PAIRS) >= 50


@pytest.mark.parametrize(("name", "variant"), VARIANT_PAIRS)
def test_every_listed_variant_matches_its_name_both_ways(name: str, variant: str) -> None:
    # Every variant in the list today matches by normalization; داود/داوود only through the
    # doubled-waw rule. None needs an exception.
    assert set(query_terms(variant)) <= set(index_terms(name))
    assert set(query_terms(name)) <= set(index_terms(variant))


# --- end to end against a real FTS5 table ------------------------------------------------------


class _Fts:
    """An in-memory FTS5 table filled the way the store fills search_index."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def search(self, query: str) -> list[int]:
        expression = fts_match_expression(query)
        if expression is None:
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,)
        ).fetchall()
        return [r[0] for r in rows]


@contextmanager
def _fts_table(values: list[list[str]]) -> Iterator[_Fts]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZER}')")
        for rowid, pieces in enumerate(values, start=1):
            terms = [term for piece in pieces for term in index_terms(piece)]
            conn.execute("INSERT INTO t (rowid, body) VALUES (?, ?)", (rowid, " ".join(terms)))
        yield _Fts(conn)
    finally:
        conn.close()


def _fts_tokens(text: str) -> list[str]:
    """How the store's tokenizer splits `text`."""
    with _fts_table([[]]) as fts:
        fts.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        fts.execute("DELETE FROM t")
        fts.execute("INSERT INTO t (body) VALUES (?)", (text,))
        return [r[0] for r in fts.execute("SELECT term FROM v ORDER BY offset")]


def test_sqlite_has_fts5() -> None:
    assert _fts_tokens("محمد جاسم") == ["محمد", "جاسم"]


PEOPLE = [
    ["عبد الله", "جاسم", "حسن", "الجبوري"],  # 1
    ["فاطمة", "كاظم", "جواد", "التميمي"],  # 2
    ["مؤمل", "داوود", "سلمان", "الساعدى"],  # 3
    ["زهراء", "عبد الأمير", "علي", "ربيعي"],  # 4
    ["أبو علي", "حيدر", "كرار", "الأسدي"],  # 5
    ["مصطفى", "إبراهيم", "صادق", "العبيدي", "هاتف ٠٧٧٠١٢٣٤٥٦٧"],  # 6
]


@pytest.fixture
def people() -> Iterator[_Fts]:
    with _fts_table(PEOPLE) as fts:
        yield fts


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("عبدالله", [1]),
        ("عبد الله", [1]),
        ("عبد اللہ جبوري", [1]),
        ("عَبْدُ اللهِ الجبوري", [1]),
        ("فاطمه التميمى", [2]),
        ("مومل داود", [3]),
        ("مؤمل داوود الساعدي", [3]),
        ("زهرا الربيعي", [4]),
        ("عبدالامير", [4]),
        ("ابوعلي", [5]),
        ("أبو علي اسدي", [5]),
        ("مصطفي ابراهيم", [6]),
        ("07701234567", [6]),
        ("۰۷۷۰۱۲۳۴۵۶۷", [6]),
    ],
)
def test_each_spelling_finds_the_record(people: _Fts, query: str, expected: list[int]) -> None:
    assert people.search(query) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("عب", [1, 4, 6]),  # عبدالله, عبدالامير, and العبيدي (indexed as عبيدي too)
        ("عبد", [1, 4]),
        ("عبد ال", [1, 4]),
        ("عبد الل", [1]),
        ("الجب", [1]),
        ("جبو", [1]),
        ("ابو", [5]),
        ("أبو ع", [5]),
        ("فاط", [2]),
        ("٠٧٧٠", [6]),
    ],
)
def test_prefix_typing_finds_the_record(people: _Fts, typed: str, expected: list[int]) -> None:
    assert people.search(typed) == expected


@pytest.mark.parametrize(
    "query", ["خديجة", "الجنابي", "حسين", "علي التميمي", "الله", "امير", "محمد"]
)
def test_unrelated_names_do_not_match(people: _Fts, query: str) -> None:
    # الله and امير are only inside the joined names عبدالله and عبدالامير.
    assert people.search(query) == []


HOSTILE = [
    '"',
    '""',
    "*",
    "محمد*",
    "NEAR(محمد جاسم)",
    "محمد OR جاسم",
    "محمد AND NOT جاسم",
    "-محمد",
    "body:محمد",
    "{body}: محمد",
    "(محمد",
    "محمد)",
    "^محمد",
    '"محمد" OR "',
    "a' OR '1'='1",
    "محمد\x00",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_fts_syntax_in_a_query_is_plain_text(people: _Fts, query: str) -> None:
    expression = fts_match_expression(query)
    if expression is not None:
        assert all(part.startswith('"') for part in expression.split(" AND "))
    hits = people.search(query)  # never an FTS5 syntax error
    assert set(hits) <= {1, 2, 3, 4, 5, 6}


def test_operators_typed_as_words_are_searched_as_words(people: _Fts) -> None:
    # OR is a word here, not the operator: no record has the word "or", so nothing is found.
    assert people.search("جاسم OR فاطمة") == []
    assert fts_match_expression("جاسم OR فاطمة") == '"جاسم" AND "or" AND "فاطمه"*'


def test_match_expression_quotes_every_term_and_prefixes_the_last() -> None:
    assert fts_match_expression("عبد الله الجبوري") == '"عبدالله" AND "جبوري"*'


@pytest.mark.parametrize(
    ("typed", "joined"),
    [
        ("0770 123 4567", "07701234567"),
        ("(0770) 123-4567", "07701234567"),
        ("+964 770 123 4567", "9647701234567"),
        ("00964-770-123-4567", "9647701234567"),
        ("۰۷۷۰ ۱۲۳ ۴۵۶۷", "07701234567"),
    ],
)
def test_a_typed_mobile_number_becomes_one_run_of_digits(typed: str, joined: str) -> None:
    assert fieldapp_text.query_terms(fieldapp_text.join_phones(typed)) == [joined]


@pytest.mark.parametrize("typed", ["B12-2026-176", "2026 176", "12 345 678"])
def test_digits_that_are_not_a_mobile_number_stay_apart(typed: str) -> None:
    assert fieldapp_text.query_terms(fieldapp_text.join_phones(typed)) == fieldapp_text.query_terms(
        typed
    )


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("B12-2026-176", "B12-2026-176"),
        ("b12-٢٠٢٦-١٧٦", "B12-2026-176"),
        (" B12-۲۰۲۶-۰۱ ", "B12-2026-1"),
    ],
)
def test_a_record_number_is_read_in_any_digit_script(typed: str, number: str) -> None:
    assert fieldapp_text.record_number(typed) == number


@pytest.mark.parametrize("typed", ["B12-2026", "B12-2026-1 علي", "2026-176", "B12 2026 1"])
def test_anything_else_is_not_a_record_number(typed: str) -> None:
    assert fieldapp_text.record_number(typed) is None


@pytest.mark.parametrize(
    ("sorani", "arabic"),
    [
        ("ئەحمەد", "أحمد"),
        ("محەمەد", "محمد"),
        ("عەلی", "علي"),
        ("زەینەب", "زينب"),
        ("ئیبراهیم", "إبراهيم"),
        ("ئەکرەم", "أكرم"),
        ("فاطمە", "فاطمة"),
        ("شێخ", "شيخ"),
        ("نووری", "نوري"),
    ],
)
def test_sorani_and_arabic_spellings_of_a_name_meet_in_the_loose_form(
    sorani: str, arabic: str
) -> None:
    assert fieldapp_text.normalize(fieldapp_text.loose_spelling(sorani)) == fieldapp_text.normalize(
        fieldapp_text.loose_spelling(arabic)
    )


@pytest.mark.parametrize(("one", "other"), [("حسن", "حسين"), ("محمد", "محمود"), ("علي", "عالي")])
def test_the_loose_form_keeps_different_names_apart(one: str, other: str) -> None:
    assert fieldapp_text.normalize(fieldapp_text.loose_spelling(one)) != fieldapp_text.normalize(
        fieldapp_text.loose_spelling(other)
    )


def test_an_arabic_name_adds_no_loose_terms() -> None:
    assert fieldapp_text.loose_index_terms("محمد جاسم الجبوري") == []
