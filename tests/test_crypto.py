"""The crypto primitives alone: KDF, key wraps, recovery wraps, the attachment stream."""

from __future__ import annotations

import io
import json
import os

import pytest

from fieldapp.vault import crypto
from fieldapp.vault.crypto import DecryptionFailed, KdfParams, MalformedEnvelope

AAD = b"fieldapp-vault\x001\x00vault-a\x00password"
CHUNK = 64  # small chunks so a few hundred bytes make several
HEADER = 32  # stream header bytes
SEALED = CHUNK + 16


# --- KDF --------------------------------------------------------------------------------------


def test_same_password_and_salt_derive_the_same_key(fast_kdf: KdfParams) -> None:
    assert crypto.derive_kek("كلمة سر طويلة", fast_kdf) == crypto.derive_kek(
        "كلمة سر طويلة", fast_kdf
    )
    assert len(crypto.derive_kek("x", fast_kdf)) == 32


def test_a_fresh_salt_derives_a_different_key(fast_kdf: KdfParams) -> None:
    other = fast_kdf.with_fresh_salt()
    assert other.salt != fast_kdf.salt
    assert crypto.derive_kek("password1", fast_kdf) != crypto.derive_kek("password1", other)


def test_composed_and_decomposed_arabic_derive_the_same_key(fast_kdf: KdfParams) -> None:
    composed = "\u0622\u0645\u0646 12345"  # آمن: alef with madda as one code point
    decomposed = "\u0627\u0653\u0645\u0646 12345"  # alef + combining madda
    assert composed != decomposed
    assert crypto.derive_kek(composed, fast_kdf) == crypto.derive_kek(decomposed, fast_kdf)


def test_default_kdf_params_are_the_strong_ones() -> None:
    params = KdfParams()
    assert (params.memory_kib, params.iterations, params.lanes) == (262_144, 3, 4)
    assert len(params.salt) == 16
    assert KdfParams().salt != params.salt


def test_kdf_params_survive_json(fast_kdf: KdfParams) -> None:
    again = KdfParams.from_dict(json.loads(json.dumps(fast_kdf.to_dict())))
    assert again == fast_kdf


