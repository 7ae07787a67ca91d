"""What the pages, the handoff link and the API do, once access is settled.

Each function acts for a caller already allowed to act on the tenant; the
routes around it decide that. Input errors are raised as the parts define them
(:data:`INPUT_ERRORS`); the routes show them with their hint.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from atomation.connection.errors import InvalidClientId, InvalidDPoPMode, NotConnected
from atomation.connection.service import save_connection
from atomation.jobs.errors import JobAlreadyRunning
from atomation.jobs.service import enqueue
from atomation.jobs.verify import VERIFY
from atomation.keys.envelope import load_master_key
from atomation.store import Connection, Job, Tenant
from atomation.tenants.errors import InvalidOrgUrl, InvalidTenantField, TenantExists
from atomation.tenants.service import create_tenant
from atomation.web.guide import TenantGuide, guide_of
from atomation.web.workspace import Workspace

__all__ = [
    "CONFLICT_ERRORS",
    "INPUT_ERRORS",
    "add_tenant",
    "read_guide",
    "require_connection",
    "save_client_id",
    "start_verify",
]

INPUT_ERRORS = (
    InvalidTenantField,
    InvalidOrgUrl,
    InvalidClientId,
    InvalidDPoPMode,
    TenantExists,
    JobAlreadyRunning,
    NotConnected,
)
CONFLICT_ERRORS = (TenantExists, JobAlreadyRunning)


def add_tenant(
    workspace: Workspace,
    *,
    subdomain: str,
    client_name: str,
    environment: str,
    okta_org_url: str,
) -> str:
    settings = workspace.runtime.settings
    with workspace.runtime.store.session() as session:
        tenant = create_tenant(
            session,
            load_master_key(settings),
            subdomain=subdomain.strip(),
            client_name=client_name,
            environment=environment,
            okta_org_url=okta_org_url.strip(),
            now=workspace.now(),
            allowed_org_urls=settings.allowed_org_urls,
        )
        return tenant.subdomain


def read_guide(workspace: Workspace, tenant: Tenant) -> TenantGuide:
    with workspace.runtime.store.session() as session:
        fresh = session.get(Tenant, tenant.id)
        assert fresh is not None
        return guide_of(session, workspace.runtime.settings, fresh)


def save_client_id(
    workspace: Workspace, tenant: Tenant, client_id: str, dpop_mode: str
) -> None:
    with workspace.runtime.store.session() as session:
        fresh = session.get(Tenant, tenant.id)
        assert fresh is not None
        save_connection(
            session,
            fresh,
            client_id=client_id,
            dpop_mode=dpop_mode or "auto",
            now=workspace.now(),
        )


def require_connection(session: Session, tenant: Tenant) -> None:
    """Refuse, before anything is queued, a tenant with no Client ID yet."""
    if session.get(Connection, tenant.id) is None:
        raise NotConnected(
            f"tenant '{tenant.subdomain}' has no Client ID yet",
            hint="paste the app's Client ID on the setup guide and save it first.",
        )


def start_verify(workspace: Workspace, tenant: Tenant) -> Job:
    """Queue a verification (refused while one is queued or running) and wake the
    runner; refused before queuing when no Client ID is stored yet."""
    with workspace.runtime.store.session() as session:
        require_connection(session, tenant)
        job = enqueue(
            session, workspace.kinds, VERIFY, tenant_id=tenant.id, now=workspace.now()
        )
    if workspace.runner is not None:
        workspace.runner.wake()
    return job
