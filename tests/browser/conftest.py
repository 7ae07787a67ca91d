"""Headless Chromium (Debian's ``chromium``) driven by Playwright over the workspace.

The workspace and the simulated org are the ones of :mod:`tests.web.workspace`.
Screenshots go to the test's temporary folder, and also to the folder named by
``ATOMATION_SCREENSHOT_DIR`` when it is set (``docs/screenshots`` when the docs
are refreshed); that variable is read before the environment is scrubbed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from atomation.simulator.harness import SimulatorServer
from tests.okta.admin import OktaAdmin
from tests.web.workspace.conftest import Workspace, make_workspace

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR = os.environ.get("ATOMATION_SCREENSHOT_DIR")
TIME_SCALE = 20.0


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=60, latency=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture(scope="module")
def admin(okta: SimulatorServer) -> Iterator[OktaAdmin]:
    admin = OktaAdmin(okta)
    yield admin
    admin.close()


@pytest.fixture
def workspace(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path
) -> Iterator[Workspace]:
    yield from make_workspace(okta, admin, data_dir, f"sqlite:///{data_dir / 'w.db'}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True
        )
        yield browser
        browser.close()


class Screenshots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SCREENSHOT_DIR:
            page.screenshot(
                path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True
            )
        self.taken.append(path)
        return path


@pytest.fixture
def screenshots(tmp_path: Path) -> Screenshots:
    return Screenshots(tmp_path)
