"""The setup guide's content for one tenant, gathered for a page or the API.

The five steps are the customer's path of DESIGN.md step 2, in the order the
Okta Admin Console presents them (okta-api.md §1.3 for the JWKS URL setting,
§1.4 for scope grants narrowing the token, §6 for the role), with the tenant's
own values filled in. The troubleshooting table is the contract of DESIGN.md,
item by item as Verify Connection reports them (docs/okta-client.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from atomation.connection.items import ITEM_NAMES
from atomation.connection.service import last_verification
from atomation.jobs.service import latest_job
from atomation.jobs.verify import VERIFY
from atomation.okta import OKTA_READ_SCOPES
from atomation.settings import Settings
from atomation.store import Connection, Job, Tenant
from atomation.tenants.service import SetupValues, setup_values

__all__ = ["TROUBLESHOOTING", "GuideStep", "TenantGuide", "guide_of", "steps_for"]

RECOMMENDED_ROLE = "Read-Only Administrator"


@dataclass(frozen=True)
class GuideStep:
    title: str
    actions: tuple[str, ...]
    values: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs shown with copy buttons inside the step."""


def steps_for(values: SetupValues) -> tuple[GuideStep, ...]:
    return (
        GuideStep(
            "Create the API Services app",
            (
                "In the Okta Admin Console, open Applications › Applications and "
                "choose Create App Integration.",
                "Pick API Services and name the app exactly as below.",
            ),
            (("App name", values.app_name),),
        ),
        GuideStep(
            "Set client authentication to a public key fetched from our URL",
            (
                "On the app's General tab, edit Client Credentials and choose "
                "Public key / Private key.",
                "Choose Use a URL to fetch keys dynamically, paste the tenant JWKS "
                "URL below and save. Okta fetches our public key from it; no key "
                "is pasted or uploaded.",
                "Leave Require Demonstrating Proof of Possession (DPoP) as your "
                "policy wants: Atomation works with it on or off.",
            ),
            (("Tenant JWKS URL", values.tenant_jwks_url),),
        ),
        GuideStep(
            "Grant the ten read scopes",
            (
                "On the Okta API Scopes tab, grant each of the ten scopes listed "
                "below, and no other.",
                "A scope left out is named by Verify Connection, with its fix.",
            ),
        ),
        GuideStep(
            "Assign a read-only admin role",
            (
                f"On the Admin roles tab, assign {RECOMMENDED_ROLE} to the app. "
                "It is enough to read every setting Atomation assesses.",
                "A broader role (Super Administrator, Organization Administrator) "
                "works but is reported as a warning: the app should hold no more "
                "than it needs.",
            ),
        ),
        GuideStep(
            "Paste the Client ID and verify",
            (
                "Copy the Client ID from the app's General tab into the form "
                "below and save it.",
                "Press Verify Connection. Each of the four items passes, or says "
                "what is wrong and how to fix it.",
            ),
            (("Okta org URL", values.okta_org_url),),
        ),
    )


TROUBLESHOOTING: tuple[tuple[str, str, str], ...] = (
    (
        "invalid_client",
        "The Client ID does not match, the JWKS URL was not saved, or Okta cannot "
        "reach our public key.",
        "Re-check the Client ID, the tenant JWKS URL and the Client Credentials "
        "settings of the app.",
    ),
    (
        "Scope denied",
        "A read scope was not granted (Verify names each one): no scope granted at "
        "all, a token narrowed to some of them, or a read refused with "
        "insufficient_scope.",
        "Grant the missing scopes on the app's Okta API Scopes tab.",
    ),
    (
        "403 on read calls",
        "The token is valid but the app's admin role is missing or too narrow "
        "(Verify names the reads refused).",
        f"Assign {RECOMMENDED_ROLE} (or another approved role that sees the whole "
        "org).",
    ),
    (
        "DPoP failure",
        "The app's DPoP setting and this connection's DPoP mode disagree.",
        "Confirm the DPoP setting on the app, and choose auto for this connection.",
    ),
    (
        "Classic Engine org",
        "The org runs Okta Classic Engine; only Identity Engine is supported.",
        "Upgrade the org to Okta Identity Engine.",
    ),
    (
        "Org unreachable or not Okta",
        "The org URL does not answer, or does not answer as an Okta org.",
        "Check the tenant's Okta org URL and the network path to it.",
    ),
    (
        "Clock skew",
        "Our clock and Okta's disagree by more than the assertion allows.",
        "Set the server clock right (NTP).",
    ),
    (
        "Rate limited",
        "Okta answered 429 during verification.",
        "Verify again after the window resets.",
    ),
    (
        "Over-privileged role (warning)",
        "The app holds Super Administrator or Organization Administrator.",
        f"Assign {RECOMMENDED_ROLE} instead and remove the broader role.",
    ),
)


@dataclass(frozen=True)
class TenantGuide:
    """Everything the setup guide shows for one tenant, read in one session."""

    tenant: Tenant
    values: SetupValues
    steps: tuple[GuideStep, ...]
    scopes: tuple[str, ...]
    client_id: str | None
    dpop_mode: str
    verified_at: datetime | None
    last_items: list[dict[str, str]]
    last_run_at: datetime | None
    job: Job | None

    @property
    def verifying(self) -> bool:
        return self.job is not None and self.job.state in ("queued", "running")

    def as_dict(self) -> dict[str, Any]:
        return {
            "subdomain": self.tenant.subdomain,
            "setup_values": self.values.as_dict(),
            "scopes": list(self.scopes),
            "client_id": self.client_id,
            "dpop_mode": self.dpop_mode,
            "verified_at": _iso(self.verified_at),
            "last_verification": {
                "at": _iso(self.last_run_at),
                "items": self.last_items,
            }
            if self.last_run_at
            else None,
            "verify_job": job_dict(self.job) if self.job else None,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def job_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "params": job.params,
        "progress": job.progress,
        "error": job.error,
        "attempts": job.attempts,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }


def guide_of(session: Session, settings: Settings, tenant: Tenant) -> TenantGuide:
    values = setup_values(settings, tenant)
    connection = session.get(Connection, tenant.id)
    run = last_verification(session, tenant)
    items: list[dict[str, str]] = list(run.items.get("items", [])) if run else []
    # Keep the guide's order even if a stored run listed them otherwise.
    items.sort(
        key=lambda i: ITEM_NAMES.index(i["name"]) if i["name"] in ITEM_NAMES else 9
    )
    return TenantGuide(
        tenant=tenant,
        values=values,
        steps=steps_for(values),
        scopes=OKTA_READ_SCOPES,
        client_id=connection.client_id if connection else None,
        dpop_mode=connection.dpop_mode if connection else "auto",
        verified_at=connection.verified_at if connection else None,
        last_items=items,
        last_run_at=run.finished_at if run else None,
        job=latest_job(session, VERIFY, tenant.id),
    )
