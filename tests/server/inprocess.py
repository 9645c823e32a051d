"""The server's FastAPI app driven in this process over its real storage: every middleware,
error handler and route as served, without a socket (fast enough for property-based fuzzing).

    client = InProcessClient(create_app(storage))
    answer = client.post("/v1/push", body, token=token)
    answer.status, answer.json()
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import anyio

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

CLIENT_ADDRESS = ("10.0.0.7", 5000)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class InProcessClient:
    """Requests as a device sends them (protocol header, bearer token, JSON body)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def post(self, path: str, body: Any, *, token: str | None = None) -> Answer:
        # json.dumps escapes a lone surrogate as "\ud800": the bytes a hostile device can send.
        return self.request("POST", path, body=json.dumps(body).encode(), token=token)

    def get(self, path: str, *, token: str | None = None, **params: Any) -> Answer:
        return self.request("GET", path, query=urlencode(params), token=token)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        query: str = "",
        token: str | None = None,
    ) -> Answer:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if body:
            headers["Content-Length"] = str(len(body))
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "https", "path": path, "raw_path": path.encode(),
            "query_string": query.encode(), "root_path": "", "client": CLIENT_ADDRESS,
            "server": ("127.0.0.1", 8443),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }  # fmt: skip
        sent: dict[str, Any] = {"body": b"", "status": 0, "headers": {}}
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                await anyio.sleep_forever()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                sent["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                sent["body"] += message.get("body", b"")

        async def call() -> None:
            await self.app(scope, receive, send)

        try:
            anyio.run(call)
        except Exception:  # what escapes the app: uvicorn answers 500 if nothing was sent
            sent["status"] = sent["status"] or 500
        return Answer(sent["status"], sent["headers"], sent["body"])
