"""A member of one tenant sees nothing of another: 404 everywhere, as for no tenant."""

from __future__ import annotations

from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session

from atomation.jobs.service import enqueue
from atomation.store import Connection, Job, Snapshot, Tenant
from atomation.store.types import utcnow
from atomation.web import handoff, jwks, pages, reports
from atomation.web.api import create_api
from atomation.web.app import default_job_kinds
from tests.web.workspace.conftest import MEMBER_A, Workspace

# Every route that names a tenant, as (method, path with globex filled in).
TENANT_ROUTES = {
    ("GET", "/tenants/{subdomain}"),
    ("POST", "/tenants/{subdomain}/connection"),
    ("POST", "/tenants/{subdomain}/verify"),
    ("POST", "/tenants/{subdomain}/handoff"),
    ("POST", "/tenants/{subdomain}/handoff/{link_id}/revoke"),
    ("GET", "/tenants/{subdomain}/snapshots"),
    ("POST", "/tenants/{subdomain}/snapshots"),
    ("GET", "/tenants/{subdomain}/snapshots/{snapshot_id}"),
    ("GET", "/tenants/{subdomain}/snapshots/{snapshot_id}/evidence.zip"),
    ("GET", "/tenants/{subdomain}/reports"),
    ("GET", "/tenants/{subdomain}/reports/{snapshot_id}/{file_name}"),
    ("GET", "/tenants/{subdomain}/compare"),
    ("GET", "/api/tenants/{subdomain}"),
    ("PUT", "/api/tenants/{subdomain}/connection"),
    ("POST", "/api/tenants/{subdomain}/verify"),
    ("GET", "/api/tenants/{subdomain}/jobs/{job_id}"),
    ("GET", "/api/tenants/{subdomain}/snapshots"),
    ("POST", "/api/tenants/{subdomain}/snapshots"),
}
# Public by design: Okta fetches the tenant's public keys from here with no
# credentials (tests/web/test_jwks_endpoint.py covers it).
PUBLIC_TENANT_ROUTES = {("GET", "/t/{subdomain}/.well-known/okta-jwks.json")}


def _routes_naming_a_tenant() -> set[tuple[str, str]]:
    """From the routers ``create_app`` mounts: pages, handoff, JWKS and the API."""
    found: set[tuple[str, str]] = set()
    mounted = [(pages.router.routes, ""), (handoff.router.routes, "")]
    mounted += [(reports.router.routes, "")]
    mounted += [(jwks.router.routes, ""), (create_api().routes, "/api")]
    for routes, prefix in mounted:
        for route in routes:
            if isinstance(route, APIRoute) and "{subdomain}" in route.path:
                for method in route.methods or ():
                    found.add((method, prefix + route.path))
    return found


def test_the_list_below_covers_every_tenant_route() -> None:
    assert _routes_naming_a_tenant() == TENANT_ROUTES | PUBLIC_TENANT_ROUTES


def test_member_of_acme_gets_404_for_every_route_of_globex(
    workspace: Workspace,
) -> None:
    with workspace.store.session() as session:
        globex = globex_of(session)
        session.add(
            Connection(tenant_id=globex.id, client_id="0oaglobex", created_at=utcnow())
        )
        job_id = enqueue(
            session, default_job_kinds(), "verify", tenant_id=globex.id, now=utcnow()
        ).id
        snapshot_id = globex_snapshot(session, globex)
    member = workspace.signed_in(MEMBER_A)
    form_token = member.csrf("/tenants/acme")
    api_token = member.api_token()

    for method, template in sorted(TENANT_ROUTES):
        path = template.replace("{job_id}", job_id).replace("{link_id}", "0" * 32)
        path = path.replace("{snapshot_id}", snapshot_id)
        path = path.replace("{file_name}", "report.html")
        if path.endswith("/compare"):
            path += f"?old={snapshot_id}&new={snapshot_id}"
        path = path.replace("{subdomain}", "globex")
        if path.startswith("/api"):
            response = member.http.request(
                method,
                path,
                json={"client_id": "0oaevil"} if method == "PUT" else None,
                headers={"X-CSRF-Token": api_token},
            )
        elif method == "POST":
            response = member.post(path, {"client_id": "0oaevil"}, token=form_token)
        else:
            response = member.get(path)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "globex" not in response.text.lower(), (method, path)
        # The same answer as for a tenant that does not exist.
        missing = path.replace("globex", "nosuchtenant")
        if method == "GET":
            assert member.get(missing).status_code == 404

    with workspace.store.session() as session:
        connection = session.get(Connection, globex.id)
        assert connection is not None
        assert connection.client_id == "0oaglobex"  # untouched
        jobs = session.scalars(select(Job.id).where(Job.tenant_id == globex.id)).all()
        assert jobs == [job_id]  # only the one made above


def globex_of(session: Session) -> Tenant:
    return session.scalars(select(Tenant).where(Tenant.subdomain == "globex")).one()


def globex_snapshot(session: Session, globex: Tenant) -> str:
    """A sealed-looking snapshot of globex, so its id is a real one."""
    snapshot = Snapshot(
        tenant_id=globex.id,
        state="complete",
        options={},
        started_at=utcnow(),
        finished_at=utcnow(),
        root_hash="0" * 64,
    )
    session.add(snapshot)
    session.flush()
    return snapshot.id


def test_member_of_acme_gets_404_for_a_snapshot_of_globex_under_acme(
    workspace: Workspace,
) -> None:
    with workspace.store.session() as session:
        snapshot_id = globex_snapshot(session, globex_of(session))
    member = workspace.signed_in(MEMBER_A)

    for path in (
        f"/tenants/acme/snapshots/{snapshot_id}",
        f"/tenants/acme/snapshots/{snapshot_id}/evidence.zip",
        f"/tenants/acme/reports/{snapshot_id}/report.html",
        f"/tenants/acme/reports/{snapshot_id}/report.pdf",
        f"/tenants/acme/compare?old={snapshot_id}&new={snapshot_id}",
    ):
        response = member.get(path)
        assert response.status_code == 404, path
        assert snapshot_id not in response.text, path


def test_member_sees_only_their_tenant_in_lists(workspace: Workspace) -> None:
    member = workspace.signed_in(MEMBER_A)

    listed = member.get("/api/tenants").json()
    page = member.get("/tenants")

    assert [t["subdomain"] for t in listed] == ["acme"]
    assert page.status_code == 303
    assert page.headers["location"] == "/tenants/acme"
    assert member.get("/tenants/acme").status_code == 200


def test_member_cannot_create_tenants(workspace: Workspace) -> None:
    member = workspace.signed_in(MEMBER_A)
    form = {
        "subdomain": "evil",
        "client_name": "Evil",
        "environment": "Prod",
        "okta_org_url": workspace.okta.base_url,
    }

    page = member.post("/tenants", form, token=member.csrf("/tenants/acme"))
    api = member.http.post(
        "/api/tenants", json=form, headers={"X-CSRF-Token": member.api_token()}
    )

    assert page.status_code == api.status_code == 404
    with workspace.store.session() as session:
        assert (
            session.scalars(select(Tenant).where(Tenant.subdomain == "evil")).first()
            is None
        )


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(
    workspace: Workspace,
) -> None:
    visitor = workspace.visitor()

    page = visitor.get("/tenants/acme")
    api = visitor.get("/api/tenants/acme")

    assert page.status_code == 303
    assert page.headers["location"] == "/login"
    assert api.status_code == 401
