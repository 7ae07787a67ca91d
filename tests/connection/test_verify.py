"""Verify Connection against a simulated org: each case of the troubleshooting table.

Every case checks the four statuses, then the cause and fix the admin reads.
"""

from __future__ import annotations

import socket

from sqlalchemy import select

from atomation.connection.items import (
    ROLE_SUFFICIENT,
    SCOPES_USABLE,
    TOKEN_ACQUIRED,
    VERIFIED_TIMESTAMP,
    VerificationResult,
)
from atomation.okta import OKTA_READ_SCOPES
from atomation.okta.clock import ScaledClock
from atomation.store import Connection, Verification
from tests.connection.conftest import Tenancy


def statuses(result: VerificationResult) -> tuple[str, ...]:
    return tuple(item.status for item in result.items)


def test_good_path_passes_all_four_and_stores_the_time(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app())
    result = tenancy.verify()

    assert statuses(result) == ("pass", "pass", "pass", "pass")
    assert (
        "Bearer token issued for 10 of the ten scopes"
        in result.item(TOKEN_ACQUIRED).cause
    )
    assert "READ_ONLY_ADMIN" in result.item(ROLE_SUFFICIENT).cause
    with tenancy.store.session() as session:
        connection = session.scalars(select(Connection)).one()
        assert connection.verified_at == result.verified_at
        assert connection.dpop_required is False


def test_good_path_with_dpop_learns_the_app_requires_it(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(dpop=True), dpop="auto")
    result = tenancy.verify()

    assert statuses(result) == ("pass", "pass", "pass", "pass")
    assert "DPoP-bound token" in result.item(TOKEN_ACQUIRED).cause
    assert "now uses it" in result.item(TOKEN_ACQUIRED).cause
    with tenancy.store.session() as session:
        assert session.scalars(select(Connection)).one().dpop_required is True
    # The next run starts with DPoP straight away and still passes.
    assert statuses(tenancy.verify()) == ("pass", "pass", "pass", "pass")


def test_wrong_client_id_fails_token_with_invalid_client(tenancy: Tenancy) -> None:
    tenancy.ready_app()
    tenancy.connect("0oaWrongClientId0000")
    result = tenancy.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert "invalid_client" in token.cause
    assert "Client ID" in token.fix
    assert "JWKS URL" in token.fix
    assert result.item(SCOPES_USABLE).cause == "not checked: no access token"
    assert "never" in result.item(VERIFIED_TIMESTAMP).cause


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_jwks_url_fails_token_with_invalid_client(tenancy: Tenancy) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/t/acme/.well-known/okta-jwks.json"
    tenancy.connect(tenancy.admin.ready_app(dead))
    result = tenancy.verify()

    assert statuses(result)[0] == "fail"
    assert "invalid_client" in result.item(TOKEN_ACQUIRED).cause
    assert "reachable" in result.item(TOKEN_ACQUIRED).fix


def test_key_rotated_away_fails_token_with_invalid_client(tenancy: Tenancy) -> None:
    # The app fetches another tenant's JWKS, which lacks the kid acme signs with.
    tenancy.add_tenant("other")
    tenancy.connect(tenancy.admin.ready_app(tenancy.web.jwks_url("other")))
    result = tenancy.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    assert "invalid_client" in result.item(TOKEN_ACQUIRED).cause


def test_no_scope_granted_is_consent_required_naming_all_ten(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(scopes=()))
    result = tenancy.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    assert "consent_required" in result.item(TOKEN_ACQUIRED).cause
    scopes = result.item(SCOPES_USABLE)
    assert all(scope in scopes.cause for scope in OKTA_READ_SCOPES)
    assert "Okta API Scopes" in scopes.fix


