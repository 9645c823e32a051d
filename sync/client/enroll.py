"""Enrollment: pin the server's certificate by its fingerprint, then trade a one-time code for a
device id and token (docs/SYNC.md "Enrollment").

1. `fetch_certificate` opens a TLS handshake without verifying anything, only to read the
   certificate the server presents; nothing is sent over that connection.
2. `check_fingerprint` compares its SHA-256 with what the officer typed (read off the server's
   screen or a printout), in constant time. A mismatch stops here: someone else may be answering.
   The error does not show the fingerprint presented: it would read as the one to type instead.
3. `pin_certificate` saves it as `server.pem` in the data folder; from then on every connection
   verifies against that file only.
4. `complete_enrollment` posts the code over the pinned connection and keeps the identity and the
   token inside the vault (`Replica.set_identity`); if that fails, the pinned file is removed.

A failed enrollment leaves nothing behind: `discard_new_vault` removes a vault made for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import socket
import ssl
import string
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from fieldapp.atomic import atomic_write
from fieldapp.errors import InvalidInput, VaultNotFound
from fieldapp.session import Session
from fieldapp.store.replica import Replica, SyncIdentity
from fieldapp.text import forbidden_character
from fieldapp.vault.vault import Vault
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.transport import (
    CONNECT_TIMEOUT,
    RetryLater,
    ServerUnreachable,
    Transport,
    check_server_url,
)
from sync.protocol import EnrollRequest

SERVER_CERT_FILE = "server.pem"
MAX_DEVICE_NAME = 64  # a column of `fieldapp-server device list`, not a paragraph


class FingerprintMismatch(InvalidInput):
    """The server presented a certificate other than the one the officer was told to expect."""

    key = "sync.fingerprint_mismatch"


def normalize_fingerprint(text: str) -> str:
    """64 lowercase hex digits from a fingerprint typed with or without colons, in any case."""
    cleaned = "".join(ch for ch in text if ch not in ": \t-").lower()
    if len(cleaned) != 64 or any(ch not in string.hexdigits for ch in cleaned):
        raise InvalidInput("sync.bad_fingerprint")
    return cleaned


def certificate_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def fetch_certificate(server_url: str, *, timeout: float = CONNECT_TIMEOUT) -> bytes:
    """The DER certificate the server presents in its TLS handshake (unverified: compare it!)."""
    parts = urlsplit(check_server_url(server_url))
    host = parts.hostname or ""
    port = parts.port or 443
    # Verification is off on purpose and only here: this connection reads the certificate so its
    # fingerprint can be checked by the officer's eyes; no request is ever sent over it.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise ServerUnreachable() from exc
    if not der:
        raise ServerUnreachable()
    return der


def check_fingerprint(der: bytes, typed: str) -> None:
    """FingerprintMismatch unless the certificate's SHA-256 is the typed fingerprint."""
    expected = normalize_fingerprint(typed)
    presented = certificate_fingerprint(der)
    if not hmac.compare_digest(presented.encode("ascii"), expected.encode("ascii")):
        raise FingerprintMismatch()


def pin_certificate(data_dir: Path, der: bytes) -> Path:
    """Save the certificate as the device's only trust anchor (atomic, 0600)."""
    path = Path(data_dir) / SERVER_CERT_FILE
    atomic_write(path, ssl.DER_cert_to_PEM_cert(der).encode("ascii"), mode=0o600)
    return path


def enrollment_request(code: str, device_name: str | None = None) -> EnrollRequest:
    """The enrollment message, naming the device `device_name` or else the computer's name
    (`computer_name`); InvalidInput if the code cannot be one the server issued, or if the name
    given is empty, too long or holds control characters."""
    name = computer_name() if device_name is None else checked_device_name(device_name)
    try:
        return EnrollRequest(code=code.strip(), device_name=name)
    except ValidationError as exc:
        raise InvalidInput("sync.bad_code") from exc


def checked_device_name(given: str) -> str:
    """The name an officer gave the device, trimmed; InvalidInput("sync.bad_device_name") if it
    is empty, longer than MAX_DEVICE_NAME or holds a control or bidi character."""
    name = given.strip()
    if not name or len(name) > MAX_DEVICE_NAME or forbidden_character(name) is not None:
        raise InvalidInput("sync.bad_device_name", limit=MAX_DEVICE_NAME)
    return name


