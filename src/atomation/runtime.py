"""What a command needs at run time: the settings and the store, opened on first use.

Built once per process by an entrance (the CLI, the web app, a worker) and handed
down explicitly; nothing here is a module-level singleton, so tests build their own.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from atomation.settings import Settings, load_settings
from atomation.store import Store, open_store

__all__ = ["Runtime", "configure_logging"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass
class Runtime:
    """Lazily loaded settings and store, so that ``--help`` works on any machine."""

    data_dir: Path | None = None
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(data_dir=self.data_dir)
            configure_logging("DEBUG" if self.debug else self._settings.log_level)
        return self._settings

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to ``sys.stderr`` as it is when a line is logged, not when created.

    In-process CLI runs (tests) swap ``sys.stderr`` per run; a handler that kept
    the first one would write to a closed stream.
    """

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str) -> None:
    """Send log lines to stderr; the level comes from settings or ``--debug``."""
    root = logging.getLogger()
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
