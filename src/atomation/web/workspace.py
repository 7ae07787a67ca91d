"""What the workspace's routes share: the runtime, the job runner, templates, nav.

Built once per app by :func:`atomation.web.app.create_app` and kept on
``app.state.workspace``. ``nav`` is the list of per-tenant pages in the
tenant's menu: the setup guide, the snapshots and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from atomation.accounts.models import User
from atomation.jobs.kinds import JobKinds
from atomation.jobs.runner import JobRunner
from atomation.okta import Clock
from atomation.runtime import Runtime
from atomation.store.types import utcnow
from atomation.web.security import csrf_token

__all__ = ["NavEntry", "Workspace", "render", "workspace_of"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class NavEntry:
    """A page of a tenant: its label and its path under ``/tenants/<subdomain>``."""

    label: str
    path: str


@dataclass
class Workspace:
    runtime: Runtime
    kinds: JobKinds
    clock: Clock
    runner: JobRunner | None = None
    """Started by the app's lifespan; None until then (and with lifespan off,
    when queued jobs wait for a server that runs them)."""
    nav: list[NavEntry] = field(
        default_factory=lambda: [
            NavEntry("Setup guide", ""),
            NavEntry("Snapshots", "/snapshots"),
            NavEntry("Reports", "/reports"),
        ]
    )
    templates: jinja2.Environment = field(
        default_factory=lambda: jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
    )

    def now(self) -> datetime:
        """Wall-clock time for what the workspace stores (tenants, sessions,
        links); ``clock`` is only the time jobs use toward Okta."""
        return utcnow()


def workspace_of(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


def render(
    request: Request,
    template: str,
    *,
    user: User | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    workspace = workspace_of(request)
    body = workspace.templates.get_template(template).render(
        csrf_token=csrf_token(request),
        user=user,
        nav=workspace.nav,
        error=context.pop("error", None),
        hint=context.pop("hint", None),
        **context,
    )
    return HTMLResponse(body, status_code=status_code, headers=headers)
