"""The System Log query API (okta-api.md §5) over a log with known events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from tests.simulator.fixture_org import ANCHOR
from tests.simulator.support import fixture_server

ALL_EVENTS = 40  # fixture log: one event an hour for the 40 hours before ANCHOR


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with fixture_server(log_events=ALL_EVENTS) as server:
        yield server


def logs(okta: SimulatorServer, query: str) -> httpx.Response:
    url = query if query.startswith("http") else f"{okta.base_url}/api/v1/logs?{query}"
    return httpx.get(url, headers={"Authorization": f"SSWS {okta.admin_token}"})


def next_link(response: httpx.Response) -> str | None:
    for value in response.headers.get_list("link"):
        match = re.fullmatch(r'<([^>]+)>; rel="next"', value)
        if match:
            return match.group(1)
    return None


def iso(hours_before_anchor: float) -> str:
    moment = ANCHOR - timedelta(hours=hours_before_anchor)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_bounded_query_ends_without_a_next_link(okta: SimulatorServer) -> None:
    url: str | None = f"since={iso(100)}&until={iso(0)}&limit=7"
    seen: list[str] = []
    pages = 0
    while url is not None:
        response = logs(okta, url)
        assert response.status_code == 200, response.text
        seen += [e["uuid"] for e in response.json()]
        pages += 1
        url = next_link(response)

    assert len(seen) == ALL_EVENTS
    assert len(set(seen)) == ALL_EVENTS
    assert pages == 6


def test_polling_query_always_has_a_next_link_even_when_empty(
    okta: SimulatorServer,
) -> None:
    first = logs(okta, f"since={iso(3)}&limit=10")
    assert len(first.json()) == 3  # since is inclusive: 3 h, 2 h and 1 h ago
    follow = next_link(first)
    assert follow is not None
    assert "since=" not in follow

    empty = logs(okta, follow)

    assert empty.status_code == 200
    assert empty.json() == []
    assert next_link(empty) is not None


def test_descending_without_until_ends(okta: SimulatorServer) -> None:
    response = logs(okta, "sortOrder=DESCENDING&limit=100")

    published = [e["published"] for e in response.json()]
    assert len(published) == ALL_EVENTS
    assert published == sorted(published, reverse=True)
    assert next_link(response) is None


def test_descending_pages_continue_in_order(okta: SimulatorServer) -> None:
    first = logs(okta, "sortOrder=DESCENDING&limit=15")
    follow = next_link(first)
    assert follow is not None
    second = logs(okta, follow)

    combined = [e["published"] for e in first.json() + second.json()]
    assert combined == sorted(combined, reverse=True)
    assert len(set(combined)) == 30


def test_event_type_filter_joined_with_or(okta: SimulatorServer) -> None:
    expression = (
        'eventType eq "user.session.start" or eventType eq "user.mfa.factor.reset_all"'
    )
    response = logs(okta, f"until={iso(0)}&filter={quote(expression)}&limit=1000")

    types = {e["eventType"] for e in response.json()}
    assert types == {"user.session.start", "user.mfa.factor.reset_all"}
    assert len(response.json()) == 27


def test_outcome_and_target_filters(okta: SimulatorServer) -> None:
    expression = 'outcome.result eq "FAILURE" and target.id eq "00g00000000000000000"'
    response = logs(okta, f"until={iso(0)}&filter={quote(expression)}&limit=1000")

    events = response.json()
    assert events
    assert all(e["outcome"]["result"] == "FAILURE" for e in events)
    assert all(e["target"][0]["id"] == "00g00000000000000000" for e in events)


def test_actor_filter(okta: SimulatorServer) -> None:
    expression = 'actor.id eq "00u00000000000000001"'
    response = logs(okta, f"until={iso(0)}&filter={quote(expression)}")

    assert len(response.json()) == 8


def test_keyword_search_needs_every_keyword(okta: SimulatorServer) -> None:
    one = logs(okta, f"until={iso(0)}&q=reset_all")
    both = logs(okta, f"until={iso(0)}&q=RESET_ALL%20failure")

    assert len(one.json()) == 13  # every third event
    # events 8, 20 and 32 (uuids are hex of index + 1)
    assert [e["uuid"][-2:] for e in both.json()] == ["09", "15", "21"]


def test_keyword_longer_than_40_characters_is_refused(okta: SimulatorServer) -> None:
    response = logs(okta, "q=" + "x" * 41)

    assert response.json()["errorCode"] == "E0000001"


def test_bad_filter_operator_is_e0000053(okta: SimulatorServer) -> None:
    expression = 'eventType eqq "x"'
    response = logs(okta, f"filter={quote(expression)}")

    body = response.json()
    assert response.status_code == 400
    assert body["errorCode"] == "E0000053"
    assert (
        "Unrecognized attribute operator 'eqq' at position 10" in body["errorSummary"]
    )


def test_filter_on_published_is_refused(okta: SimulatorServer) -> None:
    expression = 'published gt "2020-01-01T00:00:00.000Z"'
    response = logs(okta, f"filter={quote(expression)}")

    assert response.status_code == 400


def test_contains_on_debug_url_is_not_supported(okta: SimulatorServer) -> None:
    expression = 'debugContext.debugData.url co "/api"'
    response = logs(okta, f"filter={quote(expression)}")

    assert response.json()["errorCode"] == "E0000031"


def test_since_with_after_conflict(okta: SimulatorServer) -> None:
    first = logs(okta, f"since={iso(3)}")
    follow = next_link(first)
    assert follow is not None

    response = logs(okta, follow + f"&since={iso(3)}")

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"


@pytest.mark.parametrize("limit", ["-1", "1001", "ten"])
def test_limit_outside_0_to_1000_is_refused(okta: SimulatorServer, limit: str) -> None:
    assert logs(okta, f"limit={limit}").status_code == 400


def test_limit_zero_gives_an_empty_page(okta: SimulatorServer) -> None:
    response = logs(okta, "limit=0")

    assert response.json() == []
    assert next_link(response) is not None


def test_since_more_than_180_days_back_is_refused(okta: SimulatorServer) -> None:
    response = logs(okta, f"since={iso(181 * 24)}")

    assert response.json()["errorCode"] == "E0000053"


def test_bad_date_is_a_validation_error(okta: SimulatorServer) -> None:
    response = logs(okta, "until=yesterday")

    assert response.json()["errorCode"] == "E0000001"


def test_events_older_than_90_days_are_not_returned() -> None:
    with fixture_server(log_events=ALL_EVENTS) as okta:
        # only the events of the last 10.5 hours before ANCHOR stay in the window
        okta.advance(90 * 24 * 3600 - 10.5 * 3600)

        response = logs(okta, f"since={iso(100)}&limit=1000")

    assert response.status_code == 200
    assert len(response.json()) == 10


def test_bad_log_cursor_is_e0000029(okta: SimulatorServer) -> None:
    response = logs(okta, "after=nonsense")

    assert response.json()["errorCode"] == "E0000029"
