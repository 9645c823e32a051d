"""Record and change ids: UUIDv7 (RFC 9562), made offline on any device without coordination.

The first 48 bits are the Unix time in milliseconds, so ids sort roughly by creation time and
index well; the other 74 free bits are random, so two devices never collide in practice.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable

_VERSION = 0x7
_VARIANT = 0b10
_MAX_MS = (1 << 48) - 1


def uuid7(*, unix_ms: int | None = None, random_bytes: Callable[[int], bytes] = os.urandom) -> str:
    """A new UUIDv7 in canonical lower-case hyphenated form.

    `unix_ms` defaults to the clock; `random_bytes` (default `os.urandom`) supplies the 74
    random bits, so a seeded `random.Random(...).randbytes` gives reproducible ids for test data.
    Layout: unix_ts_ms (48) | ver=7 (4) | rand_a (12) | var=0b10 (2) | rand_b (62).
    """
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    if not 0 <= ms <= _MAX_MS:
        raise ValueError(f"unix_ms out of the 48-bit range: {ms}")
    rand = int.from_bytes(random_bytes(10), "big")  # 80 bits; 74 are used
    rand_a = rand >> 68 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = ms << 80 | _VERSION << 76 | rand_a << 64 | _VARIANT << 62 | rand_b
    hex32 = f"{value:032x}"
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_uuid(value: object) -> bool:
    """True for a UUID in canonical lower-case hyphenated form (any version)."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def uuid7_time_ms(uuid: str) -> int:
    """The Unix time in milliseconds stored in a UUIDv7 (the first 48 bits)."""
    return int(uuid.replace("-", "")[:12], 16)
