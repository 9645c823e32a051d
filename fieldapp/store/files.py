"""A record's files as a person handles them: add one from a file or a stream, list them, save
one out to a folder the person names.

The bytes go through `Attachments` (encrypted chunks inside the database). A file added here is
linked to its record with `on_server = 0`, which is what the sync engine looks for: once the
record is on the server, the next sync announces the file and uploads its chunks
(`Replica.attachments_to_upload`).

Saving out never overwrites anything and never trusts a stored name as a path: a name may come
from another device through the server, so only its last component is kept, without control or
bidi characters, leading dots or characters Windows refuses (`safe_file_name`).
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from fieldapp import text
from fieldapp.errors import InvalidInput
from fieldapp.store.attachments import MAX_ATTACHMENT_BYTES, AttachmentInfo
from fieldapp.store.db import Connection, DatabaseError, transaction, translate_db_error

if TYPE_CHECKING:
    from fieldapp.store.store import Store

MAX_NAME_CHARS = 200
MAX_SAVED_NAME_CHARS = 120
DEFAULT_MIME = "application/octet-stream"
_WINDOWS_REFUSED = frozenset('<>:"/\\|?*')
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{i}" for port in ("com", "lpt") for i in range(1, 10))}
)


@dataclass(frozen=True)
class RecordFile:
    """A file of a record: its name and size, and whether its bytes are on this device yet
    (`present`; a file listed by the server arrives with a later sync) and on the server."""

    sha256: str
    name: str
    mime: str
    size: int
    present: bool
    on_server: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "mime": self.mime,
            "size": self.size,
            "here": self.present,
            "on_server": self.on_server,
        }


def safe_file_name(name: str, *, fallback: str = "file") -> str:
    """`name` made safe to create inside a folder: its last path component only (`/` and `\\`
    both separate), without control, format or bidi characters (U+202E would show `gpj.exe`
    as `exe.jpg`), without characters Windows refuses, leading dots or trailing dots and
    spaces, not a Windows device name, at most 120 characters with its extension kept."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        "_" if ch in _WINDOWS_REFUSED else ch for ch in name if text.forbidden_character(ch) is None
    )
    kept = kept.strip().lstrip(".").rstrip(". ")
    if len(kept) > MAX_SAVED_NAME_CHARS:
        stem, dot, ext = kept.rpartition(".")
        ext = ext if dot and stem and len(ext) <= 16 else ""
        kept = kept[: MAX_SAVED_NAME_CHARS - len(ext) - 1].rstrip(". ") + ("." + ext if ext else "")
    if kept.split(".", 1)[0].lower() in _WINDOWS_DEVICES:
        kept = "_" + kept
    return kept or fallback


