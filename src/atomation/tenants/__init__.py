"""Tenants: one customer environment each, with its Okta org URL and JWKS URL.

* :mod:`~atomation.tenants.org_url` — the org URL rules (:func:`normalise_org_url`).
* :mod:`~atomation.tenants.service` — the registry and the setup values.
* :mod:`~atomation.tenants.cli` — ``atomation tenant ...``.

Errors are drawn in :mod:`~atomation.tenants.errors`.
"""

from atomation.tenants.errors import (
    InvalidTenantField,
    TenantError,
    TenantExists,
    UnknownTenant,
)
from atomation.tenants.org_url import InvalidOrgUrl, normalise_org_url
from atomation.tenants.service import (
    SetupValues,
    create_tenant,
    find_tenant,
    get_tenant,
    jwks_url,
    list_tenants,
    setup_values,
)

__all__ = [
    "InvalidOrgUrl",
    "InvalidTenantField",
    "SetupValues",
    "TenantError",
    "TenantExists",
    "UnknownTenant",
    "create_tenant",
    "find_tenant",
    "get_tenant",
    "jwks_url",
    "list_tenants",
    "normalise_org_url",
    "setup_values",
]
