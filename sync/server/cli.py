"""fieldapp-server: initialise a data folder, serve the sync API, administer stations, users,
enrollment codes and devices.

Admin commands open the database directly (SQLite in WAL with a busy timeout, or PostgreSQL),
so they work while `serve` runs from the same folder. Exit codes: 0 success; 2 invalid input (a
translated message naming the problem); 1 any other operational error. No traceback reaches the
user; FIELDAPP_DEBUG=1 shows one. Messages are Arabic by default (`--lang`, FIELDAPP_LANG).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import getpass
import json
import logging
import os
import re
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, TextIO, get_args

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from fieldapp.errors import InvalidInput, UserFacingError
from fieldapp.forms.definitions import load_forms
from fieldapp.forms.reference import load_reference
from fieldapp.messages import LANGUAGES, catalog, translate, word
from fieldapp.text import printable
from sync.protocol import Role
from sync.server import tls
from sync.server.config import DataFolder, ServerConfig
from sync.server.database import make_engine, upgrade_database
from sync.server.errors import AlreadyExists, BadRequest, NotFound, StorageError
from sync.server.merge import DELETED
from sync.server.storage import ServerStorage

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8443
KEEP_ALIVE_SECONDS = 20
ROLES: tuple[str, ...] = get_args(Role)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and no traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_INVALID)


def _default_lang() -> str:
    lang = os.environ.get("FIELDAPP_LANG", "ar")
    return lang if lang in LANGUAGES else "ar"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="fieldapp-server", description="Central sync server of the field app.")
    p.add_argument("--data-dir", type=Path, help="the server's data folder")
    p.add_argument("--lang", choices=LANGUAGES, default=_default_lang())
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="create the data folder, certificate and database")
    init.add_argument("--database-url", help="postgresql+psycopg://... (default: SQLite file)")
    init.add_argument(
        "--hostname",
        action="append",
        default=[],
        help="a name or address devices use for this server (repeatable)",
    )

    serve = sub.add_parser("serve", help="serve the sync API")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--http", action="store_true", help="plain HTTP, ONLY behind a TLS proxy")

    station = sub.add_parser("station", help="stations")
    station_sub = station.add_subparsers(dest="action", required=True, parser_class=_Parser)
    station_add = station_sub.add_parser("add", help="add a station")
    station_add.add_argument("code")
    station_add.add_argument("--name", required=True)
    station_add.add_argument("--governorate", required=True, help="admin1 p-code, e.g. IQG09")
    station_add.add_argument("--district", required=True, help="admin2 p-code, e.g. IQD056")
    station_sub.add_parser("list", help="list stations").add_argument("--json", action="store_true")

    user = sub.add_parser("user", help="users")
    user_sub = user.add_subparsers(dest="action", required=True, parser_class=_Parser)
    user_add = user_sub.add_parser("add", help="add a user")
    user_add.add_argument("username")
    user_add.add_argument("--role", required=True, help="officer, clerk, supervisor or admin")
    user_add.add_argument("--station", help="station code (a supervisor: CODE,CODE,...)")
    user_sub.add_parser("list", help="list users").add_argument("--json", action="store_true")
    user_sub.add_parser(
        "disable", help="refuse the user's devices and new enrollments (devices keep their data)"
    ).add_argument("username")
    user_sub.add_parser("enable", help="let a disabled user's devices in again").add_argument(
        "username"
    )

    code = sub.add_parser("enroll-code", help="a one-time enrollment code for a user's device")
    code.add_argument("username")
    code.add_argument("--json", action="store_true")

    device = sub.add_parser("device", help="enrolled devices")
    device_sub = device.add_subparsers(dest="action", required=True, parser_class=_Parser)
    device_sub.add_parser("list", help="list devices").add_argument("--json", action="store_true")
    device_sub.add_parser("revoke", help="revoke a device").add_argument("device_id")
    device_sub.add_parser(
        "clear-audit-flag",
        help="clear the flag of a device whose audit chain broke (after looking into it)",
    ).add_argument("device_id")

    conflicts = sub.add_parser("conflicts", help="edits waiting for a clerk")
    conflicts_sub = conflicts.add_subparsers(dest="action", required=True, parser_class=_Parser)
    conflicts_sub.add_parser("list", help="open conflicts").add_argument(
        "--json", action="store_true"
    )

    rejections = sub.add_parser("rejections", help="changes the server refused, kept for a clerk")
    rejections_sub = rejections.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rejections_list = rejections_sub.add_parser("list", help="refused changes, oldest first")
    rejections_list.add_argument("--station")
    rejections_list.add_argument("--json", action="store_true")

    records = sub.add_parser("records", help="records on the server")
    records_sub = records.add_subparsers(dest="action", required=True, parser_class=_Parser)
    count = records_sub.add_parser("count", help="how many records")
    count.add_argument("--station")
    count.add_argument("--json", action="store_true")
    return p


# --- helpers ---------------------------------------------------------------------------------


def _folder(args: argparse.Namespace) -> DataFolder:
    if args.data_dir is None:
        raise InvalidInput("server.data_dir_required")
    return DataFolder(Path(args.data_dir))


def _print_json(value: Any, out: TextIO) -> None:
    out.write(printable(json.dumps(value, ensure_ascii=False, indent=2), multiline=True) + "\n")


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _as_json(v) for k, v in dataclasses.asdict(value).items()}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    return value


def check_database_url(url: str) -> str:
    """A SQLite or PostgreSQL (psycopg) SQLAlchemy URL; InvalidInput otherwise."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise InvalidInput("server.bad_database_url", url=_safe_url(url)) from exc
    if parsed.drivername not in ("sqlite", "postgresql+psycopg"):
        raise InvalidInput("server.bad_database_url", url=_safe_url(url))
    return url


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    with contextlib.suppress(Exception):
        return make_url(url).render_as_string(hide_password=True)[:200]
    return "?"


