"""The sync commands of fieldapp-cli: `enroll`, `sync`, `status`, and its console script.

The core never imports `sync` (DESIGN.md section 2), so this module adds its commands and their
exit codes to the core's program (`fieldapp.cli.app.PROGRAM.extended`); `run()` here is the
`fieldapp-cli` entry point.

Exit codes, beyond fieldapp-cli's (0 ok, 1 other, 2 invalid input, 3 wrong password / locked /
token refused, 4 damaged): 5 the server cannot be reached (or is not the pinned one), 6 the
device was revoked and its vault has been wiped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from fieldapp.cli.app import PROGRAM as CORE_PROGRAM
from fieldapp.cli.command import Command, HelpText
from fieldapp.cli.console import (
    create_session,
    open_session,
    print_json,
    reader_digits,
    vault_folder,
)
from fieldapp.cli.exit_codes import EXIT_INVALID, EXIT_LOCKED, EXIT_OK, ExitCodes
from fieldapp.dates import local_time
from fieldapp.display import isolated, list_separator
from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import FormRegistry
from fieldapp.messages import translate, translate_in, word
from fieldapp.store.replica import Replica
from fieldapp.store.sync_status import sync_status
from fieldapp.text import printable
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.enroll import SERVER_CERT_FILE, enroll, enrollment_request
from sync.client.transport import (
    AuthRejected,
    DeviceRevokedError,
    EnrollCodeInvalid,
    RetryLater,
    ServerNotTrusted,
    ServerUnreachable,
    Transport,
)

EXIT_UNREACHABLE = 5  # nothing is lost: the outbox waits for the next sync
EXIT_REVOKED = 6  # the vault has been wiped

SYNC_EXIT_CODES: ExitCodes = {
    ServerUnreachable: EXIT_UNREACHABLE,
    ServerNotTrusted: EXIT_UNREACHABLE,
    RetryLater: EXIT_UNREACHABLE,
    DeviceRevokedError: EXIT_REVOKED,
    AuthRejected: EXIT_LOCKED,
    EnrollCodeInvalid: EXIT_INVALID,
}

DEFAULT_RETRIES = 4


def _enroll_arguments(enroll: argparse.ArgumentParser) -> None:
    enroll.add_argument("--server", required=True, help="help.enroll.server")
    enroll.add_argument("--code", required=True, help="help.enroll.code")
    enroll.add_argument("--fingerprint", required=True, help="help.enroll.fingerprint")
    enroll.add_argument("--device-name", help="help.enroll.device_name")


def _sync_arguments(sync: argparse.ArgumentParser) -> None:
    sync.add_argument("--json", action="store_true", help="help.json")
    retries = HelpText("help.sync.retries", default=DEFAULT_RETRIES)
    sync.add_argument("--retries", type=int, default=DEFAULT_RETRIES, help=retries)


def _status_arguments(status: argparse.ArgumentParser) -> None:
    status.add_argument("--json", action="store_true", help="help.json")


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    data_dir = vault_folder(args)
    request = enrollment_request(args.code, args.device_name)
    session, identity = enroll(
        data_dir,
        args.server,
        args.fingerprint,
        request,
        lambda new: create_session(args) if new else open_session(args),
    )
    session.close()
    message = translate(
        "sync.enrolled",
        args.lang,
        username=isolated(identity.username),
        station=isolated(identity.station),
        device_name=isolated(request.device_name),
        device_id=isolated(identity.device_id),
    )
    out.write(message + "\n")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    if args.retries < 0 or args.retries > 20:
        raise InvalidInput("sync.bad_retries", limit=20)
    data_dir = vault_folder(args)
    with open_session(args) as session, session.open_for_sync() as access:
        # The same path as the desktop's background sync: the engine on a connection of its
        # own (docs/adr/0012-threads-and-connections.md).
        replica = Replica(access.store)
        identity = replica.identity()
        if identity is None:
            raise InvalidInput("sync.not_enrolled")
        cert = data_dir / SERVER_CERT_FILE
        if not cert.is_file():
            raise InvalidInput("sync.certificate_missing", path=str(cert))
        with Transport(identity.server_url, cert, identity.device_id, identity.token) as link:
            policy = RetryPolicy(max_attempts=args.retries + 1)
            report = SyncEngine.over(access, link, policy=policy).sync()
        waiting = replica.counts().rejected
    if args.json:
        print_json(report.counts(), out)
        return EXIT_OK
    out.write(report.summary(args.lang) + "\n")
    if waiting:
        out.write(translate("sync.rejected_waiting", args.lang, count=waiting) + "\n")
    return EXIT_OK


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    with open_session(args) as session:
        status = sync_status(Replica(session.store))
        forms = session.store.forms
    if args.json:
        print_json(status.to_json(), out)
        return EXIT_OK
    lang, digits = args.lang, reader_digits(args)
    if not status.enrolled:
        out.write(translate("sync.status_not_enrolled", lang) + "\n")
    else:
        identity = translate(
            "sync.status_identity",
            lang,
            username=isolated(status.username or ""),
            station=isolated(status.station or ""),
            server=isolated(status.server or ""),
            device_id=isolated(status.device_id or ""),
        )
        out.write(identity + "\n")
    last = None
    if status.last_sync:
        at = isolated(local_time(status.last_sync, lang, digits))
        last = translate("sync.status_last", lang, at=at)
    out.write((last or translate("sync.status_never", lang)) + "\n")
    counts = translate_in(
        "sync.status_counts",
        lang,
        digits,
        pending=status.pending,
        conflicts=status.conflicts,
        rejected=len(status.rejected),
    )
    out.write(counts + "\n")
    if status.files_waiting:
        files = translate_in(
            "sync.status_files",
            lang,
            digits,
            send=status.files_to_send,
            fetch=status.files_to_fetch,
        )
        out.write(files + "\n")
    for r in status.rejected:
        item = translate(
            "sync.status_rejected_item",
            lang,
            record_id=isolated(r.record_id),
            reason=printable(word("sync.refusal", r.reason, lang) if r.reason else "-"),
            fields=refused_fields(forms, r.record_type, r.problems, lang),
        )
        out.write(item + "\n")
    return EXIT_OK


def refused_fields(
    forms: FormRegistry, record_type: str, problems: Sequence[Mapping[str, Any]], lang: str
) -> str:
    """The fields the server refused, by their labels in `lang` from this device's form; a
    field the form does not know, by its key. Each isolated."""
    form = forms.get(record_type) if record_type in forms else None
    names = []
    for problem in problems:
        key = str(problem.get("field", "?"))
        label = form.field(key).label(lang) if form is not None and form.has(key) else key
        names.append(isolated(label))
    return list_separator(lang).join(names) or "-"


SYNC_COMMANDS: tuple[Command, ...] = (
    Command("enroll", "help.command.enroll", cmd_enroll, _enroll_arguments),
    Command("sync", "help.command.sync", cmd_sync, _sync_arguments),
    Command("status", "help.command.status", cmd_status, _status_arguments),
)

PROGRAM = CORE_PROGRAM.extended(SYNC_COMMANDS, SYNC_EXIT_CODES)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """fieldapp-cli with the sync commands; returns the exit code."""
    return PROGRAM.main(argv, out)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
