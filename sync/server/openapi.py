"""The OpenAPI schema as the server really answers: the protocol header required, every error
an `ErrorBody` with its real status, and no 422 (validation failures are 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from sync import protocol
from sync.protocol import ErrorBody
from sync.server.error_handlers import ERROR_STATUSES


def schema_builder(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """What `app.openapi` should be: builds the schema once, then serves it."""

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