def open_storage(config: ServerConfig) -> ServerStorage:
    """Storage over the configured database (the caller disposes of `storage.engine`)."""
    engine = make_engine(config.database_url)
    return ServerStorage(
        engine, forms=load_forms(), reference=load_reference(), clock=lambda: datetime.now(UTC)
    )


@contextlib.contextmanager
def _storage(args: argparse.Namespace) -> Iterator[tuple[ServerStorage, DataFolder, ServerConfig]]:
    folder = _folder(args)
    config = folder.load()
    storage = open_storage(config)
    try:
        yield storage, folder, config
    finally:
        storage.engine.dispose()


def _admin() -> str:
    """The audit log's `who` for an admin command: the operating-system account."""
    with contextlib.suppress(Exception):
        return f"admin:{getpass.getuser()}"[:120]
    return "admin"


def _audit(
    storage: ServerStorage, action: str, outcome: str = "ok", ids: Sequence[str] = ()
) -> None:
    storage.audit(
        who=_admin(),
        action=action,
        where=f"cli@{socket.gethostname()}"[:200],
        outcome=outcome,
        record_ids=list(ids),
    )


# --- commands --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    folder = _folder(args)
    if folder.is_initialised():
        raise InvalidInput("server.already_initialised", path=str(folder.path))
    url = check_database_url(args.database_url or folder.default_database_url())
    for name in args.hostname:
        if not (tls.is_ip_address(name) or _HOSTNAME.match(name)):
            raise InvalidInput("server.bad_hostname", hostname=name[:100])
    folder.create()
    names = tls.default_hostnames(args.hostname)
    certificate = tls.make_certificate(
        [*names, *(h for h in args.hostname if tls.is_ip_address(h))]
    )
    config = ServerConfig(database_url=url, hostnames=list(args.hostname))
    tls.write_certificate(
        certificate, folder.resolve(config.certificate), folder.resolve(config.private_key)
    )
    upgrade_database(url)
    folder.save(config)  # last: a folder with server.toml is completely initialised
    out.write(certificate.fingerprint + "\n")
    sys.stderr.write(translate("server.initialised", args.lang, path=str(folder.path)) + "\n")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn  # only `serve` needs it

    from sync.server.app import create_app

    folder = _folder(args)
    config = folder.load()
    if not 0 < args.port < 65536:
        raise InvalidInput("server.bad_port", port=args.port)
    cert, key = folder.resolve(config.certificate), folder.resolve(config.private_key)
    if not args.http and not (cert.exists() and key.exists()):
        raise InvalidInput("server.certificate_missing", path=str(cert))
    upgrade_database(config.database_url)
    storage = open_storage(config)
    app = create_app(storage, settings=config.app_settings())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    options: dict[str, Any] = {}
    if args.http:
        sys.stderr.write(translate("server.http_warning", args.lang) + "\n")
        options = {"proxy_headers": True, "forwarded_allow_ips": config.trusted_proxies}
    else:
        options = {"ssl_certfile": str(cert), "ssl_keyfile": str(key), "proxy_headers": False}
    scheme = "http" if args.http else "https"
    listening = listening_socket(args.host, args.port)
    sys.stderr.write(
        translate("server.serving", args.lang, url=f"{scheme}://{args.host}:{args.port}") + "\n"
    )
    try:
        server_config = uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            access_log=False,  # our own access log omits query strings
            server_header=False,
            log_level="info",
            timeout_graceful_shutdown=10,
            # Longer than the Retry-After of a busy answer, so a device coming back reuses its
            # connection (no new TLS handshake) instead of racing the server closing it.
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            workers=1,  # explicit: uvicorn would read WEB_CONCURRENCY and refuse an app object
            **options,
        )
        uvicorn.Server(server_config).run(sockets=[listening])
    finally:
        listening.close()
        storage.engine.dispose()
    return EXIT_OK


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` (as uvicorn would bind it) for `serve` to listen on.

    Bound here, not by uvicorn, because uvicorn reports a taken port by exiting with 3, which
    is this program's code for nothing at all and the CLI's for a wrong password: here it is
    a message naming the cause, and exit 1."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UserFacingError("server.port_in_use", host=host, port=port) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UserFacingError("server.port_not_allowed", host=host, port=port) from exc
        raise UserFacingError("server.cannot_listen", host=host, port=port) from exc
    return sock


def cmd_station(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, _f, _c):
        if args.action == "list":
            stations = [_as_json(s) for s in storage.stations()]
            if args.json:
                _print_json(stations, out)
            else:
                for s in stations:
                    out.write(f"{s['code']}  {s['governorate']}  {s['district']}  {s['name']}\n")
            return EXIT_OK
        try:
            storage.add_station(args.code, args.name, args.governorate, args.district)
        except AlreadyExists as exc:
            raise InvalidInput("server.station_exists", code=args.code) from exc
        _audit(storage, f"station_add {args.code}")
    out.write(translate("server.station_added", args.lang, code=args.code) + "\n")
    return EXIT_OK


def cmd_user(args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "list":
        return _list_users(args, out)
    if args.action in ("disable", "enable"):
        return _set_user_disabled(args, out, disabled=args.action == "disable")
    if args.role not in ROLES:
        raise InvalidInput("server.bad_role", role=args.role[:40], roles=", ".join(ROLES))
    stations = [s.strip() for s in (args.station or "").split(",") if s.strip()]
    if args.role != "admin" and not stations:
        raise InvalidInput("server.station_required", role=args.role)
    if len(stations) > 1 and args.role != "supervisor":
        raise InvalidInput("server.reason.bad_stations")
    with _storage(args) as (storage, _f, _c):
        try:
            if args.role == "supervisor":
                storage.add_user(args.username, args.role, stations[0], stations)
            else:
                storage.add_user(args.username, args.role, stations[0] if stations else None)
        except AlreadyExists as exc:
            raise InvalidInput("server.user_exists", username=args.username) from exc
        except NotFound as exc:
            raise InvalidInput("server.unknown_station", code=",".join(stations)) from exc
        _audit(storage, f"user_add {args.username}")
    out.write(translate("server.user_added", args.lang, username=args.username) + "\n")
    return EXIT_OK


def _list_users(args: argparse.Namespace, out: TextIO) -> int:
    """Each user, with the devices enrolled for them and not revoked (`devices`: id and the
    name given at enrollment; the text line ends with the names)."""
    with _storage(args) as (storage, _f, _c):
        users = [_as_json(u) for u in storage.users()]
        devices = [d for d in storage.list_devices() if d.revoked_at is None]
    for u in users:
        u["devices"] = [
            {"device_id": d.device_id, "name": d.name}
            for d in devices
            if d.username == u["username"]
        ]
    if args.json:
        _print_json(users, out)
    else:
        for u in users:
            state = translate(
                "server.state.disabled" if u["disabled"] else "server.state.active", args.lang
            )
            stations = ",".join(u["stations"]) or u["station"] or "-"
            names = ", ".join(d["name"] for d in u["devices"])
            row = (u["username"], u["role"], stations, state, *([names] if names else []))
            out.write(printable("  ".join(row)) + "\n")
    return EXIT_OK


def _set_user_disabled(args: argparse.Namespace, out: TextIO, *, disabled: bool) -> int:
    with _storage(args) as (storage, _f, _c):
        try:
            storage.set_user_disabled(args.username, disabled)
        except NotFound as exc:
            raise InvalidInput("server.unknown_user", username=args.username[:40]) from exc
        _audit(storage, f"user_{args.action} {args.username}")
    key = "server.user_disabled" if disabled else "server.user_enabled"
    out.write(translate(key, args.lang, username=args.username) + "\n")
    return EXIT_OK


def cmd_enroll_code(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, folder, config):
        cert = folder.resolve(config.certificate)
        try:
            fingerprint = tls.fingerprint(cert.read_bytes())
        except (OSError, ValueError) as exc:
            raise InvalidInput("server.certificate_missing", path=str(cert)) from exc
        hours = config.enroll_code_hours
        try:
            code = storage.create_enroll_code(args.username, ttl=timedelta(hours=hours))
        except NotFound as exc:
            raise InvalidInput("server.unknown_user", username=args.username) from exc
        _audit(storage, f"enroll_code {args.username}")
    if args.json:
        _print_json({"code": code, "fingerprint": fingerprint, "expires_in_hours": hours}, out)
    else:
        out.write(translate("server.enroll_code", args.lang, code=code, hours=hours) + "\n")
        out.write(translate("server.fingerprint", args.lang, fingerprint=fingerprint) + "\n")
    return EXIT_OK


def _audit_state(device: dict[str, Any], lang: str) -> str:
    """The device's audit trail in a few words for `device list`."""
    if device.get("audit_flagged_at"):
        problem = device.get("audit_problem") or "?"
        return translate("server.audit.broken", lang, problem=problem)
    if device.get("audit_seq") is None:
        return translate("server.audit.none", lang)
    return translate("server.audit.ok", lang, seq=device["audit_seq"])


def _clear_audit_flag(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, _f, _c):
        try:
            was_flagged = storage.clear_audit_flag(args.device_id)
        except NotFound as exc:
            raise InvalidInput("server.unknown_device", device_id=args.device_id[:40]) from exc
        if was_flagged:
            _audit(storage, f"device_audit_clear {args.device_id}")
    key = "server.device_audit_cleared" if was_flagged else "server.device_audit_not_flagged"
    out.write(translate(key, args.lang, device_id=args.device_id) + "\n")
    return EXIT_OK


def cmd_device(args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "clear-audit-flag":
        return _clear_audit_flag(args, out)
    with _storage(args) as (storage, _f, _c):
        if args.action == "revoke":
            try:
                storage.revoke_device(args.device_id)
            except NotFound as exc:
                raise InvalidInput("server.unknown_device", device_id=args.device_id[:40]) from exc
            _audit(storage, f"device_revoke {args.device_id}")
            out.write(
                translate("server.device_revoked", args.lang, device_id=args.device_id) + "\n"
            )
            return EXIT_OK
        devices = [_as_json(d) for d in storage.list_devices()]
    if args.json:
        _print_json(devices, out)
    else:
        for d in devices:
            state = "server.state.revoked" if d.get("revoked_at") else "server.state.active"
            last_seen = d.get("last_seen") or "-"
            audit = _audit_state(d, args.lang)
            row = (
                d["device_id"],
                d["username"],
                translate(state, args.lang),
                last_seen,
                audit,
                d["name"],
            )
            out.write(printable("  ".join(str(v) for v in row)) + "\n")
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, _f, _c):
        conflicts = [_as_json(c) for c in storage.conflicts()]
        _audit(storage, "conflicts_list", ids=[str(c.get("record_id")) for c in conflicts])
    if args.json:
        _print_json(conflicts, out)
    else:
        for c in conflicts:
            field = str(c.get("field"))
            if field == DELETED:  # a delete raced an edit
                field = translate("presentation.deletion", args.lang)
            status = word("server.state", str(c.get("status", "open")), args.lang)
            line = f"{c.get('record_id')}  {field}  {status}"
            out.write(printable(line) + "\n")
    return EXIT_OK


def cmd_rejections(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, _f, _c):
        if args.station is not None and args.station not in {s.code for s in storage.stations()}:
            raise InvalidInput("server.unknown_station", code=args.station[:40])
        rejections = [_as_json(r) for r in storage.rejections(args.station)]
        _audit(storage, "rejections_list", ids=[str(r["record_id"]) for r in rejections])
    if args.json:
        _print_json(rejections, out)
    else:
        # Not the refused change itself: its fields are record content (use --json for them).
        for r in rejections:
            row = (r["at"], r["station"] or "-", r["username"], r["record_id"], r["reason"])
            out.write(printable("  ".join(str(v) for v in row)) + "\n")
    return EXIT_OK


def cmd_records(args: argparse.Namespace, out: TextIO) -> int:
    with _storage(args) as (storage, _f, _c):
        if args.station is not None and args.station not in {s.code for s in storage.stations()}:
            raise InvalidInput("server.unknown_station", code=args.station[:40])
        count = storage.records_count(station=args.station)
    if args.json:
        _print_json({"count": count}, out)
    else:
        out.write(f"{count}\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "init": cmd_init,
    "serve": cmd_serve,
    "station": cmd_station,
    "user": cmd_user,
    "enroll-code": cmd_enroll_code,
    "device": cmd_device,
    "conflicts": cmd_conflicts,
    "rejections": cmd_rejections,
    "records": cmd_records,
}


def _storage_error(error: StorageError, args: argparse.Namespace) -> int:
    """A storage error for people: bad input names its reason (exit 2), the rest exit 1."""
    lang = args.lang
    if isinstance(error, BadRequest):
        key = f"server.reason.{error.reason}"
        given = {
            k: v[:100]
            for k, v in vars(args).items()
            if isinstance(v, str) and k not in ("lang", "key", "command", "action")
        }
        known = key in catalog()
        sys.stderr.write(translate(key if known else "server.bad_input", lang, **given) + "\n")
        return EXIT_INVALID
    if isinstance(error, AlreadyExists | NotFound):
        sys.stderr.write(translate("server.bad_input", lang) + "\n")
        return EXIT_INVALID
    sys.stderr.write(translate("server.failed", lang, code=error.code) + "\n")
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point; returns the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    # The database, its WAL and anything else we create: owner only (restored for callers
    # that run main() in process, such as tests).
    umask = os.umask(0o077)
    try:
        return COMMANDS[args.command](args, out)
    except UserFacingError as error:
        sys.stderr.write(error.message(args.lang) + "\n")
        return EXIT_INVALID if isinstance(error, InvalidInput) else EXIT_ERROR
    except StorageError as error:
        return _storage_error(error, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silences the exit-time flush)
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("FIELDAPP_DEBUG"):
            raise
        if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
            sys.stderr.write(translate("server.database_unavailable", args.lang) + "\n")
            return EXIT_ERROR
        if isinstance(exc, OSError):
            sys.stderr.write(
                translate("server.os_error", args.lang, problem=exc.strerror or "") + "\n"
            )
            return EXIT_ERROR
        sys.stderr.write(
            translate("server.internal_error", args.lang, kind=type(exc).__name__) + "\n"
        )
        return EXIT_ERROR
    finally:
        os.umask(umask)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
