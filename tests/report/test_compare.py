"""Comparing two snapshots of an org an administrator changed in between."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner

from atomation.assessment.catalogue import load_catalogue
from atomation.report.cli import report_command
from atomation.report.compare import Comparison, ConfigChange, compare_snapshots
from atomation.report.compare_render import (
    comparison_json,
    render_comparison_html,
)
from atomation.report.errors import ReportInputError
from atomation.runtime import Runtime
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.normalise import open_snapshot_data
from tests.report.conftest import TIME_SCALE, USERS, Tenancy, make_tenancy

IDLE_MINUTES = 240


@dataclass(frozen=True)
class Changed:
    """Two snapshots around an admin's changes, and what the admin did."""

    tenancy: Tenancy
    old: str
    new: str
    rule: dict[str, Any]
    policy_id: str
    new_admin: dict[str, Any]
    actor_id: str


def _admin(server: SimulatorServer) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"SSWS {server.admin_token}"},
    )


def _token_owner(client: httpx.Client) -> str:
    """The admin the SSWS token acts as: the org's first Super Administrator."""
    assignees = client.get("/api/v1/iam/assignees/users", params={"limit": 200})
    for user in sorted(assignees.json()["value"], key=lambda u: u["id"]):
        roles = client.get(f"/api/v1/users/{user['id']}/roles").json()
        if any(role["type"] == "SUPER_ADMIN" for role in roles):
            return str(user["id"])
    raise AssertionError("the org has no super admin")


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Changed]:
    with SimulatorServer(
        users=USERS, latency=0, time_scale=TIME_SCALE, rate_limits="off"
    ) as server:
        for tenancy in make_tenancy(server, tmp_path_factory.mktemp("data")):
            old = tenancy.capture()
            with _admin(server) as client:
                policy = client.get(
                    "/api/v1/policies", params={"type": "OKTA_SIGN_ON"}
                ).json()[0]
                rule = client.get(f"/api/v1/policies/{policy['id']}/rules").json()[0]
                rule["actions"]["signon"]["session"]["maxSessionIdleMinutes"] = (
                    IDLE_MINUTES
                )
                client.put(
                    f"/api/v1/policies/{policy['id']}/rules/{rule['id']}", json=rule
                ).raise_for_status()
                holders = {
                    u["id"]
                    for u in client.get("/api/v1/iam/assignees/users").json()["value"]
                }
                user = next(
                    u
                    for u in client.get("/api/v1/users", params={"limit": 100}).json()
                    if u["id"] not in holders and u["status"] == "ACTIVE"
                )
                client.post(
                    f"/api/v1/users/{user['id']}/roles", json={"type": "SUPER_ADMIN"}
                ).raise_for_status()
                actor_id = _token_owner(client)
            new = tenancy.capture()
            yield Changed(tenancy, old, new, rule, policy["id"], user, actor_id)


@pytest.fixture(scope="module")
def comparison(changed: Changed) -> Comparison:
    tenancy = changed.tenancy
    return compare_snapshots(
        tenancy.assess(changed.old),
        tenancy.assess(changed.new),
        open_snapshot_data(tenancy.store, changed.old),
        open_snapshot_data(tenancy.store, changed.new),
        load_catalogue(),
    )


def _change(comparison: Comparison, kind: str, resource_id: str) -> ConfigChange:
    found = [c for c in comparison.changes if c.kind == kind and c.id == resource_id]
    assert len(found) == 1, [(c.kind, c.id) for c in comparison.changes]
    return found[0]


def test_a_changed_policy_rule_is_named_with_the_field_and_the_actor(
    comparison: Comparison, changed: Changed
) -> None:
    change = _change(comparison, "policy_rule", changed.rule["id"])

    assert change.change == "modified"
    assert change.fields == ("actions.signon.session.maxSessionIdleMinutes",)
    assert changed.rule["name"] in change.label
    (event,) = change.events
    assert event.event_type == "policy.rule.update"
    assert event.actor_id == changed.actor_id
    assert event.published > comparison.old.captured_at.isoformat()[:19]


def test_a_new_super_admin_is_named_with_the_actor_who_granted_it(
    comparison: Comparison, changed: Changed
) -> None:
    user_id = changed.new_admin["id"]
    login = changed.new_admin["profile"]["login"]
    (role,) = [
        c
        for c in comparison.changes
        if c.kind == "user_role" and c.parent_id == user_id
    ]

    assert role.change == "added"
    assert role.label == f"Super Administrator held by {login}"
    assert [e.event_type for e in role.events] == ["user.account.privilege.grant"]
    assert role.events[0].actor_id == changed.actor_id
    assignee = _change(comparison, "role_assignee", user_id)
    assert assignee.change == "added"
    assert assignee.label == login


def test_nothing_else_changed(comparison: Comparison, changed: Changed) -> None:
    changed_ids = {(c.kind, c.id) for c in comparison.changes}

    assert changed_ids == {
        ("policy_rule", changed.rule["id"]),
        ("role_assignee", changed.new_admin["id"]),
        ("user_role", _change_id(comparison, changed.new_admin["id"])),
    }
    assert comparison.gaps == ()


def _change_id(comparison: Comparison, user_id: str) -> str:
    return next(
        c.id
        for c in comparison.changes
        if c.kind == "user_role" and c.parent_id == user_id
    )


def test_findings_are_split_into_new_resolved_and_unchanged(
    comparison: Comparison, changed: Changed
) -> None:
    login = changed.new_admin["profile"]["login"]
    new = {(d.check_id, d.resource_id) for d in comparison.new_findings}
    unchanged = {(d.check_id, d.resource_id) for d in comparison.unchanged}

    # The new super admin holds no phishing-resistant factor: a new failing finding.
    assert any(
        d.check_id.startswith("admin.") and login in d.resource_label
        for d in comparison.new_findings
    ), new
    assert unchanged  # the typical org's planted findings remain
    assert not unchanged & new
    assert comparison.resolved == ()
    assert comparison.not_comparable == ()


def test_comparison_renders_as_html_and_json_naming_the_actor(
    comparison: Comparison, changed: Changed
) -> None:
    html = render_comparison_html(comparison).decode("utf-8")
    document = json.loads(json.dumps(comparison_json(comparison)))

    assert "policy.rule.update" in html
    assert "user.account.privilege.grant" in html
    actors = {e["actor_id"] for c in document["changes"] for e in c["events"]}
    assert actors == {changed.actor_id}
    assert document["format"] == "atomation-comparison/1"


def test_snapshots_given_newest_first_are_refused(changed: Changed) -> None:
    tenancy = changed.tenancy
    old, new = tenancy.assess(changed.old), tenancy.assess(changed.new)

    with pytest.raises(ReportInputError, match="was taken after"):
        compare_snapshots(
            new,
            old,
            open_snapshot_data(tenancy.store, changed.new),
            open_snapshot_data(tenancy.store, changed.old),
            [],
        )


def test_the_command_compares_the_stored_runs(changed: Changed) -> None:
    tenancy = changed.tenancy
    cli = typer.Typer()
    cli.command("report")(report_command)
    cli.command("noop")(lambda: None)
    runtime = Runtime(
        data_dir=tenancy.settings.data_dir,
        _settings=tenancy.settings,
        _store=tenancy.store,
    )

    result = CliRunner().invoke(
        cli,
        ["report", "acme", "--compare", changed.old, changed.new, "--format", "json"],
        obj=runtime,
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {(c["kind"], c["change"]) for c in document["changes"]} == {
        ("policy_rule", "modified"),
        ("role_assignee", "added"),
        ("user_role", "added"),
    }
