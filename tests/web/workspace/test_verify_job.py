"""Verify Connection as a background job: stored results, restarts, one per tenant."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from atomation.jobs.errors import JobAlreadyRunning
from atomation.jobs.kinds import JobContext, JobKind, JobKinds
from atomation.jobs.service import claim_next, enqueue, finish
from atomation.okta import OKTA_READ_SCOPES
from atomation.store import Connection, Job, Store, Tenant, Verification
from atomation.store.types import utcnow
from atomation.web.app import default_job_kinds
from tests.web.workspace.conftest import (
    MEMBER_A,
    OPERATOR,
    Visitor,
    Workspace,
    wait_for_job,
)


def connect(workspace: Workspace, visitor: Visitor, **app: Any) -> None:
    client_id = workspace.admin.ready_app(workspace.jwks_url("acme"), **app)
    response = visitor.http.put(
        "/api/tenants/acme/connection",
        json={"client_id": client_id},
        headers={"X-CSRF-Token": visitor.api_token()},
    )
    assert response.status_code == 200


def verify(visitor: Visitor) -> dict[str, Any]:
    started = visitor.http.post(
        "/api/tenants/acme/verify", headers={"X-CSRF-Token": visitor.api_token()}
    )
    assert started.status_code == 202
    return wait_for_job(visitor, "acme", started.json()["id"])


def tenant_id(store: Store, subdomain: str) -> str:
    with store.session() as session:
        return session.scalars(
            select(Tenant.id).where(Tenant.subdomain == subdomain)
        ).one()


def test_verify_job_stores_four_passes_and_the_time(workspace: Workspace) -> None:
    member = workspace.signed_in(MEMBER_A)
    connect(workspace, member)

    job = verify(member)

    assert job["state"] == "succeeded"
    assert job["progress"]["passed"] is True
    assert [i["status"] for i in job["progress"]["items"]] == ["pass"] * 4
    with workspace.store.session() as session:
        run = session.scalars(select(Verification)).one()
        assert run.passed
        connection = session.get(Connection, run.tenant_id)
        assert connection is not None
        assert connection.verified_at is not None
    page = member.get("/tenants/acme").text
    assert page.count('data-status="pass"') == 4
    assert "Verified at <time>" in page


def test_missing_scope_is_named_with_its_fix(workspace: Workspace) -> None:
    member = workspace.signed_in(MEMBER_A)
    scopes = [s for s in OKTA_READ_SCOPES if s != "okta.logs.read"]
    connect(workspace, member, scopes=scopes)

    job = verify(member)

    items = {i["name"]: i for i in job["progress"]["items"]}
    assert items["Scopes usable"]["status"] == "fail"
    assert "okta.logs.read" in items["Scopes usable"]["cause"]
    assert "okta.logs.read" in items["Scopes usable"]["fix"]
    page = member.get("/tenants/acme").text
    assert 'data-item="Scopes usable" data-status="fail"' in page
    assert "Not verified yet." in page


def test_verify_without_a_client_id_is_refused_with_a_hint(
    workspace: Workspace,
) -> None:
    operator = workspace.signed_in(OPERATOR)

    response = operator.post(
        "/tenants/globex/verify", token=operator.csrf("/tenants/globex")
    )

    assert response.status_code == 400
    assert "has no Client ID yet" in response.text
    assert "paste the app&#39;s Client ID" in response.text


def test_job_running_when_the_server_stopped_resumes_on_start(
    stored: Workspace,
) -> None:
    operator = stored.signed_in(OPERATOR)
    connect(stored, operator)
    stored.stop()
    acme = tenant_id(stored.store, "acme")
    kinds = default_job_kinds()
    with stored.store.session() as session:
        job_id = enqueue(session, kinds, "verify", tenant_id=acme, now=utcnow()).id
    # The server took the job and then stopped: it is left "running".
    claimed = claim_next(stored.store, kinds, utcnow())
    assert claimed is not None
    assert claimed.id == job_id
    assert claimed.state == "running"

    stored.start()

    job = wait_for_job(operator, "acme", job_id)
    assert job["state"] == "succeeded"
    assert job["attempts"] == 2
    with stored.store.session() as session:
        assert session.scalars(select(Verification.passed)).all() == [True]


def test_first_successful_verification_runs_the_hooks_once(
    workspace: Workspace,
) -> None:
    calls: list[str] = []
    kinds = default_job_kinds()
    kinds.first_verification_hooks.append(lambda _ctx, tenant: calls.append(tenant))
    workspace.stop()
    workspace.start(kinds)
    operator = workspace.signed_in(OPERATOR)
    connect(workspace, operator)

    first = verify(operator)
    second = verify(operator)

    assert first["progress"]["passed"] is second["progress"]["passed"] is True
    assert calls == [tenant_id(workspace.store, "acme")]


async def _wait_forever(context: JobContext) -> dict[str, Any]:
    return {}


def test_one_capture_per_tenant_at_a_time(stored: Workspace) -> None:
    kinds = JobKinds()
    kinds.register(JobKind("snapshot", _wait_forever))
    acme = tenant_id(stored.store, "acme")
    globex = tenant_id(stored.store, "globex")
    with stored.store.session() as session:
        first = enqueue(session, kinds, "snapshot", tenant_id=acme, now=utcnow()).id
        enqueue(session, kinds, "snapshot", tenant_id=globex, now=utcnow())

    with pytest.raises(JobAlreadyRunning), stored.store.session() as session:
        enqueue(session, kinds, "snapshot", tenant_id=acme, now=utcnow())

    finish(stored.store, first, now=utcnow(), progress={})
    with stored.store.session() as session:
        enqueue(session, kinds, "snapshot", tenant_id=acme, now=utcnow())
        states = session.scalars(
            select(Job.state).where(Job.kind == "snapshot", Job.tenant_id == acme)
        ).all()
    assert sorted(states) == ["queued", "succeeded"]
