"""No private key material reaches the database, the data directory or the logs."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from atomation.cli import run
from atomation.keys import jwk
from atomation.keys.envelope import load_master_key
from atomation.keys.service import open_private_key, tenant_jwks
from atomation.keys.signer import signer_for
from atomation.settings import load_settings
from atomation.store import Base, SigningKey, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import get_tenant


def _private_markers(der: bytes) -> list[bytes]:
    """Every form in which this key's private half could show up."""
    numbers = jwk.load_private_key(der).private_numbers()
    markers = [der, der.hex().encode(), base64.b64encode(der)]
    values = [
        numbers.d,
        numbers.p,
        numbers.q,
        numbers.dmp1,
        numbers.dmq1,
        numbers.iqmp,
    ]
    for value in values:
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        markers += [
            jwk.b64url_uint(value).encode(),
            base64.b64encode(raw),
            raw,
            str(value).encode(),
        ]
    return markers


def test_private_keys_never_reach_the_database_files_or_logs(
    database_url: str,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("ATOMATION_DATABASE_URL", database_url)
    cli = ["--data-dir", str(data_dir), "--debug", "tenant"]
    create = ["create", "--subdomain", "acme", "--client", "Acme"]
    create += ["--environment", "Prod", "--okta-org", "https://acme.okta.com"]
    assert run([*cli, *create]) == 0
    assert run([*cli, "rotate-key", "acme", "--overlap", "0"]) == 0
    assert run([*cli, "show", "acme", "--json"]) == 0

    settings = load_settings(data_dir=data_dir)
    master_key = load_master_key(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            tenant = get_tenant(session, "acme")
            tenant_jwks(session, tenant, now=utcnow())
            rows = list(session.scalars(select(SigningKey)))
            ders = [open_private_key(master_key, tenant, row) for row in rows]
            dump = b"".join(
                repr(list(session.execute(table.select()))).encode()
                for table in Base.metadata.sorted_tables
            )
        signer_for(store, settings, tenant).sign({}, {"sub": "x"})
    finally:
        store.close()

    output = capsys.readouterr()
    texts = [dump, caplog.text.encode(), output.out.encode(), output.err.encode()]
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    texts += [path.read_bytes() for path in files]
    assert len(ders) == 2
    assert any(p.name == "master.key" for p in files)
    assert "tenant" in caplog.text  # the logs were captured, and speak of keys
    for text in texts:
        assert b"PRIVATE KEY" not in text
        for der in ders:
            for marker in _private_markers(der):
                assert marker not in text
