"""Schemathesis against the live server's own OpenAPI schema, over HTTPS with the pinned
certificate: no 5xx, and every answer (status, content type, body, headers) is what the schema
declares. Requests carry a real device token, so bodies reach validation and storage.

Examples per operation: FIELDAPP_FUZZ_EXAMPLES (default 30).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from sync.server import cli as server_cli
from tests.server.serverproc import RunningServer, running_server

EXAMPLES = int(os.environ.get("FIELDAPP_FUZZ_EXAMPLES", "30"))
# "Schema-valid means accepted" does not hold for this protocol by design: a well-formed but
# unknown enrollment code, or a chunk index past the file's end, is a documented 400.
EXCLUDED_CHECKS = [positive_data_acceptance, negative_data_rejection]


def negative_data_rejected(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' own check, also accepting 426: a missing or wrong protocol header is
    answered with 426 before anything else is looked at (sync/protocol.py)."""
    if response.status_code == 426:
        return None
    result: bool | None = negative_data_rejection(ctx, response, case)
    return result


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # The schema is served only when the operator turns it on (server.toml `api_docs`).
    with running_server(tmp_path_factory.mktemp("fuzz"), settings={"api_docs": True}) as server:
        yield server


def _admin(server: RunningServer, *argv: str) -> str:
    out = io.StringIO()
    code = server_cli.main(["--lang", "en", "--data-dir", str(server.data_dir), *argv], out)
    assert code == 0, argv
    return out.getvalue()


@pytest.fixture(scope="module")
def device_token(fuzzed_server: RunningServer) -> str:
    _admin(fuzzed_server, "station", "add", "F1", "--name", "Fuzz", "--governorate", "IQG08",
           "--district", "IQG08Q01")  # fmt: skip
    _admin(fuzzed_server, "user", "add", "fuzzer", "--role", "officer", "--station", "F1")
    code = json.loads(_admin(fuzzed_server, "enroll-code", "fuzzer", "--json"))["code"]
    enrolled = requests.post(
        fuzzed_server.url("/v1/enroll"),
        json={"code": code, "device_name": "fuzzer"},
        headers=fuzzed_server.headers(),
        verify=fuzzed_server.verify,
        timeout=30,
    )
    token: str = enrolled.json()["token"]
    return token


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: RunningServer) -> Any:
    return schemathesis.openapi.from_url(
        fuzzed_server.url("/openapi.json"), verify=fuzzed_server.verify
    )


# The endpoints of sync/protocol.py (a test below checks the schema has exactly these).
OPERATIONS = [
    ("POST", "/v1/enroll"),
    ("GET", "/v1/device"),
    ("POST", "/v1/push"),
    ("GET", "/v1/pull"),
    ("POST", "/v1/numbers"),
    ("GET", "/v1/attachments/{sha256}"),
    ("PUT", "/v1/attachments/{sha256}"),
    ("PUT", "/v1/attachments/{sha256}/chunks/{index}"),
    ("GET", "/v1/attachments/{sha256}/chunks/{index}"),
    ("POST", "/v1/audit"),
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_answer_is_declared_and_none_is_a_server_error(
    api_schema: Any,
    fuzzed_server: RunningServer,
    device_token: str,
    method: str,
    path: str,
    mode: GenerationMode,
) -> None:
    operation = api_schema[path][method]
    session = requests.Session()
    session.verify = fuzzed_server.verify

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(case: Any) -> None:
        # The protocol header is a declared parameter: positive cases send "1", negative ones
        # sometimes leave it out or send another value (and must get 426).
        headers = {"Authorization": f"Bearer {device_token}"}
        case.call_and_validate(
            headers=headers,
            session=session,
            verify=fuzzed_server.verify,
            timeout=30,
            excluded_checks=EXCLUDED_CHECKS,
            additional_checks=[negative_data_rejected],
        )

    with session:
        fuzz()


def test_the_schema_has_exactly_the_protocols_endpoints(fuzzed_server: RunningServer) -> None:
    document = requests.get(
        fuzzed_server.url("/openapi.json"), verify=fuzzed_server.verify, timeout=10
    ).json()
    declared = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert declared == set(OPERATIONS)


def test_the_schema_declares_400_not_422(fuzzed_server: RunningServer) -> None:
    document = requests.get(
        fuzzed_server.url("/openapi.json"), verify=fuzzed_server.verify, timeout=10
    ).json()
    statuses = {
        status
        for operations in document["paths"].values()
        for operation in operations.values()
        for status in operation["responses"]
    }
    assert "422" not in statuses
    assert {"400", "401", "413", "426", "503"} <= statuses
