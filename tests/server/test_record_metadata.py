"""The server does not trust a change's record metadata (issue 8, section 3; docs/SECURITY.md):
a number must be well formed and in a block reserved to the pushing device, or absent;
`created_at` must be a timestamp between 2008 and a week after the server's clock. On SQLite
and PostgreSQL, through the storage API a route calls."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync.server.storage import ServerStorage

from .conftest import START, Clock, Device, World


def reserve(device: Device, count: int = 10, year: int = 2026) -> tuple[int, int]:
    block = device.storage.reserve_numbers(device.identity, year, count)
    return block.first, block.last


# --- numbers --------------------------------------------------------------------------------------


def test_a_number_from_the_devices_own_block_is_stored(world: World) -> None:
    ali = world["ali"]
    first, _ = reserve(ali)
    change = ali.change(number=f"A-2026-{first}", op="create")
    assert ali.push_one(change).status == "applied"
    head = world["sara"].head(change.record_id)
    assert head is not None and head.number == f"A-2026-{first}"


def test_a_change_without_a_number_is_applied(world: World) -> None:
    assert world["ali"].push_one(world["ali"].change(op="create")).status == "applied"


def test_another_stations_number_is_rejected_and_never_reaches_a_pull(world: World) -> None:
    ali = world["ali"]
    reserve(world["omar"])  # station B's block: B-2026-1..10
    change = ali.change(number="B-2026-2", op="create")
    result = ali.push_one(change)
    assert (result.status, result.reason) == ("rejected", "number_not_reserved")
    assert change.record_id not in world["sara"].pull_all()


def test_a_number_from_another_devices_block_of_the_same_station_is_rejected(
    world: World,
) -> None:
    first, _ = reserve(world["sara"])
    result = world["ali"].push_one(world["ali"].change(number=f"A-2026-{first}", op="create"))
    assert (result.status, result.reason) == ("rejected", "number_not_reserved")


def test_a_number_past_the_end_of_the_devices_block_is_rejected(world: World) -> None:
    ali = world["ali"]
    _, last = reserve(ali)
    result = ali.push_one(ali.change(number=f"A-2026-{last + 1}", op="create"))
    assert (result.status, result.reason) == ("rejected", "number_not_reserved")


def test_a_number_of_a_year_without_a_block_is_rejected(world: World) -> None:
    ali = world["ali"]
    first, _ = reserve(ali, year=2026)
    result = ali.push_one(ali.change(number=f"A-2025-{first}", op="create"))
    assert (result.status, result.reason) == ("rejected", "number_not_reserved")


@pytest.mark.parametrize(
    "number",
    [
        "\u202eA-2026-1",  # a bidi override before it
        "A-2026-1\u202c",
        "A-2026-١",  # Arabic-Indic digit: numbers are ASCII
        "A-2026-0",
        "A-2026-01",
        "A-26-1",
        "A 2026 1",
        "",
        "<script>alert(1)</script>",
    ],
)
def test_a_malformed_number_is_rejected_as_bad_number(world: World, number: str) -> None:
    ali = world["ali"]
    reserve(ali)
    result = ali.push_one(ali.change(number=number, op="create"))
    assert (result.status, result.reason) == ("rejected", "bad_number")


def test_a_number_given_later_to_an_unnumbered_record_must_be_reserved_too(
    world: World,
) -> None:
    ali = world["ali"]
    created = ali.change(op="create")
    assert ali.push_one(created).status == "applied"
    later = ali.change(created.record_id, number="A-2026-5", base_rev=1, follow_up=True)
    assert ali.push_one(later).reason == "number_not_reserved"
    first, _ = reserve(ali)
    numbered = ali.change(created.record_id, number=f"A-2026-{first}", base_rev=1)
    assert ali.push_one(numbered).status == "applied"
    head = ali.head(created.record_id)
    assert head is not None and head.number == f"A-2026-{first}"


def test_an_edit_by_another_device_carrying_the_records_number_is_applied(world: World) -> None:
    ali, sara = world["ali"], world["sara"]
    first, _ = reserve(ali)
    created = ali.change(number=f"A-2026-{first}", op="create")
    assert ali.push_one(created).status == "applied"
    edit = sara.change(created.record_id, number=f"A-2026-{first}", base_rev=1)
    assert sara.push_one(edit).status == "applied"


def test_a_different_number_sent_with_an_edit_never_replaces_the_records_number(
    world: World,
) -> None:
    ali = world["ali"]
    first, _ = reserve(ali)
    created = ali.change(number=f"A-2026-{first}", op="create")
    ali.push_one(created)
    ali.push_one(ali.change(created.record_id, number="B-2026-99", base_rev=1))
    head = world["sara"].head(created.record_id)
    assert head is not None and head.number == f"A-2026-{first}"


# --- created_at -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_at",
    [
        "<script>alert(1)</script>",
        "2026-12-01",
        "2026-12-01T12:00:00",  # no UTC offset
        "2026-12-01 12:00:00+03:00",
        "2026-02-30T12:00:00+03:00",
        "2026-12-01T25:00:00+03:00",
        "٢٠٢٦-١٢-٠١T12:00:00+03:00",
        "2007-12-31T23:59:59Z",  # before the unit was founded
        "1970-01-01T00:00:00Z",
        "",
    ],
)
def test_a_created_at_that_is_not_a_sane_timestamp_is_rejected(
    world: World, created_at: str
) -> None:
    ali = world["ali"]
    change = ali.change(op="create", created_at=created_at)
    result = ali.push_one(change)
    assert (result.status, result.reason) == ("rejected", "bad_created_at")
    assert change.record_id not in world["sara"].pull_all()


@pytest.mark.parametrize(
    ("ahead", "status"),
    [
        (timedelta(days=6, hours=23), "applied"),  # a device clock days fast is still believed
        (timedelta(days=7, minutes=1), "rejected"),
        (timedelta(days=365), "rejected"),
    ],
)
def test_created_at_may_run_at_most_a_week_ahead_of_the_servers_clock(
    world: World, ahead: timedelta, status: str
) -> None:
    ali = world["ali"]
    stamp = (START + ahead).isoformat()
    assert ali.push_one(ali.change(op="create", created_at=stamp)).status == status


def test_the_window_moves_with_the_servers_clock(world: World, clock: Clock) -> None:
    ali = world["ali"]
    stamp = (START + timedelta(days=30)).isoformat()
    clock.advance(days=25)
    assert ali.push_one(ali.change(op="create", created_at=stamp)).status == "applied"


@pytest.mark.parametrize(
    "created_at",
    ["2008-01-01T00:00:00Z", "2026-12-01T12:00:00.123456+03:00", "2026-12-01T09:00:00Z"],
)
def test_timestamps_devices_send_are_accepted(world: World, created_at: str) -> None:
    ali = world["ali"]
    assert ali.push_one(ali.change(op="create", created_at=created_at)).status == "applied"


# --- what the clerk and a replay see --------------------------------------------------------------


def test_a_change_rejected_for_its_metadata_is_kept_for_the_clerk_with_its_reason(
    world: World, storage: ServerStorage
) -> None:
    ali = world["ali"]
    change = ali.change(op="create", number="\u202eA1-2026-9", created_at="2026-12-01T12:00:00Z")
    ali.push_one(change)
    kept = [r for r in storage.rejections("A") if r.change_id == change.change_id]
    assert [(r.reason, r.change["number"]) for r in kept] == [("bad_number", "\u202eA1-2026-9")]


def test_a_replayed_metadata_rejection_answers_as_the_first_time(world: World) -> None:
    ali = world["ali"]
    change = ali.change(op="create", created_at="soon")
    assert ali.push_one(change) == ali.push_one(change)
