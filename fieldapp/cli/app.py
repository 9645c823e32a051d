"""fieldapp-cli: the core without a GUI, for station IT and scripts.

The program is one list of commands (`Program`): the core's from `vault_commands`, `records`,
`files` and `forms`; a layer above the core adds its own with `Program.extended`
(`sync.client.cli` is the installed `fieldapp-cli`, with enroll/sync/status). The core never
imports those layers.

Exit codes (`exit_codes.py`): 0 success; 2 invalid input (each problem on its own line, led by
the field's label; as JSON with key and rule when the command was asked for JSON); 3 wrong
password, vault locked or backing off; 4 vault damaged; 1 any other operational error. No
traceback reaches the user; set FIELDAPP_DEBUG=1 to see one.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from fieldapp.cli import files, forms, records, vault_commands
from fieldapp.cli.command import Command, Handler, Parser
from fieldapp.cli.console import print_json
from fieldapp.cli.exit_codes import (
    CORE_EXIT_CODES,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    ExitCodes,
    exit_code_for,
)
from fieldapp.cli.parser import requested_language
from fieldapp.errors import UserFacingError
from fieldapp.forms.validation import ValidationFailed
from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate
from fieldapp.store.db import DatabaseError, translate_db_error
from fieldapp.text import printable
from fieldapp.vault import kdf_policy

CORE_COMMANDS: tuple[Command, ...] = (
    *vault_commands.COMMANDS,
    *records.COMMANDS,
    *files.COMMANDS,
    *forms.COMMANDS,
)


@dataclass(frozen=True)
class Program:
    """fieldapp-cli as a value: its subcommands, and the exit code of each kind of error."""

    commands: tuple[Command, ...]
    exit_codes: ExitCodes = field(default_factory=lambda: dict(CORE_EXIT_CODES))

    def __post_init__(self) -> None:
        names = [c.name for c in self.commands]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"fieldapp-cli commands defined twice: {', '.join(twice)}")

    def extended(self, commands: Sequence[Command], exit_codes: ExitCodes | None = None) -> Program:
        """This program with more commands, and exit codes for the errors they raise."""
        return Program((*self.commands, *commands), {**self.exit_codes, **(exit_codes or {})})

    def parser(self, lang: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
        """The argument parser in `lang`: the program's options, then one subparser per
        command. Help texts are message keys (resources/messages/help.json)."""
        p = Parser(prog="fieldapp-cli", description="help.program", lang=lang)
        p.add_argument("--data-dir", type=Path, help="help.data_dir")
        language = os.environ.get("FIELDAPP_LANG")
        p.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=language if language in LANGUAGES else "ar",
            help="help.lang",
        )
        sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
        for command in self.commands:
            help_key = command.help
            command.arguments(sub.add_parser(command.name, help=help_key, description=help_key))
        _program_options_everywhere(p)
        return p

    def handlers(self) -> Mapping[str, Handler]:
        return {c.name: c.run for c in self.commands}

    def main(self, argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
        """Run one command line; returns the exit code. Usage errors raise SystemExit(2)."""
        # The parser speaks the language asked for, so it must be known before parsing.
        lang = requested_language(sys.argv[1:] if argv is None else argv)
        args = self.parser(lang).parse_args(argv)
        out = out or sys.stdout
        try:
            kdf_policy.in_test_profile()  # a stray FIELDAPP_KDF_PROFILE stops every command
            return self.handlers()[args.command](args, out)
        except UserFacingError as error:
            return self._report(error, args)
        except DatabaseError as exc:  # damage met while reading: a typed error, never a traceback
            translated = translate_db_error(exc)
            if isinstance(translated, UserFacingError):
                return self._report(translated, args)
            return _internal_error(exc, args.lang)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:  # `fieldapp-cli list | head`: the reader left; not an error
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silences the exit-time flush)
            return EXIT_OK
        except Exception as exc:  # a bug: say so briefly; the details only on request
            return _internal_error(exc, args.lang)

    def _report(self, error: UserFacingError, args: argparse.Namespace) -> int:
        """The error on stderr; invalid fields for people (a heading, then each problem led by
        the field's label), or for scripts as one JSON object with each field's key and rule
        when the command was asked for JSON (`--json` output, or `--json-errors`)."""
        lang = args.lang
        if isinstance(error, ValidationFailed) and _wants_json(args):
            problems = [
                {"field": p.field, "rule": p.rule, "message": p.message(lang)} for p in error.errors
            ]
            print_json({"errors": problems}, sys.stderr)
        elif isinstance(error, ValidationFailed):
            # Already printable: data inside is escaped, and the isolates around values stay.
            sys.stderr.write(error.message(lang) + "\n")
        else:
            sys.stderr.write(printable(error.message(lang)) + "\n")
        return exit_code_for(error, self.exit_codes)


def _program_options_everywhere(program: argparse.ArgumentParser) -> None:
    """Let every command (and subcommand) take the program's options too, so that
    `fieldapp-cli list --lang en` is `fieldapp-cli --lang en list`.

    Each command's parser gets a copy of each option without a default (SUPPRESS): given after
    the command it sets the value, else the program's own (and its default) stands."""
    options = [a for a in program._actions if a.option_strings and a.dest != "help"]
    for parser in _command_parsers(program):
        for option in options:
            twin = copy.copy(option)
            twin.default = argparse.SUPPRESS
            parser._add_action(twin)


def _command_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                yield command
                yield from _command_parsers(command)


def _wants_json(args: argparse.Namespace) -> bool:
    # `--json` is an output switch on most commands, but the input text on add and edit.
    return getattr(args, "json", None) is True or getattr(args, "json_errors", False) is True


def _internal_error(exc: Exception, lang: str) -> int:
    if os.environ.get("FIELDAPP_DEBUG"):
        raise exc
    sys.stderr.write(translate("cli.internal_error", lang, kind=type(exc).__name__) + "\n")
    return EXIT_ERROR


PROGRAM = Program(CORE_COMMANDS)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """The core's fieldapp-cli (without sync); returns the exit code."""
    return PROGRAM.main(argv, out)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
