"""The sync server's HTTP API (sync/protocol.py) as a FastAPI app over `ServerStorage`.

Stateless: everything lives in the database, so any number of processes may serve one database.
Around the routes, in order (outermost first):

1. access log without query strings or bodies, and a per-process cap on requests in flight
   (429 with Retry-After beyond it);
2. the protocol gate: every `/v1` request must carry `X-Fieldapp-Protocol: 1` (426 otherwise);
3. request bodies: refused by Content-Length before reading, read as a stream with a hard cap,
   gunzipped (`Content-Encoding: gzip`) with a hard cap on the output, so neither a huge body
   nor a gzip bomb costs more than the limit in memory (413);
4. gzip responses for clients that accept them.

Every error is an `ErrorBody` (FastAPI's own 422 validation shape never leaves: it is a 400
`bad_request`, and the OpenAPI schema says so). Every request that reads or changes records,
every enrollment and every failed authentication leaves an audit entry (who, what, when, where,
outcome, record ids) through `storage.audit`.

No `from __future__ import annotations` here: FastAPI reads the route signatures at runtime,
and the dependencies are closures over this app's storage.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from sync import protocol
from sync.protocol import (
    AttachmentAnnounce,
    AttachmentManifest,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    NumberBlock,
    NumberBlockRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server import auth
from sync.server.accounts import DeviceIdentity
from sync.server.config import AppSettings
from sync.server.errors import StorageError
from sync.server.middleware import (
    STATUS_CODES,
    ApiError,
    BodyLimitMiddleware,
    FrontDoorMiddleware,
    ProtocolGateMiddleware,
    error_response,
)
from sync.server.storage import ServerStorage

access_log = logging.getLogger("fieldapp.server.access")
log = logging.getLogger("fieldapp.server")

ERROR_STATUSES = {
    400: "bad request, or a body that is not what the protocol says",
    401: "authentication failed",
    403: "forbidden, or this device is revoked",
    404: "not found",
    405: "method not allowed",
    409: "conflict",
    413: "body too large",
    426: "wrong or missing X-Fieldapp-Protocol header",
    429: "too many requests in flight: retry after Retry-After seconds",
    503: "database busy: retry after Retry-After seconds",
}


def server_time() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- audit ------------------------------------------------------------------------------------


@dataclass
class AuditScope:
    """The audit facts of one request, filled in as it goes (`request.state.audit`)."""

    action: str
    who: str = auth.ANONYMOUS
    record_ids: list[str] = field(default_factory=list)
    written: bool = False


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _write_audit(storage: ServerStorage, request: Request, outcome: str) -> None:
    scope: AuditScope | None = getattr(request.state, "audit", None)
    if scope is None or scope.written:
        return
    scope.written = True
    storage.audit(
        who=scope.who,
        action=scope.action,
        where=client_address(request),
        outcome=outcome,
        record_ids=scope.record_ids,
    )


# --- ASGI middleware --------------------------------------------------------------------------


def is_database_busy(error: BaseException) -> bool:
    """A database that is locked, overloaded or unreachable for now: worth retrying later."""
    return isinstance(error, sa_exc.OperationalError | sa_exc.TimeoutError) or (
        isinstance(error, sa_exc.DBAPIError)
        and type(error.orig).__name__
        in {"SerializationFailure", "DeadlockDetected", "LockNotAvailable", "QueryCanceled"}
    )


def _install_error_handlers(app: FastAPI, storage: ServerStorage, settings: AppSettings) -> None:
    def audited(request: Request, outcome: str) -> None:
        try:
            _write_audit(storage, request, outcome)
        except Exception:  # the answer is an error already; the cause matters more
            log.exception("could not write the audit entry of a failed request")

    async def on_storage_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StorageError)
        await run_in_threadpool(audited, request, error.code)
        return error_response(error.http_status, error.body())

    async def on_api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        await run_in_threadpool(audited, request, error.body.error)
        return error_response(error.status, error.body, error.headers)

    async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        # Where and which rule only: the offending values may be record content.
        problems = [
            {"loc": ".".join(str(p) for p in e.get("loc", ()))[:200], "type": e.get("type", "")}
            for e in list(error.errors())[:20]
        ]
        await run_in_threadpool(audited, request, "bad_request")
        body = ErrorBody(
            error="bad_request", message="the request is not valid", details={"problems": problems}
        )
        return error_response(400, body)

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        status = error.status_code if error.status_code in STATUS_CODES else 400
        message = ERROR_STATUSES.get(status, "bad request")
        headers = dict(error.headers) if error.headers else None
        return error_response(status, ApiError(status, message).body, headers)

    async def on_database_error(request: Request, error: Exception) -> JSONResponse:
        if not is_database_busy(error):
            raise error
        log.warning("database busy or unavailable: %s", type(error).__name__)
        await run_in_threadpool(audited, request, "retry_later")
        retry = str(settings.retry_after_seconds)
        return error_response(
            503,
            ApiError(503, "the server is busy; try again later").body,
            {"Retry-After": retry},
        )

    app.add_exception_handler(StorageError, on_storage_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(sa_exc.DBAPIError, on_database_error)
    app.add_exception_handler(sa_exc.TimeoutError, on_database_error)


# --- OpenAPI ----------------------------------------------------------------------------------


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The schema as the server really answers: protocol header required, every error an
    ErrorBody with its real status, and no 422 (validation failures are 400)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        components["ErrorBody"] = ErrorBody.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        error_ref = {"$ref": "#/components/schemas/ErrorBody"}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                for code, description in ERROR_STATUSES.items():
                    if code == 401 and path == "/v1/enroll":
                        continue
                    responses[str(code)] = {
                        "description": description,
                        "content": {"application/json": {"schema": error_ref}},
                    }
                for retry in ("429", "503"):
                    responses[retry]["headers"] = {
                        "Retry-After": {"schema": {"type": "string"}, "required": True}
                    }
                operation.setdefault("parameters", []).append(
                    {
                        "name": protocol.PROTOCOL_HEADER,
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "enum": [str(protocol.PROTOCOL_VERSION)]},
                    }
                )
        app.openapi_schema = schema
        return schema

    return build


# --- the app ----------------------------------------------------------------------------------


def create_app(storage: ServerStorage, *, settings: AppSettings | None = None) -> FastAPI:
    """The HTTP API over `storage` (no global state: build as many apps as you like)."""
    settings = settings or AppSettings()
    app = FastAPI(
        title="fieldapp sync server",
        version=str(protocol.PROTOCOL_VERSION),
        docs_url=None,
        redoc_url=None,
    )
    _install_error_handlers(app, storage, settings)
    _add_routes(app, storage)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    # add_middleware wraps: the last added runs first.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(ProtocolGateMiddleware)
    app.add_middleware(FrontDoorMiddleware, settings=settings)
    return app


def _add_routes(app: FastAPI, storage: ServerStorage) -> None:
    def caller(action: str) -> Callable[..., DeviceIdentity]:
        """A dependency: the authenticated caller; a failure is audited and answered 401/403."""

        def dependency(
            request: Request,
            _bearer: Annotated[Any, Depends(auth.bearer_scheme)] = None,
        ) -> DeviceIdentity:
            request.state.audit = AuditScope(action=action, who=auth.presented_who(request))
            identity = auth.authenticate(storage, request)
            request.state.audit.who = identity.who
            return identity

        return dependency

    def done(request: Request, record_ids: Iterable[str] = ()) -> None:
        scope: AuditScope = request.state.audit
        scope.record_ids = list(dict.fromkeys(record_ids))
        _write_audit(storage, request, "ok")

    @app.post("/v1/enroll", response_model=EnrollResponse, tags=["devices"])
    def enroll(body: EnrollRequest, request: Request) -> EnrollResponse:
        request.state.audit = AuditScope(action="enroll")
        if body.protocol != protocol.PROTOCOL_VERSION:
            raise ApiError(426, "unsupported protocol version")
        response = storage.enroll(body.code, body.device_name)
        request.state.audit.who = f"{response.username}/{response.device_id}"
        done(request)
        return response

    @app.get("/v1/device", response_model=DeviceStatus, tags=["devices"])
    def device(
        request: Request, identity: Annotated[DeviceIdentity, Depends(caller("device_status"))]
    ) -> DeviceStatus:
        status = storage.device_status(identity)
        done(request)
        return status

    @app.post("/v1/push", response_model=PushResponse, tags=["records"])
    def push(
        body: PushRequest,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("push"))],
    ) -> PushResponse:
        request.state.audit.record_ids = [c.record_id for c in body.changes]
        response = storage.push(identity, body)
        done(request, (r.record_id for r in response.results if r.status != "rejected"))
        return response

    @app.get("/v1/pull", response_model=PullResponse, tags=["records"])
    def pull(
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("pull"))],
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[
            int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)
        ] = protocol.DEFAULT_PULL_LIMIT,
    ) -> PullResponse:
        response = storage.pull(identity, since, limit)
        done(request, (r.record_id for r in response.records))
        return response

    @app.post("/v1/numbers", response_model=NumberBlock, tags=["records"])
    def numbers(
        body: NumberBlockRequest,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("numbers"))],
    ) -> NumberBlock:
        block = storage.reserve_numbers(identity, body.year, body.count)
        done(request)
        return block

    Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
    Index = Annotated[int, Path(ge=0, le=protocol.MAX_ATTACHMENT_BYTES // protocol.MIN_CHUNK_SIZE)]

    @app.get("/v1/attachments/{sha256}", response_model=AttachmentManifest, tags=["attachments"])
    def attachment_manifest(
        sha256: Sha,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("attachment_manifest"))],
    ) -> AttachmentManifest:
        manifest, record_id = storage.attachment_manifest(identity, sha256)
        done(request, [record_id])
        return manifest

    @app.put("/v1/attachments/{sha256}", response_model=AttachmentManifest, tags=["attachments"])
    def announce_attachment(
        sha256: Sha,
        body: AttachmentAnnounce,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("attachment_announce"))],
    ) -> AttachmentManifest:
        request.state.audit.record_ids = [body.record_id]
        manifest = storage.announce_attachment(identity, sha256, body)
        done(request, [body.record_id])
        return manifest

    @app.put(
        "/v1/attachments/{sha256}/chunks/{index}",
        response_model=AttachmentManifest,
        tags=["attachments"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {
                        "schema": {
                            "type": "string",
                            "format": "binary",
                            "maxLength": protocol.CHUNK_SIZE,
                        }
                    }
                },
            }
        },
    )
    async def put_chunk(
        sha256: Sha,
        index: Index,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("attachment_upload"))],
    ) -> AttachmentManifest:
        data = await request.body()
        if len(data) > protocol.CHUNK_SIZE:
            raise ApiError(413, "a chunk is at most CHUNK_SIZE bytes")
        manifest, record_id = await run_in_threadpool(
            storage.put_attachment_chunk, identity, sha256, index, data
        )
        await run_in_threadpool(done, request, [record_id])
        return manifest

    @app.get(
        "/v1/attachments/{sha256}/chunks/{index}",
        tags=["attachments"],
        response_class=Response,
        responses={
            200: {
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
                "description": "the chunk's bytes",
            }
        },
    )
    def get_chunk(
        sha256: Sha,
        index: Index,
        request: Request,
        identity: Annotated[DeviceIdentity, Depends(caller("attachment_download"))],
    ) -> Response:
        data, record_id = storage.get_attachment_chunk(identity, sha256, index)
        done(request, [record_id])
        return Response(data, media_type="application/octet-stream")
