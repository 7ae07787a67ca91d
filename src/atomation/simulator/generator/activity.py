"""System Log activity that must not be left to chance, in both profiles.

Background traffic is random; these events are scheduled so that the log agrees
with the rest of the org however small it is: every ACTIVE admin opens the Admin
Console weekly up to their ``lastLogin`` (so "admin unseen for 30 days" reads the
same from users and from the log), and every ACTIVE app people sign in to has a
recent sign-in (so no app looks unused by accident).
"""

from __future__ import annotations

from datetime import timedelta

from atomation.simulator.generator._common import Context
from atomation.simulator.generator.log import WINDOW_DAYS, LogStream

__all__ = ["ADMIN_VISIT_INTERVAL_DAYS", "plant_admin_visits", "plant_app_sign_ins"]

ADMIN_VISIT_INTERVAL_DAYS = 7  # an active admin opens the Admin Console weekly


def plant_admin_visits(ctx: Context, log: LogStream) -> None:
    """Admin Console visits of every ACTIVE admin, ending at their lastLogin.

    Both profiles have them, so "admin not seen in the Admin Console for 30 days"
    reads the same from ``lastLogin`` and from the log.
    """
    users = log.users
    for seat in sorted(users.seats.values(), key=lambda s: s.index):
        if seat.status != "ACTIVE":
            continue
        days = seat.last_login_days
        visit = 0
        while days < WINDOW_DAYS - 0.5:
            moment = ctx.anchor - timedelta(days=days)
            moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
            uuid = ctx.uuid(f"admin-visit:{seat.index}", visit)
            event = log.build(
                uuid=uuid,
                moment=moment,
                event_type="user.session.access_admin_app",
                severity="INFO",
                message="User accessing Okta admin app",
                actor=log.actor_user(seat.index),
                targets=[{**log.actor_user(seat.index), "type": "User"}],
                result="SUCCESS",
                reason=None,
                rng=ctx.rng("admin-visit", seat.index),
            )
            log.add_event(event, moment)
            visit += 1
            days += ADMIN_VISIT_INTERVAL_DAYS


def plant_app_sign_ins(ctx: Context, log: LogStream) -> None:
    """One recent SSO sign-in to every ACTIVE app people sign in to.

    Background traffic picks apps at random, so a small org could leave an app
    without sign-ins, which reads as an unused app; this keeps every app in use.
    """
    users = log.users
    person = next(
        i
        for i in range(len(users.seats), users.count)
        if users.status[i] == 0
        and not users.is_stale(i)
        and not users.never_signed_in(i)
    )
    actor = log.actor_user(person)
    for position, app in enumerate(log.sso_apps):
        moment = ctx.anchor - timedelta(days=1, minutes=7 * position)
        moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
        event = log.build(
            uuid=ctx.uuid("app-sign-in", position),
            moment=moment,
            event_type="user.authentication.sso",
            severity="INFO",
            message="User single sign on to app",
            actor=actor,
            targets=[
                {
                    "id": app["id"],
                    "type": "AppInstance",
                    "alternateId": app["label"],
                    "displayName": app["label"],
                }
            ],
            result="SUCCESS",
            reason=None,
            rng=ctx.rng("app-sign-in", position),
        )
        log.add_event(event, moment)
