"""Who administers the org: the named people at the start of the user list.

The first user indices are reserved for administrators so that roles, factors,
sign-in recency and planted findings about admins can point at real people in an
org of any size. Regular users start at ``len(roster)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from atomation.simulator.generator._common import Context

__all__ = ["HELP_DESK_GROUP", "AdminSeat", "admin_roster"]

# The group whose members hold HELP_DESK_ADMIN through a group role assignment.
HELP_DESK_GROUP = "Help Desk Admins"

Strength = Literal["phishing_resistant", "weak", "none"]


@dataclass(frozen=True)
class AdminSeat:
    """One administrator: the role, how it is held, and the person's state."""

    index: int
    role: str  # a RoleType, or CUSTOM for a custom role on a resource set
    via_group: bool = False
    status: str = "ACTIVE"
    strength: Strength = "phishing_resistant"
    last_login_days: float = 1.0


def admin_roster(ctx: Context) -> list[AdminSeat]:
    """The admin seats for the profile; typical plants several admin findings."""
    if not ctx.typical:
        return [
            AdminSeat(0, "SUPER_ADMIN", last_login_days=0.2),
            AdminSeat(1, "SUPER_ADMIN", last_login_days=2),
            AdminSeat(2, "SUPER_ADMIN", last_login_days=6),
            AdminSeat(3, "ORG_ADMIN", last_login_days=1),
            AdminSeat(4, "APP_ADMIN", last_login_days=3),
            AdminSeat(5, "HELP_DESK_ADMIN", via_group=True, last_login_days=1),
            AdminSeat(6, "HELP_DESK_ADMIN", via_group=True, last_login_days=4),
            AdminSeat(7, "READ_ONLY_ADMIN", last_login_days=2),
            AdminSeat(8, "CUSTOM", last_login_days=5),
        ]
    seats = [AdminSeat(i, "SUPER_ADMIN", last_login_days=1 + i % 9) for i in range(17)]
    # A super admin whose only second factor is SMS, and one who has not signed in
    # for two months (dormant admin).
    seats[3] = AdminSeat(3, "SUPER_ADMIN", strength="weak", last_login_days=4)
    seats[5] = AdminSeat(5, "SUPER_ADMIN", last_login_days=63)
    return [
        *seats,
        AdminSeat(17, "ORG_ADMIN", last_login_days=2),
        AdminSeat(18, "APP_ADMIN", last_login_days=8),
        AdminSeat(19, "APP_ADMIN", strength="none", last_login_days=12),
        AdminSeat(20, "HELP_DESK_ADMIN", via_group=True, last_login_days=1),
        AdminSeat(21, "HELP_DESK_ADMIN", via_group=True, last_login_days=3),
        AdminSeat(22, "HELP_DESK_ADMIN", via_group=True, last_login_days=2),
        AdminSeat(23, "READ_ONLY_ADMIN", last_login_days=6),
        AdminSeat(24, "CUSTOM", last_login_days=9),
        # An admin role left on a suspended account.
        AdminSeat(25, "USER_ADMIN", status="SUSPENDED", last_login_days=140),
    ]
