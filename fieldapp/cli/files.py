"""fieldapp-cli commands on a record's files: `attach ID FILE` and `files ID [--save DIR]`.

A file goes into the vault encrypted and leaves with the next sync once its record is on the
server. Saving out writes the files in clear into a folder the person names, under safe names,
and never overwrites anything there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from fieldapp.cli.command import Command
from fieldapp.cli.console import open_session, print_json, reader_digits
from fieldapp.cli.exit_codes import EXIT_OK
from fieldapp.display import isolated
from fieldapp.errors import InvalidInput
from fieldapp.messages import translate, translate_in


def _attach_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="help.record")
    p.add_argument("file", type=Path, help="help.attach.file")
    p.add_argument("--name", help="help.attach.name")
    p.add_argument("--mime", help="help.attach.mime")
    p.add_argument("--json", action="store_true", help="help.json")


def cmd_attach(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        record_id = s.store.resolve(args.id)
        added = s.store.files.attach_path(record_id, args.file, name=args.name, mime=args.mime)
    if args.json:
        print_json(added.to_json(), out)
    else:
        message = translate_in(
            "cli.file_attached",
            args.lang,
            reader_digits(args),
            name=isolated(added.name),
            size=added.size,
            id=isolated(args.id),
        )
        out.write(f"{added.sha256}  {message}\n")
    return EXIT_OK


def _files_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="help.record")
    p.add_argument("--save", type=Path, help="help.files.save")
    p.add_argument("--json", action="store_true", help="help.json")


def cmd_files(args: argparse.Namespace, out: TextIO) -> int:
    """List a record's files; with --save, write them all into DIR, or none if any of their
    names is already taken there (nothing is overwritten) or one has not arrived yet."""
    with open_session(args) as s:
        store = s.store
        record_id = store.resolve(args.id)  # an unknown record is an error, not an empty list
        files = store.files.of(record_id)
        saved: dict[str, Path] = {}
        if args.save is not None:
            if not args.save.is_dir():
                raise InvalidInput("files.bad_folder", path=str(args.save))
            taken: set[Path] = set()
            for file in files:
                if not file.present:
                    raise InvalidInput("files.not_here", name=isolated(file.name))
                target = store.files.target(record_id, file.sha256, args.save)
                # Two files of the record with one safe name would collide half-way through.
                if target in taken or target.exists() or target.is_symlink():
                    raise InvalidInput("files.exists", path=str(target))
                taken.add(target)
            for file in files:
                saved[file.sha256] = store.files.save(record_id, file.sha256, args.save)
    if args.json:
        rows = []
        for file in files:
            row = file.to_json()
            if file.sha256 in saved:
                row["saved_to"] = str(saved[file.sha256])
            rows.append(row)
        print_json(rows, out)
        return EXIT_OK
    if not files:
        out.write(translate("cli.no_files", args.lang) + "\n")
    digits = reader_digits(args)
    for file in files:
        key = "cli.file_line" if file.present else "cli.file_line_not_here"
        line = translate_in(key, args.lang, digits, name=isolated(file.name), size=file.size)
        out.write(f"{file.sha256}  {line}\n")  # the hash: a column scripts cut
        if file.sha256 in saved:
            path = str(saved[file.sha256])
            out.write(translate("cli.file_saved", args.lang, path=isolated(path)) + "\n")
    return EXIT_OK


COMMANDS: tuple[Command, ...] = (
    Command("attach", "help.command.attach", cmd_attach, _attach_arguments),
    Command("files", "help.command.files", cmd_files, _files_arguments),
)
