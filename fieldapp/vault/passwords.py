"""Is a new password hard enough to guess? One check for the CLI and the desktop app.

The estimate is zxcvbn's (Dropbox's model, as the `zxcvbn` package): it finds the cheapest way
to guess a password from common passwords, English words and names, keyboard rows, repeats,
sequences and dates, and counts the guesses. A thief who copies the vault guesses offline, one
Argon2id evaluation per guess, so the bar is 10^10 guesses (zxcvbn's top score).

zxcvbn knows no Arabic or Kurdish dictionary: a text in those scripts is counted as random
letters (10 guesses per letter), less any repeat or sequence of code points it finds. A few
words of the field (police, the app, "password" in our languages) are added as a small
dictionary of our own; a passphrase of several words passes in any script.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from zxcvbn import zxcvbn

from fieldapp.errors import WeakPassword

MAX_PASSWORD_CHARS = 256
MIN_GUESSES_LOG10 = 10.0
# zxcvbn's matching grows faster than the length (a 256-character repeat takes seconds), so a
# long password is estimated in pieces whose guesses multiply (their logs add up).
_PIECE_CHARS = 64
# A later piece counts only if it is more than a run or a row on its own: otherwise 256 times
# "a" would add up to a strong password.
_MIN_PIECE_GUESSES_LOG10 = 4.0

# Guessed first by anyone attacking this app's vaults; zxcvbn would count them as random letters.
_FIELD_WORDS = (
    "fieldapp",
    "police",
    "station",
    "officer",
    "iraq",
    "baghdad",
    "شرطة",
    "الشرطة",
    "الشرطة المجتمعية",
    "مركز",
    "العراق",
    "بغداد",
    "كلمة السر",
    "كلمةالسر",
    "كلمة المرور",
    "كلمةالمرور",
    "الله اكبر",
    "پۆلیس",
    "وشەی نهێنی",
    "کوردستان",
)

# Why a password was refused, from the part of it that made it cheapest to guess.
_REASONS = {
    "repeat": "repeat",
    "sequence": "sequence",
    "spatial": "keyboard",
    "date": "date",
    "regex": "date",  # zxcvbn's only regex is a recent year
}


def check_password_strength(password: str, personal: Iterable[str] = ()) -> None:
    """WeakPassword unless `password` would take an attacker at least 10^10 guesses.

    `personal`: words an attacker would try first (the officer's user name, the station).
    Any script; NFC-normalised first, as the key derivation does; at most 256 characters. The
    error's message key says why (`vault.weak_password_<reason>`) and suggests a passphrase.
    """
    text = unicodedata.normalize("NFC", password)
    if len(text) > MAX_PASSWORD_CHARS:
        raise WeakPassword("vault.password_too_long", limit=MAX_PASSWORD_CHARS)
    if not text:
        raise WeakPassword("vault.weak_password_short")
    mine = {w.lower() for w in personal if w}
    words = [*_FIELD_WORDS, *sorted(mine)]
    pieces = [text[i : i + _PIECE_CHARS] for i in range(0, len(text), _PIECE_CHARS)]
    first = zxcvbn(pieces[0], user_inputs=words, max_length=_PIECE_CHARS)
    guesses_log10 = float(first["guesses_log10"])
    for i, piece in enumerate(pieces[1:], start=1):
        if piece in pieces[:i]:
            continue  # a repeated piece adds (almost) nothing to guess
        later = float(zxcvbn(piece, user_inputs=words, max_length=_PIECE_CHARS)["guesses_log10"])
        if later >= _MIN_PIECE_GUESSES_LOG10:
            guesses_log10 += later
    if guesses_log10 < MIN_GUESSES_LOG10:
        raise WeakPassword(f"vault.weak_password_{_reason(first['sequence'], mine)}")


def _reason(sequence: Sequence[Mapping[str, object]], personal: set[str]) -> str:
    """The reason shown: the longest part of the password that zxcvbn recognised."""
    known = [m for m in sequence if m["pattern"] != "bruteforce"]
    if not known:
        return "short"
    match = max(known, key=lambda m: len(str(m["token"])))
    if match["pattern"] == "dictionary":
        source = match.get("dictionary_name")
        if source == "passwords":
            return "common"
        return "personal" if match.get("matched_word") in personal else "word"
    return _REASONS.get(str(match["pattern"]), "short")
