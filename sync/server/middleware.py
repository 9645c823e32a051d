"""ASGI middlewares of the server: body size caps and gzip bombs, the protocol header gate, and
the front door (request limits, access log without bodies or query strings), plus the error
answers they share with the app."""

from __future__ import annotations

import logging
import time
import traceback
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol
from sync.protocol import ErrorBody
from sync.server.config import AppSettings

access_log = logging.getLogger("fieldapp.server.access")
log = logging.getLogger("fieldapp.server")

# Bodies declared larger than this are answered at once and the connection closed; smaller
# ones are read to the end and thrown away first, so the client gets to read the 413.
DRAIN_LIMIT = 64 * 1024 * 1024
STATUS_CODES: dict[int, protocol.ErrorCode] = {
    400: "bad_request",
    401: "auth_failed",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    409: "conflict",
    413: "too_large",
    426: "protocol_version",
    429: "retry_later",
    500: "internal_error",
    503: "retry_later",
}


class ApiError(Exception):
    """An error answer decided by the HTTP layer itself."""

    def __init__(
        self,
        status: int,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(
            error=STATUS_CODES.get(status, "bad_request"),
            message=message[:200],
            details=details or {},
        )
        self.headers = headers or {}


def error_response(
    status: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _raw_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return error_response(status, ApiError(status, message).body, headers)


async def _send_error(send: Send, response: JSONResponse) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": bytes(response.body)})


class _BodyTooLarge(Exception):
    def __init__(self, more_body: bool) -> None:
        super().__init__()
        self.more_body = more_body  # whether the rest of the body is still to be read


class BodyLimitMiddleware:
    """Reads each request body with hard limits and hands the app the decoded bytes."""

    def __init__(self, app: ASGIApp, settings: AppSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        encoding = headers.get(b"content-encoding", b"identity").decode("latin-1").lower()
        encoding = encoding.strip()
        if encoding not in ("identity", "gzip", ""):
            await _send_error(send, _raw_error(400, "unsupported Content-Encoding"))
            return
        gzipped = encoding == "gzip"
        wire_cap = (
            self.settings.max_compressed_body_bytes if gzipped else self.settings.max_body_bytes
        )
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _send_error(send, _raw_error(400, "bad Content-Length"))
                return
            if int(declared) > wire_cap:
                if int(declared) <= DRAIN_LIMIT:
                    await _drain(receive)
                await _send_error(
                    send, _raw_error(413, "request body too large", {"connection": "close"})
                )
                return
        try:
            body = await self._read(receive, wire_cap, gzipped)
        except _BodyTooLarge as too_large:
            if too_large.more_body:
                await _drain(receive, DRAIN_LIMIT)
            await _send_error(
                send, _raw_error(413, "request body too large", {"connection": "close"})
            )
            return
        except zlib.error:
            await _send_error(send, _raw_error(400, "request body is not valid gzip"))
            return
        except _Disconnected:
            return
        if gzipped or declared is None:
            new_headers = [
                (k, v)
                for k, v in scope["headers"]
                if k not in (b"content-encoding", b"content-length", b"transfer-encoding")
            ]
            new_headers.append((b"content-length", str(len(body)).encode()))
            scope = dict(scope, headers=new_headers)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # waits for the disconnect

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, wire_cap: int, gzipped: bool) -> bytes:
        out_cap = self.settings.max_body_bytes
        pieces: list[bytes] = []
        wire = produced = 0
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS) if gzipped else None
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected()
            chunk: bytes = message.get("body", b"")
            more = bool(message.get("more_body", False))
            wire += len(chunk)
            if wire > wire_cap:
                raise _BodyTooLarge(more)
            if inflater is None:
                pieces.append(chunk)
            else:
                while chunk:
                    # Never inflate more than one byte past the cap, whatever the ratio.
                    piece = inflater.decompress(chunk, out_cap - produced + 1)
                    produced += len(piece)
                    if produced > out_cap:
                        raise _BodyTooLarge(more)
                    pieces.append(piece)
                    chunk = inflater.unconsumed_tail
                    if inflater.eof:  # concatenated gzip members are valid gzip
                        chunk = inflater.unused_data + chunk
                        if not chunk:
                            break
                        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            if not more:
                break
        if inflater is not None and (wire == 0 or not inflater.eof):
            if wire == 0:
                return b""
            raise zlib.error("truncated gzip stream")
        return b"".join(pieces)


class _Disconnected(Exception):
    pass


async def _drain(receive: Receive, limit: int = DRAIN_LIMIT) -> None:
    """Read and discard the rest of a request body (bounded)."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class ProtocolGateMiddleware:
    """Every /v1 request names the protocol version it speaks (426 otherwise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            sent = dict(scope["headers"]).get(protocol.PROTOCOL_HEADER.lower().encode())
            if sent is None or sent.strip() != str(protocol.PROTOCOL_VERSION).encode():
                response = error_response(
                    426,
                    ApiError(
                        426,
                        f"this server speaks protocol {protocol.PROTOCOL_VERSION}",
                        {"supported": [protocol.PROTOCOL_VERSION]},
                    ).body,
                    {"Upgrade": f"fieldapp/{protocol.PROTOCOL_VERSION}", "Connection": "close"},
                )
                await _drain(receive)
                await _send_error(send, response)
                return
        await self.app(scope, receive, send)


class FrontDoorMiddleware:
    """Access log (method, path, status, time; never query strings or bodies), the cap on
    requests in flight in this process, and the last barrier: an error nothing else answered
    becomes a 500 `internal_error`, logged by type and code location only (its message may
    quote record content), passed to `on_crash` (which audits it) and logged as 500, never
    left to the ASGI server (which would log its message and the access log status 0)."""

    def __init__(
        self,
        app: ASGIApp,
        settings: AppSettings,
        on_crash: Callable[[Scope], Awaitable[None]] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.on_crash = on_crash
        self.in_flight = 0  # one event loop per process: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 0

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            if self.in_flight >= self.settings.max_concurrent_requests:
                retry = str(self.settings.retry_after_seconds)
                await _drain(receive)
                await _send_error(
                    send_status,
                    _raw_error(429, "too many requests in flight", {"Retry-After": retry}),
                )
                return
            self.in_flight += 1
            # Shared by every copy of the scope further in: the audit entry a route begins
            # (request.state.audit) is visible here when it crashes.
            scope.setdefault("state", {})
            try:
                await self.app(scope, receive, send_status)
            except Exception as error:
                if status:  # the answer had begun: closing the connection is all that is left
                    raise
                await self._crashed(scope, error)
                await _send_error(send_status, _raw_error(500, "internal server error"))
            finally:
                self.in_flight -= 1
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info(
                "%s %s %s %d %.0fms",
                client[0],
                scope["method"],
                scope["path"][:200],
                status,
                (time.monotonic() - started) * 1000,
            )

    async def _crashed(self, scope: Scope, error: Exception) -> None:
        frames = "\n".join(
            f"  {f.filename}:{f.lineno} in {f.name}"
            for f in traceback.extract_tb(error.__traceback__, limit=-40)
        )
        log.error(
            "unexpected %s answering %s %s\n%s",
            type(error).__name__,
            scope["method"],
            scope["path"][:200],
            frames,
        )
        if self.on_crash is not None:
            try:
                await self.on_crash(scope)
            except Exception:
                log.error("could not audit the failed request either (%s)", type(error).__name__)


# --- errors -----------------------------------------------------------------------------------
