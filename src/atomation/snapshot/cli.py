"""``atomation snapshot``: capture a tenant's org, list its snapshots, rebuild tables.

::

    atomation snapshot TENANT [--window 90d] [--logs security|all]
                              [--factors all|privileged] [--resume]
    atomation snapshot list TENANT [--json]
    atomation snapshot rebuild SNAPSHOT

The group takes a first word that is none of its commands as the TENANT of a
capture (``atomation snapshot acme`` is ``atomation snapshot capture acme``); a
tenant whose subdomain is a command's name is captured with the explicit form.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from atomation.runtime import Runtime
from atomation.snapshot.capture import (
    CaptureOptions,
    capture_snapshot,
    parse_window,
    progress_for,
)
from atomation.snapshot.listing import counts_text, list_snapshots
from atomation.tenants.service import get_tenant

__all__ = ["app"]


class _TenantFirstGroup(TyperGroup):
    """A group whose unknown first word is the TENANT of ``capture``."""

    # ``ctx`` is Typer's own click Context, which Typer does not export by name.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["capture", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="snapshot",
    cls=_TenantFirstGroup,
    help="Capture a tenant's Okta org into a snapshot (atomation snapshot TENANT), "
    "or list its snapshots.",
    no_args_is_help=True,
)

TenantArgument = Annotated[str, typer.Argument(help="The tenant's subdomain.")]


@app.command("capture")
def capture_command(
    ctx: typer.Context,
    tenant: TenantArgument,
    window: Annotated[
        str,
        typer.Option("--window", help="System Log review window, in days: 1d to 90d."),
    ] = "90d",
    logs: Annotated[
        str,
        typer.Option(
            "--logs",
            help="security: the security-relevant event types; all: every event.",
        ),
    ] = "security",
    factors: Annotated[
        str,
        typer.Option(
            "--factors",
            help="Whose MFA factors to read: all users, or privileged ones "
            "(role holders and members of groups holding roles).",
        ),
    ] = "all",
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Finish the tenant's latest unfinished snapshot, with the "
            "options it was started with.",
        ),
    ] = False,
) -> None:
    """Capture TENANT's org into a new snapshot (or finish one with --resume)."""
    runtime: Runtime = ctx.obj
    options = CaptureOptions(
        window_days=parse_window(window),
        logs=_choice(logs, ("security", "all"), "--logs"),
        factors=_choice(factors, ("all", "privileged"), "--factors"),
    )
    store, settings = runtime.store, runtime.settings
    console = Console(stderr=True)
    if not console.is_terminal:
        # Plain lines instead of bars: the capture's own INFO lines, whatever the
        # deployment's log level.
        capture_logger = logging.getLogger("atomation.snapshot.capture")
        capture_logger.setLevel(min(logging.INFO, logging.getLogger().level))
    snapshot_id = asyncio.run(
        capture_snapshot(
            store,
            settings,
            tenant,
            options,
            resume=resume,
            progress=progress_for(console),
        )
    )
    with store.session() as session:
        tenant_id = get_tenant(session, tenant).id
    (sealed,) = list_snapshots(store, tenant_id, snapshot_id=snapshot_id)
    typer.echo(
        f"snapshot {snapshot_id} of {tenant} sealed: {counts_text(sealed.completeness)}"
    )


@app.command("list")
def list_command(
    ctx: typer.Context,
    tenant: TenantArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List TENANT's snapshots: id, state, times and completeness counts."""
    runtime: Runtime = ctx.obj
    store = runtime.store
    with store.session() as session:
        tenant_id = get_tenant(session, tenant).id
    summaries = list_snapshots(store, tenant_id)
    rows: list[dict[str, Any]] = [
        {k: v for k, v in s.as_dict().items() if k != "root_hash"} for s in summaries
    ]
    if as_json:
        typer.echo(json.dumps({"tenant": tenant, "snapshots": rows}, indent=2))
        return
    if not rows:
        typer.echo(f"no snapshots of {tenant} yet: atomation snapshot {tenant}")
        return
    for row in rows:
        finished = row["finished_at"] or "-"
        typer.echo(
            f"{row['id']}  {row['state']:<9}  {row['started_at']}  {finished}  "
            f"{counts_text(row['completeness'])}"
        )


def _choice(value: str, allowed: tuple[str, ...], option: str) -> Any:
    if value not in allowed:
        raise typer.BadParameter(
            f"'{value}' is not one of: {', '.join(allowed)}", param_hint=option
        )
    return value


def _mount_rebuild() -> None:
    """``rebuild`` comes from the normaliser, when this build has it."""
    try:
        normalise_cli = importlib.import_module("atomation.snapshot.normalise.cli")
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("atomation.snapshot.normalise"):
            return
        raise
    app.command("rebuild")(normalise_cli.rebuild_command)


_mount_rebuild()
