"""``atomation tenant ...`` in process: output, exit codes, nothing stored on error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atomation.cli import run
from atomation.settings import load_settings
from atomation.store import Connection, open_store
from atomation.tenants.service import get_tenant

CREATE = [
    "tenant",
    "create",
    "--subdomain",
    "acme",
    "--client",
    "Acme Corp",
    "--environment",
    "Production",
    "--okta-org",
    "https://acme.okta.com/",
]


def test_create_prints_the_setup_values_as_the_guide_shows_them(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data-dir", str(data_dir), *CREATE]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Created tenant acme. Setup values for the Okta admin:",
        "Tenant subdomain  acme",
        "Tenant JWKS URL   http://127.0.0.1:8000/t/acme/.well-known/okta-jwks.json",
        "App name          Acme Corp Okta Assessment Service - Production",
        "Okta org URL      https://acme.okta.com",
    ]


def test_values_json_uses_the_public_domain_when_set(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATOMATION_PUBLIC_DOMAIN", "assess.example.com")
    run(["--data-dir", str(data_dir), *CREATE])
    capsys.readouterr()

    assert run(["--data-dir", str(data_dir), "tenant", "values", "acme", "--json"]) == 0

    assert json.loads(capsys.readouterr().out) == {
        "tenant_subdomain": "acme",
        "tenant_jwks_url": "https://acme.assess.example.com/.well-known/okta-jwks.json",
        "app_name": "Acme Corp Okta Assessment Service - Production",
        "okta_org_url": "https://acme.okta.com",
    }


def test_bad_input_is_one_error_line_and_nothing_is_stored(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [*CREATE[:3], "Acme", *CREATE[4:]]

    assert run(["--data-dir", str(data_dir), *bad]) == 1

    err = [
        line
        for line in capsys.readouterr().err.splitlines()
        if line.startswith(("Error:", "Hint:"))
    ]
    assert len(err) == 2
    assert err[0].startswith("Error: the tenant subdomain 'Acme' is not a lower-case")
    assert err[1].startswith("Hint: ")
    assert run(["--data-dir", str(data_dir), "tenant", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_non_okta_org_url_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [*CREATE[:-1], "https://login.acme.example"]

    assert run(["--data-dir", str(data_dir), *bad]) == 1

    err = capsys.readouterr().err
    assert "Error: the Okta org URL 'https://login.acme.example' is not an Okta" in err
    assert "Traceback" not in err


def test_show_lists_keys_and_the_client_id_placeholder(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["--data-dir", str(data_dir), *CREATE])
    capsys.readouterr()

    assert run(["--data-dir", str(data_dir), "tenant", "show", "acme", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert run(["--data-dir", str(data_dir), "tenant", "show", "acme"]) == 0
    text = capsys.readouterr().out

    assert shown["client_id"] is None
    assert [key["state"] for key in shown["keys"]] == ["active"]
    assert "Client ID         (not connected yet)" in text
    assert shown["keys"][0]["kid"] in text


def test_rotate_key_publishes_a_next_key_beside_the_active_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["--data-dir", str(data_dir), *CREATE])
    capsys.readouterr()

    assert run(["--data-dir", str(data_dir), "tenant", "rotate-key", "acme"]) == 0
    out = capsys.readouterr().out
    run(["--data-dir", str(data_dir), "tenant", "show", "acme", "--json"])
    keys = json.loads(capsys.readouterr().out)["keys"]

    assert [key["state"] for key in keys] == ["active", "next"]
    assert f"Published key {keys[1]['kid']}" in out
    assert keys[0]["retire_at"] is not None
    assert run(["--data-dir", str(data_dir), "tenant", "rotate-key", "acme"]) == 1
    assert "already under way" in capsys.readouterr().err


def test_rotate_key_refuses_a_malformed_overlap(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["--data-dir", str(data_dir), *CREATE])
    capsys.readouterr()
    rotate = ["tenant", "rotate-key", "acme", "--overlap", "ten minutes"]

    assert run(["--data-dir", str(data_dir), *rotate]) == 1

    assert "--overlap 'ten minutes' is not a duration" in capsys.readouterr().err


def test_unknown_tenant_is_one_error_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data-dir", str(data_dir), "tenant", "show", "nope"]) == 1

    assert "Error: no tenant has the subdomain 'nope'\n" in capsys.readouterr().err


def test_serve_is_mounted(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "--help"]) == 0

    assert "--port" in capsys.readouterr().out


def test_show_includes_the_client_id_once_connected(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["--data-dir", str(data_dir), *CREATE])
    store = open_store(load_settings(data_dir=data_dir))
    try:
        with store.session() as session:
            tenant = get_tenant(session, "acme")
            session.add(Connection(tenant_id=tenant.id, client_id="0oa1example"))
    finally:
        store.close()
    capsys.readouterr()

    assert run(["--data-dir", str(data_dir), "tenant", "show", "acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["client_id"] == "0oa1example"
    assert run(["--data-dir", str(data_dir), "tenant", "list"]) == 0
    assert "client id: 0oa1example" in capsys.readouterr().out
