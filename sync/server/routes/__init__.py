"""The sync API's routes (sync/protocol.py), one `APIRouter` per concern, in schema order."""

from fastapi import APIRouter

from sync.server.routes import audit, enrollment, files, numbers, pull, push

ROUTERS: tuple[APIRouter, ...] = (
    enrollment.router,
    push.router,
    pull.router,
    numbers.router,
    files.router,
    audit.router,
)
