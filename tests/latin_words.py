"""Finding English left in Arabic or Kurdish text: the words made of Latin letters that are
neither data nor names typed exactly as written (issue 9, section 2)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A run of the characters an option, a file name, a URL or an English word is made of, holding
# at least one Latin letter. Arabic letters, spaces, commas and brackets end it.
_LATIN_RUN = re.compile(r"[\w\-./:+@\[\]'=~%]*[A-Za-z][\w\-./:+@\[\]'=~%]*", re.ASCII)
_OPTION = re.compile(r"--?[a-z][a-z0-9-]*")
_VARIABLE = re.compile(r"FIELDAPP_[A-Z_]+(=\S*)?")  # environment variables, as typed

# Words read and typed exactly as written whatever the language, each for a reason. Keep this
# short: a word that an officer reads as a word belongs in the catalogues instead.
TYPED_AS_IS = frozenset(
    {
        # the programs' names, as typed
        "fieldapp",
        "fieldapp-cli",
        "fieldapp-server",
        # the shell commands a message asks station IT to type
        "pip",
        "install",
        "fieldapp[server]",
        "fieldapp[desktop]",
        "unset",
        # names of formats and standards that have no Arabic or Kurdish word in use
        "JSON",
        "UTF-8",
        "TLS",
        "HTTP",
        "SHA-256",
        "UUID",
        "IP",
        "base64",
        "Argon2id",
        "X25519",
        # masks showing the shape of what to type (a date, a mobile number)
        "YYYY-MM-DD",
        "07XX",
        "7XX",
        "XXX",
        "XXXX",
        # examples of passwords too easy to guess, as they would be typed
        "aaaa",
        "abab",
        "abcd",
        # the language codes --lang takes
        "ar",
        "ckb",
        "en",
    }
)


def latin_words(text: str, *, names: Iterable[str] = (), data: Iterable[str] = ()) -> list[str]:
    """The Latin-letter words in `text` that are not allowed: everything but options
    (`--data-dir`), FIELDAPP_ variables, URLs, absolute paths, `TYPED_AS_IS`, the command
    `names` of the program, and the `data` strings (record ids, numbers, typed values),
    which are taken out of the text first."""
    for value in sorted(data, key=len, reverse=True):  # a longer value before its parts
        text = text.replace(value, " ")
    allowed = TYPED_AS_IS | set(names)
    found = []
    for run in _LATIN_RUN.findall(text):
        word = run.strip(".:',=_")
        if word.startswith("["):  # an optional part of a usage line: [-h], [--json
            word = word.strip("[]")
        if (
            word in allowed
            or _OPTION.fullmatch(word)
            or _VARIABLE.fullmatch(word)
            or "://" in word
            or word.startswith("/")
        ):
            continue
        found.append(word)
    return found
