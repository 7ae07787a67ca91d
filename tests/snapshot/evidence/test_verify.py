from __future__ import annotations

import gzip
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from atomation.snapshot.evidence import EvidenceStore, EvidenceWriter
from atomation.store import EvidencePage, Snapshot, Store
from tests.snapshot.evidence.conftest import (
    USERS_PAGES,
    Capture,
    CliRunner,
    flip_byte,
    overwrite_object,
)

USERS_2 = hashlib.sha256(USERS_PAGES[1][2]).hexdigest()


def test_an_untouched_snapshot_verifies_in_one_line(
    capture: Capture, atomation: CliRunner
) -> None:
    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"snapshot {capture.snapshot_id} verified: manifest "
        f"{capture.sealed.root_hash}, signature by evidence key "
        f"{capture.sealed.key_id}, 4 collections, 5 pages (4 distinct objects)"
    ]


def test_a_changed_byte_in_a_stored_page_is_named(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    flip_byte(evidence, USERS_2)

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    (mismatch,) = result.out.splitlines()
    assert mismatch.startswith(
        f"MISMATCH page users#2 /api/v1/users?limit=2&after=00u2 ({USERS_2})"
    )
    assert result.err.startswith(
        f"Error: snapshot {capture.snapshot_id} failed verification: 1 mismatch"
    )


def test_a_page_whose_content_was_replaced_is_named(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    altered = USERS_PAGES[1][2].replace(b"00u3", b"00u4")
    overwrite_object(evidence, USERS_2, gzip.compress(altered))

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    assert result.out.splitlines() == [
        f"MISMATCH page users#2 /api/v1/users?limit=2&after=00u2 ({USERS_2}): "
        f"content altered, it now hashes to {hashlib.sha256(altered).hexdigest()}"
    ]


def test_a_shared_object_that_changed_is_named_for_every_page_using_it(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    flip_byte(evidence, hashlib.sha256(b"[]").hexdigest())

    result = atomation("evidence", "verify", capture.snapshot_id)

    pages = sorted(line.split()[2] for line in result.out.splitlines())
    assert pages == ["users#3", "zones#1"]


def test_a_missing_page_is_named(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    os.remove(evidence.location(hashlib.sha256(USERS_PAGES[0][2]).hexdigest()))

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    assert "page users#1" in result.out
    assert "missing from the evidence store" in result.out


def test_a_changed_byte_in_the_stored_manifest_is_named(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    manifest = evidence.get(capture.sealed.root_hash)
    altered = manifest.replace(b'"objects":3', b'"objects":4')
    assert altered != manifest
    overwrite_object(evidence, capture.sealed.root_hash, gzip.compress(altered))

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == (
        f"MISMATCH manifest {capture.sealed.root_hash}: content altered, it now "
        f"hashes to {hashlib.sha256(altered).hexdigest()}"
    )
    assert lines[1].startswith("MISMATCH signature: does not verify")


def test_a_damaged_manifest_object_is_named(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore
) -> None:
    flip_byte(evidence, capture.sealed.root_hash)

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    assert result.out.splitlines()[:2] == [
        f"MISMATCH manifest {capture.sealed.root_hash}: stored object is damaged and "
        f"no longer decompresses ({evidence.location(capture.sealed.root_hash)})",
        "MISMATCH signature: not checked, the manifest cannot be read",
    ]


def test_a_forged_signature_fails(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore, store: Store
) -> None:
    manifest = evidence.get(capture.sealed.root_hash)
    forged = Ed25519PrivateKey.generate().sign(manifest)
    with store.session() as session:
        session.execute(
            update(Snapshot)
            .where(Snapshot.id == capture.snapshot_id)
            .values(manifest_signature=forged)
        )

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    assert result.out.splitlines() == [
        "MISMATCH signature: does not verify over the manifest with evidence key "
        f"{capture.sealed.key_id}"
    ]


def test_an_edited_page_record_is_named(
    capture: Capture, atomation: CliRunner, store: Store
) -> None:
    other = hashlib.sha256(b"[]").hexdigest()
    with store.session() as session:
        row = session.scalars(
            select(EvidencePage).where(EvidencePage.sha256 == USERS_2)
        ).one()
        row.sha256 = other

    result = atomation("evidence", "verify", capture.snapshot_id)

    assert result.code == 1
    assert result.out.splitlines() == [
        "MISMATCH database: page record users#2 differs from the signed manifest"
    ]


def test_a_snapshot_still_capturing_cannot_be_verified(
    writer: EvidenceWriter, tenant_id: str, atomation: CliRunner
) -> None:
    snapshot_id = writer.begin_snapshot(tenant_id, {})

    result = atomation("evidence", "verify", snapshot_id)

    assert result.code == 1
    assert result.err.startswith(f"Error: snapshot {snapshot_id} is capturing")
    assert "Traceback" not in result.err


def test_an_unknown_snapshot_is_one_error_line(atomation: CliRunner) -> None:
    result = atomation("evidence", "verify", "0" * 32)

    assert result.code == 1
    assert result.err.splitlines()[0] == f"Error: no snapshot with id {'0' * 32}"
