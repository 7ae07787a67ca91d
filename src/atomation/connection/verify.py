"""Verify Connection: prove the app can read what an assessment needs, and say why not.

The run (DESIGN, troubleshooting contract):

1. *Token acquired* — the org answers as an Okta Identity Engine org, then a
   token for the ten scopes is issued.
2. *Scopes usable* — every scope is in the issued token (Okta narrows the token
   to the granted ones, okta-api.md §1.4), and one minimal read per scope
   (``limit=1``) is not refused with 403 ``insufficient_scope`` (§3.2).
3. *Role sufficient* — no minimal read is refused with E0000006, and no list that
   cannot be empty in a real org is empty (a role scoped to a few resources
   filters lists instead of refusing, §3.2 [KB]). The app's own roles are read
   to warn when it holds more than it needs; if that read is itself refused (it
   may be a Super Admin permission, §6), that is a warning, not a failure.
4. *Verified timestamp* — the time of this run when nothing failed, otherwise
   the last successful time, shown so the admin knows how stale it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from atomation.connection.items import (
    ROLE_SUFFICIENT,
    SCOPES_USABLE,
    TOKEN_ACQUIRED,
    VERIFIED_TIMESTAMP,
    VerificationItem,
    VerificationResult,
)
from atomation.okta import (
    AccessToken,
    ConsentRequired,
    FeatureNotEnabled,
    InsufficientScope,
    OktaClient,
    OktaError,
    Page,
    PermissionDenied,
)

__all__ = [
    "BROAD_ROLES",
    "SCOPE_PROBES",
    "ScopeProbe",
    "failed_items",
    "verify_connection",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScopeProbe:
    """The smallest read that proves a scope usable; ``never_empty`` lists always
    hold something in a real org (an admin user, the Everyone group, the default
    global session policy), so an empty answer means the role filters them out."""

    scope: str
    path: str
    params: dict[str, str | int] = field(default_factory=dict)
    never_empty: bool = False

    @property
    def label(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"GET {self.path}" + (f"?{query}" if query else "")


SCOPE_PROBES: tuple[ScopeProbe, ...] = (
    ScopeProbe("okta.users.read", "/api/v1/users", {"limit": 1}, never_empty=True),
    ScopeProbe("okta.groups.read", "/api/v1/groups", {"limit": 1}, never_empty=True),
    ScopeProbe("okta.apps.read", "/api/v1/apps", {"limit": 1}),
    ScopeProbe(
        "okta.policies.read",
        "/api/v1/policies",
        {"type": "OKTA_SIGN_ON", "limit": 1},
        never_empty=True,
    ),
    ScopeProbe("okta.logs.read", "/api/v1/logs", {"limit": 1}),
    ScopeProbe("okta.networkZones.read", "/api/v1/zones", {"limit": 1}),
    ScopeProbe("okta.trustedOrigins.read", "/api/v1/trustedOrigins", {"limit": 1}),
    ScopeProbe("okta.roles.read", "/api/v1/iam/roles", {"limit": 1}),
    ScopeProbe(
        "okta.authorizationServers.read", "/api/v1/authorizationServers", {"limit": 1}
    ),
    ScopeProbe("okta.idps.read", "/api/v1/idps", {"limit": 1}),
)

# Roles broader than a read-only assessment needs (DESIGN, over-privilege warning).
BROAD_ROLES = frozenset({"SUPER_ADMIN", "ORG_ADMIN"})

GRANT_FIX = (
    "grant {scopes} on the app's 'Okta API Scopes' tab in the Okta Admin Console."
)
ROLE_FIX = (
    "assign the app the Read-Only Administrator role (Okta Admin Console > the app > "
    "Admin roles), or widen its role so it can see the whole org."
)
AFTER_FIX = "fix 'Token acquired' first, then verify again."


@dataclass
class _Findings:
    missing_scopes: list[str] = field(default_factory=list)
    denied_reads: list[str] = field(default_factory=list)
    empty_reads: list[str] = field(default_factory=list)
    unlicensed: list[str] = field(default_factory=list)
    readable: list[str] = field(default_factory=list)
    other: list[OktaError] = field(default_factory=list)


async def verify_connection(
    client: OktaClient,
    *,
    last_verified_at: datetime | None,
    now: Callable[[], datetime],
) -> VerificationResult:
    """Run the four items against the org ``client`` reads."""
    started_at = now()
    token_item, token, none_granted = await _token_acquired(client)
    if token is None:
        scopes_item, role_item = _not_checked(client, none_granted=none_granted)
    else:
        findings = await _probe_scopes(client, token)
        scopes_item = _scopes_usable(findings)
        role_item = await _role_sufficient(client, findings)

    items = [token_item, scopes_item, role_item]
    finished_at = now()
    if all(item.status != "fail" for item in items):
        verified_at: datetime | None = finished_at
        stamp = VerificationItem(
            VERIFIED_TIMESTAMP, "pass", f"verified at {_when(finished_at)}"
        )
    else:
        verified_at = last_verified_at
        last = _when(last_verified_at) if last_verified_at else "never"
        stamp = VerificationItem(
            VERIFIED_TIMESTAMP,
            "fail",
            f"this run failed; last successful verification: {last}",
            "fix the failed items above, then verify again.",
        )
    items.append(stamp)
    result = VerificationResult(
        items=tuple(items),
        started_at=started_at,
        finished_at=finished_at,
        verified_at=verified_at,
        dpop_required=client.dpop_required,
    )
    logger.info(
        "verify connection: %s", ", ".join(f"{i.name} {i.status}" for i in items)
    )
    return result


def failed_items(
    cause: OktaError | Exception, *, hint: str | None = None
) -> list[VerificationItem]:
    """The first three items when nothing could be tried (e.g. the org URL refused)."""
    message = getattr(cause, "message", str(cause))
    fix = hint if hint is not None else (getattr(cause, "hint", None) or "")
    return [
        VerificationItem(TOKEN_ACQUIRED, "fail", message, fix),
        VerificationItem(
            SCOPES_USABLE, "fail", "not checked: no access token", AFTER_FIX
        ),
        VerificationItem(
            ROLE_SUFFICIENT, "fail", "not checked: no access token", AFTER_FIX
        ),
    ]


async def _token_acquired(
    client: OktaClient,
) -> tuple[VerificationItem, AccessToken | None, bool]:
    try:
        await client.organization()
        token = await client.access_token()
    except ConsentRequired as exc:
        cause = (
            "Okta accepted the app's credentials but issued no token: none of the "
            "ten read scopes is granted (consent_required)"
        )
        return VerificationItem(TOKEN_ACQUIRED, "fail", cause, exc.fix), None, True
    except OktaError as exc:
        item = VerificationItem(TOKEN_ACQUIRED, "fail", exc.cause, exc.fix)
        return item, None, False
    kind = "DPoP-bound" if token.is_dpop else "Bearer"
    cause = f"{kind} token issued for {len(token.scopes)} of the ten scopes"
    if token.is_dpop and client.tokens.mode == "auto":
        cause += "; the app requires DPoP, and this connection now uses it"
    return VerificationItem(TOKEN_ACQUIRED, "pass", cause), token, False


def _not_checked(
    client: OktaClient, *, none_granted: bool
) -> tuple[VerificationItem, VerificationItem]:
    if none_granted:
        scopes = VerificationItem(
            SCOPES_USABLE,
            "fail",
            "no scope is granted; missing: " + ", ".join(client.tokens.scopes),
            GRANT_FIX.format(scopes="the ten read scopes"),
        )
    else:
        scopes = VerificationItem(
            SCOPES_USABLE, "fail", "not checked: no access token", AFTER_FIX
        )
    role = VerificationItem(
        ROLE_SUFFICIENT, "fail", "not checked: no access token", AFTER_FIX
    )
    return scopes, role


async def _probe_scopes(client: OktaClient, token: AccessToken) -> _Findings:
    findings = _Findings()
    granted = set(token.scopes)
    findings.missing_scopes = [s for s in client.tokens.scopes if s not in granted]
    for probe in SCOPE_PROBES:
        if probe.scope not in granted:
            continue
        try:
            page = await client.get(probe.path, probe.params)
        except InsufficientScope:
            findings.missing_scopes.append(probe.scope)
        except PermissionDenied:
            findings.denied_reads.append(probe.label)
        except FeatureNotEnabled:
            findings.unlicensed.append(probe.label)
        except OktaError as exc:
            findings.other.append(exc)
        else:
            if probe.never_empty and _is_empty(page):
                findings.empty_reads.append(probe.label)
            else:
                findings.readable.append(probe.label)
    return findings


def _is_empty(page: Page) -> bool:
    try:
        return len(page.items()) == 0
    except ValueError:
        return False


def _scopes_usable(findings: _Findings) -> VerificationItem:
    if findings.missing_scopes:
        names = ", ".join(dict.fromkeys(findings.missing_scopes))
        return VerificationItem(
            SCOPES_USABLE,
            "fail",
            f"scope denied: not granted to the app: {names}",
            GRANT_FIX.format(scopes=names),
        )
    if findings.other:
        first = findings.other[0]
        return VerificationItem(SCOPES_USABLE, "fail", first.cause, first.fix)
    cause = "all ten scopes granted and usable"
    if findings.unlicensed:
        cause += "; not licensed in this org, so not assessed: " + ", ".join(
            findings.unlicensed
        )
    return VerificationItem(SCOPES_USABLE, "pass", cause)


async def _role_sufficient(client: OktaClient, findings: _Findings) -> VerificationItem:
    problems = [f"{read} refused (E0000006)" for read in findings.denied_reads]
    problems += [f"{read} returned nothing" for read in findings.empty_reads]
    if problems:
        # No read at all works: no role (or one that sees nothing); some work:
        # a role too narrow for the whole org.
        kind = "missing" if not findings.readable else "too narrow"
        return VerificationItem(
            ROLE_SUFFICIENT,
            "fail",
            f"the app's admin role is {kind}: " + "; ".join(problems),
            ROLE_FIX,
        )
    if findings.other:
        first = findings.other[0]
        return VerificationItem(
            ROLE_SUFFICIENT, "fail", "not fully checked: " + first.cause, first.fix
        )
    return await _own_roles(client)


async def _own_roles(client: OktaClient) -> VerificationItem:
    path = f"/oauth2/v1/clients/{client.client_id}/roles"
    try:
        page = await client.get(path)
        roles = page.items()
    except (PermissionDenied, InsufficientScope) as exc:
        return VerificationItem(
            ROLE_SUFFICIENT,
            "warn",
            "every read the assessment needs works, but the app may not read its "
            f"own admin roles (GET {path} refused: {exc.code}); role assignments "
            "will not be assessed",
            "nothing required; Okta lets only Super Administrators view admin "
            "roles, and Atomation does not need that role.",
        )
    except (OktaError, ValueError) as exc:
        return VerificationItem(
            ROLE_SUFFICIENT,
            "warn",
            f"every read the assessment needs works, but GET {path} failed: {exc}",
            "verify again later.",
        )
    types = sorted({str(r.get("type")) for r in roles if isinstance(r, dict)})
    broad = [t for t in types if t in BROAD_ROLES]
    if broad:
        return VerificationItem(
            ROLE_SUFFICIENT,
            "warn",
            "the app holds " + ", ".join(broad) + ", more than a read-only "
            "assessment needs",
            "assign the Read-Only Administrator role instead and remove "
            + ", ".join(broad)
            + " (Okta Admin Console > the app > Admin roles).",
        )
    shown = ", ".join(types) if types else "no role listed"
    return VerificationItem(
        ROLE_SUFFICIENT, "pass", f"every minimal read works; app roles: {shown}"
    )


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
