"""fieldapp-cli commands on records: add, edit, delete, show, list, search, history, export."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from fieldapp import session as sessions
from fieldapp.atomic import atomic_write
from fieldapp.cli.command import Command
from fieldapp.cli.console import open_session, print_json, read_json, require_data_dir
from fieldapp.cli.exit_codes import EXIT_OK
from fieldapp.errors import InvalidInput
from fieldapp.messages import translate
from fieldapp.presentation import describe_conflicts, describe_record, record_title
from fieldapp.store.records import Record
from fieldapp.store.replica import PULLED_INVALID_FLAG, Replica
from fieldapp.text import printable


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("type")
    p.add_argument("--json", required=True, dest="json_text", help="JSON text, or - for stdin")


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
    p.add_argument("id")
    p.add_argument("--json", required=True, dest="json_text", help="JSON object, or -")


def cmd_edit(args: argparse.Namespace, out: TextIO) -> int:
    patch = read_json(args.json_text)
    if not isinstance(patch, dict):
        raise InvalidInput("cli.json_object_expected")
    with open_session(args) as s:
        record = s.store.edit(args.id, patch)
    out.write(record.id + "\n")
    return EXIT_OK


def _id_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")


def cmd_delete(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        record = s.store.delete(args.id)
    out.write(record.id + "\n")
    return EXIT_OK


def _id_and_json_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument("--json", action="store_true")


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        record = s.store.get(args.id)
        conflicts = Replica(s.store).conflicts_of(record.id) if record.conflict else []
        if args.json:
            shown = record.to_json()
            shown["conflicts"] = conflicts
            shown["files"] = _files_json(s, record.id)
            print_json(shown, out)
        else:
            text = describe_record(record, s.store.forms, s.store.reference, args.lang)
            out.write(text + "\n")
            if PULLED_INVALID_FLAG in record.flags:
                out.write(translate("cli.pulled_invalid", args.lang) + "\n")
            form = s.store.forms.get(record.type)
            for line in describe_conflicts(conflicts, form, args.lang, s.store.reference):
                out.write(line + "\n")
    return EXIT_OK


def _files_json(s: sessions.Session, record_id: str) -> list[dict[str, Any]]:
    """A record's files for `show --json`; `here` is false while one is still downloading."""
    files = []
    for sha, name, mime, size in s.store.attachments_of(record_id):
        info = s.store.attachments.info(sha)
        here = info is not None and info.complete
        files.append({"sha256": sha, "name": name, "mime": mime, "size": size, "here": here})
    return files


def _print_records(
    records: Sequence[Record],
    args: argparse.Namespace,
    s: sessions.Session,
    out: TextIO,
    ranks: Sequence[float] | None = None,
) -> None:
    if args.json:
        rows = [r.to_json() for r in records]
        if ranks is not None:
            for row, rank in zip(rows, ranks, strict=True):
                row["rank"] = rank
        print_json(rows, out)
        return
    for r in records:
        title = record_title(r, s.store.forms, args.lang)
        out.write(f"{printable(r.id)}  {printable(r.number or '-')}  {title}\n")


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", action="store_true")


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        records = s.store.records(args.type, limit=args.limit)
        s.store.record_audit("list", details={"type": args.type, "count": len(records)})
        _print_records(records, args, s, out)
    return EXIT_OK


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        hits = s.store.search(args.query, limit=args.limit)
        s.store.record_audit("search", details={"count": len(hits)})
        _print_records([h.record for h in hits], args, s, out, [h.rank for h in hits])
    return EXIT_OK


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        revisions = s.store.history(args.id)
        s.store.record_audit("view", record_id=args.id, details={"history": True})
    if args.json:
        print_json([r.__dict__ | {"fields": dict(r.fields)} for r in revisions], out)
    else:
        for r in revisions:
            state = "deleted" if r.deleted else "saved"
            line = f"{r.at}  {r.origin}  #{r.local_seq}  rev {r.rev}  {r.author}  {state}"
            out.write(printable(line) + "\n")
    return EXIT_OK


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--type")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


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
    _check_export_target(args.out, require_data_dir(args), force=args.force)
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
    Command("add", "add records of TYPE from JSON (object or array)", cmd_add, _add_arguments),
    Command("edit", "change fields of a record", cmd_edit, _edit_arguments),
    Command("delete", "delete a record (kept in history)", cmd_delete, _id_argument),
    Command("show", "show one record", cmd_show, _id_and_json_arguments),
    Command("list", "list records", cmd_list, _list_arguments),
    Command("search", "search names, phones, IDs, numbers and text", cmd_search, _search_arguments),
    Command("history", "every saved state of a record", cmd_history, _id_and_json_arguments),
    Command("export", "write records as JSON to a file you name", cmd_export, _export_arguments),
)
