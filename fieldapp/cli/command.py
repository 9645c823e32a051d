"""What a subcommand of fieldapp-cli is: a name, a line of help, its arguments and its handler.

Help texts are message keys (`resources/messages/help.json`): the command's own is
`help.command.<name>`, its options' are given as `help=` keys (`HelpText` for one with
placeholders), and `fieldapp.cli.parser.Parser` says them in the reader's language.

Each command module lists its `COMMANDS`; `fieldapp.cli.app` puts them in one `Program`, and a layer
above the core (sync) adds its own with `Program.extended`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from fieldapp.cli.parser import HelpText, Parser

__all__ = ["Command", "Handler", "HelpText", "Parser", "no_arguments"]

Handler = Callable[[argparse.Namespace, TextIO], int]
"""Runs a parsed command, writing its output to the stream; returns the exit code."""


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes nothing beyond the program's own options."""


@dataclass(frozen=True)
class Command:
    """One subcommand: `arguments` adds its options to its parser, `run` carries it out;
    `help` is the message key of its line of help."""

    name: str
    help: str
    run: Handler
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
