"""Normalising a large snapshot: time, rows, peak memory, database size, reads.

For orgs of 10,000 and 100,000 users (the latter with about a million System Log
events over 90 days) this writes a snapshot's evidence, normalises it on SQLite
in a temporary directory, and times the reads an assessment makes.

The evidence is built from the simulator's generated org directly, not read over
HTTP: reading 100,000 users' factors through the client would take hours of
simulated rate limits. Each page is the JSON the simulator's server would answer
(the same objects, page sizes as the capture asks for, requests named as the
capture names them), stored in the content-addressed evidence store, with page
and collection records inserted in bulk beside it. The normaliser then reads it
exactly as it reads a captured snapshot.

Normalising runs in a fresh child process so that its peak resident memory
(``VmHWM``, :mod:`bench.memory`) is its own, not the generator's.

Run: ``.venv/bin/python -m bench.snapshot_normalise [USERS ...]`` (default
10000 100000).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from atomation.settings import load_settings
from atomation.simulator.generator import generate_org
from atomation.snapshot.data import POLICY_TYPES
from atomation.snapshot.evidence import open_evidence_store
from atomation.snapshot.normalise import normalise_snapshot, open_snapshot_data
from atomation.store import (
    EvidenceCollection,
    EvidencePage,
    Snapshot,
    Store,
    Tenant,
    open_store,
)
from atomation.store.types import new_id
from bench.memory import peak_rss_mb

ORG_URL = "https://acme.okta.com"
SIZES = (10_000, 100_000)
WINDOW_DAYS = 90
SLICE_DAYS = 10
RECORD_BATCH = 2_000
# Typical security event types an assessment counts (log_event_counts over 20).
COUNTED_TYPES = (
    "user.session.start",
    "user.authentication.sso",
    "user.authentication.auth_via_mfa",
    "user.session.access_admin_app",
    "policy.evaluate_sign_on",
    "user.account.lock",
    "user.mfa.factor.deactivate",
    "user.mfa.factor.reset_all",
    "user.account.reset_password",
    "user.account.privilege.grant",
    "user.account.privilege.revoke",
    "group.privilege.grant",
    "app.oauth2.client.privilege.grant",
    "system.api_token.create",
    "user.session.impersonation.grant",
    "user.session.impersonation.initiate",
    "security.threat.detected",
    "security.request.blocked",
    "system.org.rate_limit.violation",
    "user.lifecycle.deactivate",
)


class EvidenceBuilder:
    """Stores page bodies and inserts their records in bulk (a capture's output)."""

    def __init__(self, store: Store, data_dir: Path, snapshot_id: str) -> None:
        self.store = store
        self.evidence = open_evidence_store(load_settings(data_dir=data_dir))
        self.snapshot_id = snapshot_id
        self.collections: list[dict[str, Any]] = []
        self.pages: list[dict[str, Any]] = []
        self.page_count = 0
        self.bytes = 0

    def collection(self, name: str, pages: Iterable[tuple[str, Any]]) -> None:
        collection_id = new_id()
        now = datetime.now(UTC)
        sequence = 0
        objects = 0
        for sequence, (request, body) in enumerate(pages, start=1):
            content = json.dumps(body).encode()
            stored = self.evidence.put(content)
            self.bytes += len(content)
            objects += len(body) if isinstance(body, list) else 1
            self.pages.append(
                {
                    "id": new_id(),
                    "collection_id": collection_id,
                    "sequence": sequence,
                    "request": request,
                    "next_request": None,
                    "fetched_at": now,
                    "status": 200,
                    "rate_limit": {},
                    "sha256": stored.sha256,
                    "size": stored.size,
                }
            )
        self.page_count += sequence
        self.collections.append(
            {
                "id": collection_id,
                "snapshot_id": self.snapshot_id,
                "name": name,
                "completeness": "complete",
                "error": None,
                "retries": 0,
                "missing": None,
                "page_count": sequence,
                "object_count": objects,
                "started_at": now,
                "finished_at": now,
            }
        )
        if len(self.pages) >= RECORD_BATCH or len(self.collections) >= RECORD_BATCH:
            self.flush()

    def flush(self) -> None:
        with self.store.session() as session:
            if self.collections:
                session.execute(insert(EvidenceCollection), self.collections)
            if self.pages:
                session.execute(insert(EvidencePage), self.pages)
        self.collections, self.pages = [], []


def paged(path: str, items: Sequence[Any], limit: int) -> Iterator[tuple[str, Any]]:
    """Okta's pages of a list: ``limit`` items each, ``after`` the last id."""
    joiner = "&" if "?" in path else "?"
    after = None
    for start in range(0, max(len(items), 1), limit):
        page = list(items[start : start + limit])
        query = f"limit={limit}" + ("" if after is None else f"&after={after}")
        yield f"{path}{joiner}{query}", page
        if page:
            after = page[-1].get("id", "")


def one(path: str, body: Any) -> Iterator[tuple[str, Any]]:
    yield path, body


def write_evidence(data_dir: Path, users: int) -> tuple[str, dict[str, Any]]:
    """Build the org and write a snapshot's evidence; its id and some counts."""
    started = time.monotonic()
    org = generate_org(seed=1, users=users, profile="typical", base_url=ORG_URL)
    store = open_store(load_settings(data_dir=data_dir))
    until = (org.log.anchor - timedelta(minutes=1)).replace(microsecond=0)
    since = until - timedelta(days=WINDOW_DAYS)
    options = {
        "log_since": since.isoformat(),
        "log_until": until.isoformat(),
        "log_event_types": None,
        "factors_for": "all",
    }
    with store.session() as session:
        tenant = Tenant(
            subdomain="acme",
            client_name="Acme",
            environment="Bench",
            okta_org_url=ORG_URL,
        )
        session.add(tenant)
        session.flush()
        snapshot = Snapshot(tenant_id=tenant.id, state="capturing", options=options)
        session.add(snapshot)
        session.flush()
        snapshot_id = snapshot.id
    out = EvidenceBuilder(store, data_dir, snapshot_id)

    listed = [u for u in org.users if u["status"] != "DEPROVISIONED"]
    gone = [u for u in org.users if u["status"] == "DEPROVISIONED"]
    out.collection("users", paged("/api/v1/users", listed, 200))
    out.collection("users:deprovisioned", paged("/api/v1/users?search=x", gone, 200))
    for user in listed:
        path = f"/api/v1/users/{user['id']}/factors"
        out.collection(
            f"user_factors:{user['id']}", one(path, org.user_factors(user["id"]))
        )
    del listed, gone
    assignees = [
        {"id": u, "orn": f"orn:okta:user:{u}"} for u in org.role_assignee_user_ids
    ]
    out.collection(
        "role_assignees",
        (
            (request, {"value": page, "_links": {}})
            for request, page in paged("/api/v1/iam/assignees/users", assignees, 100)
        ),
    )
    for assignee in assignees:
        uid = assignee["id"]
        out.collection(
            f"user_roles:{uid}", one(f"/api/v1/users/{uid}/roles", org.user_roles(uid))
        )
    out.collection("groups", paged("/api/v1/groups", list(org.groups), 10_000))
    for group in org.groups:
        gid = group["id"]
        member_ids = org.group_member_ids(gid)
        out.collection(
            f"group_members:{gid}",
            (
                (request, [org.user(m) for m in ids])
                for request, ids in _id_pages(f"/api/v1/groups/{gid}/users", member_ids)
            ),
        )
        out.collection(
            f"group_roles:{gid}",
            one(f"/api/v1/groups/{gid}/roles", org.group_roles(gid)),
        )
    out.collection("group_rules", paged("/api/v1/groups/rules", org.group_rules, 200))
    out.collection("apps", paged("/api/v1/apps", org.apps, 200))
    for app in org.apps:
        aid = app["id"]
        out.collection(
            f"app_users:{aid}",
            paged(f"/api/v1/apps/{aid}/users", org.app_users(aid), 500),
        )
        out.collection(
            f"app_groups:{aid}",
            paged(f"/api/v1/apps/{aid}/groups", org.app_groups(aid), 200),
        )
        client_id = (
            (app.get("credentials") or {}).get("oauthClient", {}).get("client_id")
        )
        service = (
            (app.get("settings") or {}).get("oauthClient", {}).get("application_type")
        )
        if client_id and service == "service":
            roles = org.client_roles.get(client_id, [])
            out.collection(
                f"client_roles:{client_id}",
                one(f"/oauth2/v1/clients/{client_id}/roles", roles),
            )
    for policy_type in POLICY_TYPES:
        policies = org.policies(policy_type)
        out.collection(
            f"policies:{policy_type}",
            one(f"/api/v1/policies?type={policy_type}", policies),
        )
        for policy in policies:
            pid = policy["id"]
            out.collection(
                f"policy_rules:{pid}",
                one(f"/api/v1/policies/{pid}/rules", org.policy_rules(pid)),
            )
            if policy_type == "ACCESS_POLICY":
                out.collection(
                    f"policy_mappings:{pid}",
                    one(f"/api/v1/policies/{pid}/mappings", org.policy_mappings(pid)),
                )
    out.collection("zones", one("/api/v1/zones", org.zones))
    out.collection(
        "trusted_origins", paged("/api/v1/trustedOrigins", org.trusted_origins, 200)
    )
    out.collection(
        "iam_roles", one("/api/v1/iam/roles", {"roles": org.custom_roles, "_links": {}})
    )
    for role in org.custom_roles:
        permissions = [{"label": p} for p in org.role_permissions(role["id"])]
        out.collection(
            f"iam_role_permissions:{role['id']}",
            one(
                f"/api/v1/iam/roles/{role['id']}/permissions",
                {"permissions": permissions},
            ),
        )
    out.collection(
        "resource_sets",
        one(
            "/api/v1/iam/resource-sets",
            {"resource-sets": org.resource_sets, "_links": {}},
        ),
    )
    out.collection(
        "authorization_servers",
        one("/api/v1/authorizationServers", org.authorization_servers),
    )
    for server in org.authorization_servers:
        sid = server["id"]
        policies = org.as_policies(sid)
        out.collection(
            f"authz_policies:{sid}",
            one(f"/api/v1/authorizationServers/{sid}/policies", policies),
        )
        for policy in policies:
            pid = policy["id"]
            out.collection(
                f"authz_policy_rules:{sid}/{pid}",
                one(
                    f"/api/v1/authorizationServers/{sid}/policies/{pid}/rules",
                    org.as_policy_rules(sid, pid),
                ),
            )
        out.collection(
            f"authz_scopes:{sid}",
            one(f"/api/v1/authorizationServers/{sid}/scopes", org.as_scopes(sid)),
        )
        out.collection(
            f"authz_claims:{sid}",
            one(f"/api/v1/authorizationServers/{sid}/claims", org.as_claims(sid)),
        )
    out.collection("idps", paged("/api/v1/idps", org.idps, 200))
    start = since
    while start < until:
        end = min(start + timedelta(days=SLICE_DAYS), until)
        key = start.isoformat()
        stream = org.log.events(since=start, until=end)
        out.collection(f"logs:{key}", _log_pages(stream, key, end.isoformat()))
        start = end
    events = org.log.count(since=since, until=until)
    out.flush()
    store.close()
    return snapshot_id, {
        "users": users,
        "log_events": events,
        "pages": out.page_count,
        "evidence_mb": out.bytes / 1e6,
        "seconds": time.monotonic() - started,
    }


def _id_pages(path: str, ids: Sequence[str]) -> Iterator[tuple[str, Sequence[str]]]:
    after = None
    for start in range(0, max(len(ids), 1), 1000):
        page = ids[start : start + 1000]
        query = "limit=1000" + ("" if after is None else f"&after={after}")
        yield f"{path}?{query}", page
        if page:
            after = page[-1]


def _log_pages(
    events: Iterator[dict[str, Any]], since: str, until: str
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    page: list[dict[str, Any]] = []
    request = f"/api/v1/logs?since={since}&until={until}&limit=1000"
    for event in events:
        page.append(event)
        if len(page) == 1000:
            yield request, page
            request = f"/api/v1/logs?after={page[-1]['uuid']}&limit=1000"
            page = []
    yield request, page


def normalise_in_child(data_dir: Path, snapshot_id: str) -> dict[str, Any]:
    """Run :func:`normalise` in a fresh process; its figures as JSON."""
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.snapshot_normalise",
            "--normalise",
            str(data_dir),
            snapshot_id,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def normalise(data_dir: Path, snapshot_id: str) -> None:
    settings = load_settings(data_dir=data_dir)
    store = open_store(settings)
    summary = normalise_snapshot(store, settings, snapshot_id)
    store.close()
    print(
        json.dumps(
            {
                "seconds": summary.seconds,
                "rows": sum(summary.rows.values()),
                "pages": summary.pages,
                "shortfalls": summary.shortfalls,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def time_reads(data_dir: Path, snapshot_id: str) -> dict[str, float]:
    store = open_store(load_settings(data_dir=data_dir))
    data = open_snapshot_data(store, snapshot_id)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    statuses = Counter(user.data["status"] for user in data.resources("user"))
    timings["users by status (stream all users)"] = time.perf_counter() - started
    assert sum(statuses.values()) == data.count("user")

    started = time.perf_counter()
    data.count("user")
    timings["count users"] = time.perf_counter() - started

    started = time.perf_counter()
    counts = data.log_event_counts(COUNTED_TYPES)
    timings["log_event_counts, 20 types"] = time.perf_counter() - started
    assert any(counts.values())

    policy = next(data.resources("policy"))
    started = time.perf_counter()
    rules = list(data.resources("policy_rule", parent_id=policy.id))
    timings["rules of one policy"] = time.perf_counter() - started
    assert rules

    started = time.perf_counter()
    locks = list(data.log_events(["user.account.lock"]))
    timings[f"log_events of one type ({len(locks)})"] = time.perf_counter() - started

    started = time.perf_counter()
    data.resource("user", next(data.resources("user")).id)
    timings["one user by id"] = time.perf_counter() - started
    store.close()
    return timings


def database_mb(data_dir: Path) -> float:
    files = [p for p in data_dir.iterdir() if p.name.startswith("atomation.db")]
    return sum(p.stat().st_size for p in files) / 1e6


def run(users: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-normalise-") as tmp:
        data_dir = Path(tmp) / "data"
        snapshot_id, made = write_evidence(data_dir, users)
        evidence_db = database_mb(data_dir)
        figures = normalise_in_child(data_dir, snapshot_id)
        after = database_mb(data_dir)
        reads = time_reads(data_dir, snapshot_id)
    print(f"\n{users:,} users, {made['log_events']:,} log events in {WINDOW_DAYS} days")
    print(
        f"  evidence: {made['pages']:,} pages, {made['evidence_mb']:.0f} MB of JSON, "
        f"written in {made['seconds']:.0f} s (setup, not measured)"
    )
    print(
        f"  normalise: {figures['seconds']:.1f} s, {figures['rows']:,} rows, "
        f"{figures['rows'] / figures['seconds']:,.0f} rows/s, "
        f"peak RSS {figures['peak_mb']:.0f} MB, {figures['shortfalls']} shortfalls"
    )
    print(
        f"  SQLite: {evidence_db:.0f} MB before, {after:.0f} MB after "
        f"(+{after - evidence_db:.0f} MB of normalised tables)"
    )
    for name, seconds in reads.items():
        print(f"  read {name}: {seconds * 1000:.1f} ms")


def main(argv: Sequence[str]) -> None:
    if argv[:1] == ["--normalise"]:
        normalise(Path(argv[1]), argv[2])
        return
    for users in [int(a) for a in argv] or SIZES:
        run(users)


if __name__ == "__main__":
    main(sys.argv[1:])
