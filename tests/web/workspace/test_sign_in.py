"""Signing in: session cookies, throttling, CSRF refusal and security headers."""

from __future__ import annotations

import re

from sqlalchemy import select

from atomation.accounts.service import ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT
from atomation.store import Tenant
from tests.web.workspace.conftest import MEMBER_A, OPERATOR, PASSWORD, Workspace


def test_operator_signs_in_with_an_httponly_lax_session_cookie(
    workspace: Workspace,
) -> None:
    visitor = workspace.visitor()

    response = visitor.login(OPERATOR)

    assert response.status_code == 303
    assert response.headers["location"] == "/tenants"
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("atomation_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback
    page = visitor.get("/tenants")
    assert page.status_code == 200
    assert "acme" in page.text
    assert "globex" in page.text


def test_session_cookie_is_secure_over_https_and_hsts_is_sent(
    workspace: Workspace,
) -> None:
    # A TLS-terminating proxy on loopback says the request came over HTTPS.
    visitor = workspace.visitor(headers={"X-Forwarded-Proto": "https"})
    page = visitor.get("/login")
    csrf_cookie = page.cookies["atomation_csrf"]
    assert "secure" in page.headers["set-cookie"].lower()
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    token = match.group(1)

    # httpx keeps Secure cookies off plain http, so hand it over as a browser
    # behind the TLS proxy would.
    response = visitor.http.post(
        "/login",
        data={"email": OPERATOR, "password": PASSWORD, "csrf_token": token},
        headers={"Cookie": f"atomation_csrf={csrf_cookie}"},
    )

    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_wrong_password_is_refused_without_saying_which_half(
    workspace: Workspace,
) -> None:
    visitor = workspace.visitor()

    wrong = visitor.login(OPERATOR, "not the password at all")
    unknown = visitor.login("nobody@atomation.example")

    assert wrong.status_code == unknown.status_code == 401
    assert "e-mail address or password is wrong" in wrong.text
    assert "atomation_session" not in wrong.headers.get("set-cookie", "")
    assert visitor.get("/tenants").status_code == 303  # still signed out


def test_sign_out_ends_the_session(workspace: Workspace) -> None:
    visitor = workspace.signed_in(OPERATOR)
    token = visitor.csrf("/tenants")

    assert visitor.post("/logout", token=token).status_code == 303

    response = visitor.get("/tenants")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_an_account_is_throttled_after_repeated_failures(workspace: Workspace) -> None:
    visitor = workspace.visitor()
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        assert visitor.login(MEMBER_A, "wrong password, long enough").status_code == 401

    # Even the right password is refused while the account is throttled.
    throttled = visitor.login(MEMBER_A, PASSWORD)

    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert "too many failed sign-ins for this account" in throttled.text
    # Another account from the same address is not locked by this one.
    assert workspace.visitor().login(OPERATOR).status_code == 303


def test_an_address_is_throttled_across_accounts(workspace: Workspace) -> None:
    visitor = workspace.visitor()
    for n in range(ADDRESS_FAILURE_LIMIT):
        response = visitor.login(f"guess{n}@example.com", "wrong password, long")
        assert response.status_code == 401

    throttled = visitor.login(OPERATOR, PASSWORD)

    assert throttled.status_code == 429
    assert "from this address" in throttled.text


def test_a_form_without_its_csrf_token_is_refused(workspace: Workspace) -> None:
    visitor = workspace.signed_in(OPERATOR)
    form = {
        "subdomain": "initech",
        "client_name": "Initech",
        "environment": "Prod",
        "okta_org_url": workspace.okta.base_url,
    }

    missing = visitor.post("/tenants", form, token=None)
    forged = visitor.post("/tenants", form, token="A" * 43)
    # A token from another browser does not match this browser's cookie.
    other = workspace.visitor().csrf("/login")
    foreign = visitor.post("/tenants", form, token=other)

    assert missing.status_code == forged.status_code == foreign.status_code == 403
    with workspace.store.session() as session:
        names = session.scalars(select(Tenant.subdomain)).all()
    assert "initech" not in names
    accepted = visitor.post("/tenants", form, token=visitor.csrf("/tenants"))
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/tenants/initech"


def test_sign_in_and_the_api_refuse_without_csrf(workspace: Workspace) -> None:
    visitor = workspace.visitor()
    visitor.csrf("/login")  # has the cookie, but sends no token
    refused = visitor.post(
        "/login", {"email": OPERATOR, "password": PASSWORD}, token=None
    )
    assert refused.status_code == 403

    signed_in = workspace.signed_in(OPERATOR)
    body = {"client_id": "0oa1234567890abcdefg"}
    without = signed_in.http.put("/api/tenants/acme/connection", json=body)
    with_token = signed_in.http.put(
        "/api/tenants/acme/connection",
        json=body,
        headers={"X-CSRF-Token": signed_in.api_token()},
    )
    assert without.status_code == 403
    assert with_token.status_code == 200
    assert with_token.json()["client_id"] == "0oa1234567890abcdefg"


def test_every_page_carries_the_security_headers(workspace: Workspace) -> None:
    visitor = workspace.signed_in(OPERATOR)

    for path in ("/login", "/tenants", "/tenants/acme", "/api/tenants"):
        headers = visitor.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in headers  # plain HTTP


def test_pages_hold_no_inline_script(workspace: Workspace) -> None:
    visitor = workspace.signed_in(OPERATOR)

    page = visitor.get("/tenants/acme").text

    assert "<script>" not in page
    assert "onclick" not in page
    assert '<script src="/static/workspace.js" defer></script>' in page
