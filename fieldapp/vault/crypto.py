"""Key derivation, key wrapping and streaming encryption: a few pure functions, nothing stored.

Every wrapped key is a versioned *envelope*: a JSON-serialisable dict whose bytes are base64
(standard alphabet, padded), e.g. ``{"v": 1, "alg": "A256GCM", "nonce": "...", "ct": "..."}``.
The caller's `aad` (associated data) is authenticated but not stored: the vault binds its id and
format version into it, so an envelope copied into another vault does not open.

The vault composes these functions; see `fieldapp.vault.vault` and
docs/adr/0001-vault-keys-and-kdf.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldapp.errors import VaultError

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
ENVELOPE_VERSION = 1
WRAP_ALG = "A256GCM"
RECOVERY_ALG = "X25519-HKDF-SHA256-A256GCM"

# Defaults measured on the reference laptop (2 cores): 0.53-0.61 s per derivation.
DEFAULT_MEMORY_KIB = 262_144  # 256 MiB
DEFAULT_ITERATIONS = 3
DEFAULT_LANES = 4
# Upper bounds refuse a header that would make us allocate absurd memory or spin for hours.
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_ITERATIONS = 64
MAX_LANES = 64

# Domain separation: a key or envelope made for one purpose never opens as another.
_WRAP_AAD_PREFIX = b"fieldapp/wrap/v1\x00"
_RECOVERY_AAD_PREFIX = b"fieldapp/recovery/v1\x00"
_RECOVERY_HKDF_INFO = b"fieldapp/recovery/kek/v1"
_STREAM_HKDF_INFO = b"fieldapp/stream/key/v1"

Key = bytes | bytearray


class DecryptionFailed(VaultError):
    """Authentication failed: wrong key, or the ciphertext or its associated data was changed."""

    key = "vault.decryption_failed"


class MalformedEnvelope(DecryptionFailed):
    """The envelope or stream is not in a format this version understands."""


# --- Argon2id -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters and salt. `KdfParams()` gives the strong defaults with a fresh salt."""

    memory_kib: int = DEFAULT_MEMORY_KIB
    iterations: int = DEFAULT_ITERATIONS
    lanes: int = DEFAULT_LANES
    salt: bytes = field(default_factory=lambda: os.urandom(SALT_BYTES), repr=False)

    def __post_init__(self) -> None:
        if len(self.salt) < SALT_BYTES:
            raise ValueError(f"Argon2 salt must be at least {SALT_BYTES} bytes")
        if not 1 <= self.lanes <= MAX_LANES:
            raise ValueError("Argon2 lanes out of range")
        if not 1 <= self.iterations <= MAX_ITERATIONS:
            raise ValueError("Argon2 iterations out of range")
        if not 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB:
            raise ValueError("Argon2 memory out of range")

    @classmethod
    def for_tests(cls) -> KdfParams:
        """Cheap costs (8 MiB, 1 pass) for tests and demos; never for a real officer's vault."""
        return cls(memory_kib=8 * 1024, iterations=1, lanes=1)

    def with_fresh_salt(self) -> KdfParams:
        """The same costs with a new random salt (every wrap gets its own salt)."""
        return KdfParams(self.memory_kib, self.iterations, self.lanes, os.urandom(SALT_BYTES))

    def to_dict(self) -> dict[str, Any]:
        return {
            "alg": "argon2id",
            "v": 0x13,
            "salt": _b64(self.salt),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_dict(cls, data: Any) -> KdfParams:
        """Parse `to_dict` output; ValueError if it is not valid Argon2id 1.3 parameters."""
        try:
            if data["alg"] != "argon2id" or data["v"] != 0x13:
                raise ValueError("unsupported KDF")
            numbers = [data[name] for name in ("memory_kib", "iterations", "lanes")]
            if not all(type(n) is int for n in numbers):
                raise ValueError("KDF parameters must be integers")
            return cls(numbers[0], numbers[1], numbers[2], _unb64(data["salt"]))
        except (KeyError, TypeError, MalformedEnvelope) as exc:
            raise ValueError(f"malformed KDF parameters: {exc}") from exc


def derive_kek(password: str, params: KdfParams) -> bytes:
    """The 256-bit key-encryption key for `password` (NFC-normalised, UTF-8) under `params`.

    NFC makes the same Arabic or Kurdish password typed on different keyboards (composed or
    decomposed hamza, for example) derive the same key.
    """
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


# --- AES-256-GCM key wrap ---------------------------------------------------------------------


def wrap_key(kek: Key, data_key: Key, aad: bytes) -> dict[str, Any]:
    """Encrypt `data_key` under `kek` (AES-256-GCM, random nonce), binding `aad`."""
    _check_key(kek)
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), _WRAP_AAD_PREFIX + aad)
    return {"v": ENVELOPE_VERSION, "alg": WRAP_ALG, "nonce": _b64(nonce), "ct": _b64(ct)}


