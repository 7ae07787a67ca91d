"""The Okta client: checked org URL, engine detection, tokens, paced GET-only reads.

Public interface (everything else in this package is internal):

* :class:`OrgUrl` — an org origin that passed the org URL rules.
* :class:`OktaClient` — ``organization()``, ``access_token()``, ``get()``,
  ``pages()``; see :mod:`atomation.okta.client`.
* :class:`Page` — one response as read, for evidence.
* :class:`AccessToken`, :data:`OKTA_READ_SCOPES`, :data:`DPoPMode`.
* :class:`Clock`, :class:`SystemClock`, :class:`ScaledClock`.
* :class:`JwsSigner` — what the client signs assertions with.
* the errors of :mod:`atomation.okta.errors`.
"""

from atomation.okta.assertion import JwsSigner
from atomation.okta.client import OktaClient
from atomation.okta.clock import SYSTEM_CLOCK, Clock, ScaledClock, SystemClock
from atomation.okta.errors import (
    ClassicEngine,
    ClockSkew,
    ConsentRequired,
    DPoPError,
    DPoPNotSupported,
    DPoPProofRejected,
    DPoPRequired,
    FeatureNotEnabled,
    InsufficientScope,
    InvalidClient,
    InvalidToken,
    NotAnOktaOrg,
    NotFound,
    OffOrgLink,
    OktaError,
    OrgUnreachable,
    PermissionDenied,
    RateLimited,
    ScopeDenied,
    ServerError,
    UnexpectedResponse,
    WriteRefused,
)
from atomation.okta.org import OrgMetadata, OrgUrl
from atomation.okta.pages import Page
from atomation.okta.token import OKTA_READ_SCOPES, AccessToken, DPoPMode

__all__ = [
    "OKTA_READ_SCOPES",
    "SYSTEM_CLOCK",
    "AccessToken",
    "ClassicEngine",
    "Clock",
    "ClockSkew",
    "ConsentRequired",
    "DPoPError",
    "DPoPMode",
    "DPoPNotSupported",
    "DPoPProofRejected",
    "DPoPRequired",
    "FeatureNotEnabled",
    "InsufficientScope",
    "InvalidClient",
    "InvalidToken",
    "JwsSigner",
    "NotAnOktaOrg",
    "NotFound",
    "OffOrgLink",
    "OktaClient",
    "OktaError",
    "OrgMetadata",
    "OrgUnreachable",
    "OrgUrl",
    "Page",
    "PermissionDenied",
    "RateLimited",
    "ScaledClock",
    "ScopeDenied",
    "ServerError",
    "SystemClock",
    "UnexpectedResponse",
    "WriteRefused",
]
