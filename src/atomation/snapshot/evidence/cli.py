"""``atomation evidence``: verify a snapshot, export it for an auditor, show the key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from atomation.runtime import Runtime
from atomation.snapshot.evidence.content import open_evidence_store
from atomation.snapshot.evidence.errors import VerificationFailed
from atomation.snapshot.evidence.export import export_bundle
from atomation.snapshot.evidence.signing import EvidencePublicKey
from atomation.snapshot.evidence.verify import verify_snapshot
from atomation.store import EvidenceKey

__all__ = ["app"]

app = typer.Typer(
    name="evidence",
    help="Prove snapshots untouched and export them for auditors.",
    no_args_is_help=True,
)

SnapshotArgument = Annotated[
    str, typer.Argument(metavar="SNAPSHOT", help="The snapshot's id.")
]


@app.command("verify")
def verify_command(ctx: typer.Context, snapshot: SnapshotArgument) -> None:
    """Re-hash every page and the manifest and check the manifest's signature."""
    runtime: Runtime = ctx.obj
    evidence = open_evidence_store(runtime.settings)
    report = verify_snapshot(runtime.store, evidence, snapshot)
    if report.ok:
        typer.echo(report.summary())
        return
    for problem in report.problems:
        typer.echo(f"MISMATCH {problem}")
    raise VerificationFailed(
        f"snapshot {snapshot} failed verification: {len(report.problems)} "
        "mismatch(es), listed above",
        hint="Evidence is never rewritten: restore the named objects or records "
        "from backup, then verify again.",
    )


@app.command("export")
def export_command(
    ctx: typer.Context,
    snapshot: SnapshotArgument,
    out: Annotated[
        Path, typer.Option("--out", help="The zip file to write.", dir_okay=False)
    ],
) -> None:
    """Write a zip an auditor can verify with sha256sum and openssl alone."""
    runtime: Runtime = ctx.obj
    evidence = open_evidence_store(runtime.settings)
    summary = export_bundle(runtime.store, evidence, snapshot, out)
    typer.echo(
        f"exported snapshot {snapshot} to {summary.path}: {summary.pages} pages "
        f"({summary.objects} files), root {summary.root_hash}; see VERIFY.md inside"
    )


@app.command("key")
def key_command(ctx: typer.Context) -> None:
    """Print the evidence public key(s) and fingerprint(s) to give to auditors."""
    runtime: Runtime = ctx.obj
    with runtime.store.session() as session:
        keys = [
            EvidencePublicKey(id=row.id, raw=row.public_key)
            for row in session.scalars(
                select(EvidenceKey).order_by(EvidenceKey.created_at, EvidenceKey.id)
            )
        ]
    if not keys:
        typer.echo("no evidence key yet: one is made when the first snapshot is sealed")
        return
    for key in keys:
        typer.echo(f"evidence key {key.id} (Ed25519) fingerprint {key.fingerprint}")
        typer.echo(key.pem.decode("ascii"), nl=False)
