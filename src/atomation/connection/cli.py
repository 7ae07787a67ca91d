"""``atomation connect`` and ``atomation verify``: the four verification items.

Exit status: 0 when no item failed (a ``warn`` is degraded but usable, e.g. an
over-privileged role, so it does not fail the command), 1 when any item failed.
``--json`` prints ``{"items": [{"name", "status", "cause", "fix"}], "verified_at"}``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from atomation.connection.items import VerificationResult
from atomation.connection.service import save_connection, verify_tenant
from atomation.runtime import Runtime
from atomation.store.types import utcnow
from atomation.tenants.service import get_tenant

__all__ = ["EXIT_FAILED", "connect_command", "print_result", "verify_command"]

EXIT_FAILED = 1

TenantArgument = Annotated[str, typer.Argument(help="The tenant's subdomain.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]

_STYLE = {"pass": "green", "warn": "yellow", "fail": "red"}


def connect_command(
    ctx: typer.Context,
    tenant: TenantArgument,
    client_id: Annotated[
        str,
        typer.Option("--client-id", help="The Client ID of the Okta API Services app."),
    ],
    dpop: Annotated[
        str,
        typer.Option(
            "--dpop",
            help="DPoP for this connection: auto (follow the app), on (require), off.",
        ),
    ] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Store the app's Client ID for TENANT, then verify the connection."""
    runtime: Runtime = ctx.obj
    with runtime.store.session() as session:
        save_connection(
            session,
            get_tenant(session, tenant),
            client_id=client_id,
            dpop_mode=dpop,
            now=utcnow(),
        )
    _verify(runtime, tenant, as_json)


def verify_command(
    ctx: typer.Context, tenant: TenantArgument, as_json: JsonOption = False
) -> None:
    """Verify TENANT's connection: token, scopes, role, verified time."""
    _verify(ctx.obj, tenant, as_json)


def _verify(runtime: Runtime, tenant: str, as_json: bool) -> None:
    result = asyncio.run(verify_tenant(runtime.store, runtime.settings, tenant))
    print_result(result, as_json=as_json)
    if not result.passed:
        raise typer.Exit(EXIT_FAILED)


def print_result(
    result: VerificationResult, *, as_json: bool, console: Console | None = None
) -> None:
    """The four items as a table (on ``console``, standard output by default)."""
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    table = Table(title="Verify Connection", show_lines=True)
    table.add_column("Item")
    table.add_column("Status")
    table.add_column("Cause")
    table.add_column("Fix")
    for item in result.items:
        style = _STYLE[item.status]
        table.add_row(item.name, f"[{style}]{item.status}[/]", item.cause, item.fix)
    (console or Console()).print(table)
