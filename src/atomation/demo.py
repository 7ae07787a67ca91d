"""``atomation demo``: the customer's whole path against a simulated org.

Each step of the path is listed here in order. A step whose part is not built yet
is reported as such and the demo stops there: it never fakes a result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from atomation.runtime import Runtime

__all__ = ["demo_command"]

DEFAULT_USERS = 2000

STEPS = (
    "start a simulated Okta org on loopback",
    "create the tenant and its signing key",
    "play the Okta admin: create the API Services app, grant scopes, assign a role",
    "connect with the Client ID and verify the connection",
    "capture a snapshot into the evidence store",
    "assess the snapshot against the check catalogue",
    "write the reports",
)


def demo_command(
    ctx: typer.Context,
    users: Annotated[int, typer.Option(min=1, help="Users in the simulated org.")] = (
        DEFAULT_USERS
    ),
    out: Annotated[Path, typer.Option(help="Where the reports are written.")] = Path(
        "demo-out"
    ),
) -> None:
    """Run the whole path against a simulated org and write a report."""
    runtime: Runtime = ctx.obj
    runtime.settings  # noqa: B018 - a bad setting should stop the demo before it starts
    console = Console(stderr=True)
    built = 0
    for number, step in enumerate(STEPS, start=1):
        state = "done" if number <= built else "not built yet"
        console.print(f"{number}. {step}: {state}")
    if built < len(STEPS):
        console.print(
            f"The demo stops at step {built + 1}: that part of Atomation is not "
            "built yet, so no report was written."
        )