def unwrap_key(kek: Key, envelope: dict[str, Any], aad: bytes) -> bytes:
    """The key inside a `wrap_key` envelope; DecryptionFailed if `kek` or `aad` is wrong."""
    _check_key(kek)
    nonce, ct = _envelope_fields(envelope, WRAP_ALG, ("nonce", "ct"))
    return _aead_open(kek, nonce, ct, _WRAP_AAD_PREFIX + aad)


def check_wrap_envelope(envelope: Any) -> None:
    """MalformedEnvelope unless `envelope` is structurally a `wrap_key` envelope."""
    _envelope_fields(envelope, WRAP_ALG, ("nonce", "ct"))


# --- X25519 recovery --------------------------------------------------------------------------


def generate_recovery_keypair() -> tuple[bytes, bytes]:
    """A new station recovery key pair: (private, public), 32 raw bytes each."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def recovery_public_key(private_key: bytes) -> bytes:
    """The public half of a raw X25519 private key."""
    return _x25519_private(private_key).public_key().public_bytes_raw()


def public_key_fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw public key, hex: what the station compares before recovering."""
    return hashlib.sha256(public_key).hexdigest()


def wrap_to_recovery(public_key: bytes, data_key: Key, aad: bytes) -> dict[str, Any]:
    """Encrypt `data_key` to the holder of the X25519 private key for `public_key`.

    ECIES-style: an ephemeral X25519 key agrees a secret with the recipient, HKDF-SHA256 (salted
    with both public keys) turns it into a one-time AES-256-GCM key.
    """
    recipient = _x25519_public(public_key)
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key().public_bytes_raw()
    kek = _recovery_kek(ephemeral.exchange(recipient), epk, public_key)
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(kek).encrypt(nonce, bytes(data_key), _RECOVERY_AAD_PREFIX + aad)
    return {
        "v": ENVELOPE_VERSION,
        "alg": RECOVERY_ALG,
        "epk": _b64(epk),
        "nonce": _b64(nonce),
        "ct": _b64(ct),
    }


def unwrap_with_recovery(private_key: bytes, envelope: dict[str, Any], aad: bytes) -> bytes:
    """The key inside a `wrap_to_recovery` envelope; DecryptionFailed for the wrong private key."""
    epk, nonce, ct = _envelope_fields(envelope, RECOVERY_ALG, ("epk", "nonce", "ct"))
    private = _x25519_private(private_key)
    try:
        shared = private.exchange(_x25519_public(epk))
    except ValueError as exc:  # low-order point: an all-zero shared secret
        raise DecryptionFailed() from exc
    own_public = private.public_key().public_bytes_raw()
    return _aead_open(_recovery_kek(shared, epk, own_public), nonce, ct, _RECOVERY_AAD_PREFIX + aad)


def check_recovery_envelope(envelope: Any) -> None:
    """MalformedEnvelope unless `envelope` is structurally a `wrap_to_recovery` envelope."""
    epk, _, _ = _envelope_fields(envelope, RECOVERY_ALG, ("epk", "nonce", "ct"))
    if len(epk) != KEY_BYTES:
        raise MalformedEnvelope()


