"""The System Log: 90 days of events, generated lazily and deterministically.

The window before the anchor is cut into one-hour slots. Each background event
type has a rate (a share of about ten events per user over the 90 days, shaped by
the hour of day); the number of events of a type in a slot, and then each event,
come from a ``Random`` seeded with ``(seed, type, slot)``. So:

* a time window touches only its own slots (no scan of the whole stream);
* an ``event_types`` filter builds only those types' schedules;
* ``count`` adds precomputed per-slot counts, drawing event times only in the two
  partial slots at the window's edges;
* the same seed gives the same events and ``uuid``s, and the same anchor the same
  ``published`` times.

Scheduled activity (``activity``: admins' Admin Console visits, a sign-in to every
app) and planted incidents (``incidents``: a password spray, privilege grants, MFA
resets, Okta support impersonation, lockouts, threats, rate-limit violations,
configuration changes) are short materialised lists merged into their slots.
Event types and shapes follow okta-api.md §5 and the spec's ``LogEvent``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from atomation.simulator.generator._common import Context, format_time
from atomation.simulator.generator.log_traffic import (
    AGENTS,
    BACKGROUND,
    CITIES,
    HOURLY,
    HOURLY_MEAN,
    TYPICAL_ONLY,
)
from atomation.simulator.generator.users import UserDirectory

__all__ = ["WINDOW_DAYS", "LogStream"]

WINDOW_DAYS = 90  # System Log retention (okta-api.md §5)
SLOT = timedelta(hours=1)
SLOTS = WINDOW_DAYS * 24
EVENTS_PER_USER = 10  # over the whole window

SPRAY_IP = "45.155.205.17"


def _is_service(app: dict[str, Any]) -> bool:
    client = app.get("settings", {}).get("oauthClient", {})
    return bool(client.get("application_type") == "service")


class LogStream:
    """The org's System Log as a lazily generated, time-ordered stream."""

    def __init__(
        self, ctx: Context, users: UserDirectory, catalog: dict[str, Any]
    ) -> None:
        self.ctx = ctx
        self.users = users
        self.anchor = ctx.anchor
        self.start = ctx.anchor - WINDOW_DAYS * SLOT * 24
        self._catalog = catalog  # apps, groups and the sign-on policy, for targets
        # A hardened org shows no unblocked threats and no rate-limit warnings.
        background = [
            spec for spec in BACKGROUND if ctx.typical or spec[0] not in TYPICAL_ONLY
        ]
        self._types = {spec[0]: spec for spec in background}
        active = [app for app in catalog["apps"] if app["status"] == "ACTIVE"]
        self.sso_apps = [app for app in active if not _is_service(app)]
        self._oidc_apps = [
            app for app in active if app["signOnMode"] == "OPENID_CONNECT"
        ]
        per_slot = EVENTS_PER_USER * users.count / SLOTS
        self._counts: dict[str, list[int]] = {}
        for name, share, *_ in background:
            counts = []
            for slot in range(SLOTS):
                hour = (self.start + slot * SLOT).hour
                mean = per_slot * share * HOURLY[hour] / HOURLY_MEAN
                draw = int.from_bytes(ctx.digest("log-count:" + name, slot)[:4]) / 2**32
                counts.append(int(mean) + (1 if draw < mean - int(mean) else 0))
            self._counts[name] = counts
        self._cumulative = {
            name: _running_sum(counts) for name, counts in self._counts.items()
        }
        self._fixed: dict[int, list[dict[str, Any]]] = {}
        self.fixed_events: list[dict[str, Any]] = []

    # Public API -------------------------------------------------------------
    def __len__(self) -> int:
        return sum(c[-1] for c in self._cumulative.values()) + len(self.fixed_events)

    def add_event(self, event: dict[str, Any], moment: datetime) -> None:
        """Merge one materialised event (scheduled or planted) into its slot."""
        slot = self._slot_of(moment)
        if not 0 <= slot < SLOTS:
            raise ValueError("event outside the log window")
        self._fixed.setdefault(slot, []).append(event)
        self._fixed[slot].sort(key=lambda e: (e["published"], e["uuid"]))
        self.fixed_events.append(event)

    def events(
        self,
        *,
        since: datetime,
        until: datetime,
        descending: bool = False,
        event_types: frozenset[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Events with ``published`` in [since, until), in ``published`` order."""
        low, high = self._slot_range(since, until)
        slots = range(high - 1, low - 1, -1) if descending else range(low, high)
        lower, upper = format_time(since), format_time(until)
        for slot in slots:
            batch = self._slot_events(slot, event_types)
            batch.sort(key=lambda e: (e["published"], e["uuid"]), reverse=descending)
            for event in batch:
                if lower <= event["published"] < upper:
                    yield event

    def count(
        self,
        *,
        since: datetime,
        until: datetime,
        descending: bool = False,
        event_types: frozenset[str] | None = None,
    ) -> int:
        del descending  # the order does not change the count
        low, high = self._slot_range(since, until)
        if low >= high:
            return 0
        lower, upper = format_time(since), format_time(until)
        total = 0
        for name in self._selected(event_types):
            cumulative = self._cumulative[name]
            inner_low, inner_high = low + 1, high - 1
            if inner_high > inner_low:
                total += cumulative[inner_high - 1] - cumulative[inner_low - 1]
            for slot in {low, high - 1}:
                total += sum(
                    1
                    for stamp in self._slot_times(name, slot)
                    if lower <= stamp < upper
                )
        for slot in range(low, high):
            for event in self._fixed.get(slot, []):
                wanted = event_types is None or event["eventType"] in event_types
                if wanted and lower <= event["published"] < upper:
                    total += 1
        return total

    # Slots ------------------------------------------------------------------
    def _slot_of(self, moment: datetime) -> int:
        return math.floor((moment - self.start) / SLOT)

    def _slot_range(self, since: datetime, until: datetime) -> tuple[int, int]:
        low = max(0, self._slot_of(since))
        high = min(SLOTS, math.ceil((until - self.start) / SLOT))
        return low, max(low, high)

    def _selected(self, event_types: frozenset[str] | None) -> list[str]:
        if event_types is None:
            return list(self._counts)
        return [name for name in self._counts if name.split(":")[0] in event_types]

    def _slot_times(self, name: str, slot: int) -> list[str]:
        rng = self.ctx.rng("log:" + name, slot)
        count = self._counts[name][slot]
        base = self.start + slot * SLOT
        offsets = sorted(rng.random() for _ in range(count))
        return [format_time(base + offset * SLOT) for offset in offsets]

    def _slot_events(
        self, slot: int, event_types: frozenset[str] | None
    ) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for name in self._selected(event_types):
            count = self._counts[name][slot]
            if not count:
                continue
            rng = self.ctx.rng("log:" + name, slot)
            base = self.start + slot * SLOT
            offsets = sorted(rng.random() for _ in range(count))
            for j, offset in enumerate(offsets):
                batch.append(self._background(name, slot, j, base + offset * SLOT, rng))
        for event in self._fixed.get(slot, []):
            if event_types is None or event["eventType"] in event_types:
                batch.append(event)
        return batch

    # Event builders -----------------------------------------------------------
    def _pick_user(self, rng: random.Random) -> int:
        """A regular ACTIVE user who signs in (not an admin, not stale)."""
        users = self.users
        first = len(users.seats)
        i = first + _below(rng, users.count - first)
        for _ in range(16):
            if (
                users.status[i] == 0
                and not users.is_stale(i)
                and not users.never_signed_in(i)
            ):
                break
            i = first + (i + 1 - first) % (users.count - first)
        return i

    def actor_user(self, i: int) -> dict[str, Any]:
        user_id, login, display = self.users.identity(i)
        return {
            "id": user_id,
            "type": "User",
            "alternateId": login,
            "displayName": display,
        }

    def _background(
        self, name: str, slot: int, j: int, moment: datetime, rng: random.Random
    ) -> dict[str, Any]:
        event_type, _share, result, severity, message = self._types[name]
        event_type = event_type.split(":")[0]
        catalog = self._catalog
        i = self._pick_user(rng)
        actor = self.actor_user(i)
        targets: list[dict[str, Any]] = []
        reason = None
        if event_type in (
            "user.authentication.sso",
            "application.user_membership.add",
            "app.oauth2.token.grant.access_token",
        ):
            apps = (
                self._oidc_apps
                if event_type.startswith("app.oauth2")
                else self.sso_apps
            )
            app = apps[_below(rng, len(apps))]
            targets.append(
                {
                    "id": app["id"],
                    "type": "AppInstance",
                    "alternateId": app["label"],
                    "displayName": app["label"],
                }
            )
        elif event_type == "policy.evaluate_sign_on":
            policy = catalog["signon_policy"]
            targets.append(
                {
                    "id": policy["id"],
                    "type": "Policy",
                    "alternateId": "unknown",
                    "displayName": policy["name"],
                }
            )
        elif event_type == "group.user_membership.add":
            group = catalog["groups"][_below(rng, len(catalog["groups"]))]
            targets.append(
                {
                    "id": group["id"],
                    "type": "UserGroup",
                    "alternateId": "unknown",
                    "displayName": group["profile"]["name"],
                }
            )
        elif result == "FAILURE" and event_type == "user.session.start":
            reason = (
                "INVALID_CREDENTIALS" if rng.random() < 0.8 else "VERIFICATION_ERROR"
            )
        if event_type.startswith("user.") and not targets:
            targets.append({**actor, "type": "User"})
        ip = None
        if event_type in ("security.threat.detected", "security.request.blocked"):
            ip = f"185.220.101.{1 + _below(rng, 249)}"
        return self.build(
            uuid=self.ctx.uuid(f"log:{name}:{slot}", j),
            moment=moment,
            event_type=event_type,
            severity=severity,
            message=message,
            actor=actor,
            targets=targets,
            result=result,
            reason=reason,
            rng=rng,
            ip=ip,
        )

    def build(
        self,
        *,
        uuid: str,
        moment: datetime,
        event_type: str,
        severity: str,
        message: str,
        actor: dict[str, Any],
        targets: list[dict[str, Any]],
        result: str,
        reason: str | None,
        rng: random.Random,
        ip: str | None = None,
        is_proxy: bool = False,
    ) -> dict[str, Any]:
        city, state, country, postal, lat, lon, prefix, asn, isp = CITIES[
            _below(rng, len(CITIES))
        ]
        agent, os_name, browser = AGENTS[_below(rng, len(AGENTS))]
        if ip is None:
            a, b, *_ = prefix.split(".")
            ip = f"{a}.{b}.{_below(rng, 256)}.{1 + _below(rng, 254)}"
        geo = {
            "city": city,
            "state": state,
            "country": country,
            "postalCode": postal,
            "geolocation": {"lat": lat, "lon": lon},
        }
        request_id = uuid.replace("-", "")[:24]
        outcome = (
            {"result": result}
            if reason is None
            else {
                "result": result,
                "reason": reason,
            }
        )
        # Built without null fields: the spec marks none of them nullable, and
        # this runs a million times for a large org.
        return {
            "uuid": uuid,
            "published": format_time(moment),
            "eventType": event_type,
            "version": "0",
            "severity": severity,
            "displayMessage": message,
            "actor": actor,
            "client": {
                "userAgent": {"rawUserAgent": agent, "os": os_name, "browser": browser},
                "zone": "null",
                "device": "Computer",
                "ipAddress": ip,
                "geographicalContext": geo,
            },
            "authenticationContext": {
                "authenticationStep": 0,
                "externalSessionId": "102" + request_id[:22],
            },
            "outcome": outcome,
            "securityContext": {
                "asNumber": asn,
                "asOrg": isp,
                "isp": isp,
                "domain": f"{isp}.net",
                "isProxy": is_proxy,
            },
            "debugContext": {
                "debugData": {
                    "requestId": request_id,
                    "requestUri": "/idp/idx/identify",
                    "url": "/idp/idx/identify?",
                }
            },
            "transaction": {"type": "WEB", "id": request_id, "detail": {}},
            "request": {
                "ipChain": [{"ip": ip, "geographicalContext": geo, "version": "V4"}]
            },
            "target": targets,
        }


def _below(rng: random.Random, n: int) -> int:
    """A draw in [0, n): ``randrange`` without its argument checks (hot path)."""
    return int(rng.random() * n)


def _running_sum(counts: list[int]) -> list[int]:
    running, total = [], 0
    for value in counts:
        total += value
        running.append(total)
    return running
