"""The tenant registry: create tenants, find them, and give their setup values.

A tenant is one customer environment: its subdomain (the name in every command and
URL), the client and environment names that make up the Okta app's name, and the
Okta org URL. Creating one also creates its first signing key, in the same
transaction, so a tenant never exists without a key to publish.

Functions take an open :class:`~sqlalchemy.orm.Session` (from ``Store.session()``);
the caller's block commits, and an error anywhere rolls everything back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from atomation.keys.envelope import MasterKey
from atomation.keys.service import create_signing_key
from atomation.settings import Settings
from atomation.store.models import Tenant
from atomation.tenants.errors import InvalidTenantField, TenantExists, UnknownTenant
from atomation.tenants.org_url import normalise_org_url

__all__ = [
    "JWKS_PATH",
    "SetupValues",
    "app_name",
    "check_subdomain",
    "create_tenant",
    "find_tenant",
    "get_tenant",
    "jwks_url",
    "list_tenants",
    "setup_values",
]

logger = logging.getLogger(__name__)

JWKS_PATH = "/.well-known/okta-jwks.json"
# A subdomain is one lower-case DNS label (RFC 1035 §2.3.1, digits allowed first
# as RFC 1123 §2.1 permits), so it works as a host name under the public domain.
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
MAX_CLIENT_NAME = 200  # the width of tenants.client_name
MAX_ENVIRONMENT = 100  # the width of tenants.environment
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SetupValues:
    """What the customer's Okta admin types in, exactly as the setup guide shows."""

    tenant_subdomain: str
    tenant_jwks_url: str
    app_name: str
    okta_org_url: str

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) in the guide's order and wording."""
        return [
            ("Tenant subdomain", self.tenant_subdomain),
            ("Tenant JWKS URL", self.tenant_jwks_url),
            ("App name", self.app_name),
            ("Okta org URL", self.okta_org_url),
        ]

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def check_subdomain(raw: str) -> str:
    """``raw`` if it is a lower-case DNS label of 1–63 characters."""
    if _SUBDOMAIN.fullmatch(raw) is None:
        shown = raw if len(raw) <= 80 else raw[:80] + "…"
        raise InvalidTenantField(
            f"the tenant subdomain '{shown}' is not a lower-case DNS label "
            "(1–63 of a-z, 0-9 and '-', not starting or ending with '-')",
            hint="Choose a name like 'acme' or 'acme-prod': lower case, no dots.",
        )
    return raw


def _check_name(raw: str, what: str, limit: int) -> str:
    value = raw.strip()
    if not value:
        raise InvalidTenantField(
            f"the {what} is empty", hint=f"Give the {what}, e.g. 'Acme Corp'."
        )
    if len(value) > limit or _CONTROL.search(value):
        raise InvalidTenantField(
            f"the {what} '{value[:40]}…' is longer than {limit} characters or "
            "holds control characters",
            hint=f"Give a {what} of at most {limit} printable characters.",
        )
    return value


def app_name(client_name: str, environment: str) -> str:
    """The name the Okta admin gives the API Services app (DESIGN, setup table)."""
    return f"{client_name} Okta Assessment Service - {environment}"


def jwks_url(settings: Settings, subdomain: str) -> str:
    """The tenant's JWKS URL: host-routed with a public domain, else path-routed."""
    if settings.public_domain:
        return f"https://{subdomain}.{settings.public_domain.strip('.')}{JWKS_PATH}"
    return f"{settings.public_url.rstrip('/')}/t/{subdomain}{JWKS_PATH}"


def setup_values(settings: Settings, tenant: Tenant) -> SetupValues:
    return SetupValues(
        tenant_subdomain=tenant.subdomain,
        tenant_jwks_url=jwks_url(settings, tenant.subdomain),
        app_name=app_name(tenant.client_name, tenant.environment),
        okta_org_url=tenant.okta_org_url,
    )


def create_tenant(
    session: Session,
    master_key: MasterKey,
    *,
    subdomain: str,
    client_name: str,
    environment: str,
    okta_org_url: str,
    now: datetime,
    allowed_org_urls: Sequence[str] = (),
) -> Tenant:
    """Check every value, then add the tenant and its first (active) signing key.

    Raises :class:`InvalidTenantField`, :class:`InvalidOrgUrl` or
    :class:`TenantExists` before anything is written.
    """
    subdomain = check_subdomain(subdomain)
    client_name = _check_name(client_name, "client name", MAX_CLIENT_NAME)
    environment = _check_name(environment, "environment name", MAX_ENVIRONMENT)
    org_url = normalise_org_url(okta_org_url, allowed_org_urls)
    if find_tenant(session, subdomain) is not None:
        raise _exists(subdomain)

    tenant = Tenant(
        subdomain=subdomain,
        client_name=client_name,
        environment=environment,
        okta_org_url=org_url,
        created_at=now,
        updated_at=now,
    )
    session.add(tenant)
    try:
        session.flush()
    except IntegrityError:
        # Another process took the subdomain between our check and the insert.
        raise _exists(subdomain) from None
    create_signing_key(session, master_key, tenant, now=now)
    logger.info("tenant %s created for org %s", subdomain, org_url)
    return tenant


def _exists(subdomain: str) -> TenantExists:
    return TenantExists(
        f"a tenant with subdomain '{subdomain}' already exists",
        hint=f"Choose another subdomain, or see it with: atomation tenant show "
        f"{subdomain}",
    )


def find_tenant(session: Session, subdomain: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.subdomain == subdomain)).first()


def get_tenant(session: Session, subdomain: str) -> Tenant:
    tenant = find_tenant(session, subdomain)
    if tenant is None:
        shown = subdomain if len(subdomain) <= 80 else subdomain[:80] + "…"
        raise UnknownTenant(
            f"no tenant has the subdomain '{shown}'",
            hint="List the tenants with: atomation tenant list",
        )
    return tenant


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.subdomain)).all())
