"""The auditor's bundle, checked with the system's ``openssl`` and ``sha256sum``.

The commands run here are read out of the bundle's own VERIFY.md, so the steps
an auditor follows are the steps that are tested.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from atomation.snapshot.evidence import EvidenceStore, EvidenceWriter
from tests.snapshot.evidence.conftest import (
    SIGN_ON_PAGE,
    USERS_PAGES,
    Capture,
    CliRunner,
    flip_byte,
)

TOOLS = ("openssl", "sha256sum", "grep", "cut", "sort", "sed", "sh")


@pytest.fixture(autouse=True)
def _auditor_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the auditor's tools are not installed: {', '.join(missing)}")


@pytest.fixture
def bundle(capture: Capture, atomation: CliRunner, tmp_path: Path) -> Path:
    """The exported bundle, unzipped; returns its folder."""
    out = tmp_path / "out" / "evidence.zip"
    result = atomation("evidence", "export", capture.snapshot_id, "--out", str(out))
    assert result.code == 0, result.err
    assert result.out.startswith(f"exported snapshot {capture.snapshot_id} to {out}")
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "auditor")
    return tmp_path / "auditor" / f"snapshot-{capture.snapshot_id}"


def verify_steps(folder: Path) -> list[str]:
    """The shell commands of VERIFY.md: its indented blocks, continuations joined."""
    commands: list[str] = []
    pending = ""
    for line in (folder / "VERIFY.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("    "):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
        else:
            commands.append(pending)
            pending = ""
    return commands


def shell(folder: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command], cwd=folder, capture_output=True, text=True, check=False
    )


def test_the_bundle_holds_manifest_signature_key_and_pages_by_hash(
    bundle: Path, capture: Capture, evidence: EvidenceStore
) -> None:
    names = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    bodies = {body for _, _, body in USERS_PAGES} | {SIGN_ON_PAGE}
    hashes = sorted(hashlib.sha256(body).hexdigest() for body in bodies)

    assert names == sorted(
        [
            "SHA256SUMS",
            "VERIFY.md",
            "evidence-public.pem",
            "manifest.json",
            "manifest.sig",
            *(f"pages/{sha256}" for sha256 in hashes),
        ]
    )
    for body in bodies:
        assert (
            bundle / "pages" / hashlib.sha256(body).hexdigest()
        ).read_bytes() == body
    assert (bundle / "manifest.json").read_bytes() == evidence.get(
        capture.sealed.root_hash
    )
    assert (bundle / "manifest.sig").read_bytes() == capture.sealed.signature


def test_every_verify_step_passes_with_openssl_and_sha256sum(
    bundle: Path, capture: Capture, writer: EvidenceWriter
) -> None:
    signature, fingerprint, root, checksums, pages = verify_steps(bundle)
    assert signature.startswith("openssl pkeyutl -verify")

    assert shell(bundle, signature).stdout.strip() == "Signature Verified Successfully"
    assert shell(bundle, fingerprint).stdout.split()[0] == (
        writer.signer.public.fingerprint
    )
    assert shell(bundle, root).stdout.split()[0] == capture.sealed.root_hash
    checked = shell(bundle, checksums)
    assert checked.returncode == 0
    assert len(checked.stdout.splitlines()) == 5  # the manifest and four objects
    assert shell(bundle, pages).stdout.strip() == "all pages match"


def test_an_altered_page_in_the_bundle_fails_sha256sum(bundle: Path) -> None:
    _, _, _, checksums, pages = verify_steps(bundle)
    page = bundle / "pages" / hashlib.sha256(SIGN_ON_PAGE).hexdigest()
    page.write_bytes(SIGN_ON_PAGE.replace(b"Default", b"Relaxed"))

    checked = shell(bundle, checksums)
    listed = shell(bundle, pages)

    assert checked.returncode != 0
    assert f"pages/{page.name}: FAILED" in checked.stdout
    assert listed.returncode != 0
    assert "all pages match" not in listed.stdout


def test_a_page_altered_together_with_sha256sums_fails_the_manifest_step(
    bundle: Path,
) -> None:
    _, _, _, checksums, pages = verify_steps(bundle)
    page = bundle / "pages" / hashlib.sha256(SIGN_ON_PAGE).hexdigest()
    altered = SIGN_ON_PAGE.replace(b"Default", b"Relaxed")
    page.write_bytes(altered)
    sums = (bundle / "SHA256SUMS").read_text()
    new_hash = hashlib.sha256(altered).hexdigest()
    (bundle / "SHA256SUMS").write_text(sums.replace(f"{page.name}  ", f"{new_hash}  "))

    assert shell(bundle, checksums).returncode == 0  # the unsigned list was forged
    assert shell(bundle, pages).returncode != 0  # the signed manifest catches it


def test_an_altered_manifest_in_the_bundle_fails_openssl(bundle: Path) -> None:
    signature, _, _, _, _ = verify_steps(bundle)
    manifest = bundle / "manifest.json"
    original = manifest.read_bytes()
    altered = original.replace(b'"not_collected"', b'"complete"', 1)
    assert altered != original
    manifest.write_bytes(altered)

    result = shell(bundle, signature)

    assert result.returncode != 0
    assert "Signature Verification Failure" in result.stdout + result.stderr


def test_a_snapshot_that_fails_verification_is_not_exported(
    capture: Capture, atomation: CliRunner, evidence: EvidenceStore, tmp_path: Path
) -> None:
    flip_byte(evidence, hashlib.sha256(SIGN_ON_PAGE).hexdigest())
    out = tmp_path / "evidence.zip"

    result = atomation("evidence", "export", capture.snapshot_id, "--out", str(out))

    assert result.code == 1
    assert "fails verification (1 mismatch(es))" in result.err
    assert not out.exists()
    assert list(tmp_path.glob(".evidence.zip.*")) == []
