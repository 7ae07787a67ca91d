"""The snapshot and report pages of a tenant, their downloads and the comparison.

* ``/tenants/<sub>/snapshots``: every snapshot with its state and completeness,
  the capture under way with its progress per family (the page reloads itself
  while a capture or an assessment runs), and the button that takes a snapshot
  (or resumes one a capture left unfinished).
* ``/tenants/<sub>/snapshots/<id>``: completeness per family with every
  collection that fell short and why, the root hash, and the evidence bundle
  (``evidence.zip``, the auditor's export of docs/evidence.md).
* ``/tenants/<sub>/reports``: the latest report in the page, downloads in every
  format for each assessed snapshot, and the comparison of two of them
  (``/tenants/<sub>/compare?old=&new=``).

Reports are rendered on request from the stored run, as ``atomation report``
renders them, so a download is always the stored assessment. A snapshot, run or
file that is not the tenant's answers 404, like a tenant that does not exist.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from atomation.accounts.models import User
from atomation.report.compare_render import (
    render_comparison_html,
    render_comparison_json,
)
from atomation.report.errors import ReportInputError
from atomation.report.formats import FORMATS, Format
from atomation.report.source import stored_comparison, stored_report
from atomation.snapshot.evidence import export_bundle, open_evidence_store
from atomation.snapshot.listing import (
    SnapshotSummary,
    completeness_by_family,
    list_snapshots,
)
from atomation.store import Tenant
from atomation.web.access import require_user, visible_tenant
from atomation.web.actions import INPUT_ERRORS
from atomation.web.history import history_of, start_snapshot
from atomation.web.pages import CsrfField, check_csrf, see_other
from atomation.web.security import FRAMING_PAGE_CSP, REPORT_DOCUMENT_CSP
from atomation.web.workspace import render, workspace_of

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

FILES = {entry.file_name: name for name, entry in FORMATS.items()}
"""Download file name → format: ``report.html``, ``report.pdf``, ``findings.csv``…"""
COMPARE_FORMATS = (Format.html, Format.json)


def _tenant(request: Request, subdomain: str) -> tuple[User, Tenant]:
    user = require_user(request)
    return user, visible_tenant(request, user, subdomain)


def _snapshot_of(request: Request, tenant: Tenant, snapshot_id: str) -> SnapshotSummary:
    found = list_snapshots(
        workspace_of(request).runtime.store, tenant.id, snapshot_id=snapshot_id[:32]
    )
    if not found:
        raise HTTPException(status_code=404)
    return found[0]


def _snapshots(
    request: Request,
    user: User,
    tenant: Tenant,
    *,
    status_code: int = 200,
    error: str | None = None,
    hint: str | None = None,
) -> HTMLResponse:
    history = history_of(workspace_of(request), tenant)
    return render(
        request,
        "snapshots.html",
        user=user,
        tenant=tenant,
        history=history,
        poll=time.monotonic_ns(),
        status_code=status_code,
        error=error,
        hint=hint,
    )


@router.get("/tenants/{subdomain}/snapshots")
def snapshots_page(request: Request, subdomain: str) -> HTMLResponse:
    user, tenant = _tenant(request, subdomain)
    return _snapshots(request, user, tenant)


@router.post("/tenants/{subdomain}/snapshots")
def snapshot_form(
    request: Request,
    subdomain: str,
    csrf: CsrfField = "",
    resume: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    user, tenant = _tenant(request, subdomain)
    try:
        start_snapshot(workspace_of(request), tenant, resume=resume == "1")
    except INPUT_ERRORS as exc:
        return _snapshots(
            request, user, tenant, status_code=400, error=exc.message, hint=exc.hint
        )
    return see_other(f"/tenants/{subdomain}/snapshots")


@router.get("/tenants/{subdomain}/snapshots/{snapshot_id}")
def snapshot_page(request: Request, subdomain: str, snapshot_id: str) -> HTMLResponse:
    user, tenant = _tenant(request, subdomain)
    snapshot = _snapshot_of(request, tenant, snapshot_id)
    store = workspace_of(request).runtime.store
    history = history_of(workspace_of(request), tenant)
    return render(
        request,
        "snapshot.html",
        user=user,
        tenant=tenant,
        snapshot=snapshot,
        families=completeness_by_family(store, snapshot.id),
        run=history.run_of(snapshot.id),
    )


@router.get("/tenants/{subdomain}/snapshots/{snapshot_id}/evidence.zip")
def evidence_export(request: Request, subdomain: str, snapshot_id: str) -> Response:
    """The auditor's bundle of a sealed snapshot (an unsealed one has none)."""
    _user, tenant = _tenant(request, subdomain)
    snapshot = _snapshot_of(request, tenant, snapshot_id)
    if snapshot.root_hash is None:
        raise HTTPException(status_code=404)
    settings = workspace_of(request).runtime.settings
    folder = Path(tempfile.mkdtemp(prefix="atomation-export-"))
    name = f"snapshot-{snapshot.id}.zip"
    try:
        export_bundle(
            workspace_of(request).runtime.store,
            open_evidence_store(settings),
            snapshot.id,
            folder / name,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        folder / name,
        media_type="application/zip",
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/tenants/{subdomain}/reports")
def reports_page(request: Request, subdomain: str) -> HTMLResponse:
    user, tenant = _tenant(request, subdomain)
    return _reports(request, user, tenant)


def _document(
    content: bytes, media_type: str, file_name: str, *, attachment: bool
) -> Response:
    headers = {"Content-Security-Policy": REPORT_DOCUMENT_CSP}
    if attachment:
        headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    else:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return Response(content, media_type=media_type, headers=headers)


@router.get("/tenants/{subdomain}/reports/{snapshot_id}/{file_name}")
def report_file(
    request: Request,
    subdomain: str,
    snapshot_id: str,
    file_name: str,
    download: bool = False,
) -> Response:
    """The latest run of the snapshot in one format; the HTML is shown in the page
    unless ``download`` is set, every other format is a download."""
    _user, tenant = _tenant(request, subdomain)
    snapshot = _snapshot_of(request, tenant, snapshot_id)
    format = FILES.get(file_name)
    if format is None:
        raise HTTPException(status_code=404)
    workspace = workspace_of(request)
    try:
        report = stored_report(
            workspace.runtime.store,
            open_evidence_store(workspace.runtime.settings),
            tenant.subdomain,
            snapshot_id=snapshot.id,
            generated_at=workspace.now(),
        )
    except ReportInputError:  # no stored run of this snapshot
        raise HTTPException(status_code=404) from None
    entry = FORMATS[format]
    logger.info("report of snapshot %s rendered as %s", snapshot.id, format.value)
    return _document(
        entry.render(report),
        entry.media_type,
        f"{tenant.subdomain}-{snapshot.id}-{entry.file_name}",
        attachment=download or format is not Format.html,
    )


@router.get("/tenants/{subdomain}/compare")
def compare(
    request: Request,
    subdomain: str,
    old: Annotated[str, Query(max_length=32)] = "",
    new: Annotated[str, Query(max_length=32)] = "",
    format: Format = Format.html,
) -> Response:
    """What changed between two assessed snapshots, older first."""
    user, tenant = _tenant(request, subdomain)
    if format not in COMPARE_FORMATS:
        raise HTTPException(status_code=404)
    older = _snapshot_of(request, tenant, old)
    newer = _snapshot_of(request, tenant, new)
    try:
        comparison = stored_comparison(
            workspace_of(request).runtime.store, tenant.subdomain, older.id, newer.id
        )
    except ReportInputError as exc:  # the same snapshot twice, or one not assessed
        return _reports(request, user, tenant, exc)
    if format is Format.json:
        return _document(
            render_comparison_json(comparison),
            FORMATS[Format.json].media_type,
            f"{tenant.subdomain}-compare-{older.id}-{newer.id}.json",
            attachment=True,
        )
    return _document(
        render_comparison_html(comparison),
        FORMATS[Format.html].media_type,
        "",
        attachment=False,
    )


def _reports(
    request: Request,
    user: User,
    tenant: Tenant,
    exc: ReportInputError | None = None,
) -> HTMLResponse:
    return render(
        request,
        "reports.html",
        user=user,
        tenant=tenant,
        history=history_of(workspace_of(request), tenant),
        formats=FORMATS,
        poll=time.monotonic_ns(),
        status_code=200 if exc is None else 400,
        error=exc.message if exc else None,
        hint=exc.hint if exc else None,
        headers={"Content-Security-Policy": FRAMING_PAGE_CSP},
    )
