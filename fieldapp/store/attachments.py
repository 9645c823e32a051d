"""Attachments (photos, scanned pledges): content-addressed, kept in chunks inside the encrypted
database, read and written as streams so a file is never whole in memory or in clear on disk.

A file arriving in pieces (a download cut mid-way) is kept as an incomplete attachment; the
missing chunks are asked for again and the whole is checked against its SHA-256 before use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from fieldapp.errors import InvalidInput
from fieldapp.ids import uuid7
from fieldapp.store.audit import utc_now
from fieldapp.store.db import Connection

CHUNK_SIZE = 64 * 1024
MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    sha256: str
    size: int
    chunk_size: int
    chunks: int
    complete: bool


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class Attachments:
    """Chunked attachment storage. The caller owns the transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_stream(self, reader: BinaryIO, *, chunk_size: int = CHUNK_SIZE) -> AttachmentInfo:
        """Store what `reader` yields; returns its info (an identical file is stored once)."""
        provisional = "partial-" + uuid7()
        digest = hashlib.sha256()
        size = index = 0
        while chunk := reader.read(chunk_size):
            size += len(chunk)
            if size > MAX_ATTACHMENT_BYTES:
                self._conn.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (provisional,))
                raise InvalidInput("attachments.too_large", limit_mb=MAX_ATTACHMENT_BYTES // 2**20)
            digest.update(chunk)
            self._conn.execute(
                "INSERT INTO attachment_chunks (sha256, idx, data) VALUES (?, ?, ?)",
                (provisional, index, chunk),
            )
            index += 1
        sha = digest.hexdigest()
        existing = self.info(sha)
        if existing is not None and existing.complete:
            self._conn.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (provisional,))
            return existing
        self._conn.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (sha,))
        self._conn.execute("DELETE FROM attachments WHERE sha256 = ?", (sha,))
        self._conn.execute(
            "UPDATE attachment_chunks SET sha256 = ? WHERE sha256 = ?", (sha, provisional)
        )
        self._conn.execute(
            "INSERT INTO attachments (sha256, size, chunk_size, chunks, complete, created_at)"
            " VALUES (?, ?, ?, ?, 1, ?)",
            (sha, size, chunk_size, index, utc_now()),
        )
        return AttachmentInfo(sha, size, chunk_size, index, True)

    def info(self, sha256: str) -> AttachmentInfo | None:
        row = self._conn.execute(
            "SELECT sha256, size, chunk_size, chunks, complete FROM attachments WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return None if row is None else AttachmentInfo(row[0], row[1], row[2], row[3], bool(row[4]))

    def expect(self, sha256: str, size: int, chunk_size: int = CHUNK_SIZE) -> AttachmentInfo:
        """Announce a file that will arrive in chunks (e.g. from the server)."""
        if not _is_sha256(sha256) or not (0 <= size <= MAX_ATTACHMENT_BYTES) or chunk_size <= 0:
            raise InvalidInput("attachments.bad_manifest")
        existing = self.info(sha256)
        if existing is not None:
            return existing
        chunks = (size + chunk_size - 1) // chunk_size
        self._conn.execute(
            "INSERT INTO attachments (sha256, size, chunk_size, chunks, complete, created_at)"
            " VALUES (?, ?, ?, ?, 0, ?)",
            (sha256, size, chunk_size, chunks, utc_now()),
        )
        return AttachmentInfo(sha256, size, chunk_size, chunks, False)

    def put_chunk(self, sha256: str, index: int, data: bytes) -> None:
        """Keep one chunk of an announced file; sending the same chunk twice is harmless."""
        info = self.info(sha256)
        if info is None or not (0 <= index < info.chunks):
            raise InvalidInput("attachments.bad_chunk", index=index)
        expected = min(info.chunk_size, info.size - index * info.chunk_size)
        if len(data) != expected:
            raise InvalidInput("attachments.bad_chunk", index=index)
        self._conn.execute(
            "INSERT OR REPLACE INTO attachment_chunks (sha256, idx, data) VALUES (?, ?, ?)",
            (sha256, index, data),
        )

    def missing_chunks(self, sha256: str) -> list[int]:
        info = self.info(sha256)
        if info is None:
            raise InvalidInput("attachments.unknown")
        have = {
            row[0]
            for row in self._conn.execute(
                "SELECT idx FROM attachment_chunks WHERE sha256 = ?", (sha256,)
            )
        }
        return [i for i in range(info.chunks) if i not in have]

    def finish(self, sha256: str) -> AttachmentInfo | None:
        """Check a fully arrived file against its hash and mark it usable. None when the bytes
        do not match: the chunks are dropped (in the caller's transaction, which can commit
        that) and the file stays expected, to be fetched again."""
        if self.missing_chunks(sha256):
            raise InvalidInput("attachments.incomplete")
        digest = hashlib.sha256()
        for chunk in self.chunks(sha256, require_complete=False):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            self._conn.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (sha256,))
            return None
        self._conn.execute("UPDATE attachments SET complete = 1 WHERE sha256 = ?", (sha256,))
        info = self.info(sha256)
        assert info is not None
        return info

    def chunks(self, sha256: str, *, require_complete: bool = True) -> Iterator[bytes]:
        """The file's bytes, chunk by chunk."""
        info = self.info(sha256)
        if info is None or (require_complete and not info.complete):
            raise InvalidInput("attachments.unknown")
        for index in range(info.chunks):
            yield self._chunk(sha256, index)

    def _chunk(self, sha256: str, index: int) -> bytes:
        row = self._conn.execute(
            "SELECT data FROM attachment_chunks WHERE sha256 = ? AND idx = ?", (sha256, index)
        ).fetchone()
        if row is None:
            raise InvalidInput("attachments.incomplete")
        return bytes(row[0])

    def read_range(self, sha256: str, offset: int, length: int) -> bytes:
        """`length` bytes of a complete file from `offset` (fewer at its end), read from the
        chunks that hold them: the wire may cut a file into other pieces than this store."""
        info = self.info(sha256)
        if info is None or not info.complete:
            raise InvalidInput("attachments.unknown")
        end = min(info.size, offset + max(0, length))
        pieces: list[bytes] = []
        position = max(0, offset)
        while position < end:
            index, skip = divmod(position, info.chunk_size)
            piece = self._chunk(sha256, index)[skip : skip + end - position]
            pieces.append(piece)
            position += len(piece)
        return b"".join(pieces)

    def write_to(self, sha256: str, writer: BinaryIO) -> int:
        written = 0
        for chunk in self.chunks(sha256):
            writer.write(chunk)
            written += len(chunk)
        return written
