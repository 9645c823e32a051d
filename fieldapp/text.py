"""Arabic text rules: digits in any script, refused control characters, search normalization.

Text is stored as typed (digits folded to ASCII) and searched through a normalized shadow
(see docs/DOMAIN.md section 3).
"""

from __future__ import annotations

import re
import unicodedata

# Arabic-Indic (U+0660-0669) and Extended Arabic-Indic / Persian (U+06F0-06F9) digits to ASCII.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}

# Bidi embeddings/overrides (U+202A-202E) and isolates (U+2066-2069) let a name display as
# something else to a clerk; they are never accepted in stored text.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


# What `printable` shows escaped: C0 and C1 controls, DEL, the bidi controls above and the line
# and paragraph separators. A terminal obeys the first two (colours, cursor moves, a cleared
# screen), a bidi-aware display reorders text after the third, and the last break a line.
_UNPRINTABLE = (
    frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)) | BIDI_CONTROLS
)
_KEPT_IN_MULTILINE = frozenset("\n\t")


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` safe to show a person: every control or bidi control character as `\\uXXXX`.

    Everything a program prints from data (records, numbers, audit entries, server answers)
    passes through this one function, because data pulled from a server or read from an old
    vault may hold what the validator refuses today. With `multiline`, newline and tab stay.
    The escapes are JSON's own, so printing a JSON text through it keeps it valid and equal.
    """
    keep = _KEPT_IN_MULTILINE if multiline else frozenset()
    if not any(ch in _UNPRINTABLE and ch not in keep for ch in text):
        return text
    return "".join(
        f"\\u{ord(ch):04x}" if ch in _UNPRINTABLE and ch not in keep else ch for ch in text
    )


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits replaced by their ASCII digits; all else unchanged."""
    return text.translate(_DIGITS)


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character that may not be stored in a text field, or None.

    Refused: bidi embeddings, overrides and isolates, and every other control or format
    character (Unicode categories Cc and Cf), except newline and tab in multi-line fields and
    the zero-width non-joiner/joiner (U+200C/U+200D) that Kurdish and Persian spelling uses.
    """
    for ch in text:
        if ch in BIDI_CONTROLS:
            return ch
        if multiline and ch in "\n\t":
            continue
        if ch in "\u200c\u200d":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch != " ":
            return ch
    return None


# --- search normalization --------------------------------------------------------------------
#
# The store keeps `index_terms(value)` of every text field in an FTS5 table created with
# `tokenize = "unicode61 remove_diacritics 0"` and searches it with `fts_match_expression(q)`.
# Every term is already folded and made only of letters and digits (Unicode L* and N*), which
# unicode61 treats as token characters, so the tokenizer only splits on the spaces we put in and
# never changes a term: what `index_terms` returns is exactly what FTS5 indexes. (unicode61 knows
# Unicode 6.1: a letter added later, none of them used in Arabic, Kurdish or Latin names, is a
# separator to it; index and query still split alike.) Any unicode61 options will do; porter or
# trigram tokenizers will not.

# Letters folded to the one a clerk on an Arabic keyboard would type (docs/DOMAIN.md section 3,
# after Lucene's ArabicNormalizer and PersianNormalizer). Hamza carriers fold to their base letter;
# a hamza on the line is dropped because Iraqi spelling writes زهراء and زهرا, ضياء and ضيا.
_LETTER_FOLDS: dict[int, str] = {
    **dict.fromkeys(map(ord, "أإآٱٲٳٵ"), "ا"),
    **dict.fromkeys(map(ord, "ةۃ"), "ه"),
    **dict.fromkeys(map(ord, "ھہۀۂە"), "ه"),  # heh doachashmee, heh goal, Kurdish ae
    **dict.fromkeys(map(ord, "ىیۍێېۑےۓئٸ"), "ي"),  # alef maksura, Farsi/Kurdish/Urdu yeh
    **dict.fromkeys(map(ord, "ؤٶۆۇۋ"), "و"),  # Kurdish o/u letters an Arabic keyboard lacks
    **dict.fromkeys(map(ord, "کڪگ"), "ك"),  # keheh, swash kaf; Iraqi گ is written ك as often
    ord("پ"): "ب",
    ord("چ"): "ج",
    ord("ژ"): "ز",
    ord("ڤ"): "ف",
    ord("ڵ"): "ل",
    ord("ڕ"): "ر",
    ord("ء"): "",
    ord("ٴ"): "",  # high hamza
    ord("ـ"): "",  # tatweel: U+0640 is a "letter" (Lm) to Unicode, so drop it by name
    ord("ۥ"): "",  # small waw and small yeh of Quranic text (Lm)
    ord("ۦ"): "",
}

_SPACE = re.compile(r"\s+")
_WAW_RUN = re.compile("و{2,}")
_ARTICLE = "ال"
# Words that belong to the name that follows them: عبد الله is one name, as is ابو علي.
_JOINING_WORDS = frozenset({"عبد", "ابو"})


def _is_arabic_letter(ch: str) -> bool:
    return ch.isalpha() and (
        "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"
    )


def _fold_char(ch: str) -> str:
    """One character of NFKD, case-folded text: its search form ('' drops it, ' ' splits)."""
    category = unicodedata.category(ch)
    if category[0] == "M" or category == "Cf":
        # Tashkeel, Quranic marks, Latin accents; zero-width (non-)joiners and bidi marks
        # inside a word: removed, so the word stays one word.
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    folded = _LETTER_FOLDS.get(ord(ch))
    if folded is not None:
        return folded
    if category[0] in "LN":
        return ch
    return " "  # spaces, punctuation (، ؛ ؟ included), symbols, controls


class _FoldTable(dict[int, str]):
    """`str.translate` table computing `_fold_char` on first use (cached for the BMP only)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if code <= 0xFFFF:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _join_names(words: list[str]) -> list[str]:
    """Join عبد / ابو to the Arabic word after them, right to left (ابو عبد الله is one word)."""
    out: list[str] = []
    for word in reversed(words):
        if word in _JOINING_WORDS and out and _is_arabic_letter(out[-1][0]):
            out[-1] = word + out[-1]
        else:
            out.append(word)
    out.reverse()
    return out


def normalize(text: str) -> str:
    """The search form of `text`: spelling variants of one word become the same string.

    Applies docs/DOMAIN.md section 3: presentation forms and other compatibility characters
    (NFKC, e.g. ﻻ -> لا); Latin case-folded and stripped of accents; digits of any script to
    ASCII; أ إ آ ٱ -> ا, ة -> ه, ى -> ي, ؤ -> و, ئ -> ي, ء dropped; tashkeel, Quranic marks and
    tatweel removed; Persian/Kurdish keyboard letters folded (ک -> ك, ی -> ي, ە ھ ہ -> ه, ...);
    a run of و written once (داوود/داود); punctuation, symbols and whitespace collapse to one
    space; عبد and ابو are joined to the word after them (عبد الله -> عبدالله, ابو علي -> ابوعلي).
    Never raises; the result contains only letters, ASCII digits and single spaces.
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    folded = unicodedata.normalize("NFC", decomposed.translate(_FOLD_TABLE))
    words = _join_names(folded.split())
    return _SPACE.sub(" ", " ".join(_WAW_RUN.sub("و", w) for w in words)).strip()


def _without_article(word: str) -> str | None:
    return (
        word[len(_ARTICLE) :] if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) else None
    )


def index_terms(text: str) -> list[str]:
    """The terms to index for one field value, without repeats, in text order.

    Each word of `normalize(text)`, and a word with the article ال also without it (الجبوري ->
    الجبوري, جبوري), so a surname is found however it was written and searched. The second part
    of a joined name is not indexed alone: a clerk searching الله or حسين is not looking for
    every عبدالله or عبدالحسين, nor one searching علي for every ابوعلي (the kunya is a
    different name). Typing عبد or ابو finds them by prefix.
    """
    terms: list[str] = []
    for word in normalize(text).split():
        terms.append(word)
        bare = _without_article(word)
        if bare is not None:
            terms.append(bare)
    return list(dict.fromkeys(terms))


def query_terms(text: str) -> list[str]:
    """The search terms of a query: `normalize`d words, each without its article ال.

    Stripping the article from the query (never adding it) matches `index_terms`, which indexes
    every ال word both ways: الجبوري and جبوري find الجبوري and جبوري alike, and a prefix typed
    with the article (الجب) still finds a surname written without it.
    """
    terms = [_without_article(word) or word for word in normalize(text).split()]
    return list(dict.fromkeys(terms))


def fts_match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what a person typed, or None when there is nothing to find.

    Every term of `query_terms(query)` is a quoted string (FTS5 syntax inside it is plain text),
    the last one a prefix (the person may still be typing), all joined with AND. A phone typed
    with spaces, dashes or a country code is one term (`join_phones`).
    """
    terms = query_terms(join_phones(query))
    if not terms:
        return None
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    return " AND ".join(quoted)


# First-strong isolate ... pop directional isolate: a value inserted into running text keeps its
# own direction (a Latin number in an Arabic line, an Arabic name in an English one).
FSI, PDI = "\u2068", "\u2069"


def isolate(value: str) -> str:
    """`value`, made `printable`, wrapped in bidi isolation marks, for insertion into a sentence."""
    return f"{FSI}{printable(value)}{PDI}"


# --- what officers type: phones, record numbers, Sorani spelling ------------------------------

# Digits as a phone is typed: a +, any spaces, dashes or brackets between them (ASCII digits
# by then). Not preceded by a letter, digit or dash, so the digits of a record number
# (B12-2026-176) are never read as a phone; `_joined_phone` keeps only Iraqi mobile numbers.
_PHONE_TYPED = re.compile(r"(?<![\w-])\+?[\d\s()-]*\d")
_PHONE_MIN_DIGITS = 4  # "0770": enough to be a phone being typed
_PHONE_MAX_DIGITS = 15  # ITU E.164


def _joined_phone(match: re.Match[str]) -> str:
    digits = "".join(ch for ch in match.group() if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    starts_like_phone = digits.startswith(("07", "9647")) or (
        digits.startswith("7") and len(digits) == 10
    )
    if not starts_like_phone or not _PHONE_MIN_DIGITS <= len(digits) <= _PHONE_MAX_DIGITS:
        return match.group()
    # Kept apart from the words around it; every indexed form of a phone is one term.
    return f" {digits} "


def join_phones(query: str) -> str:
    """`query` with each phone number typed in it written as one run of ASCII digits.

    Officers type `0770 123 4567`, `0770-123-4567`, `(0770) 1234567`, `+964 770 123 4567`,
    `00964 770 123 4567` or the same in Arabic-Indic digits; the shadow holds every phone as
    the terms 07XXXXXXXXX, 9647XXXXXXXXX and 7XXXXXXXXX, so the typed number becomes the one of
    those it is (00964 written as 964). A partly typed number (0770 12) becomes a prefix of it.
    """
    return _PHONE_TYPED.sub(_joined_phone, to_ascii_digits(query))


# A record number: station, year, sequence (fieldapp.store.numbers.format_number).
_RECORD_NUMBER = re.compile(r"([A-Za-z][A-Za-z0-9]{0,31})-(\d{4})-(\d{1,9})")


def record_number(query: str) -> str | None:
    """The record number `query` is (e.g. `b12-٢٠٢٦-١٧٦` -> `B12-2026-176`), or None.

    Digits of any script are read as ASCII and the station upper-cased, as numbers are issued;
    anything besides one number (other words, a partial number) is not a record number.
    """
    match = _RECORD_NUMBER.fullmatch(to_ascii_digits(query).strip())
    if match is None:
        return None
    station, year, seq = match.groups()
    return f"{station.upper()}-{year}-{int(seq)}"


# Sorani writes every vowel and Arabic leaves the short ones out: ئەحمەد is أحمد, محەمەد
# محمد, عەلی علي, زەینەب زينب, فاتیمە فاطمة. The loose form drops what only one of the two
# writes: ە (Sorani's short a), the final ة of Arabic (Sorani writes ە there), the ئ that
# carries a Sorani word's first vowel (Arabic writes أ/إ there: ئەکرەم أكرم) and the ی of
# a first ئی (ئیبراهیم إبراهيم, as إيمان ئیمان). ێ, ۆ, ک, ی, ڕ, ڵ and doubled و are already
# folded by `normalize` (ێ -> ي, ۆ -> و, ...), which then runs on the loose form.
_SORANI_AE = "\u06d5"


def _loosen_word(word: str) -> str:
    word = word.replace(_SORANI_AE, "")
    if word.endswith("ة"):
        word = word[:-1]
    for first_i in ("ئی", "ئي", "ئێ", "إي", "اي", "أي"):
        if word.startswith(first_i) and len(word) > len(first_i):
            return "ا" + word[len(first_i) :]
    if word.startswith("ئ"):
        return "ا" + word[1:]
    return word


def loose_spelling(text: str) -> str:
    """`text` with the vowels only Sorani or only Arabic spelling writes taken out (see above).

    Not a search form by itself: `normalize` it. Searching the loose form of a query against
    the loose form of names lets ئەحمەد find أحمد and the other way round; it matches more
    than `normalize` does, so those matches rank after every exact one.
    """
    nfkc = unicodedata.normalize("NFKC", text)
    return " ".join(_loosen_word(word) for word in nfkc.split())


def loose_index_terms(text: str) -> list[str]:
    """The terms of `text`'s loose spelling that `index_terms(text)` does not already hold."""
    exact = set(index_terms(text))
    return [term for term in index_terms(loose_spelling(text)) if term not in exact]


def loose_match_expression(query: str) -> str | None:
    """The FTS5 expression of `query`'s loose spelling, like `fts_match_expression`."""
    return fts_match_expression(loose_spelling(query))
