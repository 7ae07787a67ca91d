"""``atomation simulator serve``: a simulated Okta org in the foreground.

Prints the org URL and the SSWS admin token, then serves until Ctrl-C (which the
CLI's error boundary turns into exit code 130).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from atomation.errors import EXIT_INTERRUPTED

__all__ = ["app"]

app = typer.Typer(
    name="simulator",
    help="A simulated Okta Identity Engine org on loopback, for tests and the demo.",
    no_args_is_help=True,
)


class Profile(StrEnum):
    typical = "typical"
    hardened = "hardened"


class Tier(StrEnum):
    workforce = "workforce"
    enterprise = "enterprise"
    off = "off"


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 0,
    users: Annotated[int, typer.Option(min=1, help="Number of users.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the generated org.")] = 1,
    profile: Annotated[
        Profile, typer.Option(help="typical (with planted findings) or hardened.")
    ] = Profile.typical,
    time_scale: Annotated[
        float,
        typer.Option(
            "--time-scale", min=0.001, help="A simulated minute lasts 60/X seconds."
        ),
    ] = 1.0,
    rate_limits: Annotated[
        Tier, typer.Option("--rate-limits", help="Rate-limit table, or off.")
    ] = Tier.workforce,
    latency: Annotated[
        float | None,
        typer.Option(
            min=0, help="Simulated seconds per request (default 0.2-0.4, random)."
        ),
    ] = None,
    admin_token: Annotated[
        str | None,
        typer.Option(
            "--admin-token",
            envvar="ATOMATION_SIMULATOR_ADMIN_TOKEN",
            help="SSWS admin token to accept (default: random, printed).",
        ),
    ] = None,
    classic: Annotated[
        bool, typer.Option("--classic", help="Pretend to be a Classic Engine org.")
    ] = False,
    misconfigurations_out: Annotated[
        Path | None,
        typer.Option(
            "--misconfigurations-out",
            help="Write the planted misconfigurations to this JSON file.",
        ),
    ] = None,
) -> None:
    """Serve a generated org until Ctrl-C."""
    from atomation.simulator.harness import SimulatorServer

    server = SimulatorServer(
        users=users,
        seed=seed,
        profile=profile.value,
        time_scale=time_scale,
        rate_limits=rate_limits.value,
        latency=latency,
        classic=classic,
        admin_token=admin_token,
        host=host,
        port=port,
    )
    if misconfigurations_out is not None:
        misconfigurations_out.write_text(
            json.dumps(server.misconfigurations, indent=2) + "\n"
        )
    typer.echo(f"Okta simulator: {server.base_url}")
    typer.echo(f"Admin token (Authorization: SSWS ...): {server.admin_token}")
    typer.echo("Press Ctrl-C to stop.")
    server.serve_forever()
    # Only a signal ends serving. uvicorn shuts down, then raises the signal again
    # for Python's own handler; that second KeyboardInterrupt can land where
    # Python drops it (a finaliser during the loop's close), and the command
    # would exit 0 as if it had finished. So the end of serving is the interrupt.
    raise typer.Exit(EXIT_INTERRUPTED)
