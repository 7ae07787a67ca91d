"""A simulated org shared by a module's tests; each test makes its own app in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from atomation.simulator.harness import SimulatorServer
from tests.okta.admin import OktaAdmin
from tests.okta.signing import RsaTestSigner

# A simulated minute lasts three real seconds, so that the admin setup calls,
# which share a rate-limit window, never wait long.
TIME_SCALE = 20.0


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=100, latency=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture(scope="module")
def admin(okta: SimulatorServer) -> Iterator[OktaAdmin]:
    admin = OktaAdmin(okta)
    yield admin
    admin.close()


@pytest.fixture
def signer() -> RsaTestSigner:
    return RsaTestSigner()
