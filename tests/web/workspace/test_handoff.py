"""Handoff links open one tenant's guide, Client ID form and Verify; nothing else."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from atomation.accounts.handoff import issue_link, token_of
from atomation.accounts.models import HandoffLink
from atomation.accounts.signing import load_signer
from atomation.keys.envelope import load_master_key
from atomation.store import Connection, Tenant
from atomation.store.types import utcnow
from tests.web.workspace.conftest import OPERATOR, Visitor, Workspace

_LINK = re.compile(r'class="handoff-url">[^<]*(/h/[^<]+)</code>')


def issue(workspace: Workspace) -> tuple[Visitor, str]:
    """The operator creates a link for acme on its page; returns it (a path)."""
    operator = workspace.signed_in(OPERATOR)
    response = operator.post(
        "/tenants/acme/handoff", token=operator.csrf("/tenants/acme")
    )
    assert response.status_code == 303
    match = _LINK.search(operator.get("/tenants/acme").text)
    assert match is not None
    return operator, match.group(1)


def test_link_opens_the_tenants_guide_without_an_account(workspace: Workspace) -> None:
    _, link = issue(workspace)
    admin = workspace.visitor()

    page = admin.get(link)

    assert page.status_code == 200
    assert workspace.jwks_url("acme") in page.text
    assert "Acme Okta Assessment Service - Test" in page.text
    assert "okta.authorizationServers.read" in page.text
    assert f'action="{link}/connection"' in page.text
    assert f'action="{link}/verify"' in page.text
    assert "Handoff links" not in page.text  # operator-only section
    assert "globex" not in page.text


def test_link_saves_the_client_id_and_opens_nothing_else(workspace: Workspace) -> None:
    _, link = issue(workspace)
    admin = workspace.visitor()
    token = admin.csrf(link)

    saved = admin.post(f"{link}/connection", {"client_id": "0oaabc123"}, token=token)

    assert saved.status_code == 303
    with workspace.store.session() as session:
        acme = session.scalars(select(Tenant).where(Tenant.subdomain == "acme")).one()
        connection = session.get(Connection, acme.id)
        assert connection is not None
        assert connection.client_id == "0oaabc123"
    # The link is no session: the workspace and its API stay closed.
    assert admin.get("/tenants").status_code == 303
    assert admin.get("/tenants/acme").status_code == 303
    assert admin.get("/api/tenants").status_code == 401
    assert admin.get("/api/tenants/acme").status_code == 401
    assert "atomation_session" not in admin.http.cookies


def test_a_changed_link_opens_nothing(workspace: Workspace) -> None:
    _, link = issue(workspace)
    link_id, expiry, signature = link.removeprefix("/h/").split(".")
    admin = workspace.visitor()

    later = f"/h/{link_id}.{int(expiry) + 86400}.{signature}"
    resigned = f"/h/{link_id}.{expiry}.{'A' * 43}"
    other_id = f"/h/{'0' * 32}.{expiry}.{signature}"

    for path in (later, resigned, other_id, "/h/nonsense"):
        assert admin.get(path).status_code == 404, path


def test_expired_link_opens_nothing(workspace: Workspace) -> None:
    now = utcnow()
    with workspace.store.session() as session:
        acme = session.scalars(select(Tenant).where(Tenant.subdomain == "acme")).one()
        # Issued two hours ago, for one hour.
        link = issue_link(
            session,
            acme,
            created_by=None,
            now=now - timedelta(hours=2),
            lifetime=timedelta(hours=1),
        )
        token = token_of(
            load_signer(session, load_master_key(workspace.settings)), link
        )
    admin = workspace.visitor()
    form_token = admin.csrf("/login")

    page = admin.get(f"/h/{token}")
    post = admin.post(
        f"/h/{token}/connection", {"client_id": "0oaexpired"}, token=form_token
    )
    verify = admin.post(f"/h/{token}/verify", token=form_token)

    assert page.status_code == post.status_code == verify.status_code == 404
    assert "Acme" not in page.text
    with workspace.store.session() as session:
        assert session.scalars(select(Connection)).all() == []


def test_revoked_link_opens_nothing(workspace: Workspace) -> None:
    operator, link = issue(workspace)
    admin = workspace.visitor()
    form_token = admin.csrf(link)
    assert admin.get(link).status_code == 200
    with workspace.store.session() as session:
        (row,) = session.scalars(select(HandoffLink)).all()

    revoked = operator.post(
        f"/tenants/acme/handoff/{row.id}/revoke", token=operator.csrf("/tenants/acme")
    )

    assert revoked.status_code == 303
    assert admin.get(link).status_code == 404
    post = admin.post(f"{link}/connection", {"client_id": "0oalate"}, token=form_token)
    assert post.status_code == 404
    assert 'data-state="revoked"' in operator.get("/tenants/acme").text
