"""Stations, users, enrollment codes, devices and token authentication.

Secrets are stored only as SHA-256: the enrollment code (80 bits from a typing-friendly
alphabet) and the device token (256 random bits, base64url). Both are high-entropy, so a plain
hash is enough (no slow KDF needed); tokens are compared with `hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

from sqlalchemy import Connection, Engine, Row, insert, select, update

from fieldapp.forms.reference import AdminReference
from fieldapp.text import forbidden_character
from sync.protocol import EnrollResponse, Role
from sync.server import schema as t
from sync.server.database import reading, writing
from sync.server.errors import (
    AlreadyExists,
    AuthFailed,
    BadRequest,
    DeviceRevoked,
    EnrollCodeInvalid,
    NotFound,
)
from sync.server.schema import iso, parse_iso

ROLES: tuple[str, ...] = get_args(Role)
WRITING_ROLES = frozenset({"officer", "clerk"})
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")  # protocol.Code
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud, typed by hand
CODE_LENGTH = 16  # 16 * log2(30) = 78.5 bits
LAST_SEEN_GRANULARITY = timedelta(minutes=1)  # spare a write per request


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_enroll_code(code: str) -> str:
    """What the officer typed, without the group dashes and spaces, upper case."""
    return re.sub(r"[\s-]", "", code).upper()


def printable_name(name: str) -> str:
    """A device's self-chosen name as an admin's terminal may show it: without control, format
    or bidi characters (the protocol has refused NUL and lone surrogates already)."""
    kept = "".join(ch for ch in name if forbidden_character(ch) is None)
    return kept.strip()[:200]


@dataclass(frozen=True)
class DeviceIdentity:
    """Who is calling: the device, its user, their role and the stations they may see."""

    device_id: str
    username: str
    role: str
    station: str  # home station (a supervisor's first station)
    stations: tuple[str, ...]  # every station the user may read

    @property
    def can_write(self) -> bool:
        return self.role in WRITING_ROLES

    @property
    def who(self) -> str:
        """The audit log's `who`."""
        return f"{self.username}/{self.device_id}"


@dataclass(frozen=True)
class DeviceInfo:
    """A device for the admin. `audit_seq`: the last audit entry the server holds from it
    (None: none shipped yet); `audit_flagged_at`/`audit_problem`: its audit chain stopped
    extending what the server held (sync/server/device_audit.py), until an admin clears it."""

    device_id: str
    username: str
    name: str
    enrolled_at: str
    last_seen: str | None
    revoked_at: str | None
    audit_seq: int | None = None
    audit_flagged_at: str | None = None
    audit_problem: str | None = None


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    governorate: str
    district: str


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: str
    station: str | None
    stations: tuple[str, ...]
    disabled: bool


