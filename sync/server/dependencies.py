"""What a route may ask for, as typed FastAPI dependencies.

    storage: StorageDep            the app's `ServerStorage` (set by `create_app`)
    audit: AuditDep                this request's audit entry (who, what, when, where, outcome)
    identity: Annotated[DeviceIdentity, Depends(Caller("push"))]
                                   the authenticated device; its failure is audited and answered

The app keeps its storage and settings in `app.state` (no globals: build as many apps as you
like). A request's audit entry lives in `request.state.audit` as well, so that the error
handlers write the failed outcome of a request that began one.

No `from __future__ import annotations` here: FastAPI reads these signatures at runtime.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from sync.server import auth
from sync.server.accounts import DeviceIdentity
from sync.server.config import AppSettings
from sync.server.storage import ServerStorage

log = logging.getLogger("fieldapp.server")


async def app_storage(request: Request) -> ServerStorage:
    """The storage the app was built over (async: no I/O, so no trip to the thread pool)."""
    storage: ServerStorage = request.app.state.storage
    return storage


StorageDep = Annotated[ServerStorage, Depends(app_storage)]


def app_settings(request: Request) -> AppSettings:
    """The limits and back-pressure settings the app was built with."""
    settings: AppSettings = request.app.state.settings
    return settings


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass
class RequestAudit:
    """The audit entry of one request, filled in as it goes and written once: by the route
    when it succeeds (`ok`), by the error handlers when it fails (`failed`). A request that
    never `begin`s (a body that fails to parse before any route code runs) leaves none."""

    storage: ServerStorage
    where: str
    action: str = ""
    who: str = auth.ANONYMOUS
    record_ids: list[str] = field(default_factory=list)
    written: bool = False

    def begin(self, request: Request, action: str, who: str = auth.ANONYMOUS) -> None:
        self.action, self.who = action, who
        request.state.audit = self

    def ok(self, record_ids: Iterable[str] = ()) -> None:
        self.record_ids = list(dict.fromkeys(record_ids))
        self._write("ok")

    def failed(self, outcome: str) -> None:
        try:
            self._write(outcome)
        except Exception:  # the answer is an error already; the cause matters more
            log.exception("could not write the audit entry of a failed request")

    def _write(self, outcome: str) -> None:
        if self.written:
            return
        self.written = True
        self.storage.audit(
            who=self.who,
            action=self.action,
            where=self.where,
            outcome=outcome,
            record_ids=self.record_ids,
        )


def begun_audit(request: Request) -> RequestAudit | None:
    """The audit entry a request began, if any (for the error handlers)."""
    audit: RequestAudit | None = getattr(request.state, "audit", None)
    return audit


async def request_audit(request: Request, storage: StorageDep) -> RequestAudit:
    """This request's audit entry (one per request: FastAPI caches it across dependencies)."""
    return RequestAudit(storage=storage, where=client_address(request))


AuditDep = Annotated[RequestAudit, Depends(request_audit)]


class Caller:
    """A dependency: the authenticated device calling `action`. A failure is audited as that
    action (who: the presented device id, or anonymous) and answered 401 or 403."""

    def __init__(self, action: str) -> None:
        self.action = action

    def __call__(
        self,
        request: Request,
        storage: StorageDep,
        audit: AuditDep,
        _bearer: Annotated[Any, Depends(auth.bearer_scheme)] = None,
    ) -> DeviceIdentity:
        audit.begin(request, self.action, who=auth.presented_who(request))
        identity = auth.authenticate(storage, request)
        audit.who = identity.who
        return identity