@pytest.mark.parametrize(
    "change",
    [
        {"memory_kib": 64 * 1024 * 1024},  # 64 GiB: refused before anything is allocated
        {"iterations": 0},
        {"lanes": 0},
        {"salt": "c2hvcnQ="},
        {"alg": "scrypt"},
        {"memory_kib": "8192"},
    ],
)
def test_absurd_or_foreign_kdf_params_are_refused(
    fast_kdf: KdfParams, change: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        KdfParams.from_dict({**fast_kdf.to_dict(), **change})


# --- AES-GCM wrap -----------------------------------------------------------------------------


def test_wrapped_key_unwraps_with_the_same_kek_and_aad() -> None:
    kek, data_key = os.urandom(32), os.urandom(32)
    envelope = json.loads(json.dumps(crypto.wrap_key(kek, data_key, AAD)))
    assert envelope["v"] == 1 and envelope["alg"] == "A256GCM"
    assert crypto.unwrap_key(kek, envelope, AAD) == data_key


def test_wrong_kek_is_refused() -> None:
    envelope = crypto.wrap_key(os.urandom(32), os.urandom(32), AAD)
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_key(os.urandom(32), envelope, AAD)


def test_envelope_from_another_vault_is_refused() -> None:
    kek = os.urandom(32)
    envelope = crypto.wrap_key(kek, os.urandom(32), AAD)
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_key(kek, envelope, AAD.replace(b"vault-a", b"vault-b"))


def test_changed_ciphertext_is_refused() -> None:
    kek = os.urandom(32)
    envelope = crypto.wrap_key(kek, os.urandom(32), AAD)
    ct = bytearray(crypto._unb64(envelope["ct"]))
    ct[5] ^= 1
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_key(kek, {**envelope, "ct": crypto._b64(bytes(ct))}, AAD)


@pytest.mark.parametrize(
    "change", [{"v": 2}, {"alg": "A128GCM"}, {"nonce": "!!"}, {"nonce": "AAAA"}, {"ct": None}]
)
def test_malformed_envelope_is_reported_as_such(change: dict[str, object]) -> None:
    kek = os.urandom(32)
    envelope = crypto.wrap_key(kek, os.urandom(32), AAD)
    with pytest.raises(MalformedEnvelope):
        crypto.unwrap_key(kek, {**envelope, **change}, AAD)


# --- X25519 recovery --------------------------------------------------------------------------


def test_recovery_wrap_opens_with_the_station_private_key() -> None:
    private, public = crypto.generate_recovery_keypair()
    data_key = os.urandom(32)
    envelope = json.loads(json.dumps(crypto.wrap_to_recovery(public, data_key, AAD)))
    assert crypto.unwrap_with_recovery(private, envelope, AAD) == data_key
    assert crypto.recovery_public_key(private) == public


def test_recovery_wrap_refuses_another_private_key() -> None:
    _, public = crypto.generate_recovery_keypair()
    other_private, _ = crypto.generate_recovery_keypair()
    envelope = crypto.wrap_to_recovery(public, os.urandom(32), AAD)
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_with_recovery(other_private, envelope, AAD)


def test_recovery_wrap_refuses_another_aad() -> None:
    private, public = crypto.generate_recovery_keypair()
    envelope = crypto.wrap_to_recovery(public, os.urandom(32), AAD)
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_with_recovery(private, envelope, AAD + b"x")


def test_each_recovery_wrap_uses_a_fresh_ephemeral_key() -> None:
    _, public = crypto.generate_recovery_keypair()
    data_key = os.urandom(32)
    first = crypto.wrap_to_recovery(public, data_key, AAD)
    second = crypto.wrap_to_recovery(public, data_key, AAD)
    assert first["epk"] != second["epk"] and first["ct"] != second["ct"]


def test_a_low_order_ephemeral_point_is_refused() -> None:
    private, public = crypto.generate_recovery_keypair()
    envelope = crypto.wrap_to_recovery(public, os.urandom(32), AAD)
    with pytest.raises(DecryptionFailed):
        crypto.unwrap_with_recovery(private, {**envelope, "epk": crypto._b64(bytes(32))}, AAD)


def test_fingerprint_is_sha256_hex_of_the_public_key() -> None:
    _, public = crypto.generate_recovery_keypair()
    fingerprint = crypto.public_key_fingerprint(public)
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0


# --- streaming AEAD ---------------------------------------------------------------------------


def _encrypt(key: bytes, plain: bytes, chunk_size: int = CHUNK, aad: bytes = b"") -> bytes:
    out = io.BytesIO()
    assert crypto.encrypt_stream(key, io.BytesIO(plain), out, chunk_size, aad=aad) == len(plain)
    return out.getvalue()


def _decrypt(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    out = io.BytesIO()
    crypto.decrypt_stream(key, io.BytesIO(sealed), out, aad=aad)
    return out.getvalue()


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    body = sealed[HEADER:]
    return sealed[:HEADER], [body[i : i + SEALED] for i in range(0, len(body), SEALED)]


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7])
def test_stream_round_trips(size: int) -> None:
    key, plain = os.urandom(32), os.urandom(size)
    sealed = _encrypt(key, plain)
    assert _decrypt(key, sealed) == plain
    assert len(sealed) == HEADER + len(plain) + 16 * max(1, -(-size // CHUNK))


def test_stream_round_trips_with_the_default_chunk_size() -> None:
    key, plain = os.urandom(32), os.urandom(200_000)
    out = io.BytesIO()
    crypto.encrypt_stream(key, io.BytesIO(plain), out, aad=b"attachment-1")
    assert _decrypt(key, out.getvalue(), aad=b"attachment-1") == plain


class _Generated(io.RawIOBase):
    """A large input made up on the fly; records the biggest read asked of it."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.largest_read = 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "the stream must never ask for everything at once"
        self.largest_read = max(self.largest_read, size)
        n = min(size, self.left, 10_000)  # short reads, like a pipe
        self.left -= n
        return b"\x5a" * n


class _Sink:
    def __init__(self) -> None:
        self.total = 0
        self.largest_write = 0

    def write(self, data: bytes) -> int:
        self.total += len(data)
        self.largest_write = max(self.largest_write, len(data))
        return len(data)


def test_stream_holds_one_chunk_at_a_time() -> None:
    source, sink = _Generated(5 * 1024 * 1024), _Sink()
    crypto.encrypt_stream(os.urandom(32), source, sink)
    assert source.largest_read <= crypto.DEFAULT_CHUNK_SIZE
    assert sink.largest_write <= crypto.DEFAULT_CHUNK_SIZE + 16
    assert sink.total == HEADER + 5 * 1024 * 1024 + 16 * 80  # 80 chunks, the last one final


@pytest.mark.parametrize("cut", [1, 16, SEALED - 1, SEALED, SEALED + 5])
def test_truncated_stream_is_refused(cut: int) -> None:
    key = os.urandom(32)
    sealed = _encrypt(key, os.urandom(3 * CHUNK + 10))
    with pytest.raises(DecryptionFailed):
        _decrypt(key, sealed[:-cut])


def test_stream_cut_exactly_at_a_chunk_boundary_is_refused() -> None:
    key = os.urandom(32)
    header, chunks = _chunks(_encrypt(key, os.urandom(3 * CHUNK)))
    with pytest.raises(DecryptionFailed):
        _decrypt(key, header + b"".join(chunks[:2]))


def test_dropped_chunk_is_refused() -> None:
    key = os.urandom(32)
    header, chunks = _chunks(_encrypt(key, os.urandom(4 * CHUNK + 3)))
    with pytest.raises(DecryptionFailed):
        _decrypt(key, header + b"".join(chunks[:1] + chunks[2:]))


def test_swapped_chunks_are_refused() -> None:
    key = os.urandom(32)
    header, chunks = _chunks(_encrypt(key, os.urandom(4 * CHUNK + 3)))
    chunks[1], chunks[2] = chunks[2], chunks[1]
    with pytest.raises(DecryptionFailed):
        _decrypt(key, header + b"".join(chunks))


def test_repeated_chunk_and_trailing_bytes_are_refused() -> None:
    key = os.urandom(32)
    sealed = _encrypt(key, os.urandom(2 * CHUNK + 3))
    header, chunks = _chunks(sealed)
    with pytest.raises(DecryptionFailed):
        _decrypt(key, header + chunks[0] + b"".join(chunks))
    with pytest.raises(DecryptionFailed):
        _decrypt(key, sealed + b"\x00")


def test_every_flipped_bit_is_detected() -> None:
    key = os.urandom(32)
    sealed = _encrypt(key, os.urandom(2 * CHUNK + 3))
    for position in range(len(sealed)):
        for bit in (0x01, 0x80):
            damaged = bytearray(sealed)
            damaged[position] ^= bit
            with pytest.raises(DecryptionFailed):
                _decrypt(key, bytes(damaged))


def test_stream_refuses_the_wrong_key_or_aad() -> None:
    key = os.urandom(32)
    sealed = _encrypt(key, b"pledge scan", aad=b"attachment-1")
    with pytest.raises(DecryptionFailed):
        _decrypt(os.urandom(32), sealed, aad=b"attachment-1")
    with pytest.raises(DecryptionFailed):
        _decrypt(key, sealed, aad=b"attachment-2")


def test_same_plaintext_encrypts_differently_each_time() -> None:
    key = os.urandom(32)
    assert _encrypt(key, b"same photo") != _encrypt(key, b"same photo")
