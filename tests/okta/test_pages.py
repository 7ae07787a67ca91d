"""Finding the next page: Link headers in either form, and /iam/* wrapper bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from atomation.okta.pages import Page, body_next_link, header_next_link

ORG = "https://acme.okta.com"


def test_next_link_found_among_separate_link_headers() -> None:
    headers = [
        f'<{ORG}/api/v1/users?limit=2>; rel="self"',
        f'<{ORG}/api/v1/users?limit=2&after=00u2>; rel="next"',
    ]
    assert header_next_link(headers) == f"{ORG}/api/v1/users?limit=2&after=00u2"


def test_next_link_found_in_one_comma_joined_header() -> None:
    joined = (
        f'<{ORG}/api/v1/logs?since=a,b&limit=2>; rel="self", '
        f"<{ORG}/api/v1/logs?since=a,b&after=9>; rel=next"
    )
    assert header_next_link([joined]) == f"{ORG}/api/v1/logs?since=a,b&after=9"


def test_last_page_has_no_next_link() -> None:
    assert header_next_link([f'<{ORG}/api/v1/users?limit=2>; rel="self"']) is None
    assert header_next_link([]) is None


def test_iam_wrapper_next_link_read_from_the_body() -> None:
    body = b'{"roles":[],"_links":{"next":{"href":"https://acme.okta.com/api/v1/iam/roles?after=r2"}}}'
    assert body_next_link(body) == f"{ORG}/api/v1/iam/roles?after=r2"
    assert body_next_link(b'{"roles":[],"_links":{}}') is None
    assert body_next_link(b"[]") is None


def _page(body: bytes) -> Page:
    return Page(
        url="/api/v1/iam/roles",
        status=200,
        body=body,
        received_at=datetime.now(UTC),
        rate_limit={},
    )


def test_page_items_reads_bare_arrays_and_wrappers() -> None:
    assert _page(b'[{"id":1}]').items() == [{"id": 1}]
    assert _page(b'{"value":[{"id":2}],"_links":{}}').items() == [{"id": 2}]


def test_page_items_refuses_a_body_that_is_not_a_list() -> None:
    with pytest.raises(ValueError, match="not a list"):
        _page(b'{"errorCode":"E0000006"}').items()
