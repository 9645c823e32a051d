"""The device's HTTPS connection to the sync server: one `requests.Session`, pinned certificate.

Trust: every request is verified against the one certificate saved at enrollment
(`verify=<data folder>/server.pem`); verification is never switched off and the system's CA
store is never consulted. The session ignores the environment (`trust_env=False`), so neither a
`REQUESTS_CA_BUNDLE` nor a `.netrc` entry can change whom we trust or what credentials we send.

Bodies are JSON, gzip-compressed on the way out; responses are read up to a size cap. Failures
become typed errors: the engine retries `ServerUnreachable` and `RetryLater`, nothing else.
"""

from __future__ import annotations

import gzip
import ssl
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError

from fieldapp import __version__
from fieldapp.errors import InvalidInput, UserFacingError
from sync.client.abortable import AbortableAdapter
from sync.protocol import (
    DEVICE_HEADER,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AttachmentAnnounce,
    AttachmentManifest,
    AuditAck,
    AuditUpload,
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

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
MAX_RESPONSE_BYTES = 32 * 1024 * 1024  # after gunzip: a full pull page of large records fits
MAX_RETRY_AFTER = 3600.0
RATE_SAMPLE_BYTES = 8 * 1024
# Optional: lets the server find the device by id and name it in its audit log even when the
# token is wrong (sync/server/auth.py). Belongs in sync/protocol.py beside PROTOCOL_HEADER.

Model = TypeVar("Model", bound=BaseModel)


# --- errors -----------------------------------------------------------------------------------


class SyncError(UserFacingError):
    """Base of the errors of talking to the server."""

    key = "sync.failed"


class ServerUnreachable(SyncError):
    """No answer: no network, connection refused or cut, timeout. Worth retrying later."""

    key = "sync.server_unreachable"


class ServerNotTrusted(SyncError):
    """The server did not present the certificate pinned at enrollment. Never retried."""

    key = "sync.server_not_trusted"


class RetryLater(SyncError):
    """The server is busy or failing (429, 5xx); `seconds` is its Retry-After, if it gave one."""

    key = "sync.retry_later"

    def __init__(self, seconds: float | None = None, *, status: int = 503) -> None:
        self.seconds = seconds
        self.status = status
        super().__init__(status=status)


class DeviceRevokedError(SyncError):
    """The server says this device is revoked: its vault must be wiped."""

    key = "sync.device_revoked"


class AuthRejected(SyncError):
    """The server does not accept this device's token."""

    key = "sync.auth_rejected"


class SyncRejected(SyncError):
    """The server refused the request itself (`reason` is its error code)."""

    key = "sync.rejected"

    def __init__(self, reason: str, *, status: int = 400, key: str | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(key, reason=reason)


class EnrollCodeInvalid(SyncRejected):
    def __init__(self) -> None:
        super().__init__("enroll_code_invalid", status=400, key="sync.enroll_code_invalid")


class StorageQuotaFull(SyncRejected):
    """The server refused a new file: this device's storage quota there is full."""

    def __init__(self, quota_mb: int) -> None:
        self.quota_mb = quota_mb
        self.reason = "storage_quota"
        self.status = 413
        UserFacingError.__init__(self, "sync.storage_quota", quota_mb=quota_mb)


class BadResponse(SyncRejected):
    """The server's answer is not what the protocol says (too large, malformed)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, status=0, key="sync.bad_response")


RETRYABLE: tuple[type[SyncError], ...] = (ServerUnreachable, RetryLater)


def check_server_url(url: str) -> str:
    """The server address without a trailing slash; InvalidInput unless it is https://host."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        raise InvalidInput("sync.https_required", url=url[:200])
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise InvalidInput("sync.bad_server_url", url=url[:200])
    try:
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise InvalidInput("sync.bad_server_url", url=url[:200]) from exc
    return url.strip().rstrip("/")


def _is_certificate_failure(exc: BaseException) -> bool:
    """Whether a TLS failure is the server's certificate being refused (not a cut line)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        text = str(current)
        if "CERTIFICATE_VERIFY_FAILED" in text or "doesn't match" in text:
            return True
        pending.extend([current.__cause__, current.__context__])
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):  # urllib3's is an exception, ssl's a string
            pending.append(reason)
    return False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def error_for(status: int, body: bytes, headers: Any) -> SyncError:
    """The typed error for an HTTP error answer (`ErrorBody`, or anything else)."""
    code: str | None = None
    details: dict[str, Any] = {}
    try:
        error = ErrorBody.model_validate_json(body)
        code, details = error.error, error.details
    except ValidationError:
        code = None
    if status in (429, 503) or status >= 500 or code == "retry_later":
        return RetryLater(_retry_after(headers.get("Retry-After")), status=status)
    if code == "device_revoked":
        return DeviceRevokedError()
    if status == 401 or code == "auth_failed":
        return AuthRejected()
    if code == "enroll_code_invalid":
        return EnrollCodeInvalid()
    if code == "too_large" and details.get("reason") == "storage_quota":
        quota = details.get("quota_mb")
        return StorageQuotaFull(quota if isinstance(quota, int) else 0)
    if status == 426 or code == "protocol_version":
        return SyncRejected("protocol_version", status=status, key="sync.protocol_version")
    return SyncRejected(code or f"http_{status}", status=status)


# --- the transport ----------------------------------------------------------------------------


class Transport:
    """Typed calls to the server's endpoints (see sync/protocol.py)."""

    def __init__(
        self,
        base_url: str,
        cert_path: Path,
        device_id: str | None,
        token: str | None,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._base = check_server_url(base_url)
        self._verify = str(Path(cert_path))  # the pinned certificate; never False, never CAs
        self.device_id = device_id
        self._token = token
        self._timeout = (connect_timeout, read_timeout)
        self._cap = max_response_bytes
        # Bytes per second the link has carried lately (None until an exchange of 8 kB or
        # more): the engine sizes attachment chunks by it.
        self.link_rate: float | None = None
        # Bytes carried so far (bodies as they crossed the wire): a sync's progress shows them.
        self.bytes_sent = 0
        self.bytes_received = 0
        self._session = session or requests.Session()
        self._session.trust_env = False
        self._session.verify = self._verify
        self._adapter = AbortableAdapter()
        self._session.mount("https://", self._adapter)

    def __repr__(self) -> str:
        return f"Transport({self._base!r}, device={self.device_id!r})"

    def close(self) -> None:
        self._session.close()

    def abort(self) -> None:
        """Cut the request in flight, from any thread, and refuse every later one: each
        fails as ServerUnreachable (a cut line). For a sync whose vault was locked."""
        self._adapter.abort()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- endpoints --

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        return self._call("POST", "/v1/enroll", EnrollResponse, body=request, auth=False)

    def device(self) -> DeviceStatus:
        return self._call("GET", "/v1/device", DeviceStatus)

    def push(self, request: PushRequest) -> PushResponse:
        return self._call("POST", "/v1/push", PushResponse, body=request)

    def pull(self, since: int, limit: int) -> PullResponse:
        params = {"since": int(since), "limit": max(1, min(int(limit), MAX_PULL_LIMIT))}
        return self._call("GET", "/v1/pull", PullResponse, params=params)

    def numbers(self, request: NumberBlockRequest) -> NumberBlock:
        return self._call("POST", "/v1/numbers", NumberBlock, body=request)

    def audit(self, upload: AuditUpload) -> AuditAck | None:
        """Ship audit entries; None from a server that predates the audit trail (404)."""
        try:
            return self._call("POST", "/v1/audit", AuditAck, body=upload)
        except SyncRejected as exc:
            if exc.status == 404:
                return None
            raise

    def attachment_manifest(self, sha256: str) -> AttachmentManifest | None:
        """What the server holds of a file; None if it has never heard of it."""
        try:
            return self._call("GET", f"/v1/attachments/{sha256}", AttachmentManifest)
        except SyncRejected as exc:
            if exc.status == 404:
                return None
            raise

    def announce_attachment(self, sha256: str, announce: AttachmentAnnounce) -> AttachmentManifest:
        return self._call("PUT", f"/v1/attachments/{sha256}", AttachmentManifest, body=announce)

    def put_chunk(self, sha256: str, index: int, data: bytes) -> AttachmentManifest:
        path = f"/v1/attachments/{sha256}/chunks/{int(index)}"
        return self._call("PUT", path, AttachmentManifest, raw=data)

    def get_chunk(self, sha256: str, index: int) -> bytes:
        return self._request("GET", f"/v1/attachments/{sha256}/chunks/{int(index)}")

    # -- plumbing --

    def _call(
        self,
        method: str,
        path: str,
        answer: type[Model],
        *,
        body: BaseModel | None = None,
        raw: bytes | None = None,
        params: dict[str, int] | None = None,
        auth: bool = True,
    ) -> Model:
        content = self._request(method, path, body=body, raw=raw, params=params, auth=auth)
        try:
            return answer.model_validate_json(content)
        except ValidationError as exc:
            raise BadResponse(answer.__name__) from exc

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        raw: bytes | None = None,
        params: dict[str, int] | None = None,
        auth: bool = True,
    ) -> bytes:
        headers = {
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            "Accept-Encoding": "gzip",
            "User-Agent": f"fieldapp/{__version__}",
        }
        if auth:
            if not self._token:
                raise AuthRejected()
            headers["Authorization"] = f"Bearer {self._token}"
            if self.device_id:
                headers[DEVICE_HEADER] = self.device_id
        data: bytes | None = None
        if body is not None:
            data = gzip.compress(body.model_dump_json().encode("utf-8"), compresslevel=6)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        elif raw is not None:
            data = raw
            headers["Content-Type"] = "application/octet-stream"
        if self._adapter.aborted:
            raise ServerUnreachable()
        started = time.perf_counter()
        try:
            response = self._session.request(
                method,
                self._base + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.SSLError as exc:
            if _is_certificate_failure(exc):
                raise ServerNotTrusted() from exc
            raise ServerUnreachable() from exc
        except requests.RequestException as exc:  # connection refused or cut, timeouts
            raise ServerUnreachable() from exc
        try:
            content = self._read(response)
        finally:
            response.close()
        self.bytes_sent += len(data or b"")
        self.bytes_received += len(content)
        self._observe(len(data or b"") + len(content), time.perf_counter() - started)
        if response.status_code >= 400:
            raise error_for(response.status_code, content, response.headers)
        if response.status_code != 200:
            raise BadResponse(f"http_{response.status_code}")
        return content

    def _observe(self, nbytes: int, seconds: float) -> None:
        """Fold one exchange into `link_rate`. Only exchanges of 8 kB or more count: smaller
        ones measure the round trip, not the link. Round trips and server time are included,
        so the estimate errs on the slow side."""
        if nbytes < RATE_SAMPLE_BYTES or seconds <= 0:
            return
        sample = nbytes / seconds
        self.link_rate = sample if self.link_rate is None else (self.link_rate + sample) / 2

    def _read(self, response: requests.Response) -> bytes:
        """The (decompressed) body, refused past the size cap (a gzip bomb stops early)."""
        declared = response.headers.get("Content-Length")
        if (
            declared
            and declared.isdigit()
            and int(declared) > self._cap
            and "gzip" not in response.headers.get("Content-Encoding", "")
        ):
            raise BadResponse("too_large")
        pieces: list[bytes] = []
        total = 0
        try:
            for piece in response.iter_content(chunk_size=64 * 1024):
                total += len(piece)
                if total > self._cap:
                    raise BadResponse("too_large")
                pieces.append(piece)
        except requests.exceptions.ContentDecodingError as exc:
            raise BadResponse("bad_encoding") from exc
        except requests.RequestException as exc:  # cut mid-answer, read timeout
            raise ServerUnreachable() from exc
        return b"".join(pieces)
