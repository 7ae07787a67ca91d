"""``atomation demo``: the customer's whole path against a simulated org.

The demo plays both sides of the customer's guide (DESIGN.md, "The customer's
path"): Atomation's operator creates the tenant, the customer's Okta admin sets
up the API Services app with the tenant's values, and Atomation verifies the
connection, captures a snapshot, assesses it and writes the reports. Each step
is printed as it runs with what it produced; a step that fails stops the demo
with one clear error: it never fakes a result.

Everything the demo keeps lives under ``--out``: the workspace it used (its own
data directory and SQLite store, so a demo never touches the operator's real
store), the simulator's log, the list of misconfigurations the simulated org
plants (to compare with the report), and the reports.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from atomation.assessment.service import assess_tenant
from atomation.connection.cli import print_result
from atomation.connection.service import save_connection, verify_tenant
from atomation.demo.okta_admin import OktaAdmin
from atomation.demo.simulated_org import SimulatedOrg
from atomation.errors import AtomationError
from atomation.keys.envelope import load_master_key
from atomation.okta import ScaledClock
from atomation.report.formats import FORMATS
from atomation.report.source import stored_report
from atomation.runtime import Runtime, configure_logging
from atomation.settings import Settings, load_settings
from atomation.snapshot.capture import CaptureOptions, capture_snapshot
from atomation.snapshot.capture.progress import progress_for
from atomation.snapshot.evidence import EvidenceReader, open_evidence_store
from atomation.store import Store, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant, setup_values
from atomation.web.background import BackgroundWebApp

__all__ = ["DemoError", "demo_command"]

DEFAULT_USERS = 2000
# A simulated minute lasts three real seconds: Okta's per-minute limits still
# shape the capture, twenty times faster than a real org would allow.
DEFAULT_TIME_SCALE = 20.0
SUBDOMAIN = "acme"
CLIENT_NAME = "Acme Corp"
ENVIRONMENT = "Demo"
ROLE = "READ_ONLY_ADMIN"  # the least-privileged role the guide recommends
WORKSPACE = "workspace"
MARKER = ".atomation-demo"

STEPS = (
    "start a simulated Okta org on loopback",
    "create the tenant and its signing key; serve its JWKS URL",
    "play the Okta admin: create the API Services app, grant scopes, assign a role",
    "connect with the Client ID and verify the connection",
    "capture a snapshot into the evidence store",
    "assess the snapshot against the check catalogue",
    "write the reports",
)


class DemoError(AtomationError):
    """The demo could not run."""


@dataclass
class DemoRun:
    """What one demo run has built so far, handed from step to step."""

    out: Path
    console: Console
    org: SimulatedOrg
    settings: Settings | None = None
    store: Store | None = None
    web: BackgroundWebApp | None = None
    clock: ScaledClock | None = None
    client_id: str | None = None
    snapshot_id: str | None = None
    run_id: str | None = None
    done: list[str] = field(default_factory=list)

    def step(self, number: int, detail: str) -> None:
        self.console.print(f"[bold]{number}. {STEPS[number - 1]}[/]: {detail}")


def demo_command(
    ctx: typer.Context,
    users: Annotated[int, typer.Option(min=1, help="Users in the simulated org.")] = (
        DEFAULT_USERS
    ),
    out: Annotated[
        Path, typer.Option(help="Where the workspace and reports are written.")
    ] = Path("demo-out"),
    time_scale: Annotated[
        float,
        typer.Option(
            "--time-scale",
            min=1.0,
            help="How much faster than real time the simulated org's clock runs.",
        ),
    ] = DEFAULT_TIME_SCALE,
) -> None:
    """Run the whole path against a simulated org and write the reports into OUT."""
    runtime: Runtime = ctx.obj
    console = Console(stderr=True, highlight=False)
    workspace = _fresh_workspace(out)
    org = SimulatedOrg(
        users=users,
        time_scale=time_scale,
        misconfigurations_out=out / "planted-misconfigurations.json",
        log_file=out / "simulator.log",
    )
    with org:
        run = DemoRun(out=out, console=console, org=org)
        run.step(1, f"{org.base_url}, {users} users, time x{time_scale:g}")
        try:
            _create_tenant(run, workspace, debug=runtime.debug)
            assert run.web is not None
            with run.web:
                _set_up_app(run)
                _connect_and_verify(run)
                _capture_assess_report(run)
        finally:
            if run.store is not None:
                run.store.close()


def _fresh_workspace(out: Path) -> Path:
    """``OUT/workspace``, emptied if an earlier demo made it; never anything else."""
    workspace = out / WORKSPACE
    if workspace.exists():
        if not (workspace / MARKER).exists():
            raise DemoError(
                f"{workspace} exists and was not made by a demo",
                hint="choose another --out directory, or move that folder away.",
            )
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True, mode=0o700)
    (workspace / MARKER).write_text("made by atomation demo; removed by the next one\n")
    return workspace


def _create_tenant(run: DemoRun, workspace: Path, *, debug: bool) -> None:
    web = BackgroundWebApp()
    settings = load_settings(
        data_dir=workspace,
        database_url=f"sqlite:///{workspace / 'atomation.db'}",
        public_url=web.base_url,
        public_domain="",
        allowed_org_urls=[run.org.base_url],
        log_level="DEBUG" if debug else "WARNING",
    )
    configure_logging(settings.log_level)
    store = open_store(settings)
    web.runtime = Runtime(data_dir=workspace, _settings=settings, _store=store)
    run.settings, run.store, run.web = settings, store, web
    with store.session() as session:
        tenant = create_tenant(
            session,
            load_master_key(settings),
            subdomain=SUBDOMAIN,
            client_name=CLIENT_NAME,
            environment=ENVIRONMENT,
            okta_org_url=run.org.base_url,
            now=utcnow(),
            allowed_org_urls=settings.allowed_org_urls,
        )
        values = setup_values(settings, tenant)
    run.step(2, f"tenant '{SUBDOMAIN}'")
    for label, value in values.rows():
        run.console.print(f"     {label}: {value}")


def _set_up_app(run: DemoRun) -> None:
    assert run.settings is not None
    assert run.store is not None
    with run.store.session() as session:
        values = setup_values(run.settings, get_tenant(session, SUBDOMAIN))
    with OktaAdmin(
        run.org.base_url, run.org.admin_token, time_scale=run.org.time_scale
    ) as admin:
        client_id = admin.create_service_app(
            values.app_name, values.tenant_jwks_url, dpop=True
        )
        admin.grant_scopes(client_id)
        admin.assign_role(client_id, ROLE)
    run.client_id = client_id
    run.step(
        3,
        f"app '{values.app_name}', Client ID {client_id}, DPoP required, "
        f"ten scopes granted, role {ROLE}",
    )


def _connect_and_verify(run: DemoRun) -> None:
    assert run.settings is not None
    assert run.store is not None
    assert run.client_id is not None
    with run.store.session() as session:
        save_connection(
            session,
            get_tenant(session, SUBDOMAIN),
            client_id=run.client_id,
            dpop_mode="auto",
            now=utcnow(),
        )
    run.clock = run.org.clock()
    result = asyncio.run(
        verify_tenant(run.store, run.settings, SUBDOMAIN, clock=run.clock)
    )
    run.step(4, "passed" if result.passed else "FAILED")
    # On the demo's console (stderr): standard output carries only report paths.
    print_result(result, as_json=False, console=run.console)
    if not result.passed:
        raise DemoError(
            "the connection to the simulated org did not verify",
            hint="see the items above; run again with --debug for the log.",
        )


def _capture(run: DemoRun) -> None:
    assert run.settings is not None
    assert run.store is not None
    assert run.clock is not None
    options = CaptureOptions()
    snapshot_id = asyncio.run(
        capture_snapshot(
            run.store,
            run.settings,
            SUBDOMAIN,
            options,
            clock=run.clock,
            progress=progress_for(run.console),
        )
    )
    run.snapshot_id = snapshot_id
    reader = EvidenceReader(run.store, open_evidence_store(run.settings))
    collections = reader.collections(snapshot_id)
    verdicts = Counter(str(c.completeness) for c in collections)
    pages = sum(c.pages for c in collections)
    run.step(
        5,
        f"snapshot {snapshot_id} sealed: {pages} pages in "
        + ", ".join(f"{n} {verdict} collections" for verdict, n in verdicts.items()),
    )


def _assess(run: DemoRun) -> None:
    assert run.store is not None
    summary = assess_tenant(run.store, SUBDOMAIN, snapshot_id=run.snapshot_id)
    run.run_id = summary.run_id
    counts = summary.result.summary()
    run.step(
        6,
        f"run {summary.run_id}, profile {summary.result.profile}: "
        + ", ".join(f"{n} {status}" for status, n in counts.items()),
    )


def _write_reports(run: DemoRun) -> list[Path]:
    assert run.settings is not None
    assert run.store is not None
    report = stored_report(
        run.store,
        open_evidence_store(run.settings),
        SUBDOMAIN,
        snapshot_id=run.snapshot_id,
        generated_at=utcnow(),
    )
    written = []
    for entry in FORMATS.values():
        path = run.out / entry.file_name
        path.write_bytes(entry.render(report))
        written.append(path)
    run.step(7, f"{len(written)} files in {run.out}")
    return written


def _capture_assess_report(run: DemoRun) -> None:
    _capture(run)
    _assess(run)
    written = _write_reports(run)
    run.console.print("\n[bold]Reports[/]")
    for path in written:
        run.console.print(f"  {path}")
    # The paths also go to standard output, one per line, for scripts.
    for path in written:
        typer.echo(str(path))
