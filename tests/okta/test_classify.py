"""Refusals become named errors by status and code, never by description text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from atomation.okta.classify import read_error, token_error, www_authenticate
from atomation.okta.errors import (
    ClockSkew,
    ConsentRequired,
    DPoPProofRejected,
    DPoPRequired,
    FeatureNotEnabled,
    InsufficientScope,
    InvalidClient,
    InvalidToken,
    NotFound,
    OktaError,
    PermissionDenied,
    RateLimited,
    ServerError,
)
from atomation.okta.pages import Page
from atomation.okta.token import OKTA_READ_SCOPES


def page(status: int, body: bytes = b"") -> Page:
    return Page(
        url="/x", status=status, body=body, received_at=datetime.now(UTC), rate_limit={}
    )


def oauth(error: str, description: str = "whatever Okta says today") -> bytes:
    return f'{{"error":"{error}","error_description":"{description}"}}'.encode()


def okta(code: str, summary: str = "any summary") -> bytes:
    return f'{{"errorCode":"{code}","errorSummary":"{summary}"}}'.encode()


@pytest.mark.parametrize(
    ("status", "body", "sent_proof", "skew", "expected"),
    [
        (401, oauth("invalid_client"), False, 0.0, InvalidClient),
        (401, oauth("invalid_client"), False, None, InvalidClient),
        (401, oauth("invalid_client"), False, 42.0, ClockSkew),
        (401, oauth("invalid_client"), False, -900.0, ClockSkew),
        (400, oauth("consent_required"), False, 0.0, ConsentRequired),
        (400, oauth("invalid_dpop_proof"), False, 0.0, DPoPRequired),
        (400, oauth("invalid_dpop_proof"), True, 0.0, DPoPProofRejected),
        (429, okta("E0000047"), False, 0.0, RateLimited),
        (503, b"", False, 0.0, ServerError),
    ],
)
def test_token_refusals_are_classified_by_status_and_error(
    status: int,
    body: bytes,
    sent_proof: bool,
    skew: float | None,
    expected: type[OktaError],
) -> None:
    error = token_error(
        page(status, body), scopes=OKTA_READ_SCOPES, sent_proof=sent_proof, skew=skew
    )
    assert type(error) is expected
    assert error.fix


def test_the_description_text_does_not_change_the_class() -> None:
    for description in ("The client_assertion token is expired.", "Ceci n'est pas"):
        error = token_error(
            page(401, oauth("invalid_client", description)),
            scopes=OKTA_READ_SCOPES,
            sent_proof=False,
            skew=0.0,
        )
        assert type(error) is InvalidClient
        assert description not in error.message


def test_consent_required_names_every_requested_scope() -> None:
    error = token_error(
        page(400, oauth("consent_required")),
        scopes=OKTA_READ_SCOPES,
        sent_proof=False,
        skew=None,
    )
    assert isinstance(error, ConsentRequired)
    assert error.scopes == OKTA_READ_SCOPES
    assert all(scope in error.fix for scope in OKTA_READ_SCOPES)


SCOPE_CHALLENGE = (
    'Bearer authorization_uri="http://acme.okta.com/oauth2/v1/authorize", '
    'realm="http://acme.okta.com", scope="okta.logs.read", '
    'error="insufficient_scope", error_description="The access token provided '
    'does not contain the required scopes.", resource="/api/v1/logs"'
)


def test_challenge_parameters_are_parsed_with_quoted_commas() -> None:
    params = www_authenticate({"www-authenticate": SCOPE_CHALLENGE})
    assert params["error"] == "insufficient_scope"
    assert params["scope"] == "okta.logs.read"
    assert params["resource"] == "/api/v1/logs"


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected"),
    [
        (403, b"", {"www-authenticate": SCOPE_CHALLENGE}, InsufficientScope),
        (403, okta("E0000006"), {}, PermissionDenied),
        (401, okta("E0000015"), {}, FeatureNotEnabled),
        (401, b"", {"www-authenticate": 'Bearer error="invalid_token"'}, InvalidToken),
        (401, okta("E0000011"), {}, InvalidToken),
        (404, okta("E0000007"), {}, NotFound),
        (
            400,
            b"",
            {"www-authenticate": 'DPoP algs="ES256", error="invalid_dpop_proof"'},
            DPoPProofRejected,
        ),
        (429, okta("E0000047"), {}, RateLimited),
        (500, okta("E0000009"), {}, ServerError),
    ],
)
def test_read_refusals_are_classified_by_status_code_and_challenge(
    status: int, body: bytes, headers: dict[str, str], expected: type[OktaError]
) -> None:
    error = read_error(page(status, body), headers, path="/api/v1/logs")
    assert type(error) is expected
    assert error.path == "/api/v1/logs"
    assert error.page is not None


def test_insufficient_scope_names_the_scope_from_the_challenge() -> None:
    error = read_error(
        page(403), {"www-authenticate": SCOPE_CHALLENGE}, path="/api/v1/logs"
    )
    assert isinstance(error, InsufficientScope)
    assert error.scopes == ("okta.logs.read",)
    assert "okta.logs.read" in error.fix
