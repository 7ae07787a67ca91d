"""Snapshots and reports in the workspace: the first report arrives by itself after
the first successful verification, every format downloads, the evidence bundle
exports, two snapshots compare, and a capture cut off by a restart resumes."""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from atomation.report import report_schema
from atomation.simulator.harness import SimulatorServer
from atomation.store import Job, Snapshot
from tests.okta.admin import OktaAdmin
from tests.web.workspace.conftest import (
    MEMBER_A,
    OPERATOR,
    Visitor,
    Workspace,
    make_workspace,
)
from tests.web.workspace.test_verify_job import connect, verify

History = dict[str, Any]


def history(visitor: Visitor, subdomain: str = "acme") -> History:
    response = visitor.get(f"/api/tenants/{subdomain}/snapshots")
    assert response.status_code == 200, response.text
    found: History = response.json()
    return found


def wait_for(
    visitor: Visitor, done: Callable[[History], bool], *, seconds: float = 120
) -> History:
    """Poll the tenant's snapshots and jobs until ``done`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = history(visitor)
        for job in (seen["capture"], seen["assessment"]):
            assert job is None or job["state"] != "failed", job
        if done(seen):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"not reached in {seconds} s: {history(visitor)}")


def assessed(count: int) -> Callable[[History], bool]:
    def check(seen: History) -> bool:
        job = seen["assessment"]
        return (
            len(seen["runs"]) >= count
            and job is not None
            and job["state"] == "succeeded"
        )

    return check


@pytest.fixture
def reported(workspace: Workspace) -> tuple[Workspace, Visitor, History]:
    """acme verified once, so its first snapshot and report made themselves."""
    member = workspace.signed_in(MEMBER_A)
    connect(workspace, member)
    assert verify(member)["progress"]["passed"] is True
    return workspace, member, wait_for(member, assessed(1))


def test_first_verification_brings_the_first_report_by_itself(
    reported: tuple[Workspace, Visitor, History],
) -> None:
    _workspace, member, seen = reported

    (snapshot,) = seen["snapshots"]
    (run,) = seen["runs"]
    page = member.get("/tenants/acme/reports")
    report = member.get(f"/tenants/acme/reports/{snapshot['id']}/report.html")

    assert snapshot["state"] == "complete"
    assert snapshot["root_hash"]
    assert set(snapshot["completeness"]) == {"complete"}
    assert run["snapshot_id"] == snapshot["id"]
    assert seen["capture"]["params"] == {}  # queued by the verification, not a press
    assert page.status_code == 200
    assert f'src="/tenants/acme/reports/{snapshot["id"]}/report.html"' in page.text
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    assert report.status_code == 200
    assert "Okta security posture report" in report.text
    assert "sandbox" in report.headers["content-security-policy"]
    assert report.headers["x-frame-options"] == "SAMEORIGIN"


def test_every_format_downloads_from_the_stored_run(
    reported: tuple[Workspace, Visitor, History],
) -> None:
    _workspace, member, seen = reported
    snapshot_id = seen["snapshots"][0]["id"]
    base = f"/tenants/acme/reports/{snapshot_id}"

    files = {
        # WeasyPrint lays the PDF out in tens of seconds on a busy machine.
        name: member.get(f"{base}/{name}", params={"download": "true"}, timeout=300)
        for name in (
            "report.html",
            "report.pdf",
            "report.json",
            "findings.csv",
            "findings.ocsf.jsonl",
        )
    }

    for name, response in files.items():
        assert response.status_code == 200, name
        assert response.headers["content-disposition"] == (
            f'attachment; filename="acme-{snapshot_id}-{name}"'
        )
    assert files["report.pdf"].content.startswith(b"%PDF-")
    assert files["report.pdf"].headers["content-type"] == "application/pdf"
    document = files["report.json"].json()
    jsonschema.validate(document, report_schema())
    assert document["snapshot"]["id"] == snapshot_id
    header = files["findings.csv"].text.splitlines()[0]
    assert "check_id" in header
    events = [
        json.loads(line) for line in files["findings.ocsf.jsonl"].text.splitlines()
    ]
    assert events
    assert {event["class_uid"] for event in events} == {2003}
    assert member.get(f"{base}/secrets.txt").status_code == 404


def test_snapshot_page_shows_completeness_and_exports_verifiable_evidence(
    reported: tuple[Workspace, Visitor, History],
) -> None:
    _workspace, member, seen = reported
    snapshot = seen["snapshots"][0]

    page = member.get(f"/tenants/acme/snapshots/{snapshot['id']}")
    bundle = member.get(f"/tenants/acme/snapshots/{snapshot['id']}/evidence.zip")

    assert page.status_code == 200
    assert 'data-family="users"' in page.text
    assert 'data-family="logs"' in page.text
    assert 'id="all-complete"' in page.text
    assert snapshot["root_hash"] in page.text
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        names = archive.namelist()
        folder = f"snapshot-{snapshot['id']}/"
        checksums = archive.read(folder + "SHA256SUMS").decode().splitlines()
        for line in checksums:
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(folder + name)).hexdigest() == digest
    assert folder + "VERIFY.md" in names
    assert len(checksums) > 10


def test_a_second_snapshot_on_request_then_the_two_compared(
    reported: tuple[Workspace, Visitor, History],
) -> None:
    _workspace, member, seen = reported
    first = seen["snapshots"][0]["id"]

    pressed = member.post(
        "/tenants/acme/snapshots", token=member.csrf("/tenants/acme/snapshots")
    )
    after = wait_for(member, assessed(2))
    second = after["snapshots"][0]["id"]
    html = member.get("/tenants/acme/compare", params={"old": first, "new": second})
    data = member.get(
        "/tenants/acme/compare",
        params={"old": first, "new": second, "format": "json"},
    )
    twice = member.get("/tenants/acme/compare", params={"old": first, "new": first})
    reports = member.get("/tenants/acme/reports").text

    assert pressed.status_code == 303
    assert second != first
    assert [s["state"] for s in after["snapshots"]] == ["complete", "complete"]
    assert html.status_code == 200
    assert "sandbox" in html.headers["content-security-policy"]
    assert data.status_code == 200
    compared = data.json()
    assert compared["old"]["snapshot_id"] == first
    assert compared["new"]["snapshot_id"] == second
    assert twice.status_code == 400
    assert "names snapshot" in twice.text
    assert 'id="compare-form"' in reports


def test_a_second_capture_is_refused_while_one_runs(workspace: Workspace) -> None:
    operator = workspace.signed_in(OPERATOR)
    connect(workspace, operator)
    token = operator.api_token()

    first = operator.http.post(
        "/api/tenants/acme/snapshots", headers={"X-CSRF-Token": token}
    )
    second = operator.http.post(
        "/api/tenants/acme/snapshots", headers={"X-CSRF-Token": token}
    )
    page = operator.post(
        "/tenants/acme/snapshots", token=operator.csrf("/tenants/acme/snapshots")
    )

    assert first.status_code == 202
    assert second.status_code == 409
    assert "already queued or running" in second.json()["message"]
    assert page.status_code == 400
    assert "already queued or running" in page.text
    wait_for(operator, assessed(1))  # the first one still ends well


@pytest.fixture
def slow_okta() -> Iterator[SimulatorServer]:
    """Requests take 0.05 s of real time, so a capture lasts long enough to cut."""
    with SimulatorServer(users=60, latency=1.0, time_scale=20.0) as server:
        yield server


def test_a_capture_cut_off_by_a_restart_resumes_its_snapshot(
    slow_okta: SimulatorServer, data_dir: Path
) -> None:
    admin = OktaAdmin(slow_okta)
    try:
        for workspace in make_workspace(
            slow_okta, admin, data_dir, f"sqlite:///{data_dir / 'w.db'}"
        ):
            operator = workspace.signed_in(OPERATOR)
            connect(workspace, operator)
            started = operator.http.post(
                "/api/tenants/acme/snapshots",
                headers={"X-CSRF-Token": operator.api_token()},
            )
            assert started.status_code == 202
            job_id = started.json()["id"]
            cut = wait_for(
                operator,
                lambda seen: bool(
                    seen["capture"]["progress"].get("families", {}).get("users", {})
                ),
                seconds=60,
            )
            snapshot_id = cut["capture"]["progress"]["snapshot_id"]

            workspace.stop()
            with workspace.store.session() as session:
                job = session.get(Job, job_id)
                assert job is not None
                assert job.state == "running"  # left to resume
                snapshot = session.get(Snapshot, snapshot_id)
                assert snapshot is not None
                assert snapshot.state == "capturing"
            workspace.start()
            done = wait_for(operator, assessed(1))

            assert [s["id"] for s in done["snapshots"]] == [snapshot_id]
            assert done["snapshots"][0]["state"] == "complete"
            assert done["capture"]["id"] == job_id
            assert done["capture"]["attempts"] == 2
            with workspace.store.session() as session:
                kinds = session.scalars(select(Job.kind).order_by(Job.kind)).all()
            assert kinds == ["assess", "snapshot"]
    finally:
        admin.close()
