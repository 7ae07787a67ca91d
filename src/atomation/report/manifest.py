"""What a report says about the snapshot itself, read from its signed manifest.

The appendix of every report lets a reader check that the findings rest on
untouched evidence: each collection's completeness, the root hash (the SHA-256
of the canonical manifest), the Ed25519 signature over it and the fingerprint of
the evidence key that made it (docs/evidence.md, "Root hash and signature").
Everything here comes from the manifest stored under the root hash; the manifest
is re-hashed as it is read, so an altered manifest is refused, not reported on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from atomation.report.errors import ReportInputError
from atomation.snapshot.evidence import EvidenceError, EvidenceStore
from atomation.snapshot.evidence.signing import load_public_key
from atomation.snapshot.evidence.verify import load_sealed
from atomation.store import Store

__all__ = [
    "VERIFY_STEPS",
    "CollectionFact",
    "SnapshotFacts",
    "load_snapshot_facts",
    "snapshot_facts",
]

# How a reader proves the snapshot untouched (docs/evidence.md, "The auditor's
# steps"); {snapshot} and {root} are filled in per report.
VERIFY_STEPS = (
    "With Atomation: run 'atomation evidence verify {snapshot}'; it re-hashes "
    "every page and the manifest and checks the signature.",
    "Without Atomation: run 'atomation evidence export {snapshot} --out "
    "snapshot.zip' and follow VERIFY.md inside with openssl and sha256sum.",
    "'sha256sum manifest.json' in the bundle must print the root hash {root}.",
    "'openssl pkey -pubin -in evidence-public.pem -outform DER | sha256sum' must "
    "print the evidence key fingerprint given here, which the operator also "
    "gives you through another channel.",
)


@dataclass(frozen=True)
class CollectionFact:
    """One collection of the manifest and its completeness verdict."""

    name: str
    completeness: str
    """``complete``, ``partial``, ``failed`` or ``not_collected``."""
    objects: int | None
    pages: int
    error: str | None
    missing: str | None
    """The scope or admin role a ``not_collected`` collection lacked."""


@dataclass(frozen=True)
class SnapshotFacts:
    snapshot_id: str
    tenant: str
    """The tenant's subdomain, as the manifest names it."""
    org_url: str
    started_at: str
    finished_at: str
    root_hash: str
    signature: str
    """The Ed25519 signature over the manifest, hex."""
    key_id: str
    key_fingerprint: str
    """SHA-256 of the evidence public key's DER SubjectPublicKeyInfo."""
    collections: tuple[CollectionFact, ...]

    def completeness_counts(self) -> dict[str, int]:
        counts = {"complete": 0, "partial": 0, "failed": 0, "not_collected": 0}
        for collection in self.collections:
            counts[collection.completeness] = counts.get(collection.completeness, 0) + 1
        return counts

    def shortfalls(self) -> tuple[CollectionFact, ...]:
        return tuple(c for c in self.collections if c.completeness != "complete")

    def verify_steps(self) -> tuple[str, ...]:
        return tuple(
            step.format(snapshot=self.snapshot_id, root=self.root_hash)
            for step in VERIFY_STEPS
        )


def snapshot_facts(
    manifest: Mapping[str, Any],
    *,
    root_hash: str,
    signature: bytes,
    key_fingerprint: str,
) -> SnapshotFacts:
    """The facts of a manifest document (``docs/evidence.md``, "The manifest")."""
    snapshot = manifest["snapshot"]
    key = manifest["evidence_key"]
    if key["fingerprint"] != key_fingerprint:
        raise ReportInputError(
            f"snapshot {snapshot['id']}: the manifest names evidence key "
            f"{key['fingerprint']}, but the stored key is {key_fingerprint}",
            hint=f"run 'atomation evidence verify {snapshot['id']}' and restore "
            "the evidence key from backup.",
        )
    return SnapshotFacts(
        snapshot_id=snapshot["id"],
        tenant=snapshot["tenant"],
        org_url=snapshot["org_url"],
        started_at=snapshot["started_at"],
        finished_at=snapshot["finished_at"],
        root_hash=root_hash,
        signature=signature.hex(),
        key_id=key["id"],
        key_fingerprint=key_fingerprint,
        collections=tuple(
            CollectionFact(
                name=c["name"],
                completeness=c["completeness"],
                objects=c["objects"],
                pages=len(c["pages"]),
                error=c["error"],
                missing=c["missing"],
            )
            for c in manifest["collections"]
        ),
    )


def load_snapshot_facts(
    store: Store, evidence: EvidenceStore, snapshot_id: str
) -> SnapshotFacts:
    """The sealed snapshot's manifest facts; offline, from the store only."""
    try:
        sealed = load_sealed(store, snapshot_id)
        manifest_bytes = evidence.get(sealed.root_hash)  # re-hashed as it is read
        key = load_public_key(store, sealed.key_id)
    except EvidenceError as exc:
        raise ReportInputError(
            f"snapshot {snapshot_id} has no readable signed manifest: {exc.message}",
            hint=exc.hint or f"run 'atomation evidence verify {snapshot_id}'.",
        ) from None
    manifest: dict[str, Any] = json.loads(manifest_bytes)
    return snapshot_facts(
        manifest,
        root_hash=sealed.root_hash,
        signature=sealed.signature,
        key_fingerprint=key.fingerprint,
    )


def format_instant(moment: datetime) -> str:
    """A time as the report prints it: UTC to the second."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
