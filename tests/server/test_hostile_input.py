"""No input from a logged-in device crashes the server (issue 8, section 2; docs/SECURITY.md).

Through the real FastAPI app (every middleware, handler and route, in process) over the real
storage, on SQLite and PostgreSQL: first each input that used to be a 500, then a property-based
fuzz of push, pull and enrollment with hostile strings (lone surrogates, NUL, bidi overrides),
deep nesting, 5,000-digit integers, huge floats and wrong types. No answer is a 5xx, and the
other changes of a batch keep their results.

Examples per endpoint and backend: FIELDAPP_FUZZ_EXAMPLES (default 100).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.forms.definitions import FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.ids import uuid7
from fieldapp.text import forbidden_character
from sync.protocol import ErrorBody, PullResponse, PushResponse
from sync.server.app import create_app
from sync.server.storage import ServerStorage
from tests.server.helpers import audit_entries
from tests.server.inprocess import Answer, InProcessClient

from .conftest import World

EXAMPLES = int(os.environ.get("FIELDAPP_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.fixture
def api(world: World) -> InProcessClient:
    return InProcessClient(create_app(world.storage))


def household_change(**extra: Any) -> dict[str, Any]:
    """A well-formed create of a household, as a device's outbox sends it."""
    fields = {"governorate": "IQG08", "district": "IQG08Q01", "mahalla": "حي الجامعة"}
    return {
        "change_id": uuid7(),
        "record_id": uuid7(),
        "record_type": "household",
        "form_version": 1,
        "op": "create",
        "base_rev": 0,
        "created_at": "2026-12-01T12:00:00+03:00",
        **extra,
        "fields": {**fields, **extra.pop("fields", {})},
    }


def push(api: InProcessClient, token: str, *changes: dict[str, Any]) -> Answer:
    return api.post("/v1/push", {"batch_id": uuid7(), "changes": list(changes)}, token=token)


def refused_for(answer: Answer) -> list[tuple[str, str]]:
    """(where, rule) of each problem of a 400 answer."""
    assert answer.status == 400, answer.body
    problems = ErrorBody.model_validate_json(answer.body).details["problems"]
    return [(p["loc"], p["type"]) for p in problems]


def nested(depth: int, leaf: Any = "x") -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


# --- the inputs that were 500s ------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"mahalla": "\ud800"}, {"notes_unknown": ["\udfff"]}, {"\ud83d": "x"}],
    ids=["known field", "unknown field in a list", "key"],
)
def test_a_lone_surrogate_in_a_field_gets_400_naming_the_rule(
    api: InProcessClient, world: World, fields: dict[str, Any]
) -> None:
    answer = push(api, world["ali"].token, household_change(fields=fields))
    assert refused_for(answer) == [("body.changes.0.fields", "lone_surrogate")]


def test_a_field_value_nested_900_levels_deep_gets_400_naming_the_rule(
    api: InProcessClient, world: World
) -> None:
    answer = push(api, world["ali"].token, household_change(fields={"mahalla": nested(900)}))
    assert refused_for(answer) == [("body.changes.0.fields", "too_deep")]


@pytest.mark.parametrize("key", ["number", "created_at"])
def test_a_nul_in_the_number_or_created_at_gets_400_naming_the_field(
    api: InProcessClient, world: World, key: str
) -> None:
    answer = push(api, world["ali"].token, household_change(**{key: "A-2026-1\x00"}))
    assert refused_for(answer) == [(f"body.changes.0.{key}", "nul_character")]


@pytest.mark.parametrize(
    ("value", "rule"),
    [(2**63, "int_too_large"), (float("nan"), "not_finite"), (float("inf"), "not_finite")],
)
def test_numbers_no_backend_stores_get_400_naming_the_rule(
    api: InProcessClient, world: World, value: Any, rule: str
) -> None:
    answer = push(api, world["ali"].token, household_change(fields={"members": value}))
    assert refused_for(answer) == [("body.changes.0.fields", rule)]


