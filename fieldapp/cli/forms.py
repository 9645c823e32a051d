"""fieldapp-cli `forms`: the record types and their fields (no vault needed)."""

from __future__ import annotations

import argparse
from typing import TextIO

from fieldapp.cli.command import Command
from fieldapp.cli.console import print_json
from fieldapp.cli.exit_codes import EXIT_OK
from fieldapp.form_guide import form_guide
from fieldapp.forms.definitions import load_forms
from fieldapp.messages import translate


def _forms_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("type", nargs="?", help="help.forms.type")
    p.add_argument("--json", action="store_true", help="help.json")


def cmd_forms(args: argparse.Namespace, out: TextIO) -> int:
    registry = load_forms()
    if args.type is not None:
        form = registry.get(args.type)  # an unknown type is a clear error (exit 2)
        if args.json:
            print_json(form.to_json(), out)
        else:
            out.write("\n".join(form_guide(form, registry, args.lang).lines()) + "\n")
        return EXIT_OK
    if args.json:
        print_json([registry.get(t).to_json() for t in registry.types()], out)
    else:
        for t in registry.types():
            form = registry.get(t)
            version = translate("forms.version", args.lang, version=form.version)
            out.write(f"{t}  {version}  {form.label(args.lang)}  ({len(form.fields)})\n")
    return EXIT_OK


COMMANDS: tuple[Command, ...] = (
    Command("forms", "help.command.forms", cmd_forms, _forms_arguments),
)
