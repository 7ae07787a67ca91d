"""The org the client talks to: a checked URL, and its engine.

No request goes to an address a user typed unchecked (DESIGN, security rules): the
client only accepts an :class:`OrgUrl`, and an :class:`OrgUrl` only exists once
:func:`atomation.tenants.org_url.normalise_org_url` has accepted the value.

Only Okta Identity Engine orgs are supported. ``GET /.well-known/okta-organization``
is public and answers ``pipeline: "idx"`` for Identity Engine and ``"v1"`` for
Classic Engine (okta-api.md §4).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from atomation.okta.errors import ClassicEngine, NotAnOktaOrg
from atomation.okta.pages import Page
from atomation.tenants.org_url import normalise_org_url

__all__ = [
    "IDENTITY_ENGINE",
    "ORG_METADATA_PATH",
    "OrgMetadata",
    "OrgUrl",
    "org_metadata",
]

ORG_METADATA_PATH = "/.well-known/okta-organization"
IDENTITY_ENGINE = "idx"
CLASSIC_ENGINE = "v1"


class OrgUrl:
    """An org origin (``https://acme.okta.com``) that passed the org URL rules.

    Construction runs the check, so holding one is proof it passed; ``allowed``
    adds the origins a deployment allows for testing (``Settings.allowed_org_urls``).
    Raises :class:`~atomation.tenants.org_url.InvalidOrgUrl`.
    """

    __slots__ = ("value",)

    def __init__(self, raw: str, *, allowed: Sequence[str] = ()) -> None:
        self.value = normalise_org_url(raw, allowed)

    @property
    def token_url(self) -> str:
        """The org authorization server's token endpoint (okta-api.md §1.1)."""
        return f"{self.value}/oauth2/v1/token"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"OrgUrl({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrgUrl) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


@dataclass(frozen=True)
class OrgMetadata:
    """What ``/.well-known/okta-organization`` says about the org."""

    id: str
    pipeline: str


def org_metadata(org_url: OrgUrl, page: Page) -> OrgMetadata:
    """Read the metadata page; refuse anything but an Identity Engine org."""
    not_okta = NotAnOktaOrg(
        f"{org_url} does not answer like an Okta org ({ORG_METADATA_PATH} gave "
        f"HTTP {page.status}{'' if page.status != 200 else ' without org metadata'})",
        hint="check the Okta org URL of this tenant: it is the address you sign in "
        "to Okta at, e.g. https://acme.okta.com.",
        status=page.status,
        path=ORG_METADATA_PATH,
        page=page,
    )
    if page.status != 200:
        raise not_okta
    try:
        data = json.loads(page.body)
    except ValueError:
        raise not_okta from None
    if not isinstance(data, dict):
        raise not_okta
    pipeline, org_id = data.get("pipeline"), data.get("id")
    if not isinstance(pipeline, str) or not isinstance(org_id, str):
        raise not_okta
    if pipeline == CLASSIC_ENGINE:
        raise ClassicEngine(
            f"{org_url} is an Okta Classic Engine org (pipeline 'v1'); Atomation "
            "assesses Okta Identity Engine orgs only",
            hint="upgrade the org to Identity Engine (Okta offers the upgrade from "
            "the Admin Console), then connect again.",
            path=ORG_METADATA_PATH,
            page=page,
        )
    if pipeline != IDENTITY_ENGINE:
        raise not_okta
    return OrgMetadata(id=org_id, pipeline=pipeline)
