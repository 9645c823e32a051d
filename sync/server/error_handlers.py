"""How the server answers a failed request: every error is an `ErrorBody` with its status.

FastAPI's own 422 validation shape never leaves (it is a 400 `bad_request` naming where and
which rule, never the offending values, which may be record content); a busy database is a 503
with Retry-After. A request that began an audit entry gets it written with the failed outcome.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from sync.protocol import ErrorBody
from sync.server import auth
from sync.server.dependencies import RequestAudit, app_settings, begun_audit, client_address
from sync.server.errors import StorageError
from sync.server.middleware import STATUS_CODES, ApiError, error_response

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


def is_database_busy(error: BaseException) -> bool:
    """A database that is locked, overloaded or unreachable for now: worth retrying later."""
    return isinstance(error, sa_exc.OperationalError | sa_exc.TimeoutError) or (
        isinstance(error, sa_exc.DBAPIError)
        and type(error.orig).__name__
        in {"SerializationFailure", "DeadlockDetected", "LockNotAvailable", "QueryCanceled"}
    )


async def _audit_failure(request: Request, outcome: str) -> None:
    audit = begun_audit(request)
    if audit is not None:
        await run_in_threadpool(audit.failed, outcome)


async def on_storage_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StorageError)
    await _audit_failure(request, error.code)
    return error_response(error.http_status, error.body())


async def on_api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    await _audit_failure(request, error.body.error)
    return error_response(error.status, error.body, error.headers)


async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    # Where and which rule only: the offending values may be record content.
    problems = [
        {"loc": ".".join(str(p) for p in e.get("loc", ()))[:200], "type": e.get("type", "")}
        for e in list(error.errors())[:20]
    ]
    await _audit_failure(request, "bad_request")
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
    await _audit_failure(request, "retry_later")
    retry = str(app_settings(request).retry_after_seconds)
    return error_response(
        503,
        ApiError(503, "the server is busy; try again later").body,
        {"Retry-After": retry},
    )


async def audit_crash(scope: Scope) -> None:
    """The audit entry of a request that ended in a 500 (`FrontDoorMiddleware.on_crash`): the
    one it began, or a new one if it crashed before it began one."""
    request = Request(scope)
    audit = begun_audit(request)
    if audit is None:
        audit = RequestAudit(storage=request.app.state.storage, where=client_address(request))
        audit.begin(request, "request", who=auth.presented_who(request))
    await run_in_threadpool(audit.failed, "internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StorageError, on_storage_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(sa_exc.DBAPIError, on_database_error)
    app.add_exception_handler(sa_exc.TimeoutError, on_database_error)
