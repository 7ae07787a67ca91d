"""Deployment settings: ATOMATION_* variables over an optional TOML file.

Every setting has a safe embedded default, so a fresh machine runs with none set:
the data directory holds the SQLite database, the evidence store and the generated
master key file. The TOML file (``ATOMATION_CONFIG``, or ``config.toml`` in the data
directory) uses the same names without the prefix, in lower case; the environment
wins over the file.

Secrets (a database URL may carry a password, the master key) are held as
``SecretStr`` so that they mask themselves in ``repr`` and in logs.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from atomation.errors import SettingsError

__all__ = ["ENV_PREFIX", "Settings", "default_data_dir", "load_settings"]

ENV_PREFIX = "ATOMATION_"
CONFIG_FILE_NAME = "config.toml"
# The data directory holds private material (the master key file, evidence), so it
# is created readable by its owner only.
DATA_DIR_MODE = 0o700
SUPPORTED_DATABASES = ("sqlite", "postgresql")


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/atomation``, else ``~/.local/share/atomation``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "atomation"


class Settings(BaseSettings):
    """The deployment's configuration. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, validate_default=True
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    """Where the SQLite database, evidence and the master key file live."""

    database_url: SecretStr | None = None
    """SQLAlchemy URL; unset means SQLite in the data directory."""

    master_key: SecretStr | None = None
    """Base64 of 32 bytes; unset means a generated key file in the data directory."""

    public_url: str = "http://127.0.0.1:8000"
    """Where the workspace is reachable; path-routed tenant JWKS URLs hang off it."""

    public_domain: str | None = None
    """With wildcard DNS, tenants are served at ``<subdomain>.<public_domain>``."""

    allowed_org_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Non-Okta org URLs allowed for testing (the simulator on loopback)."""

    log_level: str = "WARNING"

    @field_validator("allowed_org_urls", mode="before")
    @classmethod
    def _split_comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level

    @field_validator("database_url")
    @classmethod
    def _parsable_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        url = _parse_database_url(value.get_secret_value())
        return SecretStr(url.render_as_string(hide_password=False))

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL to connect to, with its password (never log it)."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.data_dir / 'atomation.db'}"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def master_key_file(self) -> Path:
        return self.data_dir / "master.key"


def _read_config_file(data_dir: Path | None) -> dict[str, Any]:
    """The optional TOML file's values; a named file that cannot be read is an error."""
    explicit = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise SettingsError(
                f"ATOMATION_CONFIG: the settings file {path} does not exist",
                hint="Point ATOMATION_CONFIG at a readable TOML file, or unset it.",
            )
    else:
        env_dir = os.environ.get(f"{ENV_PREFIX}DATA_DIR")
        base = data_dir or (Path(env_dir) if env_dir else default_data_dir())
        path = base / CONFIG_FILE_NAME
        if not path.is_file():
            return {}
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(
            f"ATOMATION_CONFIG: cannot read the settings file {path} ({exc})",
            hint="Fix the file's TOML syntax, or unset ATOMATION_CONFIG.",
        ) from exc
    return {k: v for k, v in values.items() if k in Settings.model_fields}


def _parse_database_url(raw: str) -> URL:
    """Parse and check a database URL, never echoing it (it may hold a password)."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ValueError(
            "is not a database URL; expected e.g. "
            "postgresql+psycopg://user@127.0.0.1:5432/atomation or sqlite:///path.db"
        ) from exc
    backend = url.get_backend_name()
    if backend not in SUPPORTED_DATABASES:
        raise ValueError(f"names the database '{backend}'; use sqlite or postgresql")
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def load_settings(**overrides: Any) -> Settings:
    """Read the settings and prepare the data directory.

    Raises :class:`SettingsError` naming the setting at fault (as its environment
    variable) when a value cannot be used.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    from_file = _read_config_file(
        Path(given["data_dir"]) if "data_dir" in given else None
    )
    # Precedence: explicit overrides, then the environment, then the file.
    for name, value in from_file.items():
        if name not in given and f"{ENV_PREFIX}{name.upper()}" not in os.environ:
            given[name] = value
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ENV_PREFIX + str(first["loc"][0]).upper() if first["loc"] else "settings"
        reason = first["msg"].removeprefix("Value error, ")
        raise SettingsError(
            f"{name} {reason}",
            hint=f"Fix or unset {name} (environment or config file).",
        ) from None
    _prepare_data_dir(settings.data_dir)
    return settings


def _prepare_data_dir(path: Path) -> None:
    try:
        path.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise SettingsError(
            f"ATOMATION_DATA_DIR: {path} exists but is not a directory",
            hint="Point ATOMATION_DATA_DIR (or --data-dir) at a directory.",
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"ATOMATION_DATA_DIR: cannot create {path} ({exc.strerror})",
            hint="Choose a data directory you can write, or fix its permissions.",
        ) from None
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise SettingsError(
            f"ATOMATION_DATA_DIR: {path} is not readable and writable by this user",
            hint="Fix the directory's permissions or choose another data directory.",
        )
