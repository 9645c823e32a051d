"""fieldapp-cli's argument parser, speaking the reader's language (Arabic by default).

argparse writes its own words in English ("usage:", "options:", "the following arguments are
required ...") through the process-wide gettext, which we leave alone (every other parser in the
process shares it). Instead, a `Parser` is built in one language:

- help texts, descriptions and placeholders (metavars) are message keys of
  `resources/messages/help.json`, translated as the parser is built and its help is written;
- argparse's headings and its `-h` option are replaced by ours;
- a usage error's English text is matched against argparse's own message templates (its
  gettext message ids) and said again from the catalogue, then exit code 2.

The language must be known before the parser exists: `requested_language` reads it from the
command line (`--lang`), FIELDAPP_LANG or the default, Arabic.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

from fieldapp.cli.exit_codes import EXIT_INVALID
from fieldapp.messages import DEFAULT_LANGUAGE, LANGUAGES, translate

LANG_ENV = "FIELDAPP_LANG"


def requested_language(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """The language asked for by `--lang X` / `--lang=X` anywhere in `argv` (the last one
    wins, as in argparse), else FIELDAPP_LANG, else Arabic. An unknown value is left for the
    parser to refuse, in the default language."""
    chosen = environ.get(LANG_ENV, DEFAULT_LANGUAGE)
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


class HelpText(str):
    """A help message key with values for its placeholders, where argparse wants a help string:
    `HelpText("help.search.limit", max=499)`."""

    params: Mapping[str, object]

    def __new__(cls, key: str, **params: object) -> HelpText:
        text = super().__new__(cls, key)
        text.params = params
        return text


def help_text(text: str, lang: str) -> str:
    """A help key (or `HelpText`) in `lang`."""
    params = text.params if isinstance(text, HelpText) else {}
    return translate(str(text), lang, **params)


class _Formatter(argparse.HelpFormatter):
    """argparse's layout with our words: the usage prefix, descriptions and help texts."""

    def __init__(self, prog: str, *, lang: str) -> None:
        super().__init__(prog)
        self.lang = lang

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            prefix = translate("help.usage", self.lang) + " "
        super().add_usage(usage, actions, groups, prefix)

    def add_text(self, text: str | None) -> None:
        super().add_text(None if text is None else help_text(text, self.lang))

    def _expand_help(self, action: argparse.Action) -> str:
        # Our help texts are message keys with {placeholders}, never argparse's %(name)s.
        return help_text(action.help or "", self.lang)


class Parser(argparse.ArgumentParser):
    """argparse in one language: help from the catalogues, and usage errors said in that
    language with exit code 2 and no traceback. Subcommands' parsers inherit the language."""

    def __init__(self, *args: Any, lang: str = DEFAULT_LANGUAGE, **kwargs: Any) -> None:
        kwargs["formatter_class"] = functools.partial(_Formatter, lang=lang)
        kwargs["add_help"] = False  # ours below, with its help text translated
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = translate("help.positionals", lang)
        self._optionals.title = translate("help.options", lang)
        self.add_argument("-h", "--help", action="help", help="help.help")

    def add_argument(self, *name_or_flags: str, **kwargs: Any) -> argparse.Action:
        """argparse's `add_argument`; `help` is a message key, and the placeholder shown for
        the value (its metavar) is `help.metavar.<dest>` (or the key given as `metavar`)."""
        action = super().add_argument(*name_or_flags, **kwargs)
        if action.nargs != 0 and action.choices is None:  # choices are shown as they are typed
            given = action.metavar if isinstance(action.metavar, str) else None
            action.metavar = translate(given or f"help.metavar.{action.dest}", self.lang)
        return action

    def add_subparsers(self, **kwargs: Any) -> Any:
        """Subcommands whose parsers speak this parser's language; the placeholder for the
        subcommand (used in errors) is `help.metavar.<dest>`."""
        kwargs["parser_class"] = functools.partial(type(self), lang=self.lang)
        kwargs.setdefault("metavar", translate(f"help.metavar.{kwargs.get('dest')}", self.lang))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = usage_error(message, self.lang)
        sys.stderr.write(translate("help.error", self.lang, prog=self.prog, message=said) + "\n")
        raise SystemExit(EXIT_INVALID)


# argparse's usage-error message ids (gettext msgids, the same from Python 3.11 to 3.13), and
# the catalogue key that says each one. `%(name)s` and `%s` are what argparse fills in.
_ARGPARSE_ERRORS: tuple[tuple[str, str], ...] = (
    ("argument %(argument_name)s: %(message)s", "help.error.argument"),
    ("the following arguments are required: %s", "help.error.required"),
    ("unrecognized arguments: %s", "help.error.unrecognized"),
    ("invalid choice: %(value)r (choose from %(choices)s)", "help.error.invalid_choice"),
    ("invalid %(type)s value: %(value)r", "help.error.invalid_value"),
    ("expected one argument", "help.error.expected_one"),
    ("expected at most one argument", "help.error.expected_at_most_one"),
    ("expected at least one argument", "help.error.expected_at_least_one"),
    ("ambiguous option: %(option)s could match %(matches)s", "help.error.ambiguous"),
    ("not allowed with argument %s", "help.error.not_allowed_with"),
    ("ignored explicit argument %r", "help.error.ignored_argument"),
    ("one of the arguments %s is required", "help.error.one_required"),
    ("unexpected option string: %s", "help.error.unexpected_option"),
)


def _pattern(msgid: str) -> re.Pattern[str]:
    pattern = re.escape(msgid)
    pattern = re.sub(r"%\\\((\w+)\\\)[sr]", r"(?P<\1>.+?)", pattern)
    pattern = re.sub(r"%[sr]", r"(?P<arg>.+?)", pattern)
    return re.compile(f"^{pattern}$", re.DOTALL)


_PATTERNS = tuple((_pattern(msgid), key) for msgid, key in _ARGPARSE_ERRORS)


def usage_error(message: str, lang: str) -> str:
    """argparse's English usage error `message` said in `lang`; the values it names (options,
    choices, what was typed) are kept as they are. One argparse does not say (a newer Python's)
    is given whole after a translated lead."""
    for pattern, key in _PATTERNS:
        match = pattern.match(message)
        if match is None:
            continue
        params = match.groupdict()
        if key == "help.error.invalid_value" and params.get("type") == "int":
            key = "help.error.not_a_number"
        if "message" in params:  # "argument --limit: <the problem>"
            params["message"] = usage_error(params["message"], lang)
        params.pop("type", None)  # argparse's type names (int, Path) mean nothing to an officer
        return translate(key, lang, **params)
    return translate("help.error.other", lang, message=message)
