"""Which collections a snapshot reads, in what dependency order, all at once.

Plain lists start together; a per-parent family starts once its parent list is
read, with one collection per parent (data.py names them), except users'
factors, which follow the user list page by page (:class:`KeyStream`): at
100,000 users the list alone is 500 pages one after another. Everything goes
through the one Okta client, whose per-bucket limiters set the pace, so the
slowest bucket sets the capture's length (rate-limits.md §1.7).

===========================  ===============================================
family                       read for
===========================  ===============================================
users, users:deprovisioned   the list; DEPROVISIONED users need a search
                             (okta-api.md §3.5)
user_factors                 every listed user, or with ``privileged`` the
                             role assignees and members of groups holding roles
user_roles                   each user /iam/assignees/users lists (§6)
group_members, group_roles   every group (no "groups with roles" list, §6)
app_users, app_groups        every app
client_roles                 every service app, by its client id (§6)
policies:<TYPE>              each type of data.py's POLICY_TYPES (§7)
policy_rules                 every policy; policy_mappings: ACCESS_POLICY ones
iam_role_permissions         every custom role
authz_policies/scopes/claims every authorization server
authz_policy_rules           every server's every policy, "<server>/<policy>"
logs:<since>                 each bounded slice of the review window (§5)
===========================  ===============================================

When a parent list is not complete, its children cannot all be known. The
family then also gets a collection without a key (``user_factors``,
``policy_rules``, ...) whose verdict says why: ``not_collected`` naming the
parent's missing scope or role, or ``failed`` naming the parent that fell
short. The children of the parents that were read are read all the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from atomation.snapshot.capture.collection import CollectionReader, Outcome
from atomation.snapshot.capture.progress import CaptureProgress
from atomation.snapshot.capture.requests import (
    DEPROVISIONED,
    LogSlice,
    first_request,
    log_slices,
)
from atomation.snapshot.data import FAMILIES, POLICY_TYPES
from atomation.snapshot.evidence import Completeness

__all__ = ["FANOUT_WORKERS", "LOG_SLICES_AT_ONCE", "KeyStream", "Plan"]

T = TypeVar("T")

# Collections of one per-parent family read at once. The in-flight cap of the
# client (8, okta/ratelimit.py) is what protects Okta; this only keeps a family
# of 100,000 collections from queueing 100,000 tasks, while keeping every bucket
# supplied with requests ready to go.
FANOUT_WORKERS = 16

# Log slices read at once. System Log pages are a capture's largest answers (up
# to 1,000 events; rate-limits.md §1.7 assumes about a second a page, against
# 250-400 ms for the rest), and a 90-day window has nine slices: read all at
# once, they would hold every slot in flight (8) and starve the other buckets.
# Three keep the logs bucket's own pace (60 a minute for the app on Workforce,
# rate-limits.md §1.2) for answers of up to three seconds.
LOG_SLICES_AT_ONCE = 3

_COMPLETE = Completeness.COMPLETE


class KeyStream:
    """Keys found by one collection, handed page by page to the family that reads
    one collection per key (each user's factors, while the user list pages)."""

    def __init__(self) -> None:
        self._pages: asyncio.Queue[list[str] | None] = asyncio.Queue()

    @classmethod
    def of(cls, keys: Iterable[str]) -> KeyStream:
        """A stream of keys already known."""
        stream = cls()
        stream.put(list(keys))
        stream.close()
        return stream

    def put(self, keys: list[str]) -> None:
        self._pages.put_nowait(keys)

    def close(self) -> None:
        """No more keys: the list ended, whatever its verdict."""
        self._pages.put_nowait(None)

    async def keys(self) -> AsyncIterator[str]:
        while (page := await self._pages.get()) is not None:
            for key in page:
                yield key


class Plan:
    """One snapshot's reads; :attr:`planned` is every collection it meant to read."""

    def __init__(
        self,
        reader: CollectionReader,
        options: dict[str, Any],
        progress: CaptureProgress,
    ) -> None:
        self.reader = reader
        self.options = options
        self.progress = progress
        self.planned: set[str] = set()

    async def run(self) -> None:
        every_user = self.options["factors_for"] != "privileged"
        user_ids = KeyStream() if every_user else None
        async with asyncio.TaskGroup() as group:
            users = group.create_task(self.users(user_ids))
            assignees = group.create_task(self.role_assignees())
            groups = group.create_task(self.groups())
            if user_ids is not None:
                group.create_task(self.factors_of_everyone(users, user_ids))
            else:
                group.create_task(self.factors_of_privileged(assignees, groups))
            group.create_task(self.apps())
            group.create_task(self.policies())
            group.create_task(self.iam_roles())
            group.create_task(self.authorization_servers())
            group.create_task(self.logs())
            for family in ("group_rules", "zones", "trusted_origins", "idps"):
                group.create_task(self.plain(family))
            group.create_task(self.plain("resource_sets"))

    # -- building blocks ------------------------------------------------------

    async def read(
        self,
        name: str,
        chains: Sequence[str],
        extract: Callable[[Any], Any] | None = None,
        on_items: Callable[[list[Any]], None] | None = None,
    ) -> Outcome:
        self.planned.add(name)
        self.progress.planned(name.partition(":")[0], 1)
        return await self.reader.read(name, chains, extract=extract, on_items=on_items)

    async def plain(
        self,
        family: str,
        extract: Callable[[Any], Any] | None = None,
        on_items: Callable[[list[Any]], None] | None = None,
    ) -> Outcome:
        return await self.read(family, [first_request(family)], extract, on_items)

    async def each(
        self,
        family: str,
        keys: Iterable[str] | KeyStream,
        extract: Callable[[Any], Any] | None = None,
    ) -> None:
        """One collection per key, a few at a time, as the keys come."""
        await self._fan_out(family, keys, extract, None)

    async def each_kept(
        self,
        family: str,
        keys: Iterable[str],
        extract: Callable[[Any], Any] | None = None,
    ) -> dict[str, Outcome]:
        """:meth:`each`, keeping the outcomes by key for what comes next.

        Only for families whose outcomes something reads: keeping one
        outcome per user would cost the capture of a large org its memory.
        """
        outcomes: dict[str, Outcome] = {}
        await self._fan_out(family, keys, extract, outcomes)
        return outcomes

    async def _fan_out(
        self,
        family: str,
        keys: Iterable[str] | KeyStream,
        extract: Callable[[Any], Any] | None,
        kept: dict[str, Outcome] | None,
    ) -> None:
        # A small queue between the keys and the workers: a key is planned
        # when it is taken from its source, and read when a worker is free.
        ready: asyncio.Queue[str | None] = asyncio.Queue(maxsize=FANOUT_WORKERS)
        source = keys if isinstance(keys, KeyStream) else KeyStream.of(keys)

        async def feed() -> None:
            async for key in source.keys():
                name = FAMILIES[family].collection(key)
                if name in self.planned:
                    continue  # listed twice (a user in two privileged groups)
                self.planned.add(name)
                self.progress.planned(family, 1)
                await ready.put(key)
            for _ in range(FANOUT_WORKERS):
                await ready.put(None)

        async def worker() -> None:
            while (key := await ready.get()) is not None:
                outcome = await self.reader.read(
                    FAMILIES[family].collection(key),
                    [first_request(family, key)],
                    extract=extract,
                )
                if kept is not None:
                    kept[key] = outcome

        async with asyncio.TaskGroup() as group:
            group.create_task(feed())
            for _ in range(FANOUT_WORKERS):
                group.create_task(worker())

    async def account_for(self, family: str, parents: Iterable[Outcome]) -> None:
        """Record ``family`` (no key) when a parent list fell short (module doc)."""
        short = [p for p in parents if p.completeness is not _COMPLETE]
        if not short:
            return
        self.planned.add(family)
        self.progress.planned(family, 1)
        names = ", ".join(p.name for p in short[:3]) + (
            " ..." if len(short) > 3 else ""
        )
        if all(p.completeness is Completeness.NOT_COLLECTED for p in short):
            await self.reader.account(family, missing=short[0].reason)
        else:
            await self.reader.account(
                family,
                error=f"not every {family} collection could be listed: {names} "
                f"ended {short[0].completeness.value} ({short[0].reason})",
            )

    # -- the families -----------------------------------------------------------

    async def users(self, ids: KeyStream | None) -> Outcome:
        """The user list; with ``ids``, each page's user ids are handed on."""
        try:
            listed, _ = await asyncio.gather(
                self.plain("users")
                if ids is None
                else self.plain("users", _id, on_items=ids.put),
                self.read(
                    FAMILIES["users"].collection(DEPROVISIONED),
                    [first_request("users", DEPROVISIONED)],
                ),
            )
        finally:
            if ids is not None:
                ids.close()
        return listed

    async def role_assignees(self) -> Outcome:
        assignees = await self.plain("role_assignees", _id)
        await self.each("user_roles", assignees.items)
        await self.account_for("user_roles", [assignees])
        return assignees

    async def groups(self) -> tuple[Outcome, dict[str, Outcome], dict[str, Outcome]]:
        groups = await self.plain("groups", _id)
        members, roles = await asyncio.gather(
            self.each_kept("group_members", groups.items),
            self.each_kept("group_roles", groups.items),
        )
        await self.account_for("group_members", [groups])
        await self.account_for("group_roles", [groups])
        return groups, members, roles

    async def factors_of_everyone(
        self, users: Awaitable[Outcome], ids: KeyStream
    ) -> None:
        """Each user's factors, read from the moment the user's page is stored."""
        await self.each("user_factors", ids)
        await self.account_for("user_factors", [await users])

    async def factors_of_privileged(
        self,
        assignees: Awaitable[Outcome],
        groups: Awaitable[tuple[Outcome, dict[str, Outcome], dict[str, Outcome]]],
    ) -> None:
        """Factors of users holding a role (the assignee list includes roles held
        through a group, §6) and of members of the groups that hold roles."""
        held_by = await assignees
        listed_groups, members, roles = await groups
        parents = [held_by, listed_groups, *roles.values()]
        privileged = list(held_by.items)
        for group_id, role_outcome in roles.items():
            if role_outcome.objects == 0 and role_outcome.completeness is _COMPLETE:
                continue
            member_outcome = members[group_id]
            parents.append(member_outcome)
            if member_outcome.completeness is not Completeness.NOT_COLLECTED:
                privileged += await self.reader.replay(member_outcome.name, _id)
        await self.each("user_factors", privileged)
        await self.account_for("user_factors", parents)

    async def apps(self) -> None:
        apps = await self.plain("apps", _app)
        ids = [app_id for app_id, _ in apps.items]
        clients = [client for _, client in apps.items if client is not None]
        await asyncio.gather(
            self.each("app_users", ids),
            self.each("app_groups", ids),
            self.each("client_roles", clients),
        )
        for family in ("app_users", "app_groups", "client_roles"):
            await self.account_for(family, [apps])

    async def policies(self) -> None:
        outcomes = await asyncio.gather(
            *(
                self.read(
                    FAMILIES["policies"].collection(policy_type),
                    [first_request("policies", policy_type)],
                    _id,
                )
                for policy_type in POLICY_TYPES
            )
        )
        by_type = dict(zip(POLICY_TYPES, outcomes, strict=True))
        every = [policy for outcome in outcomes for policy in outcome.items]
        await asyncio.gather(
            self.each("policy_rules", every),
            self.each("policy_mappings", by_type["ACCESS_POLICY"].items),
        )
        await self.account_for("policy_rules", outcomes)
        await self.account_for("policy_mappings", [by_type["ACCESS_POLICY"]])

    async def iam_roles(self) -> None:
        roles = await self.plain("iam_roles", _id)
        await self.each("iam_role_permissions", roles.items)
        await self.account_for("iam_role_permissions", [roles])

    async def authorization_servers(self) -> None:
        servers = await self.plain("authorization_servers", _id)
        policies, _, _ = await asyncio.gather(
            self.each_kept("authz_policies", servers.items, _id),
            self.each("authz_scopes", servers.items),
            self.each("authz_claims", servers.items),
        )
        await self.each(
            "authz_policy_rules",
            (
                f"{server}/{policy}"
                for server, outcome in policies.items()
                for policy in outcome.items
            ),
        )
        for family in ("authz_policies", "authz_scopes", "authz_claims"):
            await self.account_for(family, [servers])
        await self.account_for("authz_policy_rules", [servers, *policies.values()])

    async def logs(self) -> None:
        since = datetime.fromisoformat(self.options["log_since"])
        until = datetime.fromisoformat(self.options["log_until"])
        event_types = self.options["log_event_types"]
        slices = log_slices(since, until, int(self.options["log_slice_days"]))
        at_once = asyncio.Semaphore(LOG_SLICES_AT_ONCE)

        async def read_slice(part: LogSlice) -> None:
            async with at_once:
                await self.read(
                    FAMILIES["logs"].collection(part.key), part.chains(event_types)
                )

        await asyncio.gather(*(read_slice(part) for part in slices))


def _id(item: Any) -> str:
    return str(item["id"])


def _app(item: Any) -> tuple[str, str | None]:
    """The app's id, and its client id when it is a service app (§6)."""
    settings = (item.get("settings") or {}).get("oauthClient") or {}
    credentials = (item.get("credentials") or {}).get("oauthClient") or {}
    client_id = credentials.get("client_id")
    if settings.get("application_type") == "service" and client_id:
        return str(item["id"]), str(client_id)
    return str(item["id"]), None
