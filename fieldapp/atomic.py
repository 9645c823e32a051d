"""Whole-file writes that either happen completely or not at all.

A reader (or the next start after a power cut) sees the old file or the new one, never a mix:
the new bytes go to a temporary file in the same folder, are flushed to disk, and then renamed
over the old name, and the folder itself is flushed so the rename survives a crash.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from fieldapp.errors import StorageFull

TEMP_SUFFIX = ".tmp"


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside `path` (hidden, recognisable by `is_temp_of`)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}")


def is_temp_of(candidate: Path, path: Path) -> bool:
    """Whether `candidate` is a temporary file left by an interrupted write of `path`."""
    name = candidate.name
    return name.startswith(f".{path.name}.") and name.endswith(TEMP_SUFFIX)


def atomic_write(path: Path | str, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` atomically; the file gets exactly `mode` (default 0600).

    Any OSError (full disk, quota, read-only folder) removes the temporary file and raises
    StorageFull, whose message names the cause (full, not allowed, a folder, no such folder);
    the old file, if any, is left as it was.
    """
    target = Path(path)
    temp = temp_name(target)
    fd = -1
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        os.fchmod(fd, mode)  # the umask may have taken bits away; we want exactly `mode`
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp, target)
    except OSError as exc:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise write_error(exc, target) from exc
    # The new file is in place whatever happens now; some file systems cannot flush a folder,
    # and raising would tell the caller that nothing was written, which is no longer true.
    with contextlib.suppress(OSError):
        fsync_directory(target.parent)


def write_error(exc: OSError, path: Path) -> StorageFull:
    """The `StorageFull` for a failed write of `path`, its message naming the real cause."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull()
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageFull("store.write_denied", path=str(path))
    if code == errno.EISDIR:
        return StorageFull("store.write_is_folder", path=str(path))
    if code in (errno.ENOENT, errno.ENOTDIR):
        return StorageFull("store.write_no_folder", folder=str(path.parent))
    return StorageFull(
        "store.write_failed", path=str(path), code=errno.errorcode.get(code or 0, "?")
    )


def fsync_directory(folder: Path | str) -> None:
    """Flush a folder's entries (renames, creations, deletions) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def shred_file(path: Path) -> None:
    """Overwrite a file in place with random bytes, flush, truncate and remove it (if it exists).

    On SSDs and copy-on-write file systems the old blocks may survive elsewhere on the medium;
    what this guarantees is that the content is gone from the file system (docs/SECURITY.md).
    """
    with contextlib.suppress(FileNotFoundError), path.open("r+b", buffering=0) as f:
        f.write(os.urandom(os.fstat(f.fileno()).st_size))
        os.fsync(f.fileno())
        f.truncate(0)
        os.fsync(f.fileno())
        path.unlink()
