from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_log_handler() -> Iterator[None]:
    """Drop the CLI's stderr log handler after each test.

    The handler keeps the ``sys.stderr`` of the run that installed it, which pytest
    closes when that test ends; the next test must get its own.
    """
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_atomation", False):
            root.removeHandler(handler)