def test_a_5000_digit_integer_gets_400(api: InProcessClient, world: World) -> None:
    body = json.dumps({"batch_id": uuid7(), "changes": [household_change()]})
    body = body.replace('"form_version": 1', '"form_version": ' + "9" * 5000)
    answer = api.request("POST", "/v1/push", body=body.encode(), token=world["ali"].token)
    assert answer.status == 400
    assert ErrorBody.model_validate_json(answer.body).error == "bad_request"


def test_a_refused_batch_is_audited_as_a_bad_request(api: InProcessClient, world: World) -> None:
    push(api, world["ali"].token, household_change(fields={"mahalla": "\ud800"}))
    entry = audit_entries(world.storage.engine, 1)[0]
    assert (entry["who"], entry["action"], entry["outcome"]) == (
        world["ali"].identity.who,
        "push",
        "bad_request",
    )


def test_a_nul_in_the_device_name_gets_400_and_leaves_the_code_usable(
    api: InProcessClient, storage: ServerStorage, world: World
) -> None:
    code = storage.create_enroll_code("ali")
    refused = api.post("/v1/enroll", {"code": code, "device_name": "lap\x00top"})
    assert refused_for(refused) == [("body.device_name", "nul_character")]
    assert api.post("/v1/enroll", {"code": code, "device_name": "laptop"}).status == 200


def test_a_device_name_is_kept_without_control_or_bidi_characters(
    api: InProcessClient, storage: ServerStorage, world: World
) -> None:
    code = storage.create_enroll_code("ali")
    enrolled = api.post("/v1/enroll", {"code": code, "device_name": "\u202eلابتوب\x1b[2J علي"})
    assert enrolled.status == 200
    device_id = enrolled.json()["device_id"]
    names = [d.name for d in storage.list_devices("ali") if d.device_id == device_id]
    assert names == ["لابتوب[2J علي"]


def test_bidi_and_control_characters_in_a_text_field_reject_that_change_only(
    api: InProcessClient, world: World
) -> None:
    good = household_change()
    bad = household_change(fields={"mahalla": "\u202eحي\x1b"})
    results = PushResponse.model_validate_json(push(api, world["ali"].token, good, bad).body)
    assert [(r.status, r.reason) for r in results.results] == [
        ("applied", None),
        ("rejected", "invalid"),
    ]


# --- what still fails is one change rejected, or an audited 500 ----------------------------------


def test_a_change_the_database_cannot_store_is_rejected_alone_and_kept_for_the_clerk(
    world: World, storage: ServerStorage
) -> None:
    # Past the protocol (as a gap in it would let through): a lone surrogate in the fields.
    ali = world["ali"]
    good = ali.change(op="create")
    hostile = ali.change(op="create").model_copy(update={"fields": {"mahalla": "حي\ud800"}})
    results = ali.push(good, hostile, ali.change(op="create"))
    assert [(r.status, r.reason) for r in results] == [
        ("applied", None),
        ("rejected", "unstorable"),
        ("applied", None),
    ]
    kept = [r.change for r in storage.rejections("A") if r.change_id == hostile.change_id]
    assert [c["fields"] for c in kept] == [{"mahalla": "حي\ufffd"}]
    assert ali.push_one(hostile).reason == "unstorable"  # a replay answers the same


