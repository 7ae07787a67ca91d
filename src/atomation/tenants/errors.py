"""The tenants part's errors::

AtomationError
├── InvalidOrgUrl             (org_url) not an Okta org URL we will call
└── TenantError               a tenant cannot be created or found as asked
    ├── InvalidTenantField    a subdomain, client or environment name is unusable
    ├── TenantExists          the subdomain is taken
    └── UnknownTenant         no tenant has that subdomain
"""

from __future__ import annotations

from atomation.errors import AtomationError
from atomation.tenants.org_url import InvalidOrgUrl

__all__ = [
    "InvalidOrgUrl",
    "InvalidTenantField",
    "TenantError",
    "TenantExists",
    "UnknownTenant",
]


class TenantError(AtomationError):
    """A tenant cannot be created or found as asked."""


class InvalidTenantField(TenantError):
    """A value given for a new tenant breaks its rule."""


class TenantExists(TenantError):
    """Another tenant already has the subdomain."""


class UnknownTenant(TenantError):
    """No tenant has the subdomain given."""
