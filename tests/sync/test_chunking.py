"""Attachment chunks sized for the link: the engine's choice, the store's ranged reads, and a
file sent in small chunks over a slow link arriving whole on another device."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput
from fieldapp.vault.crypto import KdfParams
from sync.client.engine import chunk_size_for
from tests.conftest import TEST_PASSWORD


@pytest.mark.parametrize(
    ("rate", "size"),
    [
        (None, 16 * 1024),  # unknown yet: small enough for a 2G link
        (1_000, 8 * 1024),  # never below 8 KiB
        (8_000, 16 * 1024),  # 64 kbit/s: a chunk crosses in about 2 s
        (12_000, 32 * 1024),
        (30_000, 64 * 1024),
        (100_000_000, 64 * 1024),  # never above 64 KiB
    ],
)
def test_chunk_size_follows_the_link(rate: float | None, size: int) -> None:
    assert chunk_size_for(rate) == size


def test_a_range_is_read_across_the_stores_own_chunks(tmp_path: Path) -> None:
    with sessions.create(
        tmp_path / "v", TEST_PASSWORD, officer="ali.h", kdf=KdfParams.for_tests()
    ) as s:
        data = bytes(range(256)) * 1000  # 256,000 bytes: four 64 KiB chunks here
        with s.store.connection:
            info = s.store.attachments.add_stream(io.BytesIO(data))
        read = s.store.attachments.read_range
        assert read(info.sha256, 0, 16384) == data[:16384]
        assert read(info.sha256, 60_000, 10_000) == data[60_000:70_000]  # spans two chunks
        assert read(info.sha256, 245_760, 16384) == data[245_760:]  # short at the end
        assert read(info.sha256, 300_000, 10) == b""
        pieces = [read(info.sha256, i, 8192) for i in range(0, len(data), 8192)]
        assert hashlib.sha256(b"".join(pieces)).hexdigest() == info.sha256
        with pytest.raises(InvalidInput):
            read("0" * 64, 0, 10)
