from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)
from sqlalchemy import MetaData, select

from atomation.keys.envelope import EnvelopeError, SealedBox, load_master_key
from atomation.settings import Settings
from atomation.snapshot.evidence import load_signer
from atomation.snapshot.evidence.signing import evidence_key_context
from atomation.store import EvidenceKey, Store
from tests.snapshot.evidence.conftest import Capture, CliRunner


def _private_seed(store: Store, settings: Settings, key_id: str) -> bytes:
    with store.session() as session:
        row = session.get_one(EvidenceKey, key_id)
        sealed = SealedBox(row.wrapped_data_key, row.private_key_ciphertext)
    return load_master_key(settings).open(sealed, evidence_key_context(key_id))


def _clear_forms(seed: bytes) -> list[bytes]:
    """The private key as raw bytes, hex, base64, and PKCS#8 DER and PEM."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return [
        seed,
        seed.hex().encode(),
        seed.hex().upper().encode(),
        base64.b64encode(seed).rstrip(b"="),
        base64.urlsafe_b64encode(seed).rstrip(b"="),
        der,
        pem,
    ]


def test_the_private_key_is_never_stored_in_clear(
    capture: Capture, store: Store, store_settings: Settings, data_dir: Path
) -> None:
    seed = _private_seed(store, store_settings, capture.sealed.key_id)
    forms = _clear_forms(seed)

    # Every file in the data directory but the master key: the SQLite database
    # and its write-ahead log (when the store is SQLite) and the evidence store.
    files = [p for p in data_dir.rglob("*") if p.is_file() and p.name != "master.key"]
    assert any(p.suffix == ".gz" for p in files)
    for path in files:
        content = path.read_bytes()
        assert not any(form in content for form in forms), path

    # Every value of every row of every table, on either database.
    with store.engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    stored = _as_bytes(value)
                    assert not any(form in stored for form in forms), table.name


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    return json.dumps(value, default=str).encode()


def test_the_evidence_key_is_made_once_and_reused(
    store: Store, store_settings: Settings
) -> None:
    master = load_master_key(store_settings)

    first = load_signer(store, master)
    second = load_signer(store, master)

    assert first.public == second.public
    with store.session() as session:
        assert session.query(EvidenceKey).count() == 1


def test_a_sealed_key_does_not_open_as_another_key(
    store: Store, store_settings: Settings
) -> None:
    signer = load_signer(store, load_master_key(store_settings))
    with store.session() as session:
        row = session.get_one(EvidenceKey, signer.public.id)
        sealed = SealedBox(row.wrapped_data_key, row.private_key_ciphertext)

    with pytest.raises(EnvelopeError):
        load_master_key(store_settings).open(sealed, evidence_key_context("0" * 32))


def test_the_signer_never_shows_its_key(store: Store, store_settings: Settings) -> None:
    signer = load_signer(store, load_master_key(store_settings))

    assert repr(signer) == f"EvidenceSigner(key_id={signer.public.id!r})"


def test_evidence_key_prints_the_public_key_and_fingerprint(
    capture: Capture, atomation: CliRunner
) -> None:
    result = atomation("evidence", "key")

    lines = result.out.splitlines()
    assert result.code == 0
    assert lines[0].startswith(f"evidence key {capture.sealed.key_id} (Ed25519)")
    assert lines[1] == "-----BEGIN PUBLIC KEY-----"
    assert "PRIVATE" not in result.out
