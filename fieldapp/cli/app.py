"""fieldapp-cli: the core without a GUI, for station IT and scripts.

Exit codes: 0 success; 2 invalid input (each problem on its own line, naming field and rule);
3 wrong password, vault locked or backing off; 4 vault damaged; 1 any other operational error.
No traceback reaches the user; set FIELDAPP_DEBUG=1 to see one.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, Protocol, TextIO

from fieldapp import session as sessions
from fieldapp.atomic import atomic_write
from fieldapp.errors import InvalidInput, UserFacingError, VaultDamaged, WrongPassword
from fieldapp.forms.definitions import ValidationFailed, load_forms
from fieldapp.messages import LANGUAGES, translate
from fieldapp.presentation import describe_conflicts, describe_record, record_title
from fieldapp.store.db import DatabaseError, translate_db_error
from fieldapp.store.records import Record
from fieldapp.store.replica import Replica
from fieldapp.vault import crypto
from fieldapp.vault.vault import Vault

MAX_JSON_INPUT = 16 * 1024 * 1024
EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_LOCKED, EXIT_DAMAGED = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and no traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_INVALID)


Command = Callable[[argparse.Namespace, TextIO], int]


class Extension(Protocol):
    """Commands added by a layer above the core (e.g. sync's enroll/sync/status).

    The core never imports those layers; the program that includes them passes them in
    (`sync.client.cli.run` is the `fieldapp-cli` console script)."""

    COMMANDS: Mapping[str, Command]

    def register(self, sub: argparse._SubParsersAction[Any]) -> None: ...


def build_parser(extensions: Sequence[Extension] = ()) -> argparse.ArgumentParser:
    p = _Parser(prog="fieldapp-cli", description="Community-police field app, command line.")
    p.add_argument("--data-dir", type=Path, help="the vault folder")
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("FIELDAPP_LANG", "ar")
        if os.environ.get("FIELDAPP_LANG") in LANGUAGES
        else "ar",
        help="language of messages and labels (default: ar, or FIELDAPP_LANG)",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="create a new vault")
    init.add_argument("--officer", help="the officer's user name (set again at enrollment)")
    init.add_argument("--station", help="station code (set again at enrollment)")
    init.add_argument("--recovery-key", type=Path, help="station recovery public key file")

    add = sub.add_parser("add", help="add records of TYPE from JSON (object or array)")
    add.add_argument("type")
    add.add_argument("--json", required=True, dest="json_text", help="JSON text, or - for stdin")

    edit = sub.add_parser("edit", help="change fields of a record")
    edit.add_argument("id")
    edit.add_argument("--json", required=True, dest="json_text", help="JSON object, or -")

    delete = sub.add_parser("delete", help="delete a record (kept in history)")
    delete.add_argument("id")

    show = sub.add_parser("show", help="show one record")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")

    lst = sub.add_parser("list", help="list records")
    lst.add_argument("--type")
    lst.add_argument("--limit", type=int, default=None)
    lst.add_argument("--json", action="store_true")

    search = sub.add_parser("search", help="search names, phones, IDs, numbers and text")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true")

    history = sub.add_parser("history", help="every saved state of a record")
    history.add_argument("id")
    history.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write records as JSON to a file you name")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--type")

    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    audit_sub.add_parser("verify", help="check the hash chain")
    audit_list = audit_sub.add_parser("list", help="show entries")
    audit_list.add_argument("--json", action="store_true")

    sub.add_parser("passwd", help="change the vault password")

    keygen = sub.add_parser("recovery-keygen", help="make a station recovery key pair")
    keygen.add_argument("--private-out", type=Path, required=True, help="keep this one offline")
    keygen.add_argument("--public-out", type=Path, required=True, help="give to init")

    recover = sub.add_parser("recover", help="set a new password with the station recovery key")
    recover.add_argument("--private-key", type=Path, required=True)
    sub.add_parser("check", help="full integrity check of the vault")

    forms = sub.add_parser("forms", help="the record types and their fields")
    forms.add_argument("--json", action="store_true")
    for extension in extensions:
        extension.register(sub)
    return p


# --- input helpers ---------------------------------------------------------------------------


def _password(env: str, prompt: str, *, fallback_env: str | None = None) -> str:
    value = os.environ.get(env) or (os.environ.get(fallback_env) if fallback_env else None)
    if value:
        return value
    if not sys.stdin.isatty():
        raise WrongPassword("cli.password_required", variable=env)
    return getpass.getpass(prompt)


def _read_json(text: str) -> Any:
    raw = sys.stdin.read(MAX_JSON_INPUT + 1) if text == "-" else text
    if len(raw) > MAX_JSON_INPUT:
        raise InvalidInput("cli.json_too_large", limit_mb=MAX_JSON_INPUT // 2**20)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput("cli.bad_json", line=exc.lineno, column=exc.colno) from exc


def _read_key_file(path: Path) -> bytes:
    """A recovery key file: the 32 raw key bytes in base64 on one line."""
    try:
        text = path.read_text(encoding="ascii")[:200].strip()
        key = base64.b64decode(text, validate=True)
    except (OSError, ValueError) as exc:
        raise InvalidInput("cli.bad_key_file", path=str(path)) from exc
    if len(key) != 32:
        raise InvalidInput("cli.bad_key_file", path=str(path))
    return key


def _require_data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir is None:
        raise InvalidInput("cli.data_dir_required")
    return Path(args.data_dir)


def _print_json(value: Any, out: TextIO) -> None:
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


# --- commands --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    data_dir = _require_data_dir(args)
    password = _password(
        "FIELDAPP_NEW_PASSWORD", "New password: ", fallback_env="FIELDAPP_PASSWORD"
    )
    recovery = None if args.recovery_key is None else _read_key_file(args.recovery_key)
    kdf = sessions.kdf_from_environment()
    if kdf is not None:
        sys.stderr.write(translate("cli.insecure_kdf_warning", args.lang) + "\n")
    s = sessions.create(
        data_dir,
        password,
        officer=args.officer,
        station=args.station,
        recovery_public_key=recovery,
        kdf=kdf,
    )
    try:
        out.write(s.vault.vault_id + "\n")
    finally:
        s.close()
    return EXIT_OK


def _open(args: argparse.Namespace) -> sessions.Session:
    data_dir = _require_data_dir(args)
    Vault.open(data_dir)  # a missing or foreign folder is reported before asking for a password
    return sessions.unlock(data_dir, _password("FIELDAPP_PASSWORD", "Password: "))


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    payload = _read_json(args.json_text)
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise InvalidInput("cli.json_object_expected")
    s = _open(args)
    try:
        s.store.forms.get(args.type)
        records = s.store.add_many([(args.type, item) for item in items])
    finally:
        s.close()
    for record in records:
        out.write(record.id + "\n")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, out: TextIO) -> int:
    patch = _read_json(args.json_text)
    if not isinstance(patch, dict):
        raise InvalidInput("cli.json_object_expected")
    s = _open(args)
    try:
        record = s.store.edit(args.id, patch)
    finally:
        s.close()
    out.write(record.id + "\n")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        record = s.store.delete(args.id)
    finally:
        s.close()
    out.write(record.id + "\n")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        record = s.store.get(args.id)
        conflicts = Replica(s.store).conflicts_of(record.id) if record.conflict else []
        if args.json:
            shown = record.to_json()
            shown["conflicts"] = conflicts
            shown["files"] = _files_json(s, record.id)
            _print_json(shown, out)
        else:
            text = describe_record(record, s.store.forms, s.store.reference, args.lang)
            out.write(text + "\n")
            form = s.store.forms.get(record.type)
            for line in describe_conflicts(conflicts, form, args.lang, s.store.reference):
                out.write(line + "\n")
    finally:
        s.close()
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
        _print_json(rows, out)
        return
    for r in records:
        title = record_title(r, s.store.forms, args.lang)
        out.write(f"{r.id}  {r.number or '-'}  {title}\n")


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        records = s.store.records(args.type, limit=args.limit)
        s.store.record_audit("list", details={"type": args.type, "count": len(records)})
        _print_records(records, args, s, out)
    finally:
        s.close()
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        hits = s.store.search(args.query, limit=args.limit)
        s.store.record_audit("search", details={"count": len(hits)})
        _print_records([h.record for h in hits], args, s, out, [h.rank for h in hits])
    finally:
        s.close()
    return EXIT_OK


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        revisions = s.store.history(args.id)
        s.store.record_audit("view", record_id=args.id, details={"history": True})
    finally:
        s.close()
    if args.json:
        _print_json([r.__dict__ | {"fields": dict(r.fields)} for r in revisions], out)
    else:
        for r in revisions:
            state = "deleted" if r.deleted else "saved"
            out.write(f"{r.at}  {r.origin}  #{r.local_seq}  rev {r.rev}  {r.author}  {state}\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        records = s.store.records(args.type)
        payload = json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=1)
        atomic_write(args.out, payload.encode("utf-8"))
        s.store.record_audit(
            "export", details={"type": args.type, "count": len(records), "file": args.out.name}
        )
    finally:
        s.close()
    out.write(translate("cli.exported", args.lang, count=len(records), path=str(args.out)) + "\n")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        if args.audit_command == "list":
            entries = list(s.store.audit.entries())
            if args.json:
                _print_json([e.__dict__ | {"details": dict(e.details)} for e in entries], out)
            else:
                for e in entries:
                    row = (e.seq, e.at, e.actor, e.action, e.record_id or "-", e.outcome)
                    out.write("  ".join(str(v) for v in row) + "\n")
            return EXIT_OK
        problems = s.store.audit.verify()
        count = s.store.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        s.close()
    if problems:
        for p in problems:
            sys.stderr.write(
                translate("cli.audit_problem", args.lang, seq=p.seq, problem=p.problem) + "\n"
            )
        return EXIT_DAMAGED
    out.write(translate("cli.audit_ok", args.lang, count=count) + "\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    s = _open(args)
    try:
        s.vault.check_integrity()
        problems = s.store.audit.verify()
    finally:
        s.close()
    if problems:
        raise VaultDamaged()
    out.write(translate("cli.check_ok", args.lang) + "\n")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, out: TextIO) -> int:
    data_dir = _require_data_dir(args)
    vault = Vault.open(data_dir)
    old = _password("FIELDAPP_PASSWORD", "Current password: ")
    new = _password("FIELDAPP_NEW_PASSWORD", "New password: ")
    confirm = not os.environ.get("FIELDAPP_NEW_PASSWORD") and sys.stdin.isatty()
    if confirm and getpass.getpass("New password again: ") != new:
        raise InvalidInput("cli.passwords_differ")
    vault.change_password(old, new, kdf=sessions.kdf_from_environment())
    s = sessions.unlock(data_dir, new)
    try:
        s.store.record_audit("password_changed")
    finally:
        s.close()
    out.write(translate("cli.password_changed", args.lang) + "\n")
    return EXIT_OK


def cmd_recovery_keygen(args: argparse.Namespace, out: TextIO) -> int:
    for path in (args.private_out, args.public_out):
        if path.exists():
            raise InvalidInput("cli.file_exists", path=str(path))
    private, public = crypto.generate_recovery_keypair()
    atomic_write(args.private_out, base64.b64encode(private) + b"\n")
    atomic_write(args.public_out, base64.b64encode(public) + b"\n", mode=0o644)
    out.write(crypto.public_key_fingerprint(public) + "\n")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace, out: TextIO) -> int:
    data_dir = _require_data_dir(args)
    vault = Vault.open(data_dir)
    private = _read_key_file(args.private_key)
    new = _password("FIELDAPP_NEW_PASSWORD", "New password: ")
    vault.unlock_with_recovery(private, new)
    vault.lock()
    s = sessions.unlock(data_dir, new)
    try:
        s.store.record_audit("recovered")
    finally:
        s.close()
    out.write(translate("cli.password_changed", args.lang) + "\n")
    return EXIT_OK


def cmd_forms(args: argparse.Namespace, out: TextIO) -> int:
    registry = load_forms()
    if args.json:
        _print_json([registry.get(t).to_json() for t in registry.types()], out)
    else:
        for t in registry.types():
            form = registry.get(t)
            out.write(f"{t}  v{form.version}  {form.label(args.lang)}  ({len(form.fields)})\n")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "init": cmd_init,
    "add": cmd_add,
    "edit": cmd_edit,
    "delete": cmd_delete,
    "show": cmd_show,
    "list": cmd_list,
    "search": cmd_search,
    "history": cmd_history,
    "export": cmd_export,
    "audit": cmd_audit,
    "check": cmd_check,
    "passwd": cmd_passwd,
    "recovery-keygen": cmd_recovery_keygen,
    "recover": cmd_recover,
    "forms": cmd_forms,
}


def _report(error: UserFacingError, lang: str) -> int:
    if isinstance(error, ValidationFailed):
        for problem in error.errors:
            sys.stderr.write(f"{problem.field}: {problem.rule}: {problem.message(lang)}\n")
    else:
        sys.stderr.write(error.message(lang) + "\n")
    return error.exit_code


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    *,
    extensions: Sequence[Extension] = (),
) -> int:
    """Entry point; returns the exit code (the console script exits with it)."""
    parser = build_parser(extensions)
    commands: dict[str, Command] = dict(COMMANDS)
    for extension in extensions:
        commands.update(extension.COMMANDS)
    args = parser.parse_args(argv)
    out = out or sys.stdout
    try:
        return commands[args.command](args, out)
    except UserFacingError as error:
        return _report(error, args.lang)
    except DatabaseError as exc:  # damage met while reading: a typed error, never a traceback
        translated = translate_db_error(exc)
        if isinstance(translated, UserFacingError):
            return _report(translated, args.lang)
        if os.environ.get("FIELDAPP_DEBUG"):
            raise
        sys.stderr.write(translate("cli.internal_error", args.lang, kind=type(exc).__name__) + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `fieldapp-cli list | head`: the reader left; not an error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silences the exit-time flush)
        return EXIT_OK
    except Exception as exc:  # a bug: say so briefly; the details only on request
        if os.environ.get("FIELDAPP_DEBUG"):
            raise
        sys.stderr.write(translate("cli.internal_error", args.lang, kind=type(exc).__name__) + "\n")
        return EXIT_ERROR


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
