"""A small, strict parser for CQL2 text (OGC 21-065, the Basic CQL2 class).

Grammar (keywords case-insensitive)::

    expression  := term ( OR term )*
    term        := factor ( AND factor )*
    factor      := NOT factor | "(" expression ")" | predicate
    predicate   := property ( op literal | IS [NOT] NULL )
    op          := "=" | "<>" | "<" | "<=" | ">" | ">="
    literal     := 'string' ('' escapes a quote) | number | TRUE | FALSE

A property is an identifier or a "double-quoted" one and must be a queryable of
the collection; a literal must have the queryable's type (and be one of its
values when it has an enumeration). Nothing is evaluated as code: the parser
builds a small tree that a collection turns into a Django ``Q`` or tests on a
feature's properties. Every problem is an ``InputError`` (a 400), never a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tryggnav.lib.errors import InputError

MAX_LENGTH = 2000
MAX_DEPTH = 20
OPERATORS = ("=", "<>", "<", "<=", ">", ">=")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      | (?P<op><>|<=|>=|=|<|>)
      | (?P<paren>[()])
      | (?P<quoted>"[^"]+")
      | (?P<word>[A-Za-z_][A-Za-z0-9_.:-]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Queryable:
    """A property a filter may name: its JSON type, allowed values, title."""

    type: str  # "string", "integer", "number", "boolean"
    title: str
    enum: tuple[str, ...] = ()
    format: str = ""


@dataclass(frozen=True)
class Comparison:
    name: str
    op: str  # one of OPERATORS, or "isnull" / "notnull"
    value: Any = None


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Bool:
    op: str  # "and" / "or"
    children: tuple[Node, ...]


Node = Comparison | Not | Bool


def _error(sv: str, en: str) -> InputError:
    return InputError.single(sv, en, field="filter")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            where = stripped[position : position + 20].strip()
            raise _error(
                f"Filtret kan inte läsas vid tecken {position + 1}: {where!r}.",
                f"The filter cannot be read at character {position + 1}: {where!r}.",
            )
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


class _Parser:
    def __init__(self, text: str, queryables: dict[str, Queryable]):
        self.tokens = _tokens(text)
        self.position = 0
        self.queryables = queryables
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "word" and token[1].upper() in words:
            self.position += 1
            return token[1].upper()
        return None

    def take(self, what: str) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _error(
                f"Filtret slutar för tidigt: {what} saknas.",
                f"The filter ends too early: {what} is missing.",
            )
        self.position += 1
        return token

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error("Filtret är för djupt nästlat.", "The filter is nested too deeply.")
        children = [self.term()]
        while self.keyword("OR"):
            children.append(self.term())
        self.depth -= 1
        return children[0] if len(children) == 1 else Bool("or", tuple(children))

    def term(self) -> Node:
        children = [self.factor()]
        while self.keyword("AND"):
            children.append(self.factor())
        return children[0] if len(children) == 1 else Bool("and", tuple(children))

    def factor(self) -> Node:
        if self.keyword("NOT"):
            return Not(self.factor())
        token = self.peek()
        if token == ("paren", "("):
            self.position += 1
            node = self.expression()
            if self.take("')'") != ("paren", ")"):
                raise _error("En ')' saknas i filtret.", "A ')' is missing in the filter.")
            return node
        return self.predicate()

    def predicate(self) -> Node:
        kind, text = self.take("en egenskap / a property")
        if kind not in ("word", "quoted"):
            raise _error(
                f"En egenskap väntades, inte {text!r}.", f"A property was expected, not {text!r}."
            )
        name = text.strip('"') if kind == "quoted" else text
        queryable = self.queryables.get(name)
        if queryable is None:
            known = ", ".join(sorted(self.queryables))
            raise _error(
                f"Okänd egenskap {name!r} i filtret. Kända: {known}.",
                f"Unknown property {name!r} in the filter. Known: {known}.",
            )
        if self.keyword("IS"):
            negated = self.keyword("NOT") is not None
            if self.keyword("NULL") is None:
                raise _error("NULL väntades efter IS.", "NULL was expected after IS.")
            return Comparison(name, "notnull" if negated else "isnull")
        kind, op = self.take("en jämförelse / a comparison")
        if kind != "op":
            raise _error(
                f"En jämförelse (=, <>, <, <=, >, >=) väntades efter {name!r}, inte {op!r}.",
                f"A comparison (=, <>, <, <=, >, >=) was expected after {name!r}, not {op!r}.",
            )
        return Comparison(name, op, self.literal(name, queryable))

    def literal(self, name: str, queryable: Queryable) -> Any:
        kind, text = self.take("ett värde / a value")
        value = _literal(kind, text)
        return typed(name, queryable, value)


def _literal(kind: str, text: str) -> Any:
    if kind == "string":
        return text[1:-1].replace("''", "'")
    if kind == "number":
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "word" and text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    raise _error(f"Ett värde väntades, inte {text!r}.", f"A value was expected, not {text!r}.")


def typed(name: str, queryable: Queryable, value: Any) -> Any:
    expected = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
    }[queryable.type]
    if isinstance(value, bool) and queryable.type != "boolean":
        expected = ()
    if not isinstance(value, expected):
        raise _error(
            f"{name!r} jämförs med fel sorts värde ({value!r}); den är av typen {queryable.type}.",
            f"{name!r} is compared with a value of the wrong type ({value!r}); "
            f"it is of type {queryable.type}.",
        )
    if queryable.enum and value not in queryable.enum:
        allowed = ", ".join(queryable.enum)
        raise _error(
            f"{value!r} är inget värde för {name!r}. Möjliga: {allowed}.",
            f"{value!r} is not a value of {name!r}. Possible: {allowed}.",
        )
    return value


def parse(text: str, queryables: dict[str, Queryable]) -> Node:
    """The tree of a CQL2-text filter, checked against the collection's queryables."""
    if len(text) > MAX_LENGTH:
        raise _error(
            f"Filtret är längre än {MAX_LENGTH} tecken.",
            f"The filter is longer than {MAX_LENGTH} characters.",
        )
    if "\x00" in text or not text.strip():
        raise _error("Filtret är tomt eller ogiltigt.", "The filter is empty or invalid.")
    parser = _Parser(text, queryables)
    node = parser.expression()
    rest = parser.peek()
    if rest is not None:
        raise _error(
            f"Oväntat {rest[1]!r} i filtret (saknas AND eller OR?).",
            f"Unexpected {rest[1]!r} in the filter (is an AND or OR missing?).",
        )
    return node


