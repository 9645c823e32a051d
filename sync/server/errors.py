"""Typed errors of the server's storage layer.

Each carries the protocol error code (`protocol.ErrorCode`) and the HTTP status the app answers
with, so the app maps any of them to an `ErrorBody` in one place (`error.body()`). Messages are
for the device's log and the admin's terminal: they never contain record contents or secrets.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sync.protocol import ErrorBody, ErrorCode


class StorageError(Exception):
    """Base of every error the server storage raises on purpose."""

    code: ClassVar[ErrorCode] = "bad_request"
    http_status: ClassVar[int] = 400
    default_message: ClassVar[str] = "bad request"

    def __init__(self, message: str = "", details: dict[str, Any] | None = None) -> None:
        self.message = (message or self.default_message)[:200]
        self.details = dict(details or {})
        super().__init__(self.message)

    def body(self) -> ErrorBody:
        """The wire form of this error."""
        return ErrorBody(error=self.code, message=self.message, details=self.details)


class BadRequest(StorageError):
    """The request is malformed or impossible (`reason` in details says which check)."""

    def __init__(
        self, reason: str, message: str = "", details: dict[str, Any] | None = None
    ) -> None:
        self.reason = reason
        super().__init__(message or reason, {"reason": reason, **(details or {})})


class AlreadyExists(StorageError):
    """An admin tried to create something (station, user) that exists."""

    code = "conflict"
    http_status = 409
    default_message = "already exists"


class TooLarge(StorageError):
    code = "too_large"
    http_status = 413
    default_message = "too large"


class QuotaExceeded(TooLarge):
    """The device's files on the server would pass its storage quota (server.toml
    `attachment_quota_mb`); details say the quota and what the device already uses."""

    def __init__(self, quota_bytes: int, used_bytes: int) -> None:
        super().__init__(
            "this device's storage quota for files is full",
            {
                "reason": "storage_quota",
                "quota_mb": quota_bytes // 2**20,
                "used_mb": -(-used_bytes // 2**20),
            },
        )


class AuthFailed(StorageError):
    """Unknown device, wrong token, or a disabled user: the same answer for all of them."""

    code = "auth_failed"
    http_status = 401
    default_message = "authentication failed"


class DeviceRevoked(StorageError):
    """The token is right but the device was revoked: the client wipes its vault."""

    code = "device_revoked"
    http_status = 403
    default_message = "this device has been revoked"


class Forbidden(StorageError):
    """Authenticated, but the role or station does not allow this."""

    code = "forbidden"
    http_status = 403
    default_message = "forbidden"


class NotFound(StorageError):
    """Unknown, or outside the caller's stations (the two are not told apart)."""

    code = "not_found"
    http_status = 404
    default_message = "not found"


class EnrollCodeInvalid(StorageError):
    """Unknown, used, or expired enrollment code (not told apart)."""

    code = "enroll_code_invalid"
    http_status = 400
    default_message = "enrollment code is invalid, used or expired"
