"""The sync server's HTTP API (sync/protocol.py) as a FastAPI app over `ServerStorage`.

Stateless: everything lives in the database, so any number of processes may serve one database.
Around the routes (`sync/server/routes/`), in order (outermost first):

1. access log without query strings or bodies, a per-process cap on requests in flight
   (429 with Retry-After beyond it), and the last barrier: an unexpected error is a 500
   `internal_error`, audited and logged with its status, without its message;
2. the protocol gate: every `/v1` request must carry `X-Fieldapp-Protocol: 1` (426 otherwise);
3. request bodies: refused by Content-Length before reading, read as a stream with a hard cap,
   gunzipped (`Content-Encoding: gzip`) with a hard cap on the output, so neither a huge body
   nor a gzip bomb costs more than the limit in memory (413);
4. gzip responses for clients that accept them.

Every error is an `ErrorBody` (`error_handlers.py`; the OpenAPI schema says so, `openapi.py`).
Every request that reads or changes records, every enrollment and every failed authentication
leaves an audit entry (who, what, when, where, outcome, record ids): see `dependencies.py`.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from sync import protocol
from sync.server.config import AppSettings
from sync.server.error_handlers import audit_crash, install_error_handlers
from sync.server.middleware import (
    BodyLimitMiddleware,
    FrontDoorMiddleware,
    ProtocolGateMiddleware,
)
from sync.server.openapi import schema_builder
from sync.server.routes import ROUTERS
from sync.server.storage import ServerStorage


def create_app(storage: ServerStorage, *, settings: AppSettings | None = None) -> FastAPI:
    """The HTTP API over `storage` (no global state: build as many apps as you like)."""
    settings = settings or AppSettings()
    app = FastAPI(
        title="fieldapp sync server",
        version=str(protocol.PROTOCOL_VERSION),
        # The schema and its pages only when the operator turned them on (server.toml
        # `api_docs`): they map the whole API for anyone who can reach the port.
        openapi_url="/openapi.json" if settings.api_docs else None,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url=None,
    )
    # What the dependencies (sync/server/dependencies.py) hand to the routes.
    app.state.storage = storage
    app.state.settings = settings
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = schema_builder(app)  # type: ignore[method-assign]
    # add_middleware wraps: the last added runs first.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(ProtocolGateMiddleware)
    app.add_middleware(FrontDoorMiddleware, settings=settings, on_crash=audit_crash)
    return app
