"""fieldapp-cli commands on records: add, edit, delete, show, list, search, history, export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from fieldapp.atomic import atomic_write
from fieldapp.cli.command import Command, HelpText
from fieldapp.cli.console import (
    open_session,
    print_json,
    read_json,
    reader_digits,
    vault_folder,
)
from fieldapp.cli.exit_codes import EXIT_ERROR, EXIT_OK
from fieldapp.display import isolated
from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import FormRegistry
from fieldapp.history import history_view
from fieldapp.messages import translate
from fieldapp.presentation import number_text, record_title, record_view
from fieldapp.store.listing import (
    MAX_SEARCH_RESULTS,
    MIN_QUERY_CHARS,
    PageKey,
    RecordSummary,
    match_expression,
)
from fieldapp.text import printable, record_number

LIST_PAGE = 200


def _json_errors_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json-errors",
        action="store_true",
        help="help.json_errors",
    )


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("type", help="help.add.type")
    p.add_argument("--json", required=True, dest="json_text", help="help.add.json")
    _json_errors_argument(p)


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    payload = read_json(args.json_text)
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise InvalidInput("cli.json_object_expected")
    with open_session(args) as s:
        s.store.forms.get(args.type)
        records = s.store.add_many([(args.type, item) for item in items])
    for record in records:
        out.write(record.id + "\n")
    return EXIT_OK


def _edit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="help.record")
    p.add_argument("--json", required=True, dest="json_text", help="help.edit.json")
    _json_errors_argument(p)


def cmd_edit(args: argparse.Namespace, out: TextIO) -> int:
    patch = read_json(args.json_text)
    if not isinstance(patch, dict):
        raise InvalidInput("cli.json_object_expected")
    with open_session(args) as s:
        record = s.store.edit(s.store.resolve(args.id), patch)
    out.write(record.id + "\n")
    return EXIT_OK


def _id_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="help.record")


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    _id_argument(p)
    p.add_argument("--yes", action="store_true", help="help.delete.yes")


# Answers that confirm a delete, in any of the app's languages.
YES_ANSWERS = frozenset({"y", "yes", "نعم", "ن", "بەڵێ", "بەلێ", "ب"})


def cmd_delete(args: argparse.Namespace, out: TextIO) -> int:
    """Delete after saying which records refer to this one, and after a yes on the terminal
    (or --yes). A script without --yes is refused: nothing is deleted by a stray pipe."""
    with open_session(args) as s:
        record = s.store.get(s.store.resolve(args.id))
        referring = s.store.listing.referring_to(record.id, lang=args.lang)
        if referring:
            sys.stderr.write(translate("cli.delete_referred", args.lang, count=len(referring)))
            sys.stderr.write("\n")
            for row in referring:
                line = f"  {number_text(row.number, args.lang)}  {isolated(row.title)}  "
                line += isolated(row.id)
                sys.stderr.write(line + "\n")
        if not args.yes:
            if not sys.stdin.isatty():
                raise InvalidInput("cli.delete_needs_yes", id=record.id)
            title = record_title(record, s.store.forms, args.lang)
            number = isolated(record.number or record.id)
            question = translate(
                "cli.delete_confirm", args.lang, title=isolated(title), number=number
            )
            sys.stderr.write(question)
            sys.stderr.flush()
            if sys.stdin.readline().strip().lower() not in YES_ANSWERS:
                sys.stderr.write(translate("cli.delete_kept", args.lang) + "\n")
                return EXIT_ERROR
        s.store.delete(record.id)
    out.write(record.id + "\n")
    return EXIT_OK


def _id_and_json_arguments(p: argparse.ArgumentParser) -> None:
    _id_argument(p)
    p.add_argument("--json", action="store_true", help="help.json")


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        view = record_view(s.store, s.store.resolve(args.id), args.lang, reader_digits(args))
    if args.json:
        print_json(view.to_json(), out)
    else:
        out.write("\n".join(view.lines()) + "\n")
    return EXIT_OK


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", help="help.only_type")
    p.add_argument("--limit", type=int, default=None, help="help.list.limit")
    p.add_argument("--after", help="help.list.after")
    p.add_argument("--json", action="store_true", help="help.json")


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """Records newest change first, read page by page (keyset, never OFFSET). Text rows are
    summaries; --json rows are the full records, as scripts have always had them."""
    if args.limit is not None and args.limit < 1:
        raise InvalidInput("cli.bad_limit")
    after = None if args.after is None else PageKey.from_token(args.after)
    with open_session(args) as s:
        rows: list[RecordSummary] = []
        while args.limit is None or len(rows) < args.limit:
            want = LIST_PAGE if args.limit is None else min(LIST_PAGE, args.limit - len(rows))
            page = s.store.listing.page(args.type, after=after, limit=want, lang=args.lang)
            rows += page.items
            after = page.next_key
            if after is None:
                break
        s.store.record_audit("list", details={"type": args.type, "count": len(rows)})
        if args.json:
            print_json([s.store.get(row.id).to_json() for row in rows], out)
        else:
            for row in rows:
                out.write(_summary_line(s.store.forms, row, args.lang))
    if after is not None:  # --limit stopped before the end: say how to go on
        sys.stderr.write(translate("cli.list_more", args.lang, after=after.token()) + "\n")
    return EXIT_OK


def _summary_line(forms: FormRegistry, row: RecordSummary, lang: str) -> str:
    """A list or search row as an officer reads it: number and record type first, then the
    title, and the id last for scripts and support. The number and title are isolated (a
    Latin name or number keeps its direction in an Arabic line); the id is a column scripts
    cut, and its Latin letters hold it together in any line."""
    label = _type_label(forms, row.type, lang)
    return f"{number_text(row.number, lang)}  {label}  {isolated(row.title)}  {printable(row.id)}\n"


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="help.search.query")
    limit = HelpText("help.search.limit", default=SEARCH_LIMIT_DEFAULT, max=SEARCH_LIMIT_MAX)
    p.add_argument("--limit", type=int, default=SEARCH_LIMIT_DEFAULT, help=limit)
    p.add_argument("--json", action="store_true", help="help.json")


SEARCH_LIMIT_DEFAULT = 50
# One more than shown is asked for, to know whether more exist beyond --limit.
SEARCH_LIMIT_MAX = MAX_SEARCH_RESULTS - 1


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    """Matching records best first. Text rows say each record's id, number, type and title;
    stderr says how many were shown, that more exist beyond --limit, or that none matched."""
    if args.limit < 1:
        raise InvalidInput("cli.bad_limit")
    shown = min(args.limit, SEARCH_LIMIT_MAX)
    summaries: list[RecordSummary] = []
    more = False
    with open_session(args) as s:
        if args.json:  # full records with their rank, as scripts have always had them
            hits = s.store.search(args.query, limit=args.limit)
            rows = [h.record.to_json() | {"rank": h.rank} for h in hits]
        else:
            found = s.store.listing.search(args.query, limit=shown + 1, lang=args.lang)
            more = len(found) > shown
            summaries = [h.summary for h in found[:shown]]
            rows = [{"id": summary.id} for summary in summaries]
        s.store.record_audit("search", details={"count": len(rows)})
    if args.json:
        print_json(rows, out)
        return EXIT_OK
    forms = s.store.forms
    out.write("".join(_summary_line(forms, summary, args.lang) for summary in summaries))
    if not rows and match_expression(args.query) is None and record_number(args.query) is None:
        note = translate("cli.search_too_short", args.lang, min=MIN_QUERY_CHARS)
    elif not rows:
        note = translate("cli.search_none", args.lang, query=isolated(args.query))
    elif more:
        note = translate("cli.search_more", args.lang, count=len(rows))
    else:
        note = translate("cli.search_found", args.lang, count=len(rows))
    sys.stderr.write(note + "\n")
    return EXIT_OK


def _type_label(forms: FormRegistry, record_type: str, lang: str) -> str:
    # A type this app version does not know (pulled from a newer server) shows as stored.
    return forms.get(record_type).label(lang) if record_type in forms else printable(record_type)


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        view = history_view(s.store, s.store.resolve(args.id), args.lang, reader_digits(args))
    if args.json:
        print_json(view.to_json(), out)
    else:
        out.write("\n".join(view.lines()) + "\n")
    return EXIT_OK


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, help="help.export.out")
    p.add_argument("--type", help="help.only_type")
    p.add_argument("--force", action="store_true", help="help.export.force")


def _check_export_target(path: Path, data_dir: Path, *, force: bool) -> None:
    """Refuse, before unlocking, an export the person cannot have meant: into a folder that is
    not there, onto a folder, over an existing file without --force, or into the vault folder,
    where a plaintext copy would sit beside the encrypted one and travel with every backup."""
    if path.is_dir():
        raise InvalidInput("cli.export_is_folder", path=str(path))
    if not path.parent.is_dir():
        raise InvalidInput("cli.export_no_folder", folder=str(path.parent))
    if path.resolve().is_relative_to(data_dir.resolve()):
        raise InvalidInput("cli.export_into_vault", path=str(path))
    if path.exists() and not force:
        raise InvalidInput("cli.export_exists", path=str(path))


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    _check_export_target(args.out, vault_folder(args), force=args.force)
    with open_session(args) as s:
        records = s.store.records(args.type)
        payload = json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=1)
        atomic_write(args.out, payload.encode("utf-8"))
        s.store.record_audit(
            "export", details={"type": args.type, "count": len(records), "file": args.out.name}
        )
    out.write(translate("cli.exported", args.lang, count=len(records), path=str(args.out)) + "\n")
    return EXIT_OK


COMMANDS: tuple[Command, ...] = (
    Command("add", "help.command.add", cmd_add, _add_arguments),
    Command("edit", "help.command.edit", cmd_edit, _edit_arguments),
    Command("delete", "help.command.delete", cmd_delete, _delete_arguments),
    Command("show", "help.command.show", cmd_show, _id_and_json_arguments),
    Command("list", "help.command.list", cmd_list, _list_arguments),
    Command("search", "help.command.search", cmd_search, _search_arguments),
    Command("history", "help.command.history", cmd_history, _id_and_json_arguments),
    Command("export", "help.command.export", cmd_export, _export_arguments),
)