def _recovery_kek(shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(hashes.SHA256(), KEY_BYTES, salt=epk + recipient, info=_RECOVERY_HKDF_INFO)
    return hkdf.derive(shared)


def _x25519_public(raw: bytes) -> X25519PublicKey:
    if len(raw) != KEY_BYTES:
        raise ValueError("an X25519 public key is 32 bytes")
    return X25519PublicKey.from_public_bytes(bytes(raw))


def _x25519_private(raw: bytes) -> X25519PrivateKey:
    if len(raw) != KEY_BYTES:
        raise ValueError("an X25519 private key is 32 bytes")
    return X25519PrivateKey.from_private_bytes(bytes(raw))


# --- Streaming AEAD for attachments -----------------------------------------------------------
#
# The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizar 2015), as in Tink's
# AesGcmHkdfStreaming: a per-stream subkey HKDF(key, salt), and nonce = prefix(7) ||
# counter(4, big-endian) || last(1). A dropped, repeated or reordered chunk has the wrong counter;
# a truncated stream ends on a chunk not sealed as last; trailing bytes follow a chunk sealed as
# last. Every case fails authentication.
#
# Layout: header = MAGIC(4) | version(1) | chunk_size(4) | salt(16) | nonce_prefix(7), then
# chunks of chunk_size + 16 bytes; the final chunk may be shorter (down to 16: empty plaintext).
# The header is the associated data of every chunk, after the caller's `aad`.

STREAM_MAGIC = b"FAS\x00"
STREAM_VERSION = 1
DEFAULT_CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = 16
MAX_CHUNK_SIZE = 8 * 1024 * 1024
_STREAM_HEADER = struct.Struct(">4sBI16s7s")
_MAX_CHUNKS = 2**32


class BinaryReader(Protocol):
    def read(self, size: int, /) -> bytes: ...


class BinaryWriter(Protocol):
    def write(self, data: bytes, /) -> object: ...


def encrypt_stream(
    key: Key,
    reader: BinaryReader,
    writer: BinaryWriter,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    aad: bytes = b"",
) -> int:
    """Encrypt everything `reader` yields into `writer`, one chunk in memory at a time.

    `aad` (e.g. the attachment id) must be given again to decrypt. Returns the plaintext length.
    """
    _check_key(key)
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk_size out of range")
    salt, prefix = os.urandom(SALT_BYTES), os.urandom(7)
    header = _STREAM_HEADER.pack(STREAM_MAGIC, STREAM_VERSION, chunk_size, salt, prefix)
    aead = AESGCM(_stream_subkey(key, salt))
    associated = _stream_aad(aad, header)
    writer.write(header)
    total, index = 0, 0
    chunk = _read_exactly(reader, chunk_size)
    while True:
        following = _read_exactly(reader, chunk_size) if len(chunk) == chunk_size else b""
        last = not following
        writer.write(aead.encrypt(_stream_nonce(prefix, index, last), chunk, associated))
        total += len(chunk)
        if last:
            return total
        chunk, index = following, index + 1


def decrypt_stream(
    key: Key, reader: BinaryReader, writer: BinaryWriter, *, aad: bytes = b""
) -> int:
    """Decrypt an `encrypt_stream` stream into `writer`; returns the plaintext length.

    Each chunk is written only once it has been authenticated, but truncation is only known at
    the end: on DecryptionFailed the caller must discard whatever was written (decrypt into a
    temporary file and keep it only if this returns).
    """
    _check_key(key)
    header = _read_exactly(reader, _STREAM_HEADER.size)
    if len(header) != _STREAM_HEADER.size:
        raise MalformedEnvelope()
    magic, version, chunk_size, salt, prefix = _STREAM_HEADER.unpack(header)
    if magic != STREAM_MAGIC or version != STREAM_VERSION:
        raise MalformedEnvelope()
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise MalformedEnvelope()
    sealed_size = chunk_size + TAG_BYTES
    aead = AESGCM(_stream_subkey(key, salt))
    associated = _stream_aad(aad, header)
    total, index = 0, 0
    chunk = _read_exactly(reader, sealed_size)
    while True:
        following = _read_exactly(reader, sealed_size) if len(chunk) == sealed_size else b""
        last = not following
        try:
            plain = aead.decrypt(_stream_nonce(prefix, index, last), chunk, associated)
        except InvalidTag as exc:
            raise DecryptionFailed() from exc
        writer.write(plain)
        total += len(plain)
        if last:
            return total
        chunk, index = following, index + 1


def _stream_subkey(key: Key, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=salt, info=_STREAM_HKDF_INFO).derive(bytes(key))


def _stream_aad(aad: bytes, header: bytes) -> bytes:
    return struct.pack(">I", len(aad)) + aad + header


def _stream_nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= _MAX_CHUNKS:
        raise ValueError("stream too long for one key and nonce prefix")
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def _read_exactly(reader: BinaryReader, size: int) -> bytes:
    """Up to `size` bytes, fewer only at end of input (a pipe may return short reads)."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = reader.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


# --- shared helpers ---------------------------------------------------------------------------


def _check_key(key: Key) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("keys are 32 bytes (AES-256)")


def _aead_open(key: Key, nonce: bytes, ct: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(bytes(key)).decrypt(nonce, ct, aad)
    except InvalidTag as exc:
        raise DecryptionFailed() from exc


def _envelope_fields(envelope: Any, alg: str, names: tuple[str, ...]) -> list[bytes]:
    if not isinstance(envelope, dict):
        raise MalformedEnvelope()
    if envelope.get("v") != ENVELOPE_VERSION or envelope.get("alg") != alg:
        raise MalformedEnvelope()
    try:
        values = [_unb64(envelope[name]) for name in names]
    except KeyError as exc:
        raise MalformedEnvelope() from exc
    if len(values[-2]) != NONCE_BYTES or len(values[-1]) < TAG_BYTES:
        raise MalformedEnvelope()
    return values


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise MalformedEnvelope()
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise MalformedEnvelope() from exc
