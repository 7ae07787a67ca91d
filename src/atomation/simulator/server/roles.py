"""Which admin role may read which resource family: the server's one role matrix.

Okta checks the token's scope first (403 ``insufficient_scope``) and then the app's
admin role (403 E0000006), okta-api.md §3.2 [KB]. Read-Only, Org and Super
Administrators see everything an assessment reads [KB how-to-assign-the-correct-
admin-role]; [HELP administrators-read-only-admin]. The narrower standard roles are
given the families their help-page descriptions cover; that mapping is INFERRED from
Okta's admin comparison table [HELP administrators-admin-comparison], not observed:

=========================  ===========================================================
role                       reads
=========================  ===========================================================
SUPER_ADMIN, ORG_ADMIN,    everything (role assignments per ``role_assignment_readers``)
READ_ONLY_ADMIN
USER_ADMIN                 users, groups (the "Group Administrator" manages people)
HELP_DESK_ADMIN            users, groups (views users to reset passwords and factors)
GROUP_MEMBERSHIP_ADMIN     groups, users (sees members of the groups it manages)
APP_ADMIN                  apps, users, groups (assignments need people and groups)
REPORT_ADMIN               logs (reports and the System Log)
API_ACCESS_MANAGEMENT_     authorization servers
ADMIN
any other (CUSTOM, ...)    nothing: resource-set permissions are not modelled
=========================  ===========================================================

Viewing administrators is a Super Admin permission in the comparison table, so role
assignments are readable only by the roles in ``role_assignment_readers`` (a setting,
since READ_ONLY_ADMIN's access over the API is UNCONFIRMED, §12.8).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FAMILIES", "ROLE_FAMILIES", "ROLE_LABELS", "may_read"]

FAMILIES = frozenset(
    {
        "users",
        "groups",
        "apps",
        "policies",
        "logs",
        "zones",
        "trustedOrigins",
        "roleAssignments",
        "iam",
        "authorizationServers",
        "idps",
    }
)

_EVERYTHING = FAMILIES - {"roleAssignments"}

ROLE_FAMILIES: dict[str, frozenset[str]] = {
    "SUPER_ADMIN": _EVERYTHING,
    "ORG_ADMIN": _EVERYTHING,
    "READ_ONLY_ADMIN": _EVERYTHING,
    "USER_ADMIN": frozenset({"users", "groups"}),
    "HELP_DESK_ADMIN": frozenset({"users", "groups"}),
    "GROUP_MEMBERSHIP_ADMIN": frozenset({"groups", "users"}),
    "APP_ADMIN": frozenset({"apps", "users", "groups"}),
    "REPORT_ADMIN": frozenset({"logs"}),
    "API_ACCESS_MANAGEMENT_ADMIN": frozenset({"authorizationServers"}),
}

ROLE_LABELS = {
    "SUPER_ADMIN": "Super Administrator",
    "ORG_ADMIN": "Organizational Administrator",
    "READ_ONLY_ADMIN": "Read Only Administrator",
    "USER_ADMIN": "Group Administrator",
    "HELP_DESK_ADMIN": "Help Desk Administrator",
    "GROUP_MEMBERSHIP_ADMIN": "Group Membership Administrator",
    "APP_ADMIN": "Application Administrator",
    "REPORT_ADMIN": "Report Administrator",
    "API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
    "MOBILE_ADMIN": "Mobile Administrator",
    "ACCESS_CERTIFICATIONS_ADMIN": "Access Certifications Administrator",
    "ACCESS_REQUESTS_ADMIN": "Access Requests Administrator",
    "WORKFLOWS_ADMIN": "Workflows Administrator",
    "CUSTOM": "Custom Role",
}


def may_read(
    role_types: Iterable[str], family: str, role_assignment_readers: frozenset[str]
) -> bool:
    """Whether any of the app's roles lets it read ``family``."""
    for role_type in role_types:
        if family == "roleAssignments":
            if role_type in role_assignment_readers:
                return True
        elif family in ROLE_FAMILIES.get(role_type, frozenset()):
            return True
    return False
