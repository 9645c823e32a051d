"""Concurrent edits: the three-way field merge, conflicts, delete vs edit, follow-ups.

The first tests exercise the pure merge; the rest go through `ServerStorage` on every backend
and look at what devices would see (push results and pulled heads).
"""

from __future__ import annotations

from typing import Any

from sync.server.merge import DELETED, RecordData, three_way
from tests.records import household, person

from .conftest import World

# --- the pure merge ----------------------------------------------------------------------------


def _d(deleted: bool = False, **fields: Any) -> RecordData:
    return RecordData(fields, deleted)


def test_fields_changed_on_different_sides_both_survive() -> None:
    out = three_way(_d(a=1, b=1), _d(a=2, b=1), _d(a=1, b=3))
    assert out.data == _d(a=2, b=3) and out.clashes == ()


def test_same_field_changed_to_different_values_keeps_the_head_and_reports_both() -> None:
    out = three_way(_d(a=1), _d(a=2), _d(a=3))
    assert out.data == _d(a=2)
    assert [(c.field, c.base, c.head, c.incoming) for c in out.clashes] == [("a", 1, 2, 3)]


def test_same_new_value_on_both_sides_is_no_conflict() -> None:
    assert three_way(_d(a=1), _d(a=2), _d(a=2)).clashes == ()


def test_a_field_cleared_on_one_side_is_cleared() -> None:
    assert three_way(_d(a=1, b=1), _d(a=1, b=1), _d(a=1)).data == _d(a=1)


def test_values_of_different_json_types_differ() -> None:
    assert three_way(_d(a=1), _d(a=True), _d(a=1)).data == _d(a=True)


def test_delete_racing_an_edit_is_a_deleted_conflict_in_either_order() -> None:
    delete_late = three_way(_d(a=1), _d(a=2), _d(True, a=1))
    assert delete_late.data == _d(a=2)
    assert [c.field for c in delete_late.clashes] == [DELETED]
    edit_late = three_way(_d(a=1), _d(True, a=1), _d(a=2))
    assert edit_late.data == _d(True, a=2)  # still deleted, and the edit is not lost
    assert [c.field for c in edit_late.clashes] == [DELETED]


def test_delete_on_a_stale_but_unedited_head_just_deletes() -> None:
    out = three_way(_d(a=1), _d(a=1), _d(True, a=1))
    assert out.data == _d(True, a=1) and out.clashes == ()


def test_the_merge_is_deterministic() -> None:
    args = (_d(a=1, b=1, c=1), _d(a=2, b=2, c=1), _d(a=3, b=1, c=3))
    assert three_way(*args) == three_way(*args)


# --- through the storage -----------------------------------------------------------------------


def _created(world: World) -> str:
    change = world["ali"].change(fields=household(house="1"))
    assert world["ali"].push_one(change).status == "applied"
    return change.record_id


def test_edits_of_different_fields_from_two_devices_merge(world: World) -> None:
    record = _created(world)
    ali = world["ali"].push_one(world["ali"].change(record, household(house="2"), base_rev=1))
    sara = world["sara"].push_one(
        world["sara"].change(record, household(house="1", notes="n"), base_rev=1)
    )
    assert (ali.status, ali.rev, sara.status, sara.rev) == ("applied", 2, "merged", 3)
    head = world["huda"].pull_all()[record]
    assert head.fields == household(house="2", notes="n") and head.conflicts == []


def test_same_field_conflict_keeps_both_values_and_every_device_sees_the_same_head(
    world: World,
) -> None:
    record = _created(world)
    first = world["ali"].change(record, household(house="2"), base_rev=1)
    second = world["sara"].change(record, household(house="3"), base_rev=1)
    world["ali"].push(first)
    result = world["sara"].push_one(second)
    assert (result.status, result.rev) == ("conflict", 3)
    heads = [world[u].pull_all()[record] for u in ("ali", "sara", "huda", "zaid")]
    assert all(h == heads[0] for h in heads)
    head = heads[0]
    assert head.fields["house"] == "2"
    [conflict] = head.conflicts
    assert (conflict.field, conflict.base) == ("house", "1")
    assert [(v.value, v.change_id, v.username) for v in conflict.values] == [
        ("2", first.change_id, "ali"),
        ("3", second.change_id, "sara"),
    ]
    assert [c.record_id for c in world.storage.conflicts("A")] == [record]
    assert world.storage.conflicts("B") == []


