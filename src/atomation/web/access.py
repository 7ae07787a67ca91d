"""Who is asking, and which tenants they may see.

An operator sees every tenant; a member sees only their own. Any other
tenant is answered exactly as a tenant that does not exist (404), so a member
cannot learn which other tenants exist. Pages send a browser without a session
to the sign-in page; the JSON API answers 401.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from atomation.accounts.models import User
from atomation.accounts.service import session_user
from atomation.runtime import Runtime
from atomation.store.models import Tenant
from atomation.store.types import utcnow
from atomation.tenants.service import find_tenant, list_tenants

__all__ = [
    "SESSION_COOKIE",
    "NotSignedIn",
    "current_user",
    "require_operator",
    "require_user",
    "visible_tenant",
    "visible_tenants",
]

SESSION_COOKIE = "atomation_session"


class NotSignedIn(Exception):
    """No live session: pages redirect to sign-in, the API answers 401."""


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def current_user(request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with runtime_of(request).store.session() as session:
        return session_user(session, token, utcnow())


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise NotSignedIn
    return user


def require_operator(request: Request) -> User:
    user = require_user(request)
    if user.role != "operator":
        raise HTTPException(status_code=404)
    return user


def may_see(user: User, tenant: Tenant) -> bool:
    return user.role == "operator" or user.tenant_id == tenant.id


def visible_tenant(request: Request, user: User, subdomain: str) -> Tenant:
    with runtime_of(request).store.session() as session:
        tenant = find_tenant(session, subdomain[:63])
    if tenant is None or not may_see(user, tenant):
        raise HTTPException(status_code=404)
    return tenant


def visible_tenants(request: Request, user: User) -> list[Tenant]:
    with runtime_of(request).store.session() as session:
        return [t for t in list_tenants(session) if may_see(user, t)]
