"""Okta's cursor paging: ``limit``, opaque ``after`` cursors and ``link`` headers.

A cursor is the base64url text of the position, in the underlying ordered list, of the
next item to consider, tagged so that a made-up value is recognised and refused with
400 E0000029 (okta-api.md §3.1, §3.5). Clients must treat it as opaque, as with Okta.
Pages come with separate ``link`` headers, ``self`` first and ``next`` last
[DOC core-okta-api#link-header]; the Python SDK keeps only the last one (§9).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from atomation.simulator.server.errors import invalid_paging, validation_failed

__all__ = [
    "PAGE_LIMITS",
    "Page",
    "PageLimits",
    "decode_cursor",
    "encode_cursor",
    "link_headers",
    "page_over",
    "parse_limit",
]

_CURSOR_TAG = "sim1:"


@dataclass(frozen=True)
class PageLimits:
    """``limit`` default, minimum and maximum of one list endpoint."""

    default: int
    maximum: int
    minimum: int = 1


# Per-endpoint defaults and maxima, okta-api.md §3.5 [SPEC-M]; [DOC-OLD]. Where the
# spec leaves the default unstated or "-1" (everything), the maximum is used as the
# page size. Values marked UNCONFIRMED in §12.12 are the assumed ones here.
PAGE_LIMITS: dict[str, PageLimits] = {
    "users": PageLimits(200, 200),
    "users_q": PageLimits(10, 200),  # ``q``: 10 by default, one page only
    "groups": PageLimits(10000, 10000),
    "groups_q": PageLimits(10, 300),  # ``q``: 10 by default, at most 300, one page
    "group_users": PageLimits(1000, 1000),
    "group_rules": PageLimits(50, 200),
    "apps": PageLimits(200, 200),  # spec default -1 (all), max 200
    "app_users": PageLimits(50, 500),
    "app_groups": PageLimits(20, 200, minimum=20),
    "policies": PageLimits(200, 200),  # UNCONFIRMED
    "policy_rules": PageLimits(200, 200),  # UNCONFIRMED
    "zones": PageLimits(200, 200),  # spec default -1 (all)
    "trusted_origins": PageLimits(20, 200),
    "authorization_servers": PageLimits(200, 200),
    "idps": PageLimits(20, 200),
    "iam_roles": PageLimits(100, 100),  # UNCONFIRMED
    "iam_resource_sets": PageLimits(100, 100),  # UNCONFIRMED
    "iam_assignees": PageLimits(100, 100),
}


def encode_cursor(position: int) -> str:
    raw = f"{_CURSOR_TAG}{position}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; 400 E0000029 when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid_paging() from None
    if not text.startswith(_CURSOR_TAG) or not text[len(_CURSOR_TAG) :].isdigit():
        raise invalid_paging()
    return int(text[len(_CURSOR_TAG) :])


def parse_limit(
    query: QueryParams,
    limits: PageLimits,
    policy: Literal["clamp", "error"],
) -> int:
    raw = query.get("limit")
    if raw is None or raw == "":
        return limits.default
    try:
        value = int(raw)
    except ValueError:
        raise validation_failed("limit") from None
    if limits.minimum <= value <= limits.maximum:
        return value
    if policy == "error":
        raise validation_failed("limit")
    return max(limits.minimum, min(limits.maximum, value))


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_position: int | None


def page_over(
    source: Sequence[Any],
    *,
    start: int,
    limit: int,
    keep: Callable[[Any], bool] | None = None,
) -> Page:
    """Up to ``limit`` items from ``start`` on that pass ``keep``.

    ``next_position`` is set only when another kept item exists, so the last page
    carries no ``next`` link. Without ``keep`` only slices are taken, so a lazy
    sequence builds just the items on the page.
    """
    if keep is None:
        items = list(source[start : start + limit])
        following = start + len(items)
        return Page(items, following if following < len(source) else None)
    items = []
    position = start
    total = len(source)
    while position < total and len(items) < limit:
        item = source[position]
        position += 1
        if keep(item):
            items.append(item)
    while position < total:
        if keep(source[position]):
            return Page(items, position)
        position += 1
    return Page(items, None)


def link_headers(
    base_url: str, path: str, query: QueryParams, next_after: str | None
) -> list[str]:
    """``self`` for the request as made, then ``next`` with ``after`` replaced."""
    links = [f'<{_url(base_url, path, list(query.multi_items()))}>; rel="self"']
    if next_after is not None:
        params = [(k, v) for k, v in query.multi_items() if k != "after"]
        params.append(("after", next_after))
        links.append(f'<{_url(base_url, path, params)}>; rel="next"')
    return links


def _url(base_url: str, path: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return f"{base_url}{path}"
    return f"{base_url}{path}?{urlencode(params)}"
