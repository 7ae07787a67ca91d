"""A SCIM filter parser and evaluator for Okta's ``filter`` and ``search`` parameters.

Grammar (okta-api.md §3.5 "Filter grammar", §5): ``attr op "value"``, ``attr pr``,
``and``/``or``/``not`` with parentheses. Attribute names are case-sensitive, operators
and logical words are not. Values are double-quoted strings, numbers, ``true``,
``false`` or ``null``. Dates are compared as their ISO-8601 text, which orders
correctly for the fixed ``YYYY-MM-DDTHH:mm:ss.SSSZ`` format Okta uses.

``and`` binds tighter than ``or``. A parse failure raises :class:`ScimFilterError`
with the position, so callers can build Okta's own error texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "OPERATORS",
    "And",
    "Comparison",
    "Filter",
    "Not",
    "Or",
    "ScimFilterError",
    "attributes",
    "equality_values",
    "evaluate",
    "parse",
]

OPERATORS = ("eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) |
        (?P<string>"(?:[^"\\]|\\.)*") |
        (?P<word>[A-Za-z0-9_.:$\-]+)
    )""",
    re.VERBOSE,
)


class ScimFilterError(ValueError):
    """A filter expression that cannot be parsed."""

    def __init__(self, message: str, position: int, token: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.token = token


@dataclass(frozen=True)
class Comparison:
    attribute: str
    operator: str
    value: Any = None


@dataclass(frozen=True)
class And:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Or:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Not:
    operand: Filter


Filter = Comparison | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(expression):
        if expression[position:].strip() == "":
            break
        match = _TOKEN.match(expression, position)
        if match is None or match.lastgroup is None:
            raise ScimFilterError(
                f"Unexpected character at position {position}", position
            )
        kind = match.lastgroup
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = _tokenize(expression)
        self.index = 0
        self.length = len(expression)

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ScimFilterError("Unexpected end of filter", self.length)
        self.index += 1
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.lower() == word

    def parse(self) -> Filter:
        result = self.parse_or()
        token = self.peek()
        if token is not None:
            raise ScimFilterError(
                f"Unexpected token '{token.text}' at position {token.position}",
                token.position,
                token.text,
            )
        return result

    def parse_or(self) -> Filter:
        left = self.parse_and()
        while self.is_word("or"):
            self.take()
            left = Or(left, self.parse_and())
        return left

    def parse_and(self) -> Filter:
        left = self.parse_unary()
        while self.is_word("and"):
            self.take()
            left = And(left, self.parse_unary())
        return left

    def parse_unary(self) -> Filter:
        if self.is_word("not"):
            self.take()
            return Not(self.parse_unary())
        token = self.peek()
        if token is not None and token.kind == "lparen":
            self.take()
            inner = self.parse_or()
            closing = self.take()
            if closing.kind != "rparen":
                raise ScimFilterError(
                    f"Expected ')' at position {closing.position}",
                    closing.position,
                    closing.text,
                )
            return inner
        return self.parse_comparison()

    def parse_comparison(self) -> Comparison:
        attribute = self.take()
        if attribute.kind != "word":
            raise ScimFilterError(
                f"Expected an attribute at position {attribute.position}",
                attribute.position,
                attribute.text,
            )
        operator = self.take()
        op = operator.text.lower()
        if operator.kind != "word" or op not in OPERATORS:
            raise ScimFilterError(
                f"Unrecognized attribute operator '{operator.text}' at position "
                f"{operator.position}. Expected: eq,co,sw,pr,gt,ge,lt,le",
                operator.position,
                operator.text,
            )
        if op == "pr":
            return Comparison(attribute.text, op)
        return Comparison(attribute.text, op, self.parse_value())

    def parse_value(self) -> Any:
        token = self.take()
        if token.kind == "string":
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "word":
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            try:
                return float(token.text) if "." in token.text else int(token.text)
            except ValueError:
                pass
        raise ScimFilterError(
            f"Invalid value '{token.text}' at position {token.position}",
            token.position,
            token.text,
        )


def parse(expression: str) -> Filter:
    """Parse a SCIM filter expression into a small tree."""
    if not expression.strip():
        raise ScimFilterError("Empty filter", 0)
    return _Parser(expression).parse()


def _lookup(item: Any, attribute: str) -> Any:
    value = item
    for part in attribute.split("."):
        if isinstance(value, list):
            # a path through a list (e.g. target.id) matches any element
            return [_lookup(element, part) for element in value]
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _compare(actual: Any, operator: str, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(_compare(element, operator, expected) for element in actual)
    if operator == "pr":
        return actual is not None
    if operator in ("eq", "ne"):
        if isinstance(actual, str) and isinstance(expected, str):
            equal = actual.lower() == expected.lower()
        else:
            equal = actual == expected
        return equal if operator == "eq" else not equal
    if actual is None or expected is None:
        return False
    if operator in ("co", "sw", "ew"):
        text, part = str(actual).lower(), str(expected).lower()
        checks: dict[str, Callable[[], bool]] = {
            "co": lambda: part in text,
            "sw": lambda: text.startswith(part),
            "ew": lambda: text.endswith(part),
        }
        return checks[operator]()
    try:
        if operator == "gt":
            return bool(actual > expected)
        if operator == "ge":
            return bool(actual >= expected)
        if operator == "lt":
            return bool(actual < expected)
        return bool(actual <= expected)
    except TypeError:
        return False


def evaluate(node: Filter, item: Any) -> bool:
    """Whether ``item`` (a JSON-ready dict) satisfies the filter."""
    if isinstance(node, Comparison):
        return _compare(_lookup(item, node.attribute), node.operator, node.value)
    if isinstance(node, And):
        return evaluate(node.left, item) and evaluate(node.right, item)
    if isinstance(node, Or):
        return evaluate(node.left, item) or evaluate(node.right, item)
    return not evaluate(node.operand, item)


def attributes(node: Filter) -> Iterator[Comparison]:
    """Every comparison in the tree, for checking which attributes a filter uses."""
    if isinstance(node, Comparison):
        yield node
    elif isinstance(node, Not):
        yield from attributes(node.operand)
    else:
        yield from attributes(node.left)
        yield from attributes(node.right)


def equality_values(node: Filter, attribute: str) -> frozenset[str] | None:
    """The values when the filter is only ``attribute eq v`` joined with ``or``.

    Lets the System Log push an event-type filter down to its generator instead of
    building every event; ``None`` when the filter has any other form.
    """
    if isinstance(node, Comparison):
        if node.attribute == attribute and node.operator == "eq":
            return frozenset({str(node.value)})
        return None
    if isinstance(node, Or):
        left = equality_values(node.left, attribute)
        right = equality_values(node.right, attribute)
        if left is None or right is None:
            return None
        return left | right
    return None
