"""`make demo`: a vault full of realistic sample records to try fieldapp-cli on.

The demo builds `demo-data/` (gitignored) with generated households, persons and activities,
says what it holds and prints commands to try, with absolute paths so they work from any
folder. Running it again reuses the vault.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fieldapp import session
from fieldapp.sampledata.generator import generate
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


def built(data_dir: Path) -> tuple[list[tuple[str, int]], str | None]:
    """What the demo vault holds: (record type in English, count) for each type present, and
    the id of one household to try `show` and `history` on."""
    with session.unlock(data_dir, DEMO_PASSWORD) as s:
        forms = s.store.forms
        counts = [(forms.get(t).label("en"), s.store.count(t)) for t in forms.types()]
        households = s.store.listing.page("household", limit=1, lang="en").items
    return [(label, n) for label, n in counts if n], households[0].id if households else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("demo-data"))
    parser.add_argument("--households", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()  # the commands shown work from any folder
    if (data_dir / "header.json").exists():
        Vault.open(data_dir)
        print(f"Using the existing demo vault in {data_dir}/")
    else:
        count = build(data_dir, args.households, args.seed)
        print(f"Demo vault created in {data_dir}/ with {count} generated records.")
    counts, household = built(data_dir)
    print("It holds:")
    for label, n in counts:
        print(f"  {n:5}  {label}")
    cli = shlex.quote(str(Path(sys.executable).with_name("fieldapp-cli")))
    where = f"--data-dir {shlex.quote(str(data_dir))}"
    one = household or "ID"
    print(
        "\nTry the command line (the desktop app is being built; sync runs against a station\n"
        "server, `fieldapp-server`, see docs/SYNC.md). These work from any folder:\n"
        f"  export FIELDAPP_PASSWORD={shlex.quote(DEMO_PASSWORD)}\n"
        f"  {cli} {where} list --type household --limit 10\n"
        f"  {cli} {where} search جبوري\n"
        f"  {cli} {where} --lang en list --type family_dispute --limit 10\n"
        f"  {cli} {where} --lang en show {one}\n"
        f"  {cli} {where} --lang en history {one}\n"
        f"  {cli} --lang en forms family_dispute\n"
        f"  {cli} {where} audit list --limit 10\n"
        f"  {cli} {where} audit verify\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
