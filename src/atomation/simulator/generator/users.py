"""Users, built lazily from the seed (their factors: ``factors``).

At generation only a few bytes per user are kept (status, MFA class, department,
project and flags, drawn from the user's digest); the user and factor dicts are
built on demand. That keeps 100,000 users to well under a megabyte of state, and
lets the log generator pick actors and the group family compute memberships
without building any dict.

Distributions are realistic rather than measured: most users ACTIVE, a tail in
every other lifecycle state (okta-api.md §3.5; the status enum of the spec's
``UserStatus``), sign-ins and password changes spread over years, factors of every
type the spec's ``UserFactorType`` lists.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any, overload

from atomation.simulator.generator._common import (
    MAX_USERS,
    MIN_USERS,
    Context,
    GeneratorError,
    format_time,
)
from atomation.simulator.generator.factors import (
    MFA_NONE,
    MFA_STRONG,
    QUESTIONS,
    build_factors,
    factor_types,
)
from atomation.simulator.generator.people import (
    DEPARTMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    TITLES,
)
from atomation.simulator.generator.roster import AdminSeat, admin_roster

__all__ = ["DEPARTMENTS", "STATUSES", "UserDirectory", "UserSequence"]

STATUSES = (
    "ACTIVE",
    "STAGED",
    "PROVISIONED",
    "RECOVERY",
    "PASSWORD_EXPIRED",
    "LOCKED_OUT",
    "SUSPENDED",
    "DEPROVISIONED",
)
_ACTIVE = 0
# Per-mille weights of each status, in STATUSES order.
_STATUS_WEIGHTS = {
    "typical": (800, 20, 30, 10, 10, 15, 35, 80),
    "hardened": (880, 10, 10, 5, 5, 5, 25, 60),
}
# MFA classes: 0 none, 1 weak only (sms/call/email/question), 2 one-time codes or
# push, 3 phishing-resistant (webauthn, u2f, FastPass signed_nonce).
_MFA_WEIGHTS = {"typical": (12, 18, 30, 40), "hardened": (0, 0, 0, 100)}
_FLAG_STALE = 1  # ACTIVE but no sign-in for 90+ days
_FLAG_NEVER = 2  # ACTIVE and never signed in
_FLAG_FEDERATED = 4  # mastered by the SAML IdP, no Okta password
_FLAG_AD = 8  # member of the AD-sourced app group


def _pick(weights: Sequence[int], value: float) -> int:
    """The index whose weight band ``value`` (in [0, 1)) falls into."""
    threshold = value * sum(weights)
    running = 0
    for position, weight in enumerate(weights):
        running += weight
        if threshold < running:
            return position
    return len(weights) - 1


class UserDirectory:
    """Compact per-user traits plus builders for the user and factor dicts."""

    def __init__(self, ctx: Context) -> None:
        if not MIN_USERS <= ctx.users <= MAX_USERS:
            raise GeneratorError(
                f"cannot generate an org of {ctx.users} users",
                hint=f"Ask for {MIN_USERS} to {MAX_USERS} users; the admin roster "
                "alone needs a few dozen.",
            )
        self.ctx = ctx
        self.count = ctx.users
        self.seats: dict[int, AdminSeat] = {s.index: s for s in admin_roster(ctx)}
        self.projects = max(3, ctx.users // 2000)
        self.status = bytearray(ctx.users)
        self.mfa = bytearray(ctx.users)
        self.flags = bytearray(ctx.users)
        self.department = bytearray(ctx.users)
        self.project = array("I", bytes(4 * ctx.users))
        status_weights = _STATUS_WEIGHTS[ctx.profile]
        mfa_weights = _MFA_WEIGHTS[ctx.profile]
        for i in range(ctx.users):
            d = ctx.digest("user", i)
            seat = self.seats.get(i)
            status = (
                STATUSES.index(seat.status)
                if seat
                else _pick(status_weights, int.from_bytes(d[0:2]) / 65536)
            )
            self.status[i] = status
            if seat:
                mfa = {"phishing_resistant": 3, "weak": 1, "none": 0}[seat.strength]
            else:
                mfa = _pick(mfa_weights, d[2] / 256)
            self.mfa[i] = mfa
            flags = 0
            if status == _ACTIVE and not seat and ctx.typical:
                if d[3] < 20:  # about 8 % of active users are stale
                    flags |= _FLAG_STALE
                elif d[3] < 25:  # about 2 % never signed in
                    flags |= _FLAG_NEVER
            if not seat and d[7] < 13 and ctx.typical:
                flags |= _FLAG_FEDERATED
            if d[8] < 64:
                flags |= _FLAG_AD
            self.flags[i] = flags
            self.department[i] = 8 if seat else d[5] % len(DEPARTMENTS)
            self.project[i] = int.from_bytes(d[9:12]) % self.projects
        if ctx.typical:
            # However small the org, the first two regular users carry the planted
            # population findings: one stale, one without a second factor.
            first = len(self.seats)
            self.status[first] = self.status[first + 1] = _ACTIVE
            self.flags[first] = (self.flags[first] | _FLAG_STALE) & ~_FLAG_NEVER
            self.mfa[first] = MFA_STRONG
            self.flags[first + 1] &= ~(_FLAG_STALE | _FLAG_NEVER)
            self.mfa[first + 1] = MFA_NONE

    # Identity, cheap enough for the log generator to call per event.
    def user_id(self, i: int) -> str:
        return self.ctx.okta_id("00u", "user", i)

    def index_of(self, user_id: str) -> int | None:
        i = self.ctx.index_of("00u", "user", user_id)
        return i if i is not None and i < self.count else None

    def names(self, i: int) -> tuple[str, str]:
        d = self.ctx.digest("user", i)
        return FIRST_NAMES[d[10] % len(FIRST_NAMES)], LAST_NAMES[
            d[11] % len(LAST_NAMES)
        ]

    def login(self, i: int) -> str:
        return self.identity(i)[1]

    def identity(self, i: int) -> tuple[str, str, str]:
        """The user's id, login and display name, from one digest."""
        first, last = self.names(i)
        login = f"{first}.{last}{i}@{self.ctx.domain}".lower()
        return self.user_id(i), login, f"{first} {last}"

    def status_of(self, i: int) -> str:
        return STATUSES[self.status[i]]

    def is_stale(self, i: int) -> bool:
        return bool(self.flags[i] & _FLAG_STALE)

    def never_signed_in(self, i: int) -> bool:
        return bool(self.flags[i] & _FLAG_NEVER)

    def last_login_days(self, i: int) -> float | None:
        return self._timeline(i)["lastLogin"]

    def is_federated(self, i: int) -> bool:
        return bool(self.flags[i] & _FLAG_FEDERATED)

    def in_ad_group(self, i: int) -> bool:
        return bool(self.flags[i] & _FLAG_AD)

    def has_mfa(self, i: int) -> bool:
        """True when the user has an active factor beyond password/question."""
        types = set(self.factor_types(i)) - {"question"}
        return bool(types)

    def has_phishing_resistant(self, i: int) -> bool:
        return self.mfa[i] == MFA_STRONG

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for code in range(len(STATUSES)):
            counts[STATUSES[code]] = self.status.count(code)
        return counts

    # Dates, as days before the anchor.
    def _timeline(self, i: int) -> dict[str, float | None]:
        rng = self.ctx.rng("user-time", i)
        status = self.status[i]
        seat = self.seats.get(i)
        recent_only = not self.ctx.typical
        if status in (1, 2):  # STAGED, PROVISIONED
            created = rng.uniform(1, 5) if recent_only else rng.uniform(1, 200)
        elif self.flags[i] & _FLAG_STALE:
            created = rng.uniform(420, 1500)  # old enough to have gone stale
        else:
            created = rng.uniform(40, 1500)
        activated = None if status == 1 else created - rng.uniform(0, 1)
        if seat:
            last_login: float | None = seat.last_login_days
        elif status == _ACTIVE:
            if self.flags[i] & _FLAG_STALE:
                last_login = min(created - 1, rng.uniform(91, 400))
            elif self.flags[i] & _FLAG_NEVER:
                last_login = None
            else:
                last_login = rng.uniform(0.01, 20 if recent_only else 30)
        elif status in (1, 2):
            last_login = None
        else:
            last_login = rng.uniform(1, min(created - 1, 400))
        if status == 6:  # SUSPENDED
            changed = rng.uniform(1, 30) if recent_only else rng.uniform(5, 300)
        elif status in (3, 4, 5):  # RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT
            changed = rng.uniform(0.1, 3) if recent_only else rng.uniform(0.1, 60)
        elif status == 7:  # DEPROVISIONED
            changed = rng.uniform(0.1, 60)
        else:
            changed = activated if activated is not None else created
        if seat and seat.status != "ACTIVE":
            changed = seat.last_login_days - 5
        if last_login is not None:
            last_login = min(last_login, created - 0.01)
            changed = min(changed or created, created)
        if self.flags[i] & _FLAG_FEDERATED or status in (1, 2):
            password: float | None = None
        else:
            password = rng.uniform(1, 55) if recent_only else rng.uniform(1, 700)
            password = min(password, created)
        return {
            "created": created,
            "activated": activated,
            "lastLogin": last_login,
            "statusChanged": min(changed or created, created),
            "passwordChanged": password,
        }

    def build_user(self, i: int) -> dict[str, Any]:
        ctx = self.ctx
        user_id = self.user_id(i)
        first, last = self.names(i)
        login = self.login(i)
        rng = ctx.rng("user-profile", i)
        times = self._timeline(i)
        stamps = {
            key: (format_time(ctx.ago(days=value)) if value is not None else None)
            for key, value in times.items()
        }
        last_updated = min(value for value in times.values() if value is not None)
        provider = (
            {"type": "FEDERATION", "name": "FEDERATION"}
            if self.is_federated(i)
            else {"type": "OKTA", "name": "OKTA"}
        )
        credentials: dict[str, Any] = {"provider": provider}
        if provider["type"] == "OKTA" and self.status[i] not in (1, 2):
            credentials["password"] = {}
            question = QUESTIONS[i % len(QUESTIONS)][1]
            credentials["recovery_question"] = {"question": question}
        seat = self.seats.get(i)
        title = "Identity Administrator" if seat else TITLES[rng.randrange(len(TITLES))]
        status = self.status_of(i)
        user: dict[str, Any] = {
            "id": user_id,
            "status": status,
            "created": stamps["created"],
            "activated": stamps["activated"],
            "statusChanged": stamps["statusChanged"],
            "lastLogin": stamps["lastLogin"],
            "lastUpdated": format_time(ctx.ago(days=last_updated)),
            "passwordChanged": stamps["passwordChanged"],
            "type": {"id": ctx.okta_id("oty", "user-type", 0)},
            "transitioningToStatus": None,
            "profile": {
                "firstName": first,
                "lastName": last,
                "mobilePhone": None,
                "secondEmail": None,
                "login": login,
                "email": login,
                "department": DEPARTMENTS[self.department[i]],
                "title": title,
                "employeeNumber": f"{100000 + i}",
            },
            "credentials": credentials,
            "_links": {"self": ctx.link(f"/api/v1/users/{user_id}")},
        }
        return user

    def factor_types(self, i: int) -> list[str]:
        return factor_types(self, i)

    def build_factors(self, i: int) -> list[dict[str, Any]]:
        return build_factors(self, i)


class UserSequence(Sequence[dict[str, Any]]):
    """All users ordered by id, each built when it is read."""

    def __init__(self, directory: UserDirectory) -> None:
        self._directory = directory

    def __len__(self) -> int:
        return self._directory.count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [
                self._directory.build_user(i) for i in range(*index.indices(len(self)))
            ]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("user index out of range")
        return self._directory.build_user(index)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self)):
            yield self._directory.build_user(i)