def test_some_scopes_missing_are_named(tenancy: Tenancy) -> None:
    granted = [
        s for s in OKTA_READ_SCOPES if s not in ("okta.logs.read", "okta.idps.read")
    ]
    tenancy.connect(tenancy.ready_app(scopes=granted))
    result = tenancy.verify()

    assert statuses(result) == ("pass", "fail", "pass", "fail")
    assert "8 of the ten" in result.item(TOKEN_ACQUIRED).cause
    scopes = result.item(SCOPES_USABLE)
    assert "okta.logs.read, okta.idps.read" in scopes.cause
    assert "okta.logs.read, okta.idps.read" in scopes.fix
    assert "okta.users.read" not in scopes.cause


def test_role_missing_fails_role_naming_the_refused_reads(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(role=None))
    result = tenancy.verify()

    assert statuses(result) == ("pass", "pass", "fail", "fail")
    role = result.item(ROLE_SUFFICIENT)
    assert "missing" in role.cause
    assert "GET /api/v1/users?limit=1 refused (E0000006)" in role.cause
    assert "GET /api/v1/policies?type=OKTA_SIGN_ON&limit=1 refused" in role.cause
    assert "Read-Only Administrator" in role.fix


def test_role_too_narrow_names_only_the_refused_reads(tenancy: Tenancy) -> None:
    # A Group Administrator sees users and groups, nothing else.
    tenancy.connect(tenancy.ready_app(role="USER_ADMIN"))
    result = tenancy.verify()

    assert statuses(result) == ("pass", "pass", "fail", "fail")
    role = result.item(ROLE_SUFFICIENT).cause
    assert "too narrow" in role
    assert "GET /api/v1/apps?limit=1 refused" in role
    assert "GET /api/v1/zones?limit=1 refused" in role
    assert "/api/v1/users" not in role
    assert "/api/v1/groups" not in role


def test_broad_role_passes_with_an_over_privilege_warning(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(role="SUPER_ADMIN"))
    result = tenancy.verify()

    assert statuses(result) == ("pass", "pass", "warn", "pass")
    assert result.passed
    role = result.item(ROLE_SUFFICIENT)
    assert "SUPER_ADMIN" in role.cause
    assert "Read-Only Administrator" in role.fix


def test_dpop_required_by_the_app_but_off_for_the_connection(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(dpop=True), dpop="off")
    result = tenancy.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert "requires DPoP" in token.cause
    assert "DPoP off" in token.cause
    assert "--dpop auto" in token.fix


def test_dpop_on_for_the_connection_but_the_app_issues_bearer(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(dpop=False), dpop="on")
    result = tenancy.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert "Bearer" in token.cause
    assert "not bound" in token.cause
    assert "Require Demonstrating Proof of Possession" in token.fix


def test_clock_skew_is_named_with_a_fix_for_the_server_clock(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app())
    ahead = ScaledClock(
        tenancy.okta.clock.time_scale, origin=tenancy.okta.clock.timestamp() + 600
    )
    result = tenancy.verify(clock=ahead)

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert "clock" in token.cause
    assert "ahead of" in token.cause
    assert "NTP" in token.fix


def test_failed_run_keeps_and_shows_the_last_successful_time(tenancy: Tenancy) -> None:
    client_id = tenancy.ready_app()
    tenancy.connect(client_id)
    first = tenancy.verify()
    assert first.passed

    tenancy.admin.set_dpop(client_id, True)  # the app now requires DPoP ...
    tenancy.connect(client_id, dpop="off")  # ... and the connection refuses it
    second = tenancy.verify()

    assert not second.passed
    assert second.verified_at == first.verified_at
    assert first.verified_at is not None
    stamp = second.item(VERIFIED_TIMESTAMP)
    assert stamp.status == "fail"
    assert first.verified_at.isoformat(timespec="seconds") in stamp.cause
    with tenancy.store.session() as session:
        assert (
            session.scalars(select(Connection)).one().verified_at == first.verified_at
        )
        runs = session.scalars(select(Verification)).all()
        assert [run.passed for run in runs] == [True, False]
