"""Okta's two error shapes, as exceptions the routes raise and the app renders.

::

    SimulatedError                 rendered by the app's exception handler
    ├── OktaApiError               management API: {"errorCode", "errorSummary", ...}
    ├── OAuthError                 token endpoint: {"error", "error_description"}
    └── ChallengeError             resource-server refusal carried in WWW-Authenticate

Body shapes, key order and texts follow okta-api.md §1.5 and §3.1 [OEC], [EC], [CAS]:
compact JSON, ``errorLink`` equal to ``errorCode``, ``errorId`` as ``oae`` plus 22
characters, ``errorCauses`` a list of ``{"errorSummary": ...}``.
"""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

from starlette.responses import Response

__all__ = [
    "ChallengeError",
    "OAuthError",
    "OktaApiError",
    "SimulatedError",
    "access_denied",
    "compact_json",
    "invalid_paging",
    "json_response",
    "not_found",
    "validation_failed",
]

_ID_ALPHABET = string.ascii_letters + string.digits

# The exact summaries of the management error codes the server uses [EC].
SUMMARIES = {
    "E0000001": "Api validation failed: {0}",
    "E0000003": "The request body was not well-formed.",
    "E0000005": "Invalid session",
    "E0000006": "You do not have permission to perform the requested action",
    "E0000007": "Not found: Resource not found: {0}",
    "E0000009": "Internal Server Error",
    "E0000011": "Invalid token provided",
    "E0000015": "You do not have permission to access the feature you are requesting",
    "E0000022": "The endpoint does not support the provided HTTP method",
    "E0000029": "Invalid paging request.",
    "E0000031": "Invalid search criteria.",
    "E0000047": "API call exceeded rate limit due to too many requests.",
    "E0000053": "Invalid SCIM filter.",
}


def compact_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def json_response(
    body: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        compact_json(body),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def error_id() -> str:
    return "oae" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


class SimulatedError(Exception):
    """An error response the server sends on purpose."""

    status_code = 500

    def response(self) -> Response:
        raise NotImplementedError


class OktaApiError(SimulatedError):
    """A management API error object (``errorCode``, ``errorSummary``, ...)."""

    def __init__(
        self,
        status_code: int,
        error_code: str,
        summary: str | None = None,
        causes: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error_code)
        self.status_code = status_code
        self.error_code = error_code
        self.summary = summary if summary is not None else SUMMARIES[error_code]
        self.causes = causes or []
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "errorCode": self.error_code,
            "errorSummary": self.summary,
            "errorLink": self.error_code,
            "errorId": error_id(),
            "errorCauses": [{"errorSummary": cause} for cause in self.causes],
        }

    def response(self) -> Response:
        return json_response(self.body(), self.status_code, self.headers)


class OAuthError(SimulatedError):
    """A token-endpoint error: ``{"error": ..., "error_description": ...}``."""

    def __init__(
        self,
        status_code: int,
        error: str,
        description: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status_code = status_code
        self.error = error
        self.description = description
        self.headers = headers or {}

    def response(self) -> Response:
        headers = dict(self.headers)
        if self.status_code == 401:
            # Okta added WWW-Authenticate to 401 invalid_client in 2017; the value
            # is UNCONFIRMED (okta-api.md §1.5), so a bare scheme is sent.
            headers.setdefault("WWW-Authenticate", "Bearer")
        body = {"error": self.error, "error_description": self.description}
        return json_response(body, self.status_code, headers)


class ChallengeError(SimulatedError):
    """A refusal whose reason travels in ``WWW-Authenticate`` with an empty body."""

    def __init__(
        self, status_code: int, challenge: str, body: dict[str, Any] | None = None
    ) -> None:
        super().__init__(challenge)
        self.status_code = status_code
        self.challenge = challenge
        self.body = body

    def response(self) -> Response:
        headers = {"WWW-Authenticate": self.challenge}
        if self.body is None:
            return Response(b"", self.status_code, headers=headers)
        return json_response(self.body, self.status_code, headers)


def not_found(resource_id: str, type_name: str) -> OktaApiError:
    """404 E0000007 ``Not found: Resource not found: {id} ({Type})`` [CAS]."""
    return OktaApiError(
        404,
        "E0000007",
        f"Not found: Resource not found: {resource_id} ({type_name})",
    )


def validation_failed(detail: str, causes: list[str] | None = None) -> OktaApiError:
    return OktaApiError(
        400, "E0000001", f"Api validation failed: {detail}", causes=causes
    )


def access_denied() -> OktaApiError:
    return OktaApiError(403, "E0000006")


def invalid_paging() -> OktaApiError:
    """400 E0000029 with the one cause Okta sends for a bad ``after`` [CAS]."""
    return OktaApiError(400, "E0000029", causes=["Invalid cursor."])
