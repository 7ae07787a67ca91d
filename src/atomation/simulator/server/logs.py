"""``GET /api/v1/logs``: the System Log query API (okta-api.md §5).

* A **bounded** query (``until`` given, or ``sortOrder=DESCENDING``) is ordered by
  ``published`` and ends: the last page has no ``next`` link.
* A **polling** query (no ``until``, ascending) never ends: every page, even an empty
  one, has a ``next`` link to resume from later.
* ``since`` defaults to 7 days before ``until`` (default now); only the last 90 days
  are returned, and a ``since`` more than 180 days back is refused.
* ``after`` comes only from a ``next`` link and cannot be combined with ``since``; the
  simulator's ``next`` links therefore carry the lower bound inside the cursor
  instead of repeating ``since``.
* ``filter`` is SCIM (any operator but ``[ ]``; not on ``published``), ``q`` is up to
  10 keywords of at most 40 characters that must all match, case-insensitively.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server import scim
from atomation.simulator.server.errors import (
    OktaApiError,
    invalid_paging,
    json_response,
    validation_failed,
)
from atomation.simulator.server.listing import sim_state

__all__ = ["list_logs"]

RETENTION = timedelta(days=90)
OLDEST_SINCE = timedelta(days=180)
DEFAULT_SPAN = timedelta(days=7)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 40
UNSUPPORTED_CONTAINS = frozenset(
    {"debugContext.debugData.url", "debugContext.debugData.requestUri"}
)


def _parse_time(name: str, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise validation_failed(
            f"'{name}': The date format in your query is not recognized.",
            causes=[f"{name}: The date format in your query is not recognized."],
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["published"])


def _format(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _encode_cursor(position: datetime, uuid: str, lower: datetime) -> str:
    raw = json.dumps({"p": _format(position), "u": uuid, "s": _format(lower)})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str, datetime]:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode())
        data = json.loads(raw)
        return (
            datetime.fromisoformat(data["p"]),
            str(data["u"]),
            datetime.fromisoformat(data["s"]),
        )
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise invalid_paging() from None


def _filter(expression: str) -> tuple[frozenset[str] | None, Callable[[Any], bool]]:
    try:
        tree = scim.parse(expression)
    except scim.ScimFilterError as exc:
        raise OktaApiError(
            400, "E0000053", f"Invalid filter '{expression}': {exc.message}"
        ) from None
    for comparison in scim.attributes(tree):
        if comparison.attribute == "published":
            raise OktaApiError(
                400,
                "E0000053",
                f"Invalid filter '{expression}': 'published' cannot be filtered; "
                "use since and until.",
            )
        if comparison.operator == "co" and comparison.attribute in UNSUPPORTED_CONTAINS:
            raise OktaApiError(
                400,
                "E0000031",
                "The supplied combination of operator and field is not currently "
                f"supported. Operator: co, Field: {comparison.attribute}",
            )
    event_types = scim.equality_values(tree, "eventType")
    if event_types is not None:
        return event_types, lambda _event: True
    return None, lambda event: scim.evaluate(tree, event)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _keywords(q: str) -> Callable[[Any], bool]:
    words = [w.lower() for w in q.split() if w]
    if len(words) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD_LENGTH for w in words):
        raise validation_failed(
            "'q': Freeform search cannot contain items longer than 40 characters "
            "or more than 10 items."
        )

    def keep(event: Any) -> bool:
        text = " ".join(_strings(event)).lower()
        return all(word in text for word in words)

    return keep


async def list_logs(request: Request) -> Response:
    state = sim_state(request)
    query = request.query_params
    now = state.clock.now()

    raw_limit = query.get("limit")
    try:
        limit = DEFAULT_LIMIT if raw_limit in (None, "") else int(str(raw_limit))
    except ValueError:
        raise validation_failed("limit") from None
    if not 0 <= limit <= MAX_LIMIT:
        raise validation_failed("limit")
    sort_order = query.get("sortOrder", "ASCENDING").upper()
    if sort_order not in ("ASCENDING", "DESCENDING"):
        raise validation_failed("sortOrder")
    descending = sort_order == "DESCENDING"
    if query.get("after") and query.get("since"):
        raise validation_failed(
            "since", causes=["The after parameter cannot be combined with since."]
        )

    until = _parse_time("until", query["until"]) if query.get("until") else now
    polling = not query.get("until") and not descending
    cursor = _decode_cursor(query["after"]) if query.get("after") else None
    if cursor is not None:
        since = cursor[2]
    elif query.get("since"):
        since = _parse_time("since", query["since"])
        if since < now - OLDEST_SINCE:
            raise OktaApiError(
                400,
                "E0000053",
                "Invalid parameter: The since parameter is over 180 days prior to the "
                "current day.",
            )
    else:
        since = until - DEFAULT_SPAN
    lower = max(since, now - RETENTION)  # older events have left the 90-day window

    event_types: frozenset[str] | None = None
    matches_filter: Callable[[Any], bool] = _always
    matches_words: Callable[[Any], bool] = _always
    if query.get("filter"):
        event_types, matches_filter = _filter(query["filter"])
    if query.get("q"):
        matches_words = _keywords(query["q"])

    def keep(event: Any) -> bool:
        return matches_filter(event) and matches_words(event)

    log = _WithAdminEvents(state.org.log, state.admin_events)
    events = _events_after(log, lower, until, descending, event_types, cursor)
    page: list[dict[str, Any]] = []
    more = False
    for event in events:
        if not keep(event):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(event)

    if page:
        last = page[-1]
        next_after: str | None = _encode_cursor(_published(last), last["uuid"], since)
    elif cursor is not None:
        next_after = query["after"]
    else:
        next_after = _encode_cursor(lower, "", since)
    if not (polling or more):
        next_after = None

    response = json_response(page)
    base = f"{state.base_url}{request.url.path}"
    self_query = urlencode(list(query.multi_items()))
    response.headers.append("link", f'<{base}?{self_query}>; rel="self"')
    if next_after is not None:
        params = [(k, v) for k, v in query.multi_items() if k not in ("after", "since")]
        params.append(("after", next_after))
        response.headers.append("link", f'<{base}?{urlencode(params)}>; rel="next"')
    return response


class _WithAdminEvents:
    """The generated log followed by the events of admin writes made while serving.

    Generated events all precede the org's anchor and admin writes happen at the
    simulated "now", after it, so appending keeps the stream in ``published``
    order.
    """

    def __init__(self, log: Any, admin_events: list[dict[str, Any]]) -> None:
        self.log = log
        self.admin_events = admin_events

    def events(
        self,
        *,
        since: datetime,
        until: datetime,
        descending: bool = False,
        event_types: frozenset[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        later = [
            event
            for event in self.admin_events
            if since <= _published(event) < until
            and (event_types is None or event["eventType"] in event_types)
        ]
        generated = self.log.events(
            since=since, until=until, descending=descending, event_types=event_types
        )
        if descending:
            yield from reversed(later)
            yield from generated
        else:
            yield from generated
            yield from later


def _always(_event: Any) -> bool:
    return True


def _events_after(
    log: Any,
    lower: datetime,
    until: datetime,
    descending: bool,
    event_types: frozenset[str] | None,
    cursor: tuple[datetime, str, datetime] | None,
) -> Iterator[dict[str, Any]]:
    """Events in [lower, until) in order, resuming after the cursor's event."""
    if cursor is None:
        yield from log.events(
            since=lower, until=until, descending=descending, event_types=event_types
        )
        return
    position, uuid, _ = cursor
    if descending:
        window = (lower, min(until, position + timedelta(milliseconds=1)))
    else:
        window = (max(lower, position), until)
    skipping = bool(uuid)
    for event in log.events(
        since=window[0], until=window[1], descending=descending, event_types=event_types
    ):
        if skipping:
            if _published(event) != position:
                skipping = False
            elif event["uuid"] == uuid:
                skipping = False
                continue
            else:
                continue
        yield event
