"""What a subcommand of fieldapp-cli is: a name, a line of help, its arguments and its handler.

Each command module lists its `COMMANDS`; `fieldapp.cli.app` puts them in one `Program`, and a layer
above the core (sync) adds its own with `Program.extended`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TextIO

from fieldapp.cli.exit_codes import EXIT_INVALID

Handler = Callable[[argparse.Namespace, TextIO], int]
"""Runs a parsed command, writing its output to the stream; returns the exit code."""


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and no traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_INVALID)


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes nothing beyond the program's own options."""


@dataclass(frozen=True)
class Command:
    """One subcommand: `arguments` adds its options to its parser, `run` carries it out."""

    name: str
    help: str
    run: Handler
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
