"""The tenant JWKS endpoint: the URL Okta fetches our public keys from.

Two routes serve the same document:

* ``GET /.well-known/okta-jwks.json`` on ``<tenant>.<public domain>`` (routed by
  the ``Host`` header) when a public domain with wildcard DNS is configured;
* ``GET /t/<tenant>/.well-known/okta-jwks.json`` on the public URL otherwise.

The body is the tenant's JWK Set with public members only (``kty``, ``n``, ``e``,
``kid``, ``alg``, ``use``), every key that may still sign included (see
:mod:`atomation.keys.rotation`). Okta wants JSON and a short cache lifetime here
(okta-api.md §1.3). An unknown tenant and a malformed name get the same 404, so
the endpoint cannot be used to learn which tenants exist.
"""

from __future__ import annotations

import json
import logging
import re

from fastapi import APIRouter, Request, Response

from atomation.keys.rotation import JWKS_MAX_AGE
from atomation.keys.service import tenant_jwks
from atomation.runtime import Runtime
from atomation.store.types import utcnow
from atomation.tenants.service import JWKS_PATH, find_tenant

__all__ = ["CACHE_CONTROL", "router"]

logger = logging.getLogger(__name__)

CACHE_CONTROL = f"max-age={int(JWKS_MAX_AGE.total_seconds())}"
"""Short, so a key published at the start of a rotation reaches Okta within the
overlap (``DEFAULT_OVERLAP`` is twice this)."""

# The 404 carries no detail and is never cached, so a tenant created later is
# found at once.
NOT_FOUND_BODY = b'{"error":"not_found"}'
NOT_FOUND_HEADERS = {"Cache-Control": "no-store"}
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

router = APIRouter()


@router.get(JWKS_PATH, include_in_schema=False)
def jwks_by_host(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    domain = runtime.settings.public_domain
    subdomain = _subdomain_of(request.headers.get("host", ""), domain)
    return _jwks_response(runtime, subdomain)


@router.get("/t/{subdomain}" + JWKS_PATH, include_in_schema=False)
def jwks_by_path(subdomain: str, request: Request) -> Response:
    return _jwks_response(request.app.state.runtime, subdomain)


def _subdomain_of(host: str, public_domain: str | None) -> str | None:
    """``acme`` from ``acme.<public domain>[:port]``; None for any other host."""
    if not public_domain:
        return None
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.lower().rstrip(".")
    suffix = "." + public_domain.lower().strip(".")
    if not name.endswith(suffix):
        return None
    return name[: -len(suffix)]


def _jwks_response(runtime: Runtime, subdomain: str | None) -> Response:
    if subdomain is None or _LABEL.fullmatch(subdomain) is None:
        return _not_found()
    with runtime.store.session() as session:
        tenant = find_tenant(session, subdomain)
        if tenant is None:
            return _not_found()
        body = tenant_jwks(session, tenant, now=utcnow())
    logger.debug("JWKS for %s: %d keys", subdomain, len(body["keys"]))
    return Response(
        content=json.dumps(body, separators=(",", ":")),
        media_type="application/json",
        headers={"Cache-Control": CACHE_CONTROL},
    )


def _not_found() -> Response:
    return Response(
        content=NOT_FOUND_BODY,
        status_code=404,
        media_type="application/json",
        headers=NOT_FOUND_HEADERS,
    )
