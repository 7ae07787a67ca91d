"""The org URL rules: what is accepted, how it is normalised, and what is refused."""

from __future__ import annotations

import pytest

from atomation.errors import AtomationError
from atomation.tenants.org_url import InvalidOrgUrl, normalise_org_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://acme.okta.com", "https://acme.okta.com"),
        ("https://Acme.OKTA.com/", "https://acme.okta.com"),
        ("  https://dev-123456.okta.com  ", "https://dev-123456.okta.com"),
        ("acme.oktapreview.com", "https://acme.oktapreview.com"),
        ("https://acme.okta-emea.com", "https://acme.okta-emea.com"),
        ("https://acme.okta-gov.com", "https://acme.okta-gov.com"),
        ("https://acme.okta.mil", "https://acme.okta.mil"),
    ],
)
def test_okta_org_urls_are_accepted_and_normalised(raw: str, expected: str) -> None:
    assert normalise_org_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "is empty"),
        ("https://acme-admin.okta.com", "admin console host"),
        ("http://acme.okta.com", "does not use https"),
        ("https://acme.okta.com:8443", "names a port"),
        ("https://acme.okta.com:443", "names a port"),
        ("https://acme.okta.com.evil.io", "is not an Okta org host"),
        ("https://evil.io/acme.okta.com", "has a path"),
        ("https://login.acme.example", "is not an Okta org host"),
        ("https://a.b.okta.com", "is not an Okta org host"),
        ("https://okta.com", "is not an Okta org host"),
        ("https://acme.okta.com/oauth2/default", "has a path"),
        ("https://acme.okta.com/?x=1", "has a path, query or fragment"),
        ("https://acme.okta.com/#top", "has a path, query or fragment"),
        ("https://acme_x.okta.com", "does not name a valid host"),
        ("ftp://acme.okta.com", "does not use https"),
    ],
)
def test_non_org_urls_are_refused_naming_value_and_accepted_forms(
    raw: str, reason: str
) -> None:
    with pytest.raises(InvalidOrgUrl) as caught:
        normalise_org_url(raw)

    assert isinstance(caught.value, AtomationError)
    assert reason in caught.value.message
    assert f"'{raw.strip()}'" in caught.value.message
    for form in ("https://<org>.okta.com", "oktapreview.com", "okta-emea.com"):
        assert form in caught.value.message
    assert "okta-gov.com" in caught.value.message
    assert "okta.mil" in caught.value.message
    assert caught.value.hint


def test_user_info_is_refused_without_echoing_the_password() -> None:
    with pytest.raises(InvalidOrgUrl) as caught:
        normalise_org_url("https://admin:hunter2@acme.okta.com")

    assert "user info" in caught.value.message
    assert "hunter2" not in caught.value.message
    assert "hunter2" not in (caught.value.hint or "")


def test_backslash_trick_with_user_info_is_refused() -> None:
    with pytest.raises(InvalidOrgUrl, match="user info"):
        normalise_org_url("https://acme.okta.com\\@evil.io")


def test_allowed_origins_are_accepted_as_listed_and_normalised() -> None:
    allowed = ["http://127.0.0.1:8443/", "HTTP://LOCALHOST:9000"]

    assert normalise_org_url("http://127.0.0.1:8443", allowed) == (
        "http://127.0.0.1:8443"
    )
    assert normalise_org_url("http://localhost:9000/", allowed) == (
        "http://localhost:9000"
    )


def test_allowed_origin_does_not_open_other_ports_or_paths() -> None:
    allowed = ["http://127.0.0.1:8443"]

    with pytest.raises(InvalidOrgUrl, match="does not use https"):
        normalise_org_url("http://127.0.0.1:8444", allowed)
    with pytest.raises(InvalidOrgUrl, match="has a path"):
        normalise_org_url("http://127.0.0.1:8443/api/v1", allowed)