class Accounts:
    """Administration (stations, users, codes, devices) and authentication."""

    def __init__(
        self, engine: Engine, reference: AdminReference, clock: Callable[[], datetime]
    ) -> None:
        self._engine = engine
        self._reference = reference
        self._clock = clock

    # --- stations and users ---------------------------------------------------------------

    def add_station(self, code: str, name: str, governorate: str, district: str) -> None:
        if not _CODE.match(code):
            raise BadRequest("bad_station_code", f"station code {code!r} is not allowed")
        if not name.strip() or len(name) > 200:
            raise BadRequest("bad_station_name", "station name is empty or too long")
        if not self._reference.is_governorate(governorate):
            raise BadRequest("unknown_governorate", f"unknown governorate p-code {governorate}")
        if not self._reference.district_belongs(governorate, district):
            raise BadRequest("unknown_district", f"{district} is not a district of {governorate}")
        with writing(self._engine) as conn:
            if conn.execute(select(t.stations.c.code).where(t.stations.c.code == code)).first():
                raise AlreadyExists(f"station {code} exists")
            conn.execute(
                insert(t.stations).values(
                    code=code,
                    name=name.strip(),
                    governorate=governorate,
                    district=district,
                    created_at=iso(self._clock()),
                )
            )

    def stations(self) -> list[StationInfo]:
        with reading(self._engine) as conn:
            rows = conn.execute(select(t.stations).order_by(t.stations.c.code)).all()
        return [StationInfo(r.code, r.name, r.governorate, r.district) for r in rows]

    def add_user(
        self,
        username: str,
        role: str,
        station: str | None,
        stations: Sequence[str] | None = None,
    ) -> None:
        """Officers and clerks belong to `station`; a supervisor reads `stations` (the home
        station is the first of them); an admin needs no station."""
        if not _CODE.match(username):
            raise BadRequest("bad_username", f"username {username!r} is not allowed")
        if role not in ROLES:
            raise BadRequest("bad_role", f"role must be one of {', '.join(ROLES)}")
        readable = list(dict.fromkeys(stations or []))
        if role == "supervisor":
            if station and station not in readable:
                readable.insert(0, station)
            if not readable:
                raise BadRequest("no_station", "a supervisor needs at least one station")
            station = readable[0]
        elif role in WRITING_ROLES and not station:
            raise BadRequest("no_station", f"a user with role {role} needs a station")
        elif stations:
            raise BadRequest("bad_stations", "only supervisors have a list of stations")
        wanted = set(readable) | ({station} if station else set())
        with writing(self._engine) as conn:
            known = set(
                conn.scalars(select(t.stations.c.code).where(t.stations.c.code.in_(wanted)))
            )
            if wanted - known:
                raise NotFound(f"unknown station(s): {', '.join(sorted(wanted - known))}")
            found = select(t.users.c.username).where(t.users.c.username == username)
            if conn.execute(found).first():
                raise AlreadyExists(f"user {username} exists")
            conn.execute(
                insert(t.users).values(
                    username=username,
                    role=role,
                    station=station,
                    stations=readable,
                    created_at=iso(self._clock()),
                    disabled=False,
                )
            )

    def users(self) -> list[UserInfo]:
        with reading(self._engine) as conn:
            rows = conn.execute(select(t.users).order_by(t.users.c.username)).all()
        return [
            UserInfo(r.username, r.role, r.station, tuple(r.stations), r.disabled) for r in rows
        ]

    def set_user_disabled(self, username: str, disabled: bool = True) -> None:
        """A disabled user's devices fail authentication (and get no new enrollment)."""
        with writing(self._engine) as conn:
            done = conn.execute(
                update(t.users).where(t.users.c.username == username).values(disabled=disabled)
            )
            if done.rowcount != 1:
                raise NotFound(f"unknown user {username}")

    # --- enrollment -----------------------------------------------------------------------

    def create_enroll_code(self, username: str, *, ttl: timedelta = timedelta(hours=24)) -> str:
        """A new one-time code for `username`, shown once (grouped `XXXX-XXXX-XXXX-XXXX`);
        only its SHA-256 is stored."""
        clear = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        now = self._clock()
        with writing(self._engine) as conn:
            user = self._user(conn, username)
            if user is None:
                raise NotFound(f"unknown user {username}")
            if user.disabled or user.station is None:
                raise BadRequest("cannot_enroll", f"user {username} cannot enroll a device")
            conn.execute(
                insert(t.enroll_codes).values(
                    code_hash=sha256_hex(clear),
                    username=username,
                    expires_at=iso(now + ttl),
                    created_at=iso(now),
                )
            )
        return "-".join(clear[i : i + 4] for i in range(0, CODE_LENGTH, 4))

    def enroll(self, code: str, device_name: str) -> EnrollResponse:
        """Trade a valid code for a new device id and token (the token's only clear copy)."""
        code_hash = sha256_hex(normalize_enroll_code(code))
        now = self._clock()
        device_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(32)
        with writing(self._engine) as conn:
            # One statement claims the code: two devices racing with it cannot both win.
            claimed = conn.execute(
                update(t.enroll_codes)
                .where(
                    t.enroll_codes.c.code_hash == code_hash,
                    t.enroll_codes.c.used_at.is_(None),
                    t.enroll_codes.c.expires_at > iso(now),
                )
                .values(used_at=iso(now), device_id=device_id)
                .returning(t.enroll_codes.c.username)
            ).first()
            if claimed is None:
                raise EnrollCodeInvalid()
            user = self._user(conn, claimed.username)
            if user is None or user.disabled or user.station is None:
                raise EnrollCodeInvalid()
            conn.execute(
                insert(t.devices).values(
                    id=device_id,
                    username=user.username,
                    token_hash=sha256_hex(token),
                    name=printable_name(device_name) or "device",
                    enrolled_at=iso(now),
                    last_seen=iso(now),
                )
            )
            station_name = conn.scalar(
                select(t.stations.c.name).where(t.stations.c.code == user.station)
            )
        return EnrollResponse(
            device_id=device_id,
            token=token,
            username=user.username,
            role=user.role,
            station=user.station,
            station_name=station_name or user.station,
            server_time=iso(now),
        )

    # --- devices --------------------------------------------------------------------------

    def authenticate(self, device_id: str | None, token: str) -> DeviceIdentity:
        """The identity behind a bearer token. With `device_id` the device is looked up by id
        and its stored hash compared in constant time; without it, by the token's hash (the
        protocol sends only the token). Revocation is told only to the token's holder."""
        presented = sha256_hex(token)
        now = self._clock()
        with reading(self._engine) as conn:
            query = select(t.devices, t.users).join(
                t.users, t.users.c.username == t.devices.c.username
            )
            if device_id is not None:
                query = query.where(t.devices.c.id == device_id)
            else:
                query = query.where(t.devices.c.token_hash == presented)
            row = conn.execute(query).first()
        if row is None or not hmac.compare_digest(row.token_hash, presented):
            raise AuthFailed()
        if row.revoked_at is not None:
            raise DeviceRevoked()
        if row.disabled:
            raise AuthFailed()
        if row.last_seen is None or parse_iso(row.last_seen) + LAST_SEEN_GRANULARITY <= now:
            with writing(self._engine) as conn:
                conn.execute(
                    update(t.devices).where(t.devices.c.id == row.id).values(last_seen=iso(now))
                )
        readable = tuple(row.stations) if row.role == "supervisor" else (row.station,)
        return DeviceIdentity(row.id, row.username, row.role, row.station, readable)

    def devices(self, username: str | None = None) -> list[DeviceInfo]:
        query = select(t.devices).order_by(t.devices.c.enrolled_at, t.devices.c.id)
        if username is not None:
            query = query.where(t.devices.c.username == username)
        with reading(self._engine) as conn:
            rows = conn.execute(query).all()
        return [
            DeviceInfo(
                r.id,
                r.username,
                r.name,
                r.enrolled_at,
                r.last_seen,
                r.revoked_at,
                r.audit_seq,
                r.audit_flagged_at,
                r.audit_problem,
            )
            for r in rows
        ]

    def revoke_device(self, device_id: str) -> None:
        """Refuse the device from now on (it wipes itself at its next contact). Idempotent."""
        with writing(self._engine) as conn:
            row = conn.execute(
                select(t.devices.c.revoked_at).where(t.devices.c.id == device_id)
            ).first()
            if row is None:
                raise NotFound(f"unknown device {device_id}")
            if row.revoked_at is None:
                conn.execute(
                    update(t.devices)
                    .where(t.devices.c.id == device_id)
                    .values(revoked_at=iso(self._clock()))
                )

    @staticmethod
    def _user(conn: Connection, username: str) -> Row[Any] | None:
        return conn.execute(select(t.users).where(t.users.c.username == username)).first()
