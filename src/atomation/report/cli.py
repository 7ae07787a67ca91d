"""``atomation report``: a stored run as a report, or two snapshots compared.

::

    atomation report TENANT [--snapshot ID] --format html|pdf|json|csv|ocsf [--out FILE]
    atomation report TENANT --compare OLD NEW [--format html|json] [--out FILE]

Without ``--out`` the report goes to standard output; a PDF is refused on a
terminal. Everything is read from the store: the command runs offline.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from atomation.report.compare_render import (
    render_comparison_html,
    render_comparison_json,
)
from atomation.report.errors import UnsupportedFormat
from atomation.report.formats import RENDERERS, Format
from atomation.report.source import stored_comparison, stored_report
from atomation.runtime import Runtime
from atomation.snapshot.evidence import open_evidence_store
from atomation.store.types import utcnow

__all__ = ["report_command"]


def report_command(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Argument(help="The tenant's subdomain.")],
    snapshot: Annotated[
        str | None,
        typer.Option(
            "--snapshot",
            help="Report the latest run of this snapshot (default: the latest run).",
        ),
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", help="html, pdf, json, csv or ocsf.")
    ] = Format.html,
    out: Annotated[
        Path | None,
        typer.Option("--out", dir_okay=False, help="File to write (default: stdout)."),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            metavar="OLD NEW",
            help="Compare two snapshots (older first) instead; html or json.",
        ),
    ] = None,
) -> None:
    """Write a tenant's stored assessment as a report, or compare two snapshots."""
    runtime: Runtime = ctx.obj
    if compare is not None:
        if snapshot is not None:
            raise UnsupportedFormat(
                "--snapshot and --compare cannot be combined",
                hint="name both snapshots with --compare OLD NEW.",
            )
        if format not in (Format.html, Format.json):
            raise UnsupportedFormat(
                f"a comparison is written as html or json, not {format.value}",
                hint="use --format html or --format json with --compare.",
            )
        comparison = stored_comparison(runtime.store, tenant, *compare)
        content = (
            render_comparison_html(comparison)
            if format is Format.html
            else render_comparison_json(comparison)
        )
        _write(content, out, format)
        return
    if format is Format.pdf and out is None and sys.stdout.isatty():
        raise UnsupportedFormat(
            "a PDF report cannot be written to a terminal",
            hint="give --out FILE.pdf, or redirect standard output to a file.",
        )
    report = stored_report(
        runtime.store,
        open_evidence_store(runtime.settings),
        tenant,
        snapshot_id=snapshot,
        generated_at=utcnow(),
    )
    _write(RENDERERS[format](report), out, format)


def _write(content: bytes, out: Path | None, format: Format) -> None:
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    out.write_bytes(content)
    typer.echo(f"wrote {format.value} report to {out} ({len(content)} bytes)", err=True)
