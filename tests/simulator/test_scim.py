"""The SCIM filter parser used by ``search``/``filter`` (okta-api.md §3.5, §5)."""

from __future__ import annotations

from typing import Any

import pytest

from atomation.simulator.server import scim

USER = {
    "id": "00u1",
    "status": "ACTIVE",
    "lastUpdated": "2026-05-01T00:00:00.000Z",
    "profile": {"login": "Ada@Example.com", "department": None},
    "target": [{"id": "a"}, {"id": "b"}],
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('status eq "ACTIVE"', True),
        ('status EQ "active"', True),  # operators and string values: any case
        ('status ne "ACTIVE"', False),
        ('profile.login sw "ada"', True),
        ('profile.login ew ".com"', True),
        ('profile.login co "example"', True),
        ("profile.login pr", True),
        ("profile.department pr", False),
        ('lastUpdated gt "2026-04-30T00:00:00.000Z"', True),
        ('lastUpdated lt "2026-04-30T00:00:00.000Z"', False),
        ('status eq "ACTIVE" and profile.login sw "bob"', False),
        ('status eq "SUSPENDED" or profile.login sw "ada"', True),
        ('not (status eq "ACTIVE")', False),
        ('(status eq "X" or status eq "ACTIVE") and id eq "00u1"', True),
        ('target.id eq "b"', True),
        ('Status eq "ACTIVE"', False),  # attribute names are case-sensitive
    ],
)
def test_filters_evaluate_like_okta(expression: str, expected: bool) -> None:
    assert scim.evaluate(scim.parse(expression), USER) is expected


def test_and_binds_tighter_than_or() -> None:
    tree = scim.parse('id eq "x" or status eq "ACTIVE" and id eq "y"')

    assert isinstance(tree, scim.Or)
    assert scim.evaluate(tree, USER) is False


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ('eventType eqq "x"', 10),
        ('status eq "ACTIVE" and', 22),
        ('(status eq "ACTIVE"', 19),
        ("status eq", 9),
        ("", 0),
    ],
)
def test_malformed_filters_report_the_position(expression: str, position: int) -> None:
    with pytest.raises(scim.ScimFilterError) as raised:
        scim.parse(expression)

    assert raised.value.position == position


def test_or_of_equalities_is_recognised_for_push_down() -> None:
    tree = scim.parse('eventType eq "a" or eventType eq "b" or eventType eq "c"')
    mixed = scim.parse('eventType eq "a" or outcome.result eq "FAILURE"')

    assert scim.equality_values(tree, "eventType") == frozenset({"a", "b", "c"})
    assert scim.equality_values(mixed, "eventType") is None


def test_values_of_every_literal_type() -> None:
    item: dict[str, Any] = {"n": 3, "b": True, "z": None}

    assert scim.evaluate(scim.parse("n eq 3"), item)
    assert scim.evaluate(scim.parse("n gt 2.5"), item)
    assert scim.evaluate(scim.parse("b eq true"), item)
    assert scim.evaluate(scim.parse("z eq null"), item)
