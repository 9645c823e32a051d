"""fieldapp-cli commands on the vault itself: init, audit, passwd, recovery-keygen, recover,
check."""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import TextIO

from fieldapp import session as sessions
from fieldapp.atomic import atomic_write
from fieldapp.cli.command import Command, HelpText, Parser
from fieldapp.cli.console import (
    NEW_PASSWORD_ENV,
    PASSWORD_ENV,
    ask_new_password,
    ask_password,
    create_session,
    find_vault,
    open_session,
    print_json,
    read_key_file,
    requested_kdf,
)
from fieldapp.cli.exit_codes import EXIT_DAMAGED, EXIT_OK
from fieldapp.dates import local_time
from fieldapp.errors import InvalidInput, VaultDamaged
from fieldapp.messages import translate, word
from fieldapp.text import printable
from fieldapp.vault import crypto


def _init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--officer", help="help.init.officer")
    p.add_argument("--station", help="help.init.station")
    p.add_argument("--recovery-key", type=Path, help="help.init.recovery_key")


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    recovery = None if args.recovery_key is None else read_key_file(args.recovery_key)
    with create_session(
        args, officer=args.officer, station=args.station, recovery_public_key=recovery
    ) as s:
        out.write(s.vault.vault_id + "\n")
    return EXIT_OK


AUDIT_PAGE = 50


def _audit_arguments(p: argparse.ArgumentParser) -> None:
    audit_sub = p.add_subparsers(dest="audit_command", required=True, parser_class=Parser)
    verify, listing = "help.command.audit_verify", "help.command.audit_list"
    audit_sub.add_parser("verify", help=verify, description=verify)
    audit_list = audit_sub.add_parser("list", help=listing, description=listing)
    audit_list.add_argument("--json", action="store_true", help="help.json")
    limit = HelpText("help.audit.limit", default=AUDIT_PAGE)
    audit_list.add_argument("--limit", type=int, default=AUDIT_PAGE, help=limit)
    audit_list.add_argument("--before", type=int, help="help.audit.before")


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        if args.audit_command == "list":
            if args.limit < 1:
                raise InvalidInput("cli.bad_limit")
            # Newest first, one page: the officer wants what just happened, not the whole log.
            entries = s.store.audit.newest(limit=args.limit + 1, before=args.before)
            more, entries = len(entries) > args.limit, entries[: args.limit]
            if more:
                hint = translate("cli.audit_more", args.lang, before=entries[-1].seq)
                sys.stderr.write(hint + "\n")
            if args.json:
                print_json([e.__dict__ | {"details": dict(e.details)} for e in entries], out)
            else:
                for e in entries:
                    at = local_time(e.at, args.lang)
                    # in the reader's words; --json keeps the stored ones
                    action = word("audit.action", e.action, args.lang)
                    outcome = word("audit.outcome", e.outcome, args.lang)
                    row = (e.seq, at, e.actor, action, e.record_id or "-", outcome)
                    out.write(printable("  ".join(str(v) for v in row)) + "\n")
            return EXIT_OK
        problems = s.store.audit.verify()
        count = s.store.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    if problems:
        for p in problems:
            sys.stderr.write(
                translate("cli.audit_problem", args.lang, seq=p.seq, problem=p.problem) + "\n"
            )
        return EXIT_DAMAGED
    out.write(translate("cli.audit_ok", args.lang, count=count) + "\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as s:
        s.vault.check_integrity()
        problems = s.store.audit.verify()
    if problems:
        raise VaultDamaged()
    out.write(translate("cli.check_ok", args.lang) + "\n")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, out: TextIO) -> int:
    data_dir, vault = find_vault(args)
    old = ask_password(PASSWORD_ENV, translate("cli.prompt_current_password", args.lang))
    new = ask_new_password(NEW_PASSWORD_ENV, args.lang)
    # The vault keeps the stronger of its costs and these: a new password never weakens it.
    vault.change_password(old, new, kdf=requested_kdf(args.lang))
    with sessions.unlock(data_dir, new) as s:
        s.store.record_audit("password_changed")
    out.write(translate("cli.password_changed", args.lang) + "\n")
    return EXIT_OK


def _keygen_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--private-out", type=Path, required=True, help="help.keygen.private_out")
    p.add_argument("--public-out", type=Path, required=True, help="help.keygen.public_out")


def cmd_recovery_keygen(args: argparse.Namespace, out: TextIO) -> int:
    for path in (args.private_out, args.public_out):
        if path.exists():
            raise InvalidInput("cli.file_exists", path=str(path))
    private, public = crypto.generate_recovery_keypair()
    atomic_write(args.private_out, base64.b64encode(private) + b"\n")
    atomic_write(args.public_out, base64.b64encode(public) + b"\n", mode=0o644)
    out.write(crypto.public_key_fingerprint(public) + "\n")
    return EXIT_OK


def _recover_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--private-key", type=Path, required=True, help="help.recover.private_key")


def cmd_recover(args: argparse.Namespace, out: TextIO) -> int:
    data_dir, vault = find_vault(args)
    private = read_key_file(args.private_key)
    new = ask_new_password(NEW_PASSWORD_ENV, args.lang)
    vault.unlock_with_recovery(private, new, kdf=requested_kdf(args.lang))
    vault.lock()
    with sessions.unlock(data_dir, new) as s:
        s.store.record_audit("recovered")
    out.write(translate("cli.password_changed", args.lang) + "\n")
    return EXIT_OK


COMMANDS: tuple[Command, ...] = (
    Command("init", "help.command.init", cmd_init, _init_arguments),
    Command("audit", "help.command.audit", cmd_audit, _audit_arguments),
    Command("passwd", "help.command.passwd", cmd_passwd),
    Command(
        "recovery-keygen", "help.command.recovery-keygen", cmd_recovery_keygen, _keygen_arguments
    ),
    Command("recover", "help.command.recover", cmd_recover, _recover_arguments),
    Command("check", "help.command.check", cmd_check),
)
