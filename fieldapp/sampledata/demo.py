"""`make demo`: a vault full of realistic sample records to try fieldapp-cli on.

The desktop app and the sync server arrive with their own issues; until then the demo builds
`demo-data/` (gitignored) with generated households, persons and activities and shows what to
type. Running it again reuses the vault.
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("demo-data"))
    parser.add_argument("--households", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if (args.data_dir / "header.json").exists():
        Vault.open(args.data_dir)
        print(f"Using the existing demo vault in {args.data_dir}/")
    else:
        count = build(args.data_dir, args.households, args.seed)
        print(f"Demo vault created in {args.data_dir}/ with {count} generated records.")
    cli = shlex.quote(str(Path(sys.executable).with_name("fieldapp-cli")))
    where = f"--data-dir {shlex.quote(str(args.data_dir))}"
    print(
        "\nThe desktop app and sync are not built yet; the command line works today:\n"
        f"  export FIELDAPP_PASSWORD={shlex.quote(DEMO_PASSWORD)}\n"
        f"  {cli} {where} list --type household\n"
        f"  {cli} {where} search جبوري\n"
        f"  {cli} {where} --lang en list --type family_dispute\n"
        f"  {cli} {where} audit verify\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
