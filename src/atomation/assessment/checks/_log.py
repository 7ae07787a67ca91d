"""What the System Log checks share: event labels, targets, the quiet-window finding."""

from __future__ import annotations

from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Kind, Resource

__all__ = [
    "ADMIN_KINDS",
    "LOG_STEP",
    "actor_name",
    "event_label",
    "quiet",
    "targets",
    "window_label",
]

LOG_STEP = "In the Admin Console, go to Reports > System Log and search for the event."
ADMIN_KINDS: tuple[Kind, ...] = ("role_assignee", "user_role")


def window_label(ctx: CheckContext) -> str:
    info = ctx.data.info
    assert info.log_since is not None
    assert info.log_until is not None
    return f"{info.log_since:%Y-%m-%d} to {info.log_until:%Y-%m-%d}"


def quiet(ctx: CheckContext, what: str) -> Finding:
    """The passing finding of a window with no event of interest."""
    return ctx.summary(
        True,
        "log_window",
        f"System Log {window_label(ctx)}",
        f"no {what} in the review window",
        measured=0,
        required=0,
    )


def targets(event: Resource) -> list[str]:
    return [t["id"] for t in event.data.get("target") or []]


def actor_name(event: Resource) -> str:
    actor = event.data["actor"]
    return str(actor.get("alternateId") or actor["id"])


def event_label(event: Resource) -> str:
    return f"{event.data['eventType']} at {event.data['published']}"
