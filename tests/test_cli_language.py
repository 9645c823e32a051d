"""Issue 9, section 2: fieldapp-cli's help and its usage errors are in the reader's language
(Arabic by default, `--lang`, FIELDAPP_LANG), argparse's own words included; a usage error is
exit code 2."""

from __future__ import annotations

import pytest

from fieldapp.cli.parser import requested_language, usage_error
from fieldapp.messages import translate
from sync.client.cli import PROGRAM
from tests.drivers.cli import fieldapp_cli, fieldapp_cli_help

LANGS = ("ar", "ckb", "en")


def flat(text: str) -> str:
    """`text` with its lines joined: help wraps long lines at any space."""
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDAPP_LANG", raising=False)


@pytest.mark.parametrize("lang", LANGS)
def test_help_says_usage_the_program_and_each_command_in_the_language(lang: str) -> None:
    shown = fieldapp_cli_help("--lang", lang).out
    assert shown.startswith(translate("help.usage", lang) + " fieldapp-cli ")
    assert translate("help.program", lang) in shown
    assert translate("help.command.history", lang) in flat(shown)
    assert f"{translate('help.options', lang)}:" in shown.splitlines()


def test_help_is_arabic_without_any_language_chosen() -> None:
    assert fieldapp_cli_help().out.startswith(translate("help.usage", "ar") + " ")


def test_fieldapp_lang_chooses_the_language_of_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_LANG", "ckb")
    assert fieldapp_cli_help().out.startswith(translate("help.usage", "ckb") + " ")


def test_lang_on_the_command_line_wins_over_fieldapp_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_LANG", "ckb")
    assert fieldapp_cli_help("--lang=en").out.startswith("usage: ")


@pytest.mark.parametrize("lang", LANGS)
def test_a_commands_help_names_its_options_and_their_values_in_the_language(lang: str) -> None:
    shown = flat(fieldapp_cli_help("--lang", lang, "search").out)
    limit = translate("help.search.limit", lang, default=50, max=499)
    assert f"--limit {translate('help.metavar.limit', lang)} {flat(limit)}" in shown
    assert translate("help.search.query", lang) in shown
    assert translate("help.help", lang) in shown


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_argument_is_named_in_the_language_with_exit_2(lang: str) -> None:
    result = fieldapp_cli("--lang", lang, "show")
    assert (result.code, result.out) == (2, "")
    record = translate("help.metavar.id", lang)
    said = translate("help.error.required", lang, arg=record)
    assert result.err.splitlines()[-1] == translate(
        "help.error", lang, prog="fieldapp-cli show", message=said
    )
    assert result.err.startswith(translate("help.usage", lang) + " fieldapp-cli show ")


@pytest.mark.parametrize("lang", LANGS)
def test_a_limit_that_is_not_a_number_is_refused_in_the_language(lang: str) -> None:
    result = fieldapp_cli("--lang", lang, "list", "--limit", "ten")
    assert result.code == 2
    problem = translate("help.error.not_a_number", lang, value="'ten'")
    said = translate("help.error.argument", lang, argument_name="--limit", message=problem)
    assert said in result.err


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_command_is_refused_in_the_language_naming_it_and_the_commands(
    lang: str,
) -> None:
    result = fieldapp_cli("--lang", lang, "frobnicate")
    assert result.code == 2
    choices = ", ".join(repr(command.name) for command in PROGRAM.commands)
    problem = translate("help.error.invalid_choice", lang, value="'frobnicate'", choices=choices)
    command = translate("help.metavar.command", lang)
    assert translate("help.error.argument", lang, argument_name=command, message=problem) in (
        result.err
    )


def test_an_argparse_message_this_version_does_not_know_keeps_its_text_after_a_lead() -> None:
    said = usage_error("something a newer Python says", "ar")
    assert said == translate("help.error.other", "ar", message="something a newer Python says")


def test_the_last_lang_on_the_command_line_is_the_one_used() -> None:
    argv = ["--lang", "ckb", "list", "--lang=en"]
    assert requested_language(argv, environ={"FIELDAPP_LANG": "ar"}) == "en"


def test_an_unknown_language_is_refused_in_arabic() -> None:
    assert requested_language(["--lang", "fr"], environ={}) == "ar"
    result = fieldapp_cli("--lang", "fr", "forms")
    assert result.code == 2
    problem = translate(
        "help.error.invalid_choice", "ar", value="'fr'", choices="'ar', 'ckb', 'en'"
    )
    said = translate("help.error.argument", "ar", argument_name="--lang", message=problem)
    assert said in result.err


def test_words_after_a_double_dash_are_not_read_as_the_language() -> None:
    assert requested_language(["search", "--", "--lang", "en"], environ={}) == "ar"
