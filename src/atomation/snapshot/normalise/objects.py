"""The objects on one evidence page, checked against what its family holds.

A page body is the JSON Okta returned: a bare array, or for the ``/api/v1/iam/*``
lists a wrapper object holding one array beside ``_links`` (okta-api.md §3.5;
the same reading as :meth:`atomation.okta.pages.Page.items`). Every object must
be a JSON object carrying its id; a log event must also carry ``eventType`` and
a ``published`` instant with its zone. Anything else is an
:class:`~atomation.snapshot.normalise.errors.UnexpectedPage` naming the page,
never a silently shorter list.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from atomation.snapshot.data import Kind
from atomation.snapshot.normalise.errors import UnexpectedPage

__all__ = ["ID_FIELDS", "LogEventFields", "PageRef", "log_event_fields", "page_objects"]

# The member that identifies an object of each kind, where it is not ``id``.
# A System Log event is identified by ``uuid`` (okta-api.md §5). An admin role's
# permission has no id: ``label`` names it (``okta.users.read``, ...) and is
# unique within the role (management spec, Permission).
ID_FIELDS: Mapping[str, str] = {"log_event": "uuid", "iam_role_permission": "label"}


@dataclass(frozen=True)
class PageRef:
    """Enough of a page record to name the page in an error."""

    collection: str
    sequence: int
    request: str
    sha256: str

    def __str__(self) -> str:
        return f"{self.collection}#{self.sequence} {self.request} ({self.sha256})"


@dataclass(frozen=True)
class LogEventFields:
    event_type: str
    published: datetime


def page_objects(kind: Kind, page: PageRef, body: bytes) -> list[tuple[str, Any]]:
    """Each object on the page with its id, in the order Okta listed them."""
    try:
        data = json.loads(body)
    except ValueError:
        raise _unexpected(page, "the body is not JSON") from None
    if isinstance(data, dict):
        lists = [v for k, v in data.items() if k != "_links" and isinstance(v, list)]
        if len(lists) != 1:
            raise _unexpected(page, "the body is neither a list nor a list wrapper")
        data = lists[0]
    if not isinstance(data, list):
        raise _unexpected(page, "the body is not a list of objects")
    id_field = ID_FIELDS.get(kind, "id")
    objects = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _unexpected(page, f"item {position} is not an object")
        object_id = item.get(id_field)
        if not isinstance(object_id, str) or not object_id:
            raise _unexpected(page, f"item {position} has no {id_field!r} string")
        objects.append((object_id, item))
    return objects


def log_event_fields(page: PageRef, event: Mapping[str, Any]) -> LogEventFields:
    """The indexed columns of a System Log event: its type and when it happened."""
    event_type = event.get("eventType")
    published = event.get("published")
    if not isinstance(event_type, str) or not event_type:
        raise _unexpected(page, f"event {event.get('uuid')} has no eventType")
    try:
        moment = datetime.fromisoformat(str(published))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _unexpected(
            page, f"event {event.get('uuid')} has no published instant with a zone"
        )
    return LogEventFields(event_type, moment)


def _unexpected(page: PageRef, problem: str) -> UnexpectedPage:
    return UnexpectedPage(
        f"page {page} is not what a {page.collection.partition(':')[0]} "
        f"collection holds: {problem}",
        hint="The evidence is kept as read; report this page to Atomation support "
        "with the snapshot id. Other snapshots are not affected.",
    )
