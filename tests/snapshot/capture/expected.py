"""What a capture of a simulated org must hold, from the simulator's read model."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture.options import security_event_types
from atomation.snapshot.data import POLICY_TYPES
from atomation.snapshot.evidence.records import CollectionRecord


def objects_by_family(collections: dict[str, CollectionRecord]) -> Counter[str]:
    """Objects read per family; ``users`` counts ``users:deprovisioned`` too."""
    totals: Counter[str] = Counter()
    for name, record in collections.items():
        totals[name.partition(":")[0]] += record.objects or 0
    return totals


def expected_objects(
    okta: SimulatorServer, since: datetime, until: datetime
) -> Counter[str]:
    """Objects per family that the generator made (the org as served now)."""
    org = okta.org
    users = list(org.users)
    user_ids = [u["id"] for u in users]
    listed = [u["id"] for u in users if u["status"] != "DEPROVISIONED"]
    groups = [g["id"] for g in org.groups]
    apps = list(org.apps)
    policies = [p for t in POLICY_TYPES for p in org.policies(t)]
    servers = [s["id"] for s in org.authorization_servers]
    clients = [
        a["credentials"]["oauthClient"]["client_id"]
        for a in apps
        if (a.get("settings") or {}).get("oauthClient", {}).get("application_type")
        == "service"
    ]
    types = frozenset(security_event_types())
    return Counter(
        {
            "users": len(user_ids),
            "user_factors": sum(len(org.user_factors(u)) for u in listed),
            "role_assignees": len(org.role_assignee_user_ids),
            "user_roles": sum(
                len(org.user_roles(u)) for u in org.role_assignee_user_ids
            ),
            "groups": len(groups),
            "group_members": sum(len(org.group_member_ids(g)) for g in groups),
            "group_roles": sum(len(org.group_roles(g)) for g in groups),
            "group_rules": len(org.group_rules),
            "apps": len(apps),
            "app_users": sum(len(org.app_users(a["id"])) for a in apps),
            "app_groups": sum(len(org.app_groups(a["id"])) for a in apps),
            "client_roles": sum(len(org.client_roles.get(c, [])) for c in clients),
            "policies": len(policies),
            "policy_rules": sum(len(org.policy_rules(p["id"])) for p in policies),
            "policy_mappings": sum(
                len(org.policy_mappings(p["id"])) for p in org.policies("ACCESS_POLICY")
            ),
            "zones": len(org.zones),
            "trusted_origins": len(org.trusted_origins),
            "iam_roles": len(org.custom_roles),
            "iam_role_permissions": sum(
                len(org.role_permissions(r["id"])) for r in org.custom_roles
            ),
            "resource_sets": len(org.resource_sets),
            "authorization_servers": len(servers),
            "authz_policies": sum(len(org.as_policies(s)) for s in servers),
            "authz_policy_rules": sum(
                len(org.as_policy_rules(s, p["id"]))
                for s in servers
                for p in org.as_policies(s)
            ),
            "authz_scopes": sum(len(org.as_scopes(s)) for s in servers),
            "authz_claims": sum(len(org.as_claims(s)) for s in servers),
            "idps": len(org.idps),
            "logs": sum(
                1 for _ in org.log.events(since=since, until=until, event_types=types)
            ),
        }
    )