class RecordFiles:
    """The files of the records in one store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _conn(self) -> Connection:
        return self._store.connection

    @contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            with transaction(self._conn):
                yield
        except DatabaseError as exc:
            raise translate_db_error(exc) from exc

    def attach(self, record_id: str, reader: BinaryIO, *, name: str, mime: str) -> RecordFile:
        """Store what `reader` yields (streamed into encrypted chunks, at most 32 MB) as a file
        of the record, in one transaction with its audit entry. The same bytes attached twice
        are one file. The name is checked, not changed: control and bidi characters refused.
        A deleted record takes no new file."""
        store = self._store
        if store.get(record_id).deleted:
            raise InvalidInput("store.record_deleted", id=record_id)
        if len(name) > MAX_NAME_CHARS or not name.strip() or text.forbidden_character(name):
            raise InvalidInput("attachments.bad_name")
        if len(mime) > 100 or text.forbidden_character(mime):
            raise InvalidInput("attachments.bad_name")
        with self._writing():
            info = store.attachments.add_stream(reader)
            self._conn.execute(
                "INSERT OR IGNORE INTO record_attachments (record_id, sha256, name, mime, added_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (record_id, info.sha256, name, mime, store.now_iso()),
            )
            store.audit.append(
                store.actor, "attachment_add", record_id=record_id, details={"sha256": info.sha256}
            )
        return self._one(record_id, info)

    def attach_path(
        self, record_id: str, path: Path, *, name: str | None = None, mime: str | None = None
    ) -> RecordFile:
        """Add the regular file at `path` to the record (see `attach`). Its name defaults to the
        file's own, made safe; its type is guessed from the name's extension."""
        path = Path(path)
        try:
            # Checked before opening too: opening a named pipe would wait for a writer.
            if not stat.S_ISREG(path.stat().st_mode):
                raise InvalidInput("files.not_a_file", path=str(path))
            with path.open("rb") as reader:
                status = os.fstat(reader.fileno())
                if not stat.S_ISREG(status.st_mode):
                    raise InvalidInput("files.not_a_file", path=str(path))
                if status.st_size > MAX_ATTACHMENT_BYTES:
                    raise InvalidInput(
                        "attachments.too_large", limit_mb=MAX_ATTACHMENT_BYTES // 2**20
                    )
                shown = name if name is not None else safe_file_name(path.name)
                kind = mime or mimetypes.guess_type(shown)[0] or DEFAULT_MIME
                return self.attach(record_id, reader, name=shown, mime=kind)
        except OSError as exc:  # missing, a folder, no permission, a read error
            raise InvalidInput("files.cannot_read", path=str(path)) from exc

    def of(self, record_id: str) -> list[RecordFile]:
        """The record's files, oldest first (not audited: a list, not the bytes)."""
        rows = self._conn.execute(
            "SELECT ra.sha256, ra.name, ra.mime, a.size, a.complete, ra.on_server"
            " FROM record_attachments ra JOIN attachments a ON a.sha256 = ra.sha256"
            " WHERE ra.record_id = ? ORDER BY ra.added_at, ra.rowid",
            (record_id,),
        ).fetchall()
        return [RecordFile(r[0], r[1], r[2], int(r[3]), bool(r[4]), bool(r[5])) for r in rows]

    def _one(self, record_id: str, info: AttachmentInfo) -> RecordFile:
        return next(f for f in self.of(record_id) if f.sha256 == info.sha256)

    def read(self, record_id: str, sha256: str, writer: BinaryIO) -> int:
        """Stream a record's file to `writer` (audited as a view); returns the bytes written."""
        self._linked(record_id, sha256)
        written = self._store.attachments.write_to(sha256, writer)
        self._store.record_audit("attachment_view", record_id=record_id, details={"sha256": sha256})
        return written

    def _linked(self, record_id: str, sha256: str) -> RecordFile:
        for file in self.of(record_id):
            if file.sha256 == sha256:
                return file
        raise InvalidInput("attachments.unknown")

    def target(self, record_id: str, sha256: str, folder: Path) -> Path:
        """Where `save` would write the file: `folder` / its safe name."""
        file = self._linked(record_id, sha256)
        return Path(folder) / safe_file_name(file.name, fallback=sha256[:16])

    def save(self, record_id: str, sha256: str, folder: Path) -> Path:
        """Write the record's file, in clear, into the existing `folder` the person named,
        under its safe name (`safe_file_name`); returns the path written.

        Never overwrites: a file already there is refused (`files.exists`) and left as it was.
        A file still downloading is refused (`files.not_here`). The export is audited. A write
        that fails half-way removes what it wrote."""
        folder = Path(folder)
        if not folder.is_dir():
            raise InvalidInput("files.bad_folder", path=str(folder))
        file = self._linked(record_id, sha256)
        if not file.present:
            raise InvalidInput("files.not_here", name=safe_file_name(file.name))
        target = self.target(record_id, sha256, folder)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            # O_EXCL: fails if anything (a file, a link) is already there, even one made by
            # another program between a check and this call.
            handle = os.open(target, flags, 0o600)
        except FileExistsError as exc:
            raise InvalidInput("files.exists", path=str(target)) from exc
        except OSError as exc:
            raise InvalidInput("files.cannot_write", path=str(target)) from exc
        try:
            with os.fdopen(handle, "wb") as writer:
                self._store.attachments.write_to(sha256, writer)
                writer.flush()
                os.fsync(writer.fileno())
        except BaseException as exc:
            with contextlib.suppress(OSError):
                target.unlink()
            if isinstance(exc, OSError):
                raise InvalidInput("files.cannot_write", path=str(target)) from exc
            raise
        self._store.record_audit("export", record_id=record_id, details={"attachment": sha256})
        return target
