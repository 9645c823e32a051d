"""`make demo`: a vault full of realistic sample records to try fieldapp-cli on.

The demo builds `demo-data/` (gitignored) with generated households, persons and activities,
says what it holds and prints commands to try, with absolute paths so they work from any
folder. Running it again reuses the vault. It speaks the reader's language like fieldapp-cli
(`--lang`, FIELDAPP_LANG, Arabic by default), and its commands run in that language.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fieldapp import session
from fieldapp.messages import LANGUAGES, translate
from fieldapp.sampledata.generator import generate
from fieldapp.text import isolate
from fieldapp.vault.vault import Vault

DEMO_PASSWORD = "demo vault of sample records"  # noqa: S105 (sample data only; never real records)
DEMO_STATION = "B12"


def build(data_dir: Path, households: int, seed: int) -> int:
    """Create the demo vault with generated records; returns how many were added."""
    with session.create(data_dir, DEMO_PASSWORD, officer="demo.officer", station=DEMO_STATION) as s:
        conn = s.store.connection
        conn.execute("BEGIN IMMEDIATE")
        s.store.numbers.add_block(DEMO_STATION, date.today().year, 1, 100_000)
        conn.execute("COMMIT")
        records = generate(seed, households, today=date.today())
        s.store.add_many([(r.type, r.fields, r.id) for r in records])
        return len(records)


def built(data_dir: Path, lang: str = "en") -> tuple[list[tuple[str, int]], str | None]:
    """What the demo vault holds: (record type in `lang`, count) for each type present, and
    the number (or id) of one household to try `show` and `history` on."""
    with session.unlock(data_dir, DEMO_PASSWORD) as s:
        forms = s.store.forms
        counts = [(forms.get(t).label(lang), s.store.count(t)) for t in forms.types()]
        households = s.store.listing.page("household", limit=1, lang=lang).items
    one = (households[0].number or households[0].id) if households else None
    return [(label, n) for label, n in counts if n], one


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("demo-data"))
    parser.add_argument("--households", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    language = os.environ.get("FIELDAPP_LANG", "ar")
    parser.add_argument("--lang", choices=LANGUAGES, default=language)
    args = parser.parse_args(argv)
    lang = args.lang if args.lang in LANGUAGES else "ar"
    data_dir = args.data_dir.resolve()  # the commands shown work from any folder
    folder = isolate(f"{data_dir}/")
    if (data_dir / "header.json").exists():
        Vault.open(data_dir)
        print(translate("demo.reused", lang, folder=folder))
    else:
        count = build(data_dir, args.households, args.seed)
        print(translate("demo.created", lang, folder=folder, count=count))
    counts, household = built(data_dir, lang)
    print(translate("demo.holds", lang))
    for label, n in counts:
        print(f"  {n:5}  {label}")
    print()
    print(translate("demo.try", lang, server="fieldapp-server", guide=isolate("docs/SYNC.md")))
    print(f"  export FIELDAPP_PASSWORD={shlex.quote(DEMO_PASSWORD)}")
    for command in _commands_to_try(data_dir, household, lang):
        print(f"  {command}")
    return 0


def _commands_to_try(data_dir: Path, household: str | None, lang: str) -> list[str]:
    """fieldapp-cli commands on the demo vault, in the reader's language, from any folder."""
    cli = shlex.quote(str(Path(sys.executable).with_name("fieldapp-cli")))
    if lang != "ar":  # Arabic is the default
        cli += f" --lang {lang}"
    where = f"--data-dir {shlex.quote(str(data_dir))}"
    one = household or "ID"
    return [
        f"{cli} {where} list --type household --limit 10",
        f"{cli} {where} search جبوري",
        f"{cli} {where} list --type family_dispute --limit 10",
        f"{cli} {where} show {one}",
        f"{cli} {where} history {one}",
        f"{cli} forms family_dispute",
        f"{cli} {where} audit list --limit 10",
        f"{cli} {where} audit verify",
    ]


if __name__ == "__main__":
    sys.exit(main())