def to_q(node: Node, fields: dict[str, str]):
    """A Django ``Q`` for the tree; ``fields`` maps each queryable to its ORM path.
    A comparison with a NULL column is false, as in SQL and CQL2."""

    if isinstance(node, Bool):
        combined = to_q(node.children[0], fields)
        for child in node.children[1:]:
            other = to_q(child, fields)
            combined = combined & other if node.op == "and" else combined | other
        return combined
    if isinstance(node, Not):
        return ~to_q(node.child, fields)
    path = fields[node.name]
    if node.op == "isnull":
        return Q(**{f"{path}__isnull": True})
    if node.op == "notnull":
        return Q(**{f"{path}__isnull": False})
    if node.op == "<>":
        return ~Q(**{path: node.value}) & Q(**{f"{path}__isnull": False})
    lookup = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[node.op]
    return Q(**{f"{path}__{lookup}": node.value})


def matches(node: Node, properties: dict[str, Any]) -> bool:
    """Whether a feature's properties satisfy the tree (NULL compares false)."""
    if isinstance(node, Bool):
        results = (matches(child, properties) for child in node.children)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Not):
        return not matches(node.child, properties)
    value = properties.get(node.name)
    if node.op == "isnull":
        return value is None
    if node.op == "notnull":
        return value is not None
    if value is None:
        return False
    other = node.value
    return {
        "=": lambda: value == other,
        "<>": lambda: value != other,
        "<": lambda: value < other,
        "<=": lambda: value <= other,
        ">": lambda: value > other,
        ">=": lambda: value >= other,
    }[node.op]()
