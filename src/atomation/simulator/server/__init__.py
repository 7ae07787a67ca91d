"""The simulated org's HTTP server: Okta's endpoints, errors, paging and limits.

:func:`create_app` builds the ASGI app for a :class:`ServerState`;
:mod:`atomation.simulator.harness` runs it on loopback for tests, and
``atomation simulator serve`` in the foreground.
"""

from atomation.simulator.server.app import create_app
from atomation.simulator.server.clock import SimulatedClock
from atomation.simulator.server.config import (
    FaultConfig,
    JwksCachePolicy,
    SimulatorConfig,
)
from atomation.simulator.server.state import RequestRecord, ServerState

__all__ = [
    "FaultConfig",
    "JwksCachePolicy",
    "RequestRecord",
    "ServerState",
    "SimulatedClock",
    "SimulatorConfig",
    "create_app",
]
