"""Okta's cursor paging over the generated org (okta-api.md §3.5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=1200, seed=7, latency=0, rate_limits="off") as server:
        yield server


def admin_get(okta: SimulatorServer, path_or_url: str) -> httpx.Response:
    url = path_or_url if path_or_url.startswith("http") else okta.base_url + path_or_url
    return httpx.get(url, headers={"Authorization": f"SSWS {okta.admin_token}"})


def links(response: httpx.Response) -> list[tuple[str, str]]:
    found = []
    for value in response.headers.get_list("link"):
        match = re.fullmatch(r'<([^>]+)>; rel="(\w+)"', value)
        assert match is not None, value
        found.append((match.group(2), match.group(1)))
    return found


def follow(okta: SimulatorServer, path: str) -> tuple[list[dict[str, object]], int]:
    """Every item of a list, following ``next`` links; and the number of pages."""
    items: list[dict[str, object]] = []
    url: str | None = path
    pages = 0
    while url is not None:
        response = admin_get(okta, url)
        assert response.status_code == 200, response.text
        items.extend(response.json())
        pages += 1
        url = dict(links(response)).get("next")
    return items, pages


def test_users_page_through_every_non_deprovisioned_user_once(
    okta: SimulatorServer,
) -> None:
    items, pages = follow(okta, "/api/v1/users?limit=37")

    expected = [u["id"] for u in okta.org.users if u["status"] != "DEPROVISIONED"]
    assert [u["id"] for u in items] == expected
    assert pages == -(-len(expected) // 37)
    assert len(expected) > 1000


def test_links_are_separate_headers_self_first_then_next(
    okta: SimulatorServer,
) -> None:
    response = admin_get(okta, "/api/v1/users?limit=5")

    found = links(response)
    assert [rel for rel, _ in found] == ["self", "next"]
    assert found[0][1] == f"{okta.base_url}/api/v1/users?limit=5"
    assert found[1][1].startswith(f"{okta.base_url}/api/v1/users?limit=5&after=")


def test_last_page_has_only_a_self_link(okta: SimulatorServer) -> None:
    response = admin_get(okta, "/api/v1/zones")

    assert [rel for rel, _ in links(response)] == ["self"]


def test_default_and_maximum_page_sizes(okta: SimulatorServer) -> None:
    default = admin_get(okta, "/api/v1/users")
    clamped = admin_get(okta, "/api/v1/users?limit=5000")

    assert len(default.json()) == 200
    assert len(clamped.json()) == 200


def test_out_of_range_limit_can_be_an_error_instead() -> None:
    with SimulatorServer(
        users=100, latency=0, rate_limits="off", limit_out_of_range="error"
    ) as okta:
        response = admin_get(okta, "/api/v1/users?limit=5000")

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"


@pytest.mark.parametrize("cursor", ["garbage", "c2ltMTpub3Q", "!!"])
def test_invalid_cursor_is_e0000029(okta: SimulatorServer, cursor: str) -> None:
    response = admin_get(okta, f"/api/v1/users?after={cursor}")

    body = response.json()
    assert response.status_code == 400
    assert body["errorCode"] == "E0000029"
    assert body["errorSummary"] == "Invalid paging request."
    assert body["errorCauses"] == [{"errorSummary": "Invalid cursor."}]


def test_search_returns_deprovisioned_users(okta: SimulatorServer) -> None:
    items, _ = follow(
        okta, "/api/v1/users?search=status%20eq%20%22DEPROVISIONED%22&limit=50"
    )

    expected = [u["id"] for u in okta.org.users if u["status"] == "DEPROVISIONED"]
    assert [u["id"] for u in items] == expected
    assert expected


def test_filter_on_last_updated_range(okta: SimulatorServer) -> None:
    pivot = sorted(u["lastUpdated"] for u in okta.org.users)[600]

    items, _ = follow(okta, f'/api/v1/users?filter=lastUpdated%20gt%20"{pivot}"')

    expected = [u["id"] for u in okta.org.users if u["lastUpdated"] > pivot]
    assert {u["id"] for u in items} == set(expected)


def test_filter_on_an_unsupported_attribute_is_invalid_search(
    okta: SimulatorServer,
) -> None:
    response = admin_get(okta, '/api/v1/users?filter=profile.title%20eq%20"x"')

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000031"


def test_group_members_page_with_their_own_limits(okta: SimulatorServer) -> None:
    group = max(okta.org.groups, key=lambda g: len(okta.org.group_member_ids(g["id"])))
    members = okta.org.group_member_ids(group["id"])

    items, pages = follow(okta, f"/api/v1/groups/{group['id']}/users?limit=100")

    assert [u["id"] for u in items] == list(members)
    assert pages == -(-len(members) // 100)


def test_policies_require_a_type(okta: SimulatorServer) -> None:
    response = admin_get(okta, "/api/v1/policies")

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"


def test_apps_filter_on_status(okta: SimulatorServer) -> None:
    response = admin_get(okta, '/api/v1/apps?filter=status%20eq%20"INACTIVE"')

    expected = [a["id"] for a in okta.org.apps if a["status"] == "INACTIVE"]
    assert [a["id"] for a in response.json()] == expected


def test_iam_lists_are_wrappers_with_a_next_link(okta: SimulatorServer) -> None:
    first = admin_get(okta, "/api/v1/iam/assignees/users?limit=5").json()
    assignees = list(okta.org.role_assignee_user_ids)

    assert set(first) == {"value", "_links"}
    assert [v["id"] for v in first["value"]] == assignees[:5]
    second = admin_get(okta, first["_links"]["next"]["href"]).json()
    assert [v["id"] for v in second["value"]] == assignees[5:10]


def test_user_q_is_one_page_of_ten_by_default(okta: SimulatorServer) -> None:
    response = admin_get(okta, "/api/v1/users?q=a")

    expected = [
        u["id"]
        for u in okta.org.users
        if any(
            str(u["profile"].get(f, "")).lower().startswith("a")
            for f in ("login", "email", "firstName", "lastName")
        )
    ]
    assert [u["id"] for u in response.json()] == expected[:10]
    assert len(expected) > 10
    assert [rel for rel, _ in links(response)] == ["self"]


def test_groups_expand_stats_counts_members(okta: SimulatorServer) -> None:
    groups = admin_get(okta, "/api/v1/groups?expand=stats").json()

    for group in groups:
        stats = group["_embedded"]["stats"]
        assert stats["usersCount"] == len(okta.org.group_member_ids(group["id"]))
        assert stats["hasAdminPrivlege"] is bool(okta.org.group_roles(group["id"]))
    assert any(g["_embedded"]["stats"]["appsCount"] for g in groups)