def computer_name() -> str:
    """The computer's name as the server lists the device: the host name without its domain
    (`laptop-7.station.local` is `laptop-7`), without control or bidi characters, at most
    MAX_DEVICE_NAME characters; "device" when the computer has no usable name."""
    host = socket.gethostname().strip()
    try:
        ipaddress.ip_address(host)
    except ValueError:  # a name, not an address: its domain says nothing about the device
        host = host.split(".", 1)[0]
    kept = "".join(ch for ch in host if forbidden_character(ch) is None).strip()
    return kept[:MAX_DEVICE_NAME] or "device"


def complete_enrollment(
    replica: Replica,
    data_dir: Path,
    server_url: str,
    der: bytes,
    request: EnrollRequest,
) -> SyncIdentity:
    """Pin `der`, present the code over the pinned connection and keep the identity.

    InvalidInput("sync.already_enrolled") if this vault is enrolled already.
    """
    url = check_server_url(server_url)
    if replica.identity() is not None:
        raise InvalidInput("sync.already_enrolled")
    cert_path = pin_certificate(data_dir, der)
    try:
        with Transport(url, cert_path, None, None) as transport:
            answer = transport.enroll(request)
    except BaseException:
        cert_path.unlink(missing_ok=True)  # not enrolled: trust nothing from this attempt
        raise
    identity = SyncIdentity(
        device_id=answer.device_id,
        server_url=url,
        username=answer.username,
        station=answer.station,
        role=answer.role,
        station_name=answer.station_name,
        token=answer.token,
    )
    replica.set_identity(identity)
    return identity


def reserve_first_numbers(replica: Replica, identity: SyncIdentity, data_dir: Path) -> None:
    """Ask for the device's first block of record numbers right after enrolling, so records
    saved from now on have a real number at once and the provisional ones made before get
    theirs (docs/adr/0021-provisional-record-numbers.md). The device is enrolled either way:
    if the server cannot be reached now, the first sync asks again."""
    cert = data_dir / SERVER_CERT_FILE
    try:
        with Transport(identity.server_url, cert, identity.device_id, identity.token) as link:
            SyncEngine(replica, link, policy=RetryPolicy(max_attempts=1)).top_up_numbers()
    except (ServerUnreachable, RetryLater):
        pass


def discard_new_vault(data_dir: Path, *, keep_folder: bool) -> None:
    """Remove the vault an enrollment made before it failed (crypto-shredded, then deleted), so
    the data folder is as it was: absent, or empty when `keep_folder`. No vault there: nothing
    is touched."""
    data_dir = Path(data_dir)
    with contextlib.suppress(VaultNotFound):
        Vault.open(data_dir).wipe()
    if keep_folder:
        data_dir.mkdir(mode=0o700, exist_ok=True)


def enroll(
    data_dir: Path,
    server: str,
    fingerprint: str,
    request: EnrollRequest,
    open_vault: Callable[[bool], Session],
) -> tuple[Session, SyncIdentity]:
    """Enroll the vault in `data_dir` with the station's server, as `fieldapp-cli enroll` and the
    desktop's first run both do (docs/SYNC.md "Enrollment").

    The server's address and the fingerprint are checked before any connection, the server's
    certificate against the fingerprint before the vault is touched. `open_vault(new)` opens the
    vault (`new`: `data_dir` holds none yet, make it). A failed enrollment of a new vault leaves
    nothing behind. Then the first block of record numbers is asked for. Returns the open
    session and the identity the server gave."""
    url = check_server_url(server)
    normalize_fingerprint(fingerprint)  # a typo is reported before any connection
    der = fetch_certificate(url)
    check_fingerprint(der, fingerprint)
    folder_existed = data_dir.exists()
    try:
        Vault.open(data_dir)
    except VaultNotFound:
        new_vault = True
    else:
        new_vault = False
    session = open_vault(new_vault)
    try:
        replica = Replica(session.store)
        identity = complete_enrollment(replica, data_dir, url, der, request)
    except BaseException:
        session.close()
        if new_vault:  # a failed enrollment leaves nothing behind
            discard_new_vault(data_dir, keep_folder=folder_existed)
        raise
    reserve_first_numbers(replica, identity, data_dir)
    return session, identity
