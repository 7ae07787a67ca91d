"""Admin writes that change the org's configuration, and the System Log they leave."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=60, latency=0, rate_limits="off") as server:
        yield server


@pytest.fixture
def admin(okta: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=okta.base_url,
        headers={"Authorization": f"SSWS {okta.admin_token}"},
    ) as client:
        yield client


def _logs(admin: httpx.Client, event_type: str) -> list[dict[str, Any]]:
    response = admin.get(
        "/api/v1/logs",
        params={
            "filter": f'eventType eq "{event_type}"',
            "sortOrder": "DESCENDING",
            "limit": 5,
        },
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()
    return events


def _assignees(admin: httpx.Client) -> list[dict[str, Any]]:
    """Users holding a role (``/iam/assignees/users`` wraps them in ``value``)."""
    users: list[dict[str, Any]] = admin.get(
        "/api/v1/iam/assignees/users", params={"limit": 200}
    ).json()["value"]
    return users


def _super_admin(admin: httpx.Client) -> str:
    for user in _assignees(admin):
        roles = admin.get(f"/api/v1/users/{user['id']}/roles").json()
        if any(r["type"] == "SUPER_ADMIN" for r in roles):
            return str(user["id"])
    raise AssertionError("no super admin in the org")


def _a_password_rule(admin: httpx.Client) -> tuple[str, dict[str, Any]]:
    policy = admin.get("/api/v1/policies", params={"type": "PASSWORD"}).json()[0]
    rule = admin.get(f"/api/v1/policies/{policy['id']}/rules").json()[0]
    return str(policy["id"]), rule


def test_replacing_a_policy_rule_serves_it_and_logs_who_did_it(
    admin: httpx.Client,
) -> None:
    policy_id, rule = _a_password_rule(admin)
    changed = {**rule, "name": "Weakened by a test"}

    response = admin.put(
        f"/api/v1/policies/{policy_id}/rules/{rule['id']}", json=changed
    )

    assert response.status_code == 200
    served = admin.get(f"/api/v1/policies/{policy_id}/rules").json()
    assert {r["id"]: r["name"] for r in served}[rule["id"]] == "Weakened by a test"
    (event, *_) = _logs(admin, "policy.rule.update")
    assert {t["id"] for t in event["target"]} == {rule["id"], policy_id}
    assert event["actor"]["id"] == _super_admin(admin)
    assert event["outcome"]["result"] == "SUCCESS"


def test_a_rule_cannot_change_its_type(admin: httpx.Client) -> None:
    policy_id, rule = _a_password_rule(admin)

    response = admin.put(
        f"/api/v1/policies/{policy_id}/rules/{rule['id']}",
        json={**rule, "type": "SIGN_ON"},
    )

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"


def test_assigning_super_admin_to_a_user_is_served_and_logged(
    admin: httpx.Client,
) -> None:
    holders = {u["id"] for u in _assignees(admin)}
    user = next(
        u
        for u in admin.get("/api/v1/users", params={"limit": 50}).json()
        if u["id"] not in holders
    )

    response = admin.post(
        f"/api/v1/users/{user['id']}/roles", json={"type": "SUPER_ADMIN"}
    )

    assert response.status_code == 201
    assert response.json()["label"] == "Super Administrator"
    roles = admin.get(f"/api/v1/users/{user['id']}/roles").json()
    assert [r["type"] for r in roles] == ["SUPER_ADMIN"]
    assert user["id"] in {u["id"] for u in _assignees(admin)}
    (event, *_) = _logs(admin, "user.account.privilege.grant")
    assert [t["id"] for t in event["target"]] == [user["id"]]
    assert event["actor"]["type"] == "User"


def test_role_writes_need_the_admin_token(okta: SimulatorServer) -> None:
    response = httpx.post(
        f"{okta.base_url}/api/v1/users/00uNOBODY/roles",
        json={"type": "SUPER_ADMIN"},
        headers={"Authorization": "SSWS not-the-token"},
    )

    assert response.status_code == 401
