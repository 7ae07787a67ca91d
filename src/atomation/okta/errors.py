"""What can go wrong between Atomation and an Okta org, each with a cause and a fix.

Every error here answers the admin's two questions: what is wrong (``message``,
naming the value at fault) and what to do (``hint``). The tree follows the
troubleshooting contract of the design::

    AtomationError
    └── OktaError                    status, errorCode / error, request path
        ├── OrgUnreachable           no HTTP answer from the org URL
        ├── NotAnOktaOrg             an answer, but not Okta's org metadata
        ├── ClassicEngine            pipeline "v1": only Identity Engine is supported
        ├── WriteRefused             our own guard: a non-GET request toward the org
        ├── OffOrgLink               a paging link that leaves the org's origin
        ├── InvalidClient            token endpoint 401 invalid_client
        │   └── ClockSkew            ... and our clock disagrees with the server's Date
        ├── ScopeDenied              a read scope is not granted (names the scopes)
        │   ├── ConsentRequired      token endpoint 400 consent_required: none granted
        │   └── InsufficientScope    403 insufficient_scope on a read (scope named)
        ├── PermissionDenied         403 E0000006: the app's admin role lacks the read
        ├── DPoPError                app DPoP setting and connection disagree
        │   ├── DPoPRequired         app requires DPoP, the connection has it off
        │   ├── DPoPNotSupported     connection insists on DPoP, app issues Bearer
        │   └── DPoPProofRejected    a proof we sent was refused (invalid_dpop_proof)
        ├── InvalidToken             401 on a read even with a freshly issued token
        ├── FeatureNotEnabled        401 E0000015: feature not licensed in this org
        ├── NotFound                 404 E0000007
        ├── RateLimited              429 beyond the time we may wait
        ├── ServerError              5xx or dropped connections beyond the retry budget
        └── UnexpectedResponse       any other refusal, with its status and code

Classification uses the HTTP status, Okta's ``errorCode``, the OAuth ``error`` and
the ``error`` / ``scope`` parameters of ``WWW-Authenticate`` — never message text,
which Okta may reword (okta-api.md §3.1: "Only errorCode is meant for program
logic"). Messages never carry a token, an assertion, a proof or a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from atomation.errors import AtomationError

if TYPE_CHECKING:
    from atomation.okta.pages import Page

__all__ = [
    "ClassicEngine",
    "ClockSkew",
    "ConsentRequired",
    "DPoPError",
    "DPoPNotSupported",
    "DPoPProofRejected",
    "DPoPRequired",
    "FeatureNotEnabled",
    "InsufficientScope",
    "InvalidClient",
    "InvalidToken",
    "NotAnOktaOrg",
    "NotFound",
    "OffOrgLink",
    "OktaError",
    "OrgUnreachable",
    "PermissionDenied",
    "RateLimited",
    "ScopeDenied",
    "ServerError",
    "UnexpectedResponse",
    "WriteRefused",
]


class OktaError(AtomationError):
    """A request toward an Okta org failed; ``cause`` and ``fix`` explain it.

    ``page`` holds the refused response (body, status, headers of record) when
    there was one, so that a capture can keep the refusal as evidence.
    """

    cause_name = "Okta request failed"

    def __init__(
        self,
        message: str,
        *,
        hint: str,
        status: int | None = None,
        code: str | None = None,
        path: str | None = None,
        page: Page | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.path = path
        self.page = page

    @property
    def cause(self) -> str:
        return self.message

    @property
    def fix(self) -> str:
        return self.hint or ""

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"path={self.path!r})"
        )


class OrgUnreachable(OktaError):
    cause_name = "Org URL unreachable"


class NotAnOktaOrg(OktaError):
    cause_name = "Not an Okta org"


class ClassicEngine(OktaError):
    cause_name = "Classic Engine org"


class WriteRefused(OktaError):
    cause_name = "Write refused"


class OffOrgLink(OktaError):
    cause_name = "Paging link leaves the org"


class InvalidClient(OktaError):
    cause_name = "invalid_client"


class ClockSkew(InvalidClient):
    """The assertion was refused and our clock is off from the server's ``Date``."""

    cause_name = "Clock skew"

    def __init__(self, message: str, *, hint: str, skew_seconds: float, **kw: object):
        super().__init__(message, hint=hint, **kw)  # type: ignore[arg-type]
        self.skew_seconds = skew_seconds


class ScopeDenied(OktaError):
    """One or more of the ten read scopes cannot be used; ``scopes`` names them."""

    cause_name = "Scope denied"

    def __init__(self, message: str, *, hint: str, scopes: Sequence[str], **kw: object):
        super().__init__(message, hint=hint, **kw)  # type: ignore[arg-type]
        self.scopes = tuple(scopes)


class ConsentRequired(ScopeDenied):
    cause_name = "No scope granted"


class InsufficientScope(ScopeDenied):
    cause_name = "Scope missing on a read"


class PermissionDenied(OktaError):
    cause_name = "Admin role missing or too narrow"


class DPoPError(OktaError):
    cause_name = "DPoP failure"


class DPoPRequired(DPoPError):
    cause_name = "DPoP required by the app"


class DPoPNotSupported(DPoPError):
    cause_name = "DPoP not enabled on the app"


class DPoPProofRejected(DPoPError):
    cause_name = "DPoP proof rejected"


class InvalidToken(OktaError):
    cause_name = "Access token refused"


class FeatureNotEnabled(OktaError):
    cause_name = "Feature not enabled"


class NotFound(OktaError):
    cause_name = "Not found"


class RateLimited(OktaError):
    cause_name = "Rate limited"


class ServerError(OktaError):
    cause_name = "Okta server error"


class UnexpectedResponse(OktaError):
    cause_name = "Unexpected response"
