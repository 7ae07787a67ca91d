"""Reading a simulated org over HTTP into collections named as data.py says.

This stands in for the capture in the normaliser's tests: it reads every family
with the Okta client, one request chain per collection, and keeps each page as
received so that a test can write it as evidence (:func:`write_snapshot`),
whole or with a collection marked partial, not collected or left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from atomation.okta import OktaClient
from atomation.snapshot.capture.requests import DEPROVISIONED, LogSlice, first_request
from atomation.snapshot.data import POLICY_TYPES, family_of
from atomation.snapshot.evidence import EvidenceWriter, path_and_query


@dataclass(frozen=True)
class RecordedPage:
    request: str
    next_request: str | None
    fetched_at: datetime
    status: int
    rate_limit: Mapping[str, str]
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class RecordedCollection:
    """A collection as read, and the verdict a test gives it when writing."""

    name: str
    pages: tuple[RecordedPage, ...]
    objects: int
    verdict: str = "complete"
    reason: str = ""


@dataclass
class OrgReading:
    client: OktaClient
    collections: list[RecordedCollection] = field(default_factory=list)

    async def read(self, name: str, request: str | None = None) -> list[Any]:
        family, key = family_of(name)
        pages: list[RecordedPage] = []
        objects: list[Any] = []
        async for page in self.client.pages(request or first_request(family.name, key)):
            next_request = (
                None if page.next_url is None else path_and_query(page.next_url)
            )
            pages.append(
                RecordedPage(
                    page.url,
                    next_request,
                    page.received_at,
                    page.status,
                    page.rate_limit,
                    page.body,
                )
            )
            objects.extend(page.items())
        self.collections.append(RecordedCollection(name, tuple(pages), len(objects)))
        return objects


async def read_org(
    client: OktaClient, log_slices: Iterable[LogSlice]
) -> list[RecordedCollection]:
    """Every family of data.py, factors for every user not deprovisioned."""
    reading = OrgReading(client)
    read = reading.read

    users = await read("users")
    await read(f"users:{DEPROVISIONED}")
    for user in users:
        await read(f"user_factors:{user['id']}")
    for assignee in await read("role_assignees"):
        await read(f"user_roles:{assignee['id']}")
    for group in await read("groups"):
        await read(f"group_members:{group['id']}")
        await read(f"group_roles:{group['id']}")
    await read("group_rules")
    for app in await read("apps"):
        await read(f"app_users:{app['id']}")
        await read(f"app_groups:{app['id']}")
        if app.get("settings", {}).get("oauthClient", {}).get("application_type") == (
            "service"
        ):
            await read(f"client_roles:{app['credentials']['oauthClient']['client_id']}")
    for policy_type in POLICY_TYPES:
        for policy in await read(f"policies:{policy_type}"):
            await read(f"policy_rules:{policy['id']}")
            await read(f"policy_mappings:{policy['id']}")
    await read("zones")
    await read("trusted_origins")
    for role in await read("iam_roles"):
        await read(f"iam_role_permissions:{role['id']}")
    await read("resource_sets")
    for server in await read("authorization_servers"):
        for policy in await read(f"authz_policies:{server['id']}"):
            await read(f"authz_policy_rules:{server['id']}/{policy['id']}")
        await read(f"authz_scopes:{server['id']}")
        await read(f"authz_claims:{server['id']}")
    await read("idps")
    for log_slice in log_slices:
        (chain,) = log_slice.chains(None)
        await read(f"logs:{log_slice.key}", chain)
    return reading.collections


Change = Callable[[RecordedCollection], RecordedCollection | None]


def not_collected(missing: str) -> Change:
    return lambda c: replace(c, pages=(), verdict="not_collected", reason=missing)


def partial(error: str, pages: int = 0) -> Change:
    return lambda c: replace(c, pages=c.pages[:pages], verdict="partial", reason=error)


def left_out(_collection: RecordedCollection) -> None:
    return None


def write_snapshot(
    writer: EvidenceWriter,
    tenant_id: str,
    options: Mapping[str, Any],
    collections: Iterable[RecordedCollection],
    changes: Mapping[str, Change] | None = None,
    *,
    seal: bool = True,
) -> str:
    """Write the collections as a snapshot's evidence, changed as ``changes`` says."""
    snapshot_id = writer.begin_snapshot(tenant_id, options)
    changes = changes or {}
    written = []
    for recorded in collections:
        change = changes.get(recorded.name)
        collection = recorded if change is None else change(recorded)
        if collection is None:
            continue
        written.append(collection.name)
        handle = writer.open_collection(snapshot_id, collection.name)
        for page in collection.pages:
            handle.add_page(
                page.request,
                page.fetched_at,
                page.status,
                page.rate_limit,
                page.body,
                next_request=page.next_request,
            )
        if collection.verdict == "complete":
            handle.complete(objects=collection.objects)
        elif collection.verdict == "partial":
            handle.partial(collection.reason, retries=3, objects=0)
        else:
            handle.not_collected(collection.reason)
    if seal:
        writer.finalise(snapshot_id, expected=written)
    return snapshot_id
