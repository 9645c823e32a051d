"""fieldapp-cli as installed (`sync.client.cli.main`: the core's CLI with the sync commands)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from sync.client import cli as client_cli

PASSWORD = "كلمة-سر-طويلة"
STATION = "B12"


def run_cli(argv: Sequence[str], out: TextIO) -> int:
    try:
        return client_cli.main(list(argv), out)
    except SystemExit as exit_:  # argparse usage errors
        return int(exit_.code or 0)
