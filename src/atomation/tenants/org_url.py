"""The customer's Okta org URL: checked and normalised before any request is sent.

An org URL is ``https://<org>.<okta domain>`` with nothing after the host. The
accepted Okta domains are the production and preview cells plus the regulated
clouds (:data:`OKTA_DOMAINS`). Refused, each with one clear error:

* any other host (a custom domain, a look-alike such as ``okta.com.evil.io``);
* the admin console host ``<org>-admin.okta.com`` — the API lives on the org host,
  and the Okta SDK refuses ``-admin`` too (okta-api.md §9.1);
* user info (``user:pass@``), an explicit port, or a scheme other than https;
* a path, query or fragment (a pasted page or authorization-server URL is not the
  org URL; only a trailing ``/`` is tolerated and dropped).

A deployment may allow extra origins for testing (``ATOMATION_ALLOWED_ORG_URLS``,
e.g. the simulator at ``http://127.0.0.1:PORT``); those are accepted exactly as
listed, after the same normalisation (lower-case host, no trailing slash).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from atomation.errors import AtomationError

__all__ = ["OKTA_DOMAINS", "InvalidOrgUrl", "normalise_org_url"]

OKTA_DOMAINS = (
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
)
"""Domains under which Okta hosts orgs; ``<org>`` is one DNS label below one of them."""

ACCEPTED_FORMS = (
    "https://<org>.okta.com (or .oktapreview.com, .okta-emea.com, .okta-gov.com, "
    ".okta.mil)"
)
ADMIN_SUFFIX = "-admin"
# Shown back to the user inside an error; longer input is cut so a pasted blob
# does not flood the terminal.
MAX_SHOWN_CHARS = 120

_ORG_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_NETLOC = re.compile(r"(?P<host>[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")


class InvalidOrgUrl(AtomationError):
    """The value given as an Okta org URL is not one we will send requests to."""


def normalise_org_url(raw: str, allowed: Sequence[str] = ()) -> str:
    """Return ``raw`` as ``https://<org>.<okta domain>`` or raise InvalidOrgUrl.

    ``allowed`` lists extra origins (``scheme://host[:port]``) accepted as they are,
    normally ``Settings.allowed_org_urls``.
    """
    value = raw.strip()
    if not value:
        raise _invalid(value, "is empty")
    if "://" not in value:
        # A bare host ("acme.okta.com") is read as https; anything else fails below.
        value = "https://" + value

    try:
        parts = urlsplit(value)
    except ValueError:
        raise _invalid(value, "is not a URL") from None
    netloc = parts.netloc.lower()
    if "@" in netloc:
        raise _invalid(value, "carries user info (user:password@)")
    match = _NETLOC.fullmatch(netloc)
    if match is None:
        raise _invalid(value, "does not name a valid host")
    host, port = match["host"].rstrip("."), match["port"]
    scheme = parts.scheme.lower()
    origin = f"{scheme}://{host}" + (f":{port}" if port else "")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise _invalid(value, "has a path, query or fragment after the host")

    if origin in _normalised_allowed(allowed):
        return origin
    if scheme != "https":
        raise _invalid(value, "does not use https")
    if port is not None:
        raise _invalid(value, "names a port (Okta orgs are served on 443)")
    org, _, domain = host.partition(".")
    if domain not in OKTA_DOMAINS or _ORG_LABEL.fullmatch(org) is None:
        raise _invalid(value, "is not an Okta org host")
    if org.endswith(ADMIN_SUFFIX):
        raise _invalid(value, "is the admin console host, not the org host")
    return origin


def _normalised_allowed(allowed: Sequence[str]) -> set[str]:
    origins = set()
    for entry in allowed:
        parts = urlsplit(entry.strip())
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme.lower()}://{parts.netloc.lower().rstrip('.')}")
    return origins


def _shown(value: str) -> str:
    """The value as it may appear in an error: user info removed, length capped."""
    try:
        parts = urlsplit(value)
        if "@" in parts.netloc:
            value = value.replace(parts.netloc, "…@" + parts.netloc.rpartition("@")[2])
    except ValueError:
        pass
    if len(value) > MAX_SHOWN_CHARS:
        value = value[:MAX_SHOWN_CHARS] + "…"
    return value


def _invalid(value: str, reason: str) -> InvalidOrgUrl:
    return InvalidOrgUrl(
        f"the Okta org URL '{_shown(value)}' {reason}; accepted forms: "
        f"{ACCEPTED_FORMS}",
        hint="Give your org's address as the browser shows it when you sign in to "
        "Okta, without '-admin' and without a path.",
    )
