"""One response of the Okta API as read, and the links that lead to the next one.

A :class:`Page` is what the evidence store keeps: the body bytes exactly as
received, the request URL (path and query), when it arrived, its status and the
rate-limit headers. Paging follows Okta's cursors as opaque URLs (okta-api.md
§3.5): a ``Link`` header with ``rel="next"`` — Okta sends separate ``link``
headers, ``self`` then ``next``, and a proxy may join them with commas — or, for
the ``/api/v1/iam/*`` lists, the wrapper object's ``_links.next.href``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "RATE_LIMIT_HEADERS",
    "Page",
    "body_next_link",
    "header_next_link",
]

RATE_LIMIT_HEADERS = (
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
)

# One link-value of RFC 8288: ``<uri>`` then ``;``-separated parameters. The URI
# may contain commas, so the header is split on ``<...>`` groups, not on commas.
_LINK_VALUE = re.compile(r"<([^>]*)>([^<]*)")
_REL_PARAM = re.compile(r"""(?i);\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""")


@dataclass(frozen=True)
class Page:
    """A response as received from the org, kept whole for evidence."""

    url: str
    """The request's path and query, e.g. ``/api/v1/users?limit=200&after=00u1``."""
    status: int
    body: bytes = field(repr=False)
    received_at: datetime
    rate_limit: Mapping[str, str]
    """The ``x-rate-limit-*`` headers present on the response, as received."""
    request_id: str | None = None
    """Okta's ``x-okta-request-id``, the reference Okta support asks for."""
    next_url: str | None = None
    """The absolute URL of the next page, already checked to be on the org."""

    def json(self) -> Any:
        return json.loads(self.body)

    def items(self) -> list[Any]:
        """The objects on this page: the bare array, or an ``/iam/*`` wrapper's list.

        A wrapper holds one list beside ``_links`` (``roles``, ``resource-sets``,
        ``value``, ... per okta-api.md §3.5); a body of any other shape is an error
        rather than an empty page, so a surprise never reads as "no data".
        """
        data = self.json()
        if isinstance(data, list):
            return data
        if isinstance(data, dict):
            lists = [
                v for k, v in data.items() if k != "_links" and isinstance(v, list)
            ]
            if len(lists) == 1:
                return lists[0]
        raise ValueError(f"{self.url}: the body is not a list of objects")


def header_next_link(link_headers: Iterable[str]) -> str | None:
    """The ``rel="next"`` target among all ``Link`` header values, if any."""
    for header in link_headers:
        for target, params in _LINK_VALUE.findall(header):
            for match in _REL_PARAM.finditer(params):
                rels = (match.group(1) or match.group(2) or "").split()
                if "next" in rels:
                    return str(target)
    return None


def body_next_link(body: bytes) -> str | None:
    """``_links.next.href`` of an ``/iam/*`` wrapper object; None for an array."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    links = data.get("_links")
    nxt = links.get("next") if isinstance(links, dict) else None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    return href if isinstance(href, str) and href else None
