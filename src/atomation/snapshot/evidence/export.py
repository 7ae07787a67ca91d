"""``atomation evidence export``: a bundle an auditor verifies without Atomation.

The zip holds one folder, ``snapshot-<id>/``, with the manifest in its canonical
bytes, the detached Ed25519 signature (64 raw bytes), the evidence public key as
PEM, every page body decompressed and named by its SHA-256 under ``pages/``, a
``SHA256SUMS`` file in ``sha256sum -c`` format, and ``VERIFY.md`` with the steps
using ``openssl`` and ``sha256sum`` alone. A snapshot that fails verification is
not exported: the bundle would only carry the damage further.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from atomation.snapshot.evidence.content import EvidenceStore
from atomation.snapshot.evidence.errors import EvidenceError, VerificationFailed
from atomation.snapshot.evidence.signing import load_public_key
from atomation.snapshot.evidence.verify import load_sealed, verify_snapshot
from atomation.store import Store

__all__ = ["ExportSummary", "export_bundle"]

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PUBLIC_KEY_NAME = "evidence-public.pem"
CHECKSUMS_NAME = "SHA256SUMS"
INSTRUCTIONS_NAME = "VERIFY.md"
PAGES_DIR = "pages"
INSTRUCTIONS_TEMPLATE = "VERIFY.md.jinja"
FILE_MODE = 0o644


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    root_hash: str
    pages: int
    objects: int


def export_bundle(
    store: Store, evidence: EvidenceStore, snapshot_id: str, out: Path
) -> ExportSummary:
    """Write the snapshot's auditor bundle to ``out`` (a ``.zip``), replacing it."""
    report = verify_snapshot(store, evidence, snapshot_id)
    if not report.ok:
        raise VerificationFailed(
            f"snapshot {snapshot_id} fails verification ({len(report.problems)} "
            "mismatch(es)), so it is not exported",
            hint=f"Run 'atomation evidence verify {snapshot_id}' to see each one.",
        )
    sealed = load_sealed(store, snapshot_id)
    public = load_public_key(store, sealed.key_id)
    manifest_bytes = evidence.get(sealed.root_hash)
    manifest = json.loads(manifest_bytes)
    folder = f"snapshot-{snapshot_id}"
    stamp = _zip_time(datetime.fromisoformat(manifest["snapshot"]["finished_at"]))
    hashes = sorted(
        {page["sha256"] for c in manifest["collections"] for page in c["pages"]}
    )
    checksums = [f"{sealed.root_hash}  {MANIFEST_NAME}"]
    checksums += [f"{sha256}  {PAGES_DIR}/{sha256}" for sha256 in hashes]

    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as bundle:

            def add(name: str, data: bytes) -> None:
                info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
                info.external_attr = FILE_MODE << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, data)

            add(MANIFEST_NAME, manifest_bytes)
            add(SIGNATURE_NAME, sealed.signature)
            add(PUBLIC_KEY_NAME, public.pem)
            for sha256 in hashes:
                add(f"{PAGES_DIR}/{sha256}", evidence.get(sha256))
            add(CHECKSUMS_NAME, ("\n".join(checksums) + "\n").encode("ascii"))
            add(
                INSTRUCTIONS_NAME,
                _instructions(manifest, sealed.root_hash, public.fingerprint),
            )
        os.replace(temporary, out)
    except OSError as exc:
        raise EvidenceError(
            f"cannot write the bundle {out} ({exc.strerror})",
            hint="Choose a writable --out path with enough space.",
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    logger.info("exported snapshot %s to %s", snapshot_id, out)
    return ExportSummary(out, sealed.root_hash, report.pages, len(hashes))


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )


def _instructions(manifest: dict[str, Any], root_hash: str, fingerprint: str) -> bytes:
    snapshot = manifest["snapshot"]
    source = resources.files(__package__).joinpath(INSTRUCTIONS_TEMPLATE)
    # Markdown, not HTML: nothing here is interpreted by a browser, and escaping
    # would corrupt the shell commands.
    template = jinja2.Template(
        source.read_text(encoding="utf-8"), keep_trailing_newline=True
    )
    text: str = template.render(
        snapshot_id=snapshot["id"],
        tenant=snapshot["tenant"],
        org_url=snapshot["org_url"],
        finished_at=snapshot["finished_at"],
        root_hash=root_hash,
        fingerprint=fingerprint,
        manifest=MANIFEST_NAME,
        signature=SIGNATURE_NAME,
        public_key=PUBLIC_KEY_NAME,
        checksums=CHECKSUMS_NAME,
        pages=PAGES_DIR,
    )
    return text.encode("utf-8")
