"""``atomation assess`` and ``atomation checks``: run the catalogue, show it, tune it.

::

    atomation assess TENANT [--snapshot ID] [--profile stig|baseline]
                            [--threshold CHECK.PARAM=VALUE ...] [--json]
    atomation checks list [--json] [--area AREA]
    atomation checks tune TENANT [CHECK.PARAM=VALUE ...] [--clear CHECK.PARAM]

``assess`` exits 0 when it stored a run, whatever the findings: failing checks
are the assessment's result, not the command's failure.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from atomation.assessment.catalogue import PROFILES, Profile, load_catalogue
from atomation.assessment.catalogue import resolve_thresholds as _resolve
from atomation.assessment.errors import ThresholdError
from atomation.assessment.service import assess_tenant
from atomation.assessment.storage import (
    clear_tenant_threshold,
    set_tenant_threshold,
    tenant_thresholds,
)
from atomation.assessment.views import framework_view
from atomation.runtime import Runtime
from atomation.tenants.service import get_tenant

__all__ = ["app", "assess_command", "parse_settings"]

app = typer.Typer(
    name="checks",
    help="The check catalogue: list it, or tune a tenant's thresholds.",
    no_args_is_help=True,
)

_STYLE = {
    "pass": "green",
    "fail": "red",
    "not_assessed": "yellow",
    "error": "magenta",
    "not_applicable": "dim",
}
_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def parse_settings(pairs: list[str]) -> dict[str, str]:
    """``CHECK.PARAM=VALUE`` strings as a mapping (values typed later)."""
    settings: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ThresholdError(
                f"threshold {pair!r} is not CHECK.PARAM=VALUE",
                hint="e.g. --threshold session.idle_timeout.max_idle_minutes=30",
            )
        settings[key.strip()] = value.strip()
    return settings


def assess_command(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Argument(help="The tenant's subdomain.")],
    snapshot: Annotated[
        str | None,
        typer.Option(
            "--snapshot", help="Snapshot id (default: the latest sealed one)."
        ),
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", help="Threshold profile: stig or baseline.")
    ] = "stig",
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            help="Override a threshold for this run: CHECK.PARAM=VALUE (repeatable).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Assess TENANT's stored snapshot offline and store the results."""
    runtime: Runtime = ctx.obj
    if profile not in PROFILES:
        raise ThresholdError(
            f"unknown profile {profile!r}", hint=f"use one of: {', '.join(PROFILES)}."
        )
    chosen: Profile = "stig" if profile == "stig" else "baseline"
    run = assess_tenant(
        runtime.store,
        tenant,
        snapshot_id=snapshot,
        profile=chosen,
        overrides=parse_settings(threshold or []),
    )
    result = run.result
    views = {f: framework_view(result, f) for f in ("stig", "nist", "soc2")}
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "run_id": run.run_id,
                    "snapshot_id": result.snapshot_id,
                    "profile": result.profile,
                    "summary": result.summary(),
                    "overrides": dict(run.overrides),
                    "checks": [
                        {"id": r.check_id, "status": r.status, "counts": r.counts()}
                        for r in result.results
                    ],
                    "frameworks": {f: v.counts() for f, v in views.items()},
                },
                indent=2,
            )
        )
        return
    console = Console()
    meta = {c.meta.id: c.meta for c in load_catalogue()}
    table = Table(title=f"Assessment {run.run_id} of snapshot {result.snapshot_id}")
    table.add_column("Check")
    table.add_column("Severity")
    table.add_column("Status")
    table.add_column("Fail", justify="right")
    table.add_column("Pass", justify="right")
    shown = sorted(
        (r for r in result.results if r.status not in ("pass", "not_applicable")),
        key=lambda r: (_SEVERITY_ORDER[meta[r.check_id].severity], r.check_id),
    )
    for r in shown:
        counts = r.counts()
        table.add_row(
            f"{r.check_id}\n[dim]{meta[r.check_id].title}[/]",
            meta[r.check_id].severity,
            f"[{_STYLE[r.status]}]{r.status}[/]",
            str(counts["fail"]),
            str(counts["pass"]),
        )
    console.print(table)
    summary = result.summary()
    console.print(
        f"profile {result.profile}: "
        + ", ".join(f"{n} {status}" for status, n in summary.items())
    )
    for view in views.values():
        c = view.counts()
        console.print(
            f"{view.name}: {c['evaluated']} evaluated ({c['passing']} passing, "
            f"{c['failing']} failing), {c['not_assessed']} not assessed, "
            f"{c['not_evaluable']} not evaluable"
        )


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    area: Annotated[
        str | None, typer.Option("--area", help="Only the checks of this area.")
    ] = None,
) -> None:
    """Print the check catalogue."""
    checks = [c for c in load_catalogue() if area is None or c.meta.area == area]
    if as_json:
        typer.echo(json.dumps([_meta_json(c.meta) for c in checks], indent=2))
        return
    table = Table(title=f"{len(checks)} checks")
    table.add_column("Check")
    table.add_column("Severity")
    table.add_column("STIG")
    table.add_column("Thresholds (stig / baseline)")
    for check in checks:
        meta = check.meta
        table.add_row(
            f"{meta.id}\n[dim]{meta.title}[/]",
            meta.severity,
            "\n".join(meta.stig),
            "\n".join(f"{t.name} {t.stig} / {t.baseline}" for t in meta.thresholds),
        )
    Console().print(table)


def _meta_json(meta: Any) -> dict[str, Any]:
    return {
        "id": meta.id,
        "title": meta.title,
        "area": meta.area,
        "severity": meta.severity,
        "rationale": meta.rationale,
        "remediation": list(meta.remediation),
        "kinds": list(meta.kinds),
        "log_event_types": list(meta.log_event_types),
        "thresholds": [
            {
                "name": t.name,
                "stig": t.stig,
                "baseline": t.baseline,
                "unit": t.unit,
                "description": t.description,
            }
            for t in meta.thresholds
        ],
        "stig": list(meta.stig),
        "nist": list(meta.nist),
        "soc2": list(meta.soc2),
    }


@app.command("tune")
def tune_command(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Argument(help="The tenant's subdomain.")],
    settings: Annotated[
        list[str] | None,
        typer.Argument(help="CHECK.PARAM=VALUE to keep for every later assessment."),
    ] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option("--clear", help="Remove a standing override (repeatable)."),
    ] = None,
) -> None:
    """Set or clear TENANT's standing threshold overrides, then print them."""
    runtime: Runtime = ctx.obj
    wanted = parse_settings(settings or [])
    # Typed and checked against the catalogue before anything is stored.
    typed = _resolve(load_catalogue(), "stig", wanted)
    with runtime.store.session() as session:
        found = get_tenant(session, tenant)
        for key in wanted:
            check_id, _, name = key.rpartition(".")
            set_tenant_threshold(session, found.id, key, typed[check_id][name])
        for key in clear or []:
            if not clear_tenant_threshold(session, found.id, key):
                raise ThresholdError(
                    f"tenant {tenant} has no override {key!r}",
                    hint=f"see them with 'atomation checks tune {tenant}'.",
                )
        current = tenant_thresholds(session, found.id)
    if not current:
        typer.echo(f"{tenant}: no threshold overrides (profile values apply)")
    for key, value in current.items():
        typer.echo(f"{key}={json.dumps(value)}")
