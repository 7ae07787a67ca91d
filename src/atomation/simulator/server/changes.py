"""Admin writes that change an org's security configuration, each logged.

Two of Okta's management calls [SPEC-M], with the admin API token only, so that
a test can change an org between two snapshots the way an administrator would:

* ``PUT /api/v1/policies/{policyId}/rules/{ruleId}`` replaces a policy rule
  (``okta.policies.manage``) and logs ``policy.rule.update``, whose targets are
  the rule and its policy;
* ``POST /api/v1/users/{userId}/roles`` assigns a standard admin role to a user
  (``okta.roles.manage``) and logs ``user.account.privilege.grant`` with the
  user as target (okta-api.md §5).

The actor of both events is the owner of the admin API token; in the simulator
that is the org's first Super Administrator, as an SSWS token acts as the admin
who created it. The events are published at the simulated "now", after the
generated 90 days, and ``GET /api/v1/logs`` serves them from
:attr:`ServerState.admin_events <atomation.simulator.server.state.ServerState>`.
"""

from __future__ import annotations

import copy
import random
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server.admin import (
    _body,
    _timestamp,
    new_id,
    require_admin_token,
)
from atomation.simulator.server.errors import (
    json_response,
    not_found,
    validation_failed,
)
from atomation.simulator.server.listing import sim_state
from atomation.simulator.server.roles import ROLE_LABELS
from atomation.simulator.server.state import ServerState

__all__ = ["change_routes"]

# Fields Okta keeps on a replaced rule whatever the body says.
_KEPT_RULE_FIELDS = ("id", "type", "created", "system", "_links")


def _token_owner(state: ServerState) -> dict[str, Any]:
    """The admin whose API token makes the call: the first Super Administrator."""
    org = state.org
    for user_id in org.role_assignee_user_ids:
        if any(role["type"] == "SUPER_ADMIN" for role in org.user_roles(user_id)):
            user = org.user(user_id)
            profile = user["profile"]
            return {
                "id": user_id,
                "type": "User",
                "alternateId": profile["login"],
                "displayName": f"{profile['firstName']} {profile['lastName']}",
            }
    raise RuntimeError("the simulated org has no Super Administrator to own a token")


def _log(
    request: Request,
    event_type: str,
    message: str,
    targets: list[dict[str, Any]],
) -> None:
    state = sim_state(request)
    event_id = str(uuid.uuid4())
    event: dict[str, Any] = state.org.log.build(
        uuid=event_id,
        moment=state.clock.now(),
        event_type=event_type,
        severity="INFO",
        message=message,
        actor=_token_owner(state),
        targets=targets,
        result="SUCCESS",
        reason=None,
        rng=random.Random(event_id),
    )
    state.admin_events.append(event)


async def replace_policy_rule(request: Request) -> Response:
    require_admin_token(request, "okta.policies.manage")
    org = sim_state(request).org
    policy_id = str(request.path_params["policy_id"])
    rule_id = str(request.path_params["rule_id"])
    policy = org.policy(policy_id)
    if policy is None:
        raise not_found(policy_id, "Policy")
    current = next((r for r in org.policy_rules(policy_id) if r["id"] == rule_id), None)
    if current is None:
        raise not_found(rule_id, "PolicyRule")
    body = await _body(request)
    if body.get("type", current["type"]) != current["type"]:
        raise validation_failed("type", causes=["type: a rule's type cannot change"])
    if not body.get("name"):
        raise validation_failed("name", causes=["name: The field cannot be left blank"])
    rule = copy.deepcopy(body)
    for name in _KEPT_RULE_FIELDS:
        if name in current:
            rule[name] = copy.deepcopy(current[name])
    rule.setdefault("priority", current.get("priority"))
    rule.setdefault("status", current.get("status"))
    rule["lastUpdated"] = _timestamp(request)
    org.update_policy_rule(policy_id, rule)
    _log(
        request,
        "policy.rule.update",
        "Update policy rule",
        [
            {
                "id": rule_id,
                "type": "PolicyRule",
                "alternateId": "unknown",
                "displayName": rule["name"],
            },
            {
                "id": policy_id,
                "type": "Policy",
                "alternateId": "unknown",
                "displayName": policy["name"],
            },
        ],
    )
    return json_response(rule)


async def assign_user_role(request: Request) -> Response:
    require_admin_token(request, "okta.roles.manage")
    org = sim_state(request).org
    user_id = str(request.path_params["user_id"])
    user = org.user(user_id)
    if user is None:
        raise not_found(user_id, "User")
    body = await _body(request)
    role_type = body.get("type")
    if role_type not in ROLE_LABELS or role_type == "CUSTOM":
        raise validation_failed("type", causes=[f"type: unknown role type {role_type}"])
    existing = next(
        (r for r in org.user_roles(user_id) if r["type"] == role_type), None
    )
    if existing is not None:
        return json_response(existing)
    now = _timestamp(request)
    assignment: dict[str, Any] = {
        "id": new_id("ra1"),
        "label": ROLE_LABELS[role_type],
        "type": role_type,
        "status": "ACTIVE",
        "created": now,
        "lastUpdated": now,
        "assignmentType": "USER",
        "_links": {
            "assignee": {
                "href": f"{sim_state(request).base_url}/api/v1/users/{user_id}"
            }
        },
    }
    org.add_user_role(user_id, assignment)
    profile = user["profile"]
    _log(
        request,
        "user.account.privilege.grant",
        "Grant user privilege",
        [
            {
                "id": user_id,
                "type": "User",
                "alternateId": profile["login"],
                "displayName": f"{profile['firstName']} {profile['lastName']}",
            }
        ],
    )
    return json_response(assignment, 201)


def change_routes() -> list[Route]:
    return [
        Route(
            "/api/v1/policies/{policy_id}/rules/{rule_id}",
            replace_policy_rule,
            methods=["PUT"],
        ),
        Route("/api/v1/users/{user_id}/roles", assign_user_role, methods=["POST"]),
    ]
