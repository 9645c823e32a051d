"""The sync commands of fieldapp-cli: `enroll`, `sync`, `status`, and its console script.

The core never imports `sync` (DESIGN.md section 2), so `fieldapp.cli.app` takes layers above it as
extensions: `run()` here is the `fieldapp-cli` entry point, `fieldapp.cli.app.main` with these
commands added (`register(subparsers)` and `COMMANDS`).

Exit codes, beyond fieldapp-cli's (0 ok, 1 other, 2 invalid input, 3 wrong password / locked /
token refused, 4 damaged): 5 the server cannot be reached (or is not the pinned one), 6 the
device was revoked and its vault has been wiped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from fieldapp import session as sessions
from fieldapp.cli import app as cli
from fieldapp.errors import InvalidInput, VaultNotFound
from fieldapp.messages import translate
from fieldapp.store.replica import Replica
from fieldapp.vault.vault import Vault
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.enroll import (
    SERVER_CERT_FILE,
    check_fingerprint,
    complete_enrollment,
    enrollment_request,
    fetch_certificate,
    normalize_fingerprint,
)
from sync.client.transport import Transport, check_server_url

DEFAULT_RETRIES = 4


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the sync subcommands to fieldapp-cli's parser."""
    enroll = sub.add_parser("enroll", help="enroll this device with the sync server")
    enroll.add_argument("--server", required=True, help="https://host:port of the server")
    enroll.add_argument("--code", required=True, help="the one-time enrollment code")
    enroll.add_argument(
        "--fingerprint", required=True, help="SHA-256 of the server certificate, as printed"
    )
    enroll.add_argument("--device-name", help="how the server lists this device")

    sync = sub.add_parser("sync", help="send saved changes and receive the station's records")
    sync.add_argument("--json", action="store_true")
    sync.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RETRIES,
        help=f"retries after a network failure (default {DEFAULT_RETRIES})",
    )

    status = sub.add_parser("status", help="enrollment and what waits to be synced")
    status.add_argument("--json", action="store_true")


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    data_dir = cli._require_data_dir(args)
    url = check_server_url(args.server)
    normalize_fingerprint(args.fingerprint)  # a typo is reported before any connection
    request = enrollment_request(args.code, args.device_name)
    der = fetch_certificate(url)
    check_fingerprint(der, args.fingerprint)
    try:
        Vault.open(data_dir)
    except VaultNotFound:
        session = _create_vault(args)
    else:
        session = cli._open(args)
    try:
        identity = complete_enrollment(Replica(session.store), data_dir, url, der, request)
    finally:
        session.close()
    message = translate(
        "sync.enrolled",
        args.lang,
        username=identity.username,
        station=identity.station,
        device_id=identity.device_id,
    )
    out.write(message + "\n")
    return cli.EXIT_OK


def _create_vault(args: argparse.Namespace) -> sessions.Session:
    password = cli._password(
        "FIELDAPP_NEW_PASSWORD", "New password: ", fallback_env="FIELDAPP_PASSWORD"
    )
    kdf = sessions.kdf_from_environment()
    if kdf is not None:
        sys.stderr.write(translate("cli.insecure_kdf_warning", args.lang) + "\n")
    return sessions.create(cli._require_data_dir(args), password, kdf=kdf)


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    if args.retries < 0 or args.retries > 20:
        raise InvalidInput("sync.bad_retries", limit=20)
    data_dir = cli._require_data_dir(args)
    session = cli._open(args)
    try:
        # The same path as the desktop's background sync: the engine on a connection of its
        # own (docs/adr/0008-threads-and-connections.md).
        with session.open_for_sync() as access:
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
    finally:
        session.close()
    counts = {
        "pushed": report.pushed,
        "pulled": report.pulled,
        "merged": report.merged,
        "conflicts": report.conflicts,
        "rejected": report.rejected,
    }
    if args.json:
        cli._print_json(counts, out)
        return cli.EXIT_OK
    out.write(translate("sync.report", args.lang, **counts) + "\n")
    if waiting:
        out.write(translate("sync.rejected_waiting", args.lang, count=waiting) + "\n")
    return cli.EXIT_OK


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    session = cli._open(args)
    try:
        replica = Replica(session.store)
        identity = replica.identity()
        counts = replica.counts()
        last_sync = replica.last_sync()
        rejected = replica.rejected_changes()
    finally:
        session.close()
    status: dict[str, Any] = {
        "device_id": identity.device_id if identity else None,
        "server": identity.server_url if identity else None,
        "username": identity.username if identity else None,
        "station": identity.station if identity else None,
        "last_sync": last_sync,
        "pending": counts.pending,
        "conflicts": counts.conflicts,
        "rejected": counts.rejected,
        "rejected_changes": [
            {
                "change_id": r.change_id,
                "record_id": r.record_id,
                "record_type": r.record_type,
                "op": r.op,
                "reason": r.reason,
                "problems": [dict(p) for p in r.problems],
            }
            for r in rejected
        ],
    }
    if args.json:
        cli._print_json(status, out)
        return cli.EXIT_OK
    lang = args.lang
    if identity is None:
        out.write(translate("sync.status_not_enrolled", lang) + "\n")
    else:
        out.write(
            translate(
                "sync.status_identity",
                lang,
                username=identity.username,
                station=identity.station,
                server=identity.server_url,
                device_id=identity.device_id,
            )
            + "\n"
        )
    last = translate("sync.status_last", lang, at=last_sync) if last_sync else None
    out.write((last or translate("sync.status_never", lang)) + "\n")
    out.write(
        translate(
            "sync.status_counts",
            lang,
            pending=counts.pending,
            conflicts=counts.conflicts,
            rejected=counts.rejected,
        )
        + "\n"
    )
    for r in rejected:
        fields = ", ".join(str(p.get("field", "?")) for p in r.problems) or "-"
        out.write(
            translate(
                "sync.status_rejected_item",
                lang,
                record_id=r.record_id,
                reason=r.reason or "-",
                fields=fields,
            )
            + "\n"
        )
    return cli.EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "enroll": cmd_enroll,
    "sync": cmd_sync,
    "status": cmd_status,
}


class SyncCommands:
    """The sync commands as a `fieldapp.cli.app.Extension`."""

    COMMANDS: Mapping[str, Callable[[argparse.Namespace, TextIO], int]] = COMMANDS

    def register(self, sub: argparse._SubParsersAction[Any]) -> None:
        register(sub)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """fieldapp-cli with the sync commands; returns the exit code."""
    return cli.main(argv, out, extensions=[SyncCommands()])


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