class CrashingStorage(ServerStorage):
    def pull(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("record content: محمد جاسم")


def test_an_unexpected_error_is_a_500_audited_and_logged_with_its_status_without_content(
    world: World,
    forms: FormRegistry,
    reference: AdminReference,
    caplog: pytest.LogCaptureFixture,
) -> None:
    storage = world.storage
    api = InProcessClient(
        create_app(CrashingStorage(storage.engine, forms=forms, reference=reference))
    )
    with caplog.at_level(logging.INFO, logger="fieldapp.server"):
        answer = api.get("/v1/pull", token=world["ali"].token, since=0)
    assert answer.status == 500
    assert ErrorBody.model_validate_json(answer.body).error == "internal_error"
    entry = audit_entries(storage.engine, 1)[0]
    assert (entry["who"], entry["action"], entry["outcome"]) == (
        world["ali"].identity.who,
        "pull",
        "internal_error",
    )
    access = [r.getMessage() for r in caplog.records if r.name == "fieldapp.server.access"]
    assert access and access[-1].split()[3] == "500"
    assert "RuntimeError" in caplog.text and "محمد" not in caplog.text


# --- the fuzz: push, pull and enrollment with hostile input -------------------------------------

HOSTILE_CHARACTERS = [
    "\x00", "\ud800", "\udbff", "\udc00", "\udfff", "\u202e", "\u202a", "\u2066", "\u2069",
    "\u200f", "\x1b", "\x7f", "\n", "\ufeff", "\ufffd", "\U0001f600", "ي", "٣", "\\", '"',
]  # fmt: skip
some_text = st.text(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARACTERS)), max_size=8)
hostile_text = st.one_of(
    # Always at least one hostile character, somewhere in ordinary text.
    st.tuples(some_text, st.sampled_from(HOSTILE_CHARACTERS), some_text).map("".join),
    st.sampled_from(
        ["B2-2026-1", "\u202eA1-2026-9\x00", "<script>alert(1)</script>", "A-2026-1", "", " "]
    ),
    some_text,
)

# Values json.dumps cannot write (or writes only with recursion): spliced into the JSON text.
BIG_INTEGER = "@@5000-digit integer@@"
DEEP = {depth: f"@@{depth}-deep@@" for depth in (9, 900, 5000)}
SPLICES = {
    f'"{BIG_INTEGER}"': "9" * 5000,
    f'"-{BIG_INTEGER}"': "-" + "1" * 5000,
    **{f'"{marker}"': "[" * depth + "]" * depth for depth, marker in DEEP.items()},
}

scalars = st.one_of(
    hostile_text,
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(),  # NaN and infinities included
    st.sampled_from([1e308, -1e308, 5e-324, 1.7976931348623157e308]),
    st.booleans(),
    st.none(),
    st.sampled_from([BIG_INTEGER, f"-{BIG_INTEGER}", *DEEP.values()]),
)
hostile_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)
CHANGE_KEYS = [
    "change_id", "record_id", "record_type", "form_version", "op", "base_rev", "prev_change_id",
    "number", "created_at", "fields", "unknown_key",
]  # fmt: skip
HOUSEHOLD_FIELDS = ["governorate", "district", "mahalla", "head_name", "members", "notes"]


def encoded(body: Any) -> bytes:
    text = json.dumps(body)  # NaN and Infinity as Python writes them; lone surrogates escaped
    for marker, replacement in SPLICES.items():
        text = text.replace(marker, replacement)
    return text.encode()


@st.composite
def hostile_spots(draw: Callable[..., Any]) -> tuple[str, str | None, Any]:
    """Where in a change the hostile value goes: (change key, field key or None, value)."""
    where = draw(st.sampled_from([*CHANGE_KEYS, *["field"] * 5, *["new_field"] * 2]))
    value = draw(hostile_values)
    if where == "field":
        return "fields", draw(st.sampled_from(HOUSEHOLD_FIELDS)), value
    if where == "new_field":
        return "fields", draw(hostile_text), value
    if where in ("number", "created_at"):
        value = draw(st.one_of(hostile_text, st.just(value)))
    return where, None, value


def hostile_change(spot: tuple[str, str | None, Any]) -> dict[str, Any]:
    key, field, value = spot
    change = household_change()
    if field is not None:
        change["fields"][field] = value
    else:
        change[key] = value
    return change


