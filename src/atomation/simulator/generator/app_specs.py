"""Which apps an org has: the first-party apps, customer apps and, as the org grows,
more line-of-business apps. The typical profile adds the apps its findings are
planted on (implicit and password grants, SHA-1 SAML, a client-secret service
client, password vaulting, an inactive app, a sensitive app assigned to Everyone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from atomation.simulator.generator._common import Context

__all__ = ["AppSpec", "app_specs"]


@dataclass
class AppSpec:
    """What one app is; the builder turns it into the spec's JSON."""

    label: str
    kind: str  # saasure, okta_enduser, web, browser, service, saml, bookmark, swa
    policy: str | None = "two_factor"
    status: str = "ACTIVE"
    groups: list[str] = field(default_factory=list)  # group keys
    direct_users: int = 0
    grant_types: list[str] | None = None
    auth_method: str | None = None
    sha1: bool = False
    sensitive: bool = False


def app_specs(ctx: Context, extra: int) -> list[AppSpec]:
    hardened = not ctx.typical
    specs = [
        AppSpec("Okta Admin Console", "saasure", policy="admin_console"),
        AppSpec("Okta Dashboard", "okta_enduser", policy="dashboard"),
        AppSpec(
            "Expense Portal",
            "web",
            groups=["dept:3"],
            direct_users=5,
            grant_types=["authorization_code", "refresh_token"],
            auth_method="private_key_jwt" if hardened else "client_secret_basic",
        ),
        AppSpec(
            "Team Dashboard",
            "browser",
            groups=["dept:0"],
            grant_types=["authorization_code"]
            if hardened
            else ["authorization_code", "implicit"],
            auth_method="none",
        ),
        AppSpec(
            "Reporting Service",
            "service",
            policy=None,
            grant_types=["client_credentials"],
            auth_method="private_key_jwt",
        ),
        AppSpec("Salesforce", "saml", groups=["dept:1"], direct_users=8),
        AppSpec("Workday", "saml", groups=["dept:4"], sensitive=True, direct_users=3),
        AppSpec("Company Wiki", "bookmark", groups=["dept:0", "dept:9"]),
    ]
    if ctx.typical:
        specs += [
            AppSpec(
                "Payroll", "saml", groups=["everyone"], sensitive=True, direct_users=2
            ),
            AppSpec(
                "Legacy HR",
                "saml",
                policy="password_only",
                sha1=True,
                groups=["dept:4"],
            ),
            AppSpec(
                "Legacy Directory Sync",
                "service",
                policy=None,
                grant_types=["client_credentials"],
                auth_method="client_secret_basic",
            ),
            AppSpec(
                "Legacy Mobile",
                "native",
                grant_types=["password", "refresh_token"],
                auth_method="none",
                groups=["dept:1"],
            ),
            AppSpec("Vendor Portal", "swa", groups=["dept:6"], direct_users=4),
            AppSpec("Old Intranet", "bookmark", status="INACTIVE"),
        ]
    for k in range(extra):
        specs.append(
            AppSpec(
                f"Line-of-business app {k + 1}",
                "saml" if k % 2 else "bookmark",
                groups=[f"project:{k}"],
                direct_users=2,
            )
        )
    return specs
