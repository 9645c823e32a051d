"""The server's data folder and its configuration file.

A data folder (made 0700 by `fieldapp-server init`) holds:

    server.toml   the configuration below (0600: a PostgreSQL URL may carry a password)
    server.pem    the TLS certificate (public; its fingerprint is what devices pin)
    server.key    its private key (0600)
    server.db     the SQLite database, unless `database_url` names PostgreSQL

`server.toml` is written last by `init`, so a folder that has it is completely initialised.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from fieldapp.atomic import atomic_write
from fieldapp.errors import InvalidInput, UserFacingError
from sync import protocol

CONFIG_NAME = "server.toml"
CERT_NAME = "server.pem"
KEY_NAME = "server.key"
SQLITE_NAME = "server.db"


class ServerNotInitialised(InvalidInput):
    """The data folder has no `server.toml` (wrong folder, or `init` was never run)."""

    key = "server.not_initialised"


class ServerAlreadyInitialised(InvalidInput):
    key = "server.already_initialised"


class ConfigDamaged(UserFacingError):
    """`server.toml` exists but cannot be read or has wrong values."""

    key = "server.config_damaged"


@dataclass(frozen=True)
class AppSettings:
    """What the HTTP app needs besides storage: limits and back-pressure."""

    max_body_bytes: int = protocol.MAX_BODY_BYTES
    max_compressed_body_bytes: int = protocol.MAX_COMPRESSED_BODY_BYTES
    # Requests one process works on at once; more get 429 with Retry-After.
    max_concurrent_requests: int = 64
    retry_after_seconds: int = 5
    # The files one device may have stored on the server, in total (its announced sizes).
    attachment_quota_bytes: int = 2048 * 2**20
    # /openapi.json and /docs describe every endpoint to anyone who asks: off unless wanted.
    api_docs: bool = False


@dataclass(frozen=True)
class ServerConfig:
    """The contents of `server.toml`. Relative paths are relative to the data folder."""

    database_url: str
    certificate: str = CERT_NAME
    private_key: str = KEY_NAME
    hostnames: list[str] = field(default_factory=list)
    max_concurrent_requests: int = AppSettings.max_concurrent_requests
    retry_after_seconds: int = AppSettings.retry_after_seconds
    enroll_code_hours: int = 24
    attachment_quota_mb: int = AppSettings.attachment_quota_bytes // 2**20
    api_docs: bool = AppSettings.api_docs
    # Addresses whose X-Forwarded-For / X-Forwarded-Proto headers are believed (a TLS proxy).
    trusted_proxies: list[str] = field(default_factory=lambda: ["127.0.0.1", "::1"])

    def app_settings(self) -> AppSettings:
        return AppSettings(
            max_concurrent_requests=self.max_concurrent_requests,
            retry_after_seconds=self.retry_after_seconds,
            attachment_quota_bytes=self.attachment_quota_mb * 2**20,
            api_docs=self.api_docs,
        )


@dataclass(frozen=True)
class DataFolder:
    """A server data folder and where its files are."""

    path: Path

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG_NAME

    def resolve(self, name: str) -> Path:
        candidate = Path(name)
        return candidate if candidate.is_absolute() else self.path / candidate

    def default_database_url(self) -> str:
        return f"sqlite:///{(self.path / SQLITE_NAME).resolve()}"

    def is_initialised(self) -> bool:
        return self.config_path.exists()

    def create(self) -> None:
        """Make the folder (0700); refuse one that is already initialised."""
        if self.is_initialised():
            raise ServerAlreadyInitialised(path=str(self.path))
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.path, 0o700)
        except OSError as exc:
            raise InvalidInput("server.data_dir_unusable", path=str(self.path)) from exc

    def load(self) -> ServerConfig:
        if not self.is_initialised():
            raise ServerNotInitialised(path=str(self.path))
        try:
            raw = tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigDamaged(path=str(self.config_path)) from exc
        return _from_mapping(raw, self.config_path)

    def save(self, config: ServerConfig) -> None:
        atomic_write(self.config_path, to_toml(config).encode("utf-8"), mode=0o600)


def _from_mapping(raw: dict[str, Any], path: Path) -> ServerConfig:
    known = {f.name: f for f in fields(ServerConfig)}
    unknown = set(raw) - set(known)
    if unknown or "database_url" not in raw:
        raise ConfigDamaged(path=str(path))
    defaults = asdict(ServerConfig(database_url=""))
    for name, value in raw.items():
        expected = type(defaults[name])
        ok = isinstance(value, expected) and (expected is bool or not isinstance(value, bool))
        if ok and isinstance(value, list):
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            raise ConfigDamaged(path=str(path))
    config = ServerConfig(**raw)
    if min(config.max_concurrent_requests, config.retry_after_seconds) < 1:
        raise ConfigDamaged(path=str(path))
    if config.attachment_quota_mb < 0:
        raise ConfigDamaged(path=str(path))
    return config


def to_toml(config: ServerConfig) -> str:
    """`server.toml` text. Values are strings, integers and lists of strings only; JSON string
    escapes are valid TOML basic-string escapes, so `json.dumps` quotes safely."""
    lines = [
        "# fieldapp-server configuration (docs/SERVER.md). Paths are relative to this folder.",
    ]
    for name, value in asdict(config).items():
        if isinstance(value, list):
            rendered = "[" + ", ".join(json.dumps(v) for v in value) + "]"
        elif isinstance(value, bool):
            rendered = "true" if value else "false"
        elif isinstance(value, int):
            rendered = str(value)
        else:
            rendered = json.dumps(value)
        lines.append(f"{name} = {rendered}")
    return "\n".join(lines) + "\n"
