"""Rendering one page of a list endpoint: auth already done, paging and faults here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server.errors import OktaApiError, json_response
from atomation.simulator.server.paging import (
    PAGE_LIMITS,
    decode_cursor,
    encode_cursor,
    link_headers,
    page_over,
    parse_limit,
)
from atomation.simulator.server.state import ServerState

__all__ = ["page_response", "paged", "sim_state"]


def sim_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.sim
    return state


def paged(
    request: Request,
    source: Sequence[Any],
    limits_key: str,
    *,
    keep: Callable[[Any], bool] | None = None,
    transform: Callable[[Any], Any] | None = None,
    single_page: bool = False,
) -> tuple[list[Any], str | None]:
    """The items of this page and the ``after`` value of the next, if any.

    ``single_page`` is for queries Okta answers in one page only (``q``).
    """
    state = sim_state(request)
    limit = parse_limit(
        request.query_params,
        PAGE_LIMITS[limits_key],
        state.config.limit_out_of_range,
    )
    threshold = state.config.faults.error_above_limit
    if threshold is not None and limit > threshold:
        # Okta answers an oversized page that times out with a 500 (rate-limits 1.2).
        raise OktaApiError(500, "E0000009")
    after = request.query_params.get("after")
    start = decode_cursor(after) if after else 0
    page = page_over(source, start=start, limit=limit, keep=keep)
    items = [transform(i) for i in page.items] if transform else page.items
    if page.next_position is None or single_page:
        return items, None
    if state.config.faults.repeat_cursor and after:
        return items, after
    return items, encode_cursor(page.next_position)


def page_response(
    request: Request,
    source: Sequence[Any],
    limits_key: str,
    *,
    keep: Callable[[Any], bool] | None = None,
    transform: Callable[[Any], Any] | None = None,
    single_page: bool = False,
) -> Response:
    """A bare JSON array with ``link`` headers, ``self`` first, ``next`` last."""
    items, next_after = paged(
        request,
        source,
        limits_key,
        keep=keep,
        transform=transform,
        single_page=single_page,
    )
    response = json_response(items)
    state = sim_state(request)
    for link in link_headers(
        state.base_url, request.url.path, request.query_params, next_after
    ):
        response.headers.append("link", link)
    return response
