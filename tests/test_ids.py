"""UUIDv7 record ids (RFC 9562)."""

from __future__ import annotations

import random
import uuid

import pytest

from fieldapp.ids import uuid7, uuid7_time_ms


def test_id_is_a_canonical_version_7_rfc_9562_uuid() -> None:
    value = uuid7()
    parsed = uuid.UUID(value)
    assert str(parsed) == value
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_id_carries_its_creation_time_in_milliseconds() -> None:
    assert uuid7_time_ms(uuid7(unix_ms=1_732_000_000_123)) == 1_732_000_000_123


def test_ids_sort_by_creation_time() -> None:
    times = [1, 2, 1_000, 1_732_000_000_000, 1_732_000_000_001, (1 << 48) - 1]
    ids = [uuid7(unix_ms=t) for t in times]
    assert sorted(ids) == ids


def test_ids_made_in_the_same_millisecond_differ() -> None:
    assert len({uuid7(unix_ms=5) for _ in range(1000)}) == 1000


def test_seeded_random_bytes_give_the_same_id() -> None:
    a = uuid7(unix_ms=42, random_bytes=random.Random(1).randbytes)
    b = uuid7(unix_ms=42, random_bytes=random.Random(1).randbytes)
    assert a == b
    assert a != uuid7(unix_ms=42, random_bytes=random.Random(2).randbytes)


def test_version_and_variant_bits_survive_all_ones_random_bits() -> None:
    parsed = uuid.UUID(uuid7(unix_ms=0, random_bytes=lambda n: b"\xff" * n))
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


@pytest.mark.parametrize("ms", [-1, 1 << 48])
def test_time_outside_48_bits_is_refused(ms: int) -> None:
    with pytest.raises(ValueError):
        uuid7(unix_ms=ms)
