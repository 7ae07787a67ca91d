"""Seeded generation of realistic Okta Identity Engine orgs of any size.

``generate_org`` builds an ``Org`` from a seed, a user count and a profile:

* ``typical`` plants known misconfigurations (``org.misconfigurations``, ids
  stable) that the assessment must find;
* ``hardened`` is configured to the strict values of checks.md and plants none.

One module per resource family: ``users``, ``factors``, ``groups`` (and rules),
``apps``, ``policies`` (with ``signon_policies`` and ``access_policies``),
``network`` (zones and trusted origins), ``roles``, ``authservers``, ``idps`` and
``log`` (with ``log_traffic``, the background mix; ``activity``, scheduled events;
``incidents``, planted ones). ``roster`` names the admins, ``people`` the names they
are drawn from, ``_common`` holds the seeded helpers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from atomation.simulator.generator._common import (
    MIN_USERS,
    Context,
    GeneratorError,
    Profile,
)
from atomation.simulator.generator.activity import (
    plant_admin_visits,
    plant_app_sign_ins,
)
from atomation.simulator.generator.apps import AppCatalog
from atomation.simulator.generator.authservers import AuthServers
from atomation.simulator.generator.groups import GroupDirectory
from atomation.simulator.generator.idps import build_idps
from atomation.simulator.generator.incidents import plant_incidents
from atomation.simulator.generator.log import LogStream
from atomation.simulator.generator.network import build_trusted_origins, build_zones
from atomation.simulator.generator.policies import PolicySet
from atomation.simulator.generator.roles import RoleBook
from atomation.simulator.generator.users import UserDirectory, UserSequence
from atomation.simulator.org import Org

__all__ = ["MIN_USERS", "GeneratorError", "generate_org"]

PROFILES = ("typical", "hardened")


def generate_org(
    *,
    seed: int,
    users: int,
    profile: Profile,
    base_url: str,
    classic: bool = False,
    now: datetime | None = None,
) -> Org:
    """Build the org; ``now`` (default: the current time) anchors all dates."""
    if profile not in PROFILES:
        raise GeneratorError(
            f"unknown org profile {profile!r}",
            hint="Use 'typical' (planted misconfigurations) or 'hardened'.",
        )
    anchor = (now or datetime.now(UTC)).astimezone(UTC)
    anchor = anchor.replace(microsecond=(anchor.microsecond // 1000) * 1000)
    ctx = Context(
        seed=seed,
        users=users,
        profile=profile,
        base_url=base_url.rstrip("/"),
        anchor=anchor,
        classic=classic,
    )

    directory = UserDirectory(ctx)
    groups = GroupDirectory(ctx, directory)
    zones, zone_ids = build_zones(ctx)
    origins = build_trusted_origins(ctx)
    idps = build_idps(ctx, admin_group=groups.help_desk_id)
    policies = PolicySet(
        ctx,
        everyone_id=groups.everyone_id,
        help_desk_id=groups.help_desk_id,
        zones=zone_ids,
        saml_idp_id=idps[1]["id"],
    )
    apps = AppCatalog(ctx, groups, policies)
    roles = RoleBook(ctx, groups, apps.service_apps)
    servers = AuthServers(
        ctx, everyone=groups.everyone_id, client_ids=sorted(apps.service_apps.values())
    )
    _plant_users(ctx, directory)

    catalog: dict[str, Any] = {
        "apps": apps.apps,
        "groups": groups.groups,
        "signon_policy": policies.by_type["OKTA_SIGN_ON"][-1],
    }
    log = LogStream(ctx, directory, catalog)
    plant_admin_visits(ctx, log)
    plant_app_sign_ins(ctx, log)
    plant_incidents(
        ctx,
        log,
        {
            "groups": groups,
            "apps": apps,
            "policies": policies,
            "zones": zones,
            "idps": idps,
        },
    )

    return Org(
        org_id=ctx.okta_id("00o", "org", 0),
        classic=classic,
        profile=profile,
        seed=seed,
        users=directory,
        user_list=UserSequence(directory),
        groups=groups,
        apps=apps,
        policies=policies,
        zones=zones,
        trusted_origins=origins,
        idps=idps,
        roles=roles,
        auth_servers=servers,
        log=log,
        misconfigurations=[plant.as_dict() for plant in ctx.plants],
    )


def _plant_users(ctx: Context, users: UserDirectory) -> None:
    """Population findings point at the first matching regular user."""
    if not ctx.typical:
        return
    first_stale = first_no_mfa = None
    stale = no_mfa = 0
    for i in range(len(users.seats), users.count):
        if users.status[i] != 0:
            continue
        if users.is_stale(i):
            stale += 1
            first_stale = first_stale if first_stale is not None else i
        if not users.has_mfa(i):
            no_mfa += 1
            first_no_mfa = first_no_mfa if first_no_mfa is not None else i
    if first_stale is not None:
        ctx.plant(
            "users-stale",
            "user.stale_active",
            ("User", users.user_id(first_stale), users.login(first_stale)),
            f"{stale} ACTIVE users have not signed in for 90+ days",
        )
    if first_no_mfa is not None:
        ctx.plant(
            "users-no-mfa",
            "user.no_mfa",
            ("User", users.user_id(first_no_mfa), users.login(first_no_mfa)),
            f"{no_mfa} ACTIVE users have no active second factor",
        )
