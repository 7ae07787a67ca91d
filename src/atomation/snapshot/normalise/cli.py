"""``atomation snapshot rebuild SNAPSHOT``: rebuild a snapshot's normalised tables.

Mounted by the ``snapshot`` command group; the build itself is
:func:`~atomation.snapshot.normalise.normaliser.normalise_snapshot`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from atomation.runtime import Runtime
from atomation.snapshot.normalise.normaliser import normalise_snapshot

__all__ = ["rebuild_command"]


def rebuild_command(
    ctx: typer.Context,
    snapshot: Annotated[
        str, typer.Argument(metavar="SNAPSHOT", help="The snapshot's id.")
    ],
) -> None:
    """Rebuild the snapshot's normalised tables from its evidence."""
    runtime: Runtime = ctx.obj
    summary = normalise_snapshot(runtime.store, runtime.settings, snapshot)
    width = max((len(kind) for kind in summary.rows), default=0)
    for kind, rows in summary.rows.items():
        typer.echo(f"{kind:<{width}}  {rows:>9,}")
    typer.echo(
        f"snapshot {snapshot} rebuilt: {sum(summary.rows.values()):,} rows from "
        f"{summary.pages:,} pages, {summary.shortfalls:,} shortfall(s), "
        f"{summary.seconds:.1f} s"
    )