class Feed:
    """What the device sees of the station's records through pull, from where it left off."""

    def __init__(self, api: InProcessClient, token: str) -> None:
        self.api, self.token, self.cursor = api, token, 0

    def new_records(self) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        while True:
            answer = self.api.get("/v1/pull", token=self.token, since=self.cursor)
            assert answer.status == 200, answer.body
            page = PullResponse.model_validate_json(answer.body)
            seen.update((r.record_id, r) for r in page.records)
            self.cursor = page.next_cursor
            if not page.more:
                return seen


def assert_no_server_error(answer: Answer) -> None:
    assert answer.status < 500, answer.body
    if answer.status >= 400:
        ErrorBody.model_validate_json(answer.body)  # every refusal is the protocol's ErrorBody


def test_fuzz_push_never_5xx_and_the_batchs_other_changes_keep_their_results(
    api: InProcessClient, world: World
) -> None:
    token = world["ali"].token
    feed = Feed(api, token)

    @given(spot=hostile_spots())
    @FUZZ
    def fuzz(spot: tuple[str, str | None, Any]) -> None:
        before, after = household_change(), household_change(fields={"mahalla": "حي الجهاد"})
        body = {"batch_id": uuid7(), "changes": [before, hostile_change(spot), after]}
        answer = api.request("POST", "/v1/push", body=encoded(body), token=token)
        assert_no_server_error(answer)
        if answer.status == 200:
            results = PushResponse.model_validate_json(answer.body).results
            assert [(r.status, r.rev) for r in (results[0], results[2])] == [("applied", 1)] * 2
            assert results[1].status in ("applied", "rejected")
        else:  # refused at the edge: nothing of the batch was applied, and alone they are
            assert answer.status == 400, answer.body
            assert not {before["record_id"], after["record_id"]} & set(feed.new_records())
            alone = PushResponse.model_validate_json(push(api, token, before, after).body)
            assert [r.status for r in alone.results] == ["applied", "applied"]
        pulled = feed.new_records()
        assert pulled[before["record_id"]].fields["mahalla"] == "حي الجامعة"
        assert pulled[after["record_id"]].fields["mahalla"] == "حي الجهاد"

    fuzz()


def query_part(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return quote(text, safe="", errors="surrogatepass")


def test_fuzz_pull_never_5xx_and_pages_stay_readable(api: InProcessClient, world: World) -> None:
    token = world["ali"].token
    push(api, token, household_change(), household_change())

    @given(since=st.one_of(st.integers(), hostile_values), limit=st.one_of(st.integers(), scalars))
    @FUZZ
    def fuzz(since: Any, limit: Any) -> None:
        query = f"since={query_part(since)}&limit={query_part(limit)}"
        for spliced, replacement in SPLICES.items():
            query = query.replace(quote(spliced.strip('"'), safe=""), replacement)
        answer = api.request("GET", "/v1/pull", query=query, token=token)
        assert_no_server_error(answer)
        if answer.status == 200:
            PullResponse.model_validate_json(answer.body)

    fuzz()


def test_fuzz_enrollment_never_5xx_and_keeps_only_printable_device_names(
    api: InProcessClient, world: World, storage: ServerStorage
) -> None:
    @given(
        name=st.one_of(hostile_text, hostile_values),
        code=st.one_of(st.none(), hostile_values),
        extra=st.dictionaries(st.sampled_from(["protocol", "device_id", "role"]), hostile_values),
    )
    @FUZZ
    def fuzz(name: Any, code: Any, extra: dict[str, Any]) -> None:
        body = {"code": code or storage.create_enroll_code("sara"), "device_name": name, **extra}
        answer = api.request("POST", "/v1/enroll", body=encoded(body))
        assert_no_server_error(answer)
        if answer.status == 200:
            device_id = answer.json()["device_id"]
            (kept,) = [d.name for d in storage.list_devices("sara") if d.device_id == device_id]
            assert kept and forbidden_character(kept) is None

    fuzz()
