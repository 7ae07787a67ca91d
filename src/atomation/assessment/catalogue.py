"""The check catalogue: one metadata record per check, validated when it loads.

A check is a function over the snapshot (:class:`~atomation.assessment.context.
CheckContext`) plus one :class:`CheckMeta` that holds everything else about it:
its id, the secure state its title states, area, severity, rationale, the Admin
Console steps that fix it, its tunable thresholds with a default per profile,
the kinds (and System Log event types) it reads, and its framework mappings.
Each area module (``atomation.assessment.checks.*``) registers its checks on a
:class:`CheckList`; :func:`load_catalogue` gathers them and refuses an
inconsistent catalogue (a duplicate id, an unknown kind or control, a threshold
whose defaults differ in type) with :class:`CatalogueError`.

Profiles
--------
``stig`` holds the DISA STIG values (15-minute idle, 15-character passwords,
3 attempts, 35 days of inactivity); ``baseline`` the looser values most
organisations adopt (HealthInsight and NIST SP 800-63B practice, checks.md §0.6).
A tenant may override any threshold; the stored run records the values used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal, get_args

from atomation.assessment.errors import CatalogueError, ThresholdError
from atomation.assessment.frameworks import NIST_CONTROLS, SOC2_CRITERIA, STIG_RULES
from atomation.snapshot.data import Kind

if TYPE_CHECKING:
    from atomation.assessment.context import CheckContext
    from atomation.assessment.results import Finding

__all__ = [
    "AREAS",
    "PROFILES",
    "Area",
    "Check",
    "CheckList",
    "CheckMeta",
    "Profile",
    "Severity",
    "Threshold",
    "ThresholdValue",
    "load_catalogue",
    "resolve_thresholds",
]

Profile = Literal["stig", "baseline"]
PROFILES: tuple[Profile, ...] = get_args(Profile)
Severity = Literal["critical", "high", "medium", "low"]
ThresholdValue = int | float | bool | str

AREAS: Mapping[str, str] = {
    "session": "Global session policy",
    "authn": "Authentication policies (incl. Admin Console and Dashboard)",
    "password": "Password policies",
    "enrollment": "Authenticator enrollment",
    "users": "User lifecycle",
    "admins": "Administrators and roles",
    "apps": "Applications",
    "network": "Network zones",
    "origins": "Trusted origins",
    "authservers": "Authorization servers",
    "idps": "Identity providers and routing",
    "logs": "System Log evidence over the review window",
}
Area = str

# The area modules, in the catalogue's order.
AREA_MODULES = (
    "session",
    "authn",
    "app_policies",
    "passwords",
    "enrollment",
    "users",
    "admins",
    "apps",
    "network",
    "origins",
    "authservers",
    "idps",
    "logs",
    "signals",
)


@dataclass(frozen=True)
class Threshold:
    """A tunable parameter of a check, with its value under each profile."""

    name: str
    stig: ThresholdValue
    baseline: ThresholdValue
    unit: str
    description: str

    def default(self, profile: Profile) -> ThresholdValue:
        return self.stig if profile == "stig" else self.baseline

    def coerce(self, check_id: str, raw: object) -> ThresholdValue:
        """``raw`` as this parameter's type; text from a command line is parsed."""
        kind = type(self.stig)
        where = f"{check_id}.{self.name}"
        if isinstance(raw, str) and kind is not str:
            text = raw.strip().lower()
            try:
                if kind is bool:
                    if text not in ("true", "false"):
                        raise ValueError(text)
                    return text == "true"
                return kind(text)
            except ValueError:
                raise ThresholdError(
                    f"threshold {where} must be a {kind.__name__}, not {raw!r}",
                    hint=f"give {where}=<{kind.__name__}> ({self.description}).",
                ) from None
        if kind is float and type(raw) is int:
            return float(raw)
        if type(raw) is not kind:
            raise ThresholdError(
                f"threshold {where} must be a {kind.__name__}, not {raw!r}",
                hint=f"give {where}=<{kind.__name__}> ({self.description}).",
            )
        return raw


@dataclass(frozen=True)
class CheckMeta:
    """Everything about a check but its logic; written once, here."""

    id: str
    title: str
    """The secure state, e.g. "Global sessions end after 15 idle minutes"."""
    area: Area
    severity: Severity
    rationale: str
    remediation: tuple[str, ...]
    """Admin Console steps, in order."""
    kinds: tuple[Kind, ...]
    """The resource kinds the check reads; each must be completely collected."""
    thresholds: tuple[Threshold, ...] = ()
    stig: tuple[str, ...] = ()
    nist: tuple[str, ...] = ()
    soc2: tuple[str, ...] = ()
    log_event_types: tuple[str, ...] = ()
    """System Log event types the check reads (with ``log_event`` in kinds)."""
    all_user_factors: bool = False
    """True when the check needs every user's factors, not only admins'."""
    source: str = ""
    """Where the facts behind the check are written down (reference §)."""


CheckFunction = Callable[["CheckContext"], Iterator["Finding"]]


