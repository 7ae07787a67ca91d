from __future__ import annotations

from atomation.snapshot.log_events import (
    MAX_FILTER_TYPES,
    SECURITY_EVENT_TYPES,
    event_type_filters,
)


def test_filters_cover_every_type_once_in_bounded_chunks() -> None:
    every = set().union(*SECURITY_EVENT_TYPES.values())

    filters = event_type_filters(every)

    named = [
        term.removeprefix('eventType eq "').removesuffix('"')
        for expression in filters
        for term in expression.split(" or ")
    ]
    assert sorted(named) == sorted(every)
    assert all(expression.count(" or ") < MAX_FILTER_TYPES for expression in filters)


def test_the_rate_limit_violation_uses_the_catalogue_name() -> None:
    rate_limits = SECURITY_EVENT_TYPES["rate_limits"]

    assert "system.org.rate_limit.violation" in rate_limits
    assert "system.rate.limit.violation" not in rate_limits
