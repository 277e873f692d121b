"""The permission matrix: one Case per URL pattern of the project.

tests/test_permission_matrix.py walks every URL pattern and fails when one has
no Case here or in a ``tests/<app>/access_cases.py`` module. A Case says, per
persona, which status code the request must get. For a view that changes data
(``writes=True``) the reader must get 403, the outsider 404, some persona must
succeed, and ``check`` must confirm the change in the database; personas that
are refused run first, so a refused request that wrote anything is caught.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Args = Callable[[Any], list[Any]]
Data = Callable[[Any], dict[str, Any]]


@dataclass
class Case:
    url_name: str
    expect: dict[str, int | tuple[int, ...]]
    args: Args = field(default=lambda world: [])
    method: str = "get"
    data: Data | None = None
    query: str = ""
    writes: bool = False
    # For writes: called with (world, before_state) after success; must assert the change.
    state: Callable[[Any], Any] | None = None
    check: Callable[[Any, Any], None] | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    label: str = ""
    # The object is public reference data (geography): outsiders exist as "members
    # without the right" there and get 403 instead of 404.
    public_object: bool = False

    def id(self) -> str:
        return f"{self.url_name}{'-' + self.label if self.label else ''}"


PERSONAS_ORDER = ["anonymous", "outsider", "reader", "reporter", "coordinator", "admin"]

# Common expectations.
LOGIN_REDIRECT = 302
PUBLIC = {"anonymous": 200, "outsider": 200, "reader": 200}
MEMBERS_READ = {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 200}
API_MEMBERS_READ = {"anonymous": 401, "outsider": 404, "reader": 200}