@dataclass(frozen=True)
class Check:
    meta: CheckMeta
    evaluate: CheckFunction = field(repr=False)


class CheckList:
    """The checks of one area module, registered with :meth:`add`."""

    def __init__(self, area: Area) -> None:
        self.area = area
        self.checks: list[Check] = []

    def add(
        self,
        id: str,
        *,
        title: str,
        severity: Severity,
        rationale: str,
        remediation: Sequence[str],
        kinds: Sequence[Kind],
        thresholds: Sequence[Threshold] = (),
        stig: Sequence[str] = (),
        nist: Sequence[str] = (),
        soc2: Sequence[str] = (),
        log_event_types: Sequence[str] = (),
        all_user_factors: bool = False,
        source: str = "",
    ) -> Callable[[CheckFunction], CheckFunction]:
        meta = CheckMeta(
            id=id,
            title=title,
            area=self.area,
            severity=severity,
            rationale=rationale,
            remediation=tuple(remediation),
            kinds=tuple(kinds),
            thresholds=tuple(thresholds),
            stig=tuple(stig),
            nist=tuple(nist),
            soc2=tuple(soc2),
            log_event_types=tuple(log_event_types),
            all_user_factors=all_user_factors,
            source=source,
        )

        def register(function: CheckFunction) -> CheckFunction:
            self.checks.append(Check(meta, function))
            return function

        return register


@cache
def load_catalogue() -> tuple[Check, ...]:
    """Every check of every area module, validated; the same tuple on each call."""
    checks: list[Check] = []
    for name in AREA_MODULES:
        module = importlib.import_module(f"atomation.assessment.checks.{name}")
        checks.extend(module.checks.checks)
    validate(checks)
    return tuple(checks)


def validate(checks: Sequence[Check]) -> None:
    """Refuse a catalogue that contradicts itself or the framework tables."""
    known_kinds = set(get_args(Kind))
    seen: set[str] = set()
    for check in checks:
        meta = check.meta
        where = f"check {meta.id}"
        if meta.id in seen:
            raise CatalogueError(f"{where} is defined twice")
        seen.add(meta.id)
        if meta.area not in AREAS:
            raise CatalogueError(f"{where} names an unknown area {meta.area!r}")
        if not meta.title or not meta.rationale or not meta.remediation:
            raise CatalogueError(f"{where} lacks a title, rationale or remediation")
        if not meta.kinds:
            raise CatalogueError(f"{where} reads no kind of resource")
        for kind in meta.kinds:
            if kind not in known_kinds:
                raise CatalogueError(f"{where} reads an unknown kind {kind!r}")
        if meta.log_event_types and "log_event" not in meta.kinds:
            raise CatalogueError(f"{where} names event types but not log_event")
        for table, ids in (
            (STIG_RULES, meta.stig),
            (NIST_CONTROLS, meta.nist),
            (SOC2_CRITERIA, meta.soc2),
        ):
            for control in ids:
                if control not in table:
                    raise CatalogueError(f"{where} maps to unknown control {control}")
        if not meta.nist or not meta.soc2:
            raise CatalogueError(f"{where} maps to no NIST control or SOC 2 criterion")
        for rule in meta.stig:
            if STIG_RULES[rule].needs is not None:
                raise CatalogueError(
                    f"{where} maps to {rule}, which is listed as not evaluable"
                )
        names: set[str] = set()
        for threshold in meta.thresholds:
            if threshold.name in names:
                raise CatalogueError(f"{where} has threshold {threshold.name} twice")
            names.add(threshold.name)
            if type(threshold.stig) is not type(threshold.baseline):
                raise CatalogueError(
                    f"{where} threshold {threshold.name}: the stig and baseline "
                    "defaults differ in type"
                )


def resolve_thresholds(
    checks: Sequence[Check],
    profile: Profile,
    overrides: Mapping[str, object] | None = None,
) -> dict[str, dict[str, ThresholdValue]]:
    """The threshold values per check: the profile's defaults, then the overrides.

    Overrides are keyed ``<check id>.<parameter>``; one that names no parameter
    of a catalogued check is refused, so a typo never goes unnoticed.
    """
    if profile not in PROFILES:
        raise ThresholdError(
            f"unknown profile {profile!r}",
            hint=f"use one of: {', '.join(PROFILES)}.",
        )
    values: dict[str, dict[str, ThresholdValue]] = {}
    by_key: dict[str, tuple[CheckMeta, Threshold]] = {}
    for check in checks:
        values[check.meta.id] = {
            t.name: t.default(profile) for t in check.meta.thresholds
        }
        for t in check.meta.thresholds:
            by_key[f"{check.meta.id}.{t.name}"] = (check.meta, t)
    for key, raw in (overrides or {}).items():
        if key not in by_key:
            raise ThresholdError(
                f"no check parameter is called {key!r}",
                hint="run 'atomation checks list' to see each check's parameters.",
            )
        meta, threshold = by_key[key]
        values[meta.id][threshold.name] = threshold.coerce(meta.id, raw)
    return values