def test_a_third_value_joins_the_open_conflict_of_that_field(world: World) -> None:
    record = _created(world)
    world["ali"].push(world["ali"].change(record, household(house="2"), base_rev=1))
    world["sara"].push(world["sara"].change(record, household(house="3"), base_rev=1))
    world["huda"].push(world["huda"].change(record, household(house="4"), base_rev=1))
    [conflict] = world["huda"].pull_all()[record].conflicts
    assert [v.value for v in conflict.values] == ["2", "3", "4"]


def test_stale_delete_after_an_edit_is_a_conflict_and_the_record_stays(world: World) -> None:
    record = _created(world)
    world["ali"].push(world["ali"].change(record, household(house="2"), base_rev=1))
    result = world["sara"].push_one(
        world["sara"].change(record, household(house="1"), base_rev=1, op="delete")
    )
    assert result.status == "conflict"
    head = world["huda"].pull_all()[record]
    assert not head.deleted and head.fields["house"] == "2"
    assert [(c.field, [v.value for v in c.values]) for c in head.conflicts] == [
        (DELETED, [False, True])
    ]


def test_stale_edit_after_a_delete_is_a_conflict_and_the_edit_is_kept(world: World) -> None:
    record = _created(world)
    world["ali"].push(world["ali"].change(record, household(house="1"), base_rev=1, op="delete"))
    result = world["sara"].push_one(world["sara"].change(record, household(house="9"), base_rev=1))
    assert result.status == "conflict"
    head = world["huda"].pull_all()[record]
    assert head.deleted and head.fields["house"] == "9"
    assert [(c.field, [v.value for v in c.values]) for c in head.conflicts] == [
        (DELETED, [True, False])
    ]


def test_follow_up_of_a_change_whose_result_was_lost_is_not_a_conflict(world: World) -> None:
    ali = world["ali"]
    created = ali.change(fields=household(house="1"))
    ali.push(created)
    # The result never arrived: the device still thinks base_rev is 0, and edits again.
    follow = ali.change(created.record_id, household(house="2"), base_rev=0, follow_up=True)
    result = ali.push_one(follow)
    assert (result.status, result.rev) == ("applied", 2)
    assert world["huda"].pull_all()[created.record_id].conflicts == []


def test_follow_up_of_a_merged_change_keeps_the_other_devices_edit(world: World) -> None:
    record = _created(world)
    world["sara"].push(world["sara"].change(record, household(house="1", notes="sara"), base_rev=1))
    ali = world["ali"]
    ali.push(ali.change(record, household(house="2"), base_rev=1))  # merged with sara's notes
    follow = ali.change(record, household(house="3"), base_rev=1, follow_up=True)
    result = ali.push_one(follow)
    assert result.status == "merged"
    head = world["huda"].pull_all()[record]
    assert head.fields == household(house="3", notes="sara") and head.conflicts == []


def test_merge_that_would_break_a_form_rule_keeps_the_head_and_flags_a_conflict(
    world: World,
) -> None:
    ali, sara = world["ali"], world["sara"]
    base = person(birth_date="1990-01-01")
    created = ali.change(record_type="person", fields=base)
    ali.push(created)
    only_birth = {k: v for k, v in base.items() if k != "age"}
    only_age = {k: v for k, v in base.items() if k != "birth_date"}
    ali.push(ali.change(created.record_id, only_birth, base_rev=1, record_type="person"))
    result = sara.push_one(
        sara.change(created.record_id, only_age, base_rev=1, record_type="person")
    )
    assert result.status == "conflict"  # merged alone, neither birth date nor age would remain
    head = world["huda"].pull_all()[created.record_id]
    assert head.fields == only_birth
    assert [c.field for c in head.conflicts] == ["birth_date"]


def test_stale_base_beyond_the_head_is_rejected(world: World) -> None:
    record = _created(world)
    result = world["ali"].push_one(world["ali"].change(record, household(), base_rev=7))
    assert (result.status, result.reason) == ("rejected", "bad_base_rev")


def test_a_pulled_head_names_who_made_its_revision_on_which_device_and_how_it_was_taken(
    world: World,
) -> None:
    record = _created(world)
    world["ali"].push(world["ali"].change(record, household(house="2"), base_rev=1))
    world["sara"].push(world["sara"].change(record, household(house="1", notes="n"), base_rev=1))
    head = world["huda"].pull_all()[record]
    assert (head.created_by, head.changed_by, head.change_status) == ("ali", "sara", "merged")
    assert head.changed_on == world["sara"].identity.device_id
