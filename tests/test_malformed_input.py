"""Malformed values in any URL or query parameter never give a server error (5xx).

Every URL pattern the resolver knows is requested (through its Case in the
permission matrix, tests/test_permission_matrix.py) with each of its path
parameters, each query parameter its view reads, and each query parameter the
API's OpenAPI schema declares, replaced in turn by a malformed value: a NUL byte,
a 10,000-character text, dates and ISO weeks at the ends of the calendar, text
where a number belongs, negative and huge numbers. The query parameters a view
reads are found by running its Case once and recording which names it asks
``request.GET`` for. Each request runs in a savepoint that is rolled back, so a
writing view leaves nothing behind and a database error cannot spoil the next
request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import resolve, reverse
from django.utils.functional import cached_property

from tests.access import Case
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db

MALFORMED = [
    "\x00",
    "x" * 10_000,
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "0001-W01",
    "9999-W53",
    "2025-W99",
    "abc",
    "-1",
    "0",
    "9" * 30,
    "1e400",
    "",
]
# Besides the coordinator and anonymous: the persona the Case lets in, when the
# coordinator may not (an admin-only page reads its parameters only for an admin).
FUZZ_PERSONAS = ("coordinator", "anonymous")
ALLOWED_ORDER = ("coordinator", "admin", "reader", "reporter", "outsider", "anonymous")
_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _one_case_per_url() -> list[Case]:
    """The first Case of each URL name, a reading one where there is one."""
    chosen: dict[str, Case] = {}
    for case in CASES:
        current = chosen.get(case.url_name)
        if current is None or (current.writes and not case.writes):
            chosen[case.url_name] = case
    return list(chosen.values())


URL_CASES = _one_case_per_url()


class _RecordingQueryDict(QueryDict):
    """A QueryDict that notes every name a view asks for."""

    reads: set[str] | None = None

    def _note(self, key: Any) -> None:
        if _RecordingQueryDict.reads is not None and isinstance(key, str):
            _RecordingQueryDict.reads.add(key)

    def __getitem__(self, key: Any) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def getlist(self, key: Any, default: Any = None) -> Any:
        self._note(key)
        return super().getlist(key, default)


def _recording_get(request: WSGIRequest) -> QueryDict:
    raw = request.environ.get("QUERY_STRING", "").encode("iso-8859-1")
    return _RecordingQueryDict(raw, encoding=request._encoding)


@pytest.fixture
def local_cache(settings) -> None:
    """The lägesbild's cache in memory: in the database it would be rolled back with
    each request, and every request would compile the picture anew."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture
def recording(monkeypatch) -> Iterator[None]:
    prop = cached_property(_recording_get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    yield
    _RecordingQueryDict.reads = None


def _allowed_persona(case: Case) -> str:
    for persona in ALLOWED_ORDER:
        codes = case.expect.get(persona)
        codes = codes if isinstance(codes, tuple) else (codes,)
        if any(code in (200, 201, 204, 302) for code in codes if code):
            return persona
    return "coordinator"


def _path(route: str, values: dict[str, str]) -> str:
    return "/" + _ROUTE_PARAMETER.sub(lambda m: quote(values[m.group(1)], safe=""), route)


def _openapi_query_parameters(client: Client) -> dict[tuple[str, str], set[str]]:
    """(normalized route, method) → the query parameters the API schema declares."""
    schema = client.get("/api/v1/openapi.json").json()
    out: dict[tuple[str, str], set[str]] = {}
    for path, operations in schema["paths"].items():
        route = re.sub(r"\{\w+\}", "{}", path.strip("/"))
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            out[(route, method)] = names
    return out


class _Probe:
    """Sends the requests of one Case, each in a savepoint that is rolled back."""

    def __init__(self, world: Any, case: Case) -> None:
        self.world = world
        self.case = case
        self.clients: dict[str, tuple[Client, SimpleCookie]] = {}
        self.failures: list[str] = []

    def client(self, persona: str) -> tuple[Client, SimpleCookie]:
        if persona not in self.clients:
            client = self.world.fresh_client(persona)
            self.clients[persona] = (client, SimpleCookie(client.cookies))
        return self.clients[persona]

    def send(self, persona: str, path: str, query: dict[str, str]) -> int | None:
        client, cookies = self.client(persona)
        url = f"{path}?{urlencode(query)}" if query else path
        kwargs: dict[str, Any] = {"headers": self.case.headers}
        if self.case.data is not None:
            kwargs["data"] = self.case.data(self.world)
        if self.case.content_type:
            kwargs["content_type"] = self.case.content_type
        status = None
        try:
            with transaction.atomic():
                response = getattr(client, self.case.method)(url, **kwargs)
                status = response.status_code
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - every crash is a finding, shown below
            self.failures.append(f"{persona} {url[:160]!r}: {type(error).__name__}: {error}")
        else:
            if status >= 500:
                self.failures.append(f"{persona} {url[:160]!r}: {status}")
        client.cookies = SimpleCookie(cookies)
        return status


def _query_reads(probe: _Probe, persona: str, path: str, query: dict[str, str]) -> set[str]:
    _RecordingQueryDict.reads = set()
    probe.send(persona, path, query)
    reads = _RecordingQueryDict.reads
    _RecordingQueryDict.reads = None
    return reads


@pytest.fixture(scope="module")
def api_parameters(django_db_blocker) -> dict[tuple[str, str], set[str]]:
    with django_db_blocker.unblock():
        return _openapi_query_parameters(Client())


def _parameters_read(
    probe: _Probe, path: str, query: dict[str, str], declared: set[str]
) -> tuple[list[str], set[str], set[str]]:
    """The personas to send as, those of them whose view reads the query, and the names
    read (by the view, or declared in the API schema)."""
    personas, readers, reads = list(FUZZ_PERSONAS), set(), set(declared)

    def record(persona: str) -> None:
        # A name the view does not know, since "request.GET or None" leaves a form
        # unbound, reading nothing, on an empty query; iterating reads it too.
        read = _query_reads(probe, persona, path, {**query, "_": "1"}) - {"_"}
        readers.update({persona} if read or (declared and persona != "anonymous") else ())
        reads.update(read)

    for persona in personas:
        record(persona)
    allowed = _allowed_persona(probe.case)
    if "coordinator" not in readers and allowed not in personas:
        personas.append(allowed)
        record(allowed)
    return personas, readers, reads


@pytest.mark.parametrize("case", URL_CASES, ids=[c.url_name for c in URL_CASES])
def test_malformed_parameters_never_give_a_server_error(
    world, case, local_cache, recording, api_parameters
):
    if case.state:
        case.state(world)
    url = reverse(case.url_name, args=case.args(world))
    match = resolve(url)
    values = {name: str(value) for name, value in match.kwargs.items()}
    path = _path(match.route, values)
    assert path == url, f"{case.url_name}: rebuilt {path}, reversed {url}"
    query = dict(QueryDict(case.query).items())
    probe = _Probe(world, case)
    declared = api_parameters.get((_ROUTE_PARAMETER.sub("{}", match.route), case.method), set())
    personas, readers, reads = _parameters_read(probe, path, query, declared)
    for persona in personas:
        for value in MALFORMED:
            for name in values:
                probe.send(persona, _path(match.route, {**values, name: value}), query)
            if persona in readers:
                for name in sorted(reads):
                    probe.send(persona, path, {**query, name: value})
            elif reads:
                # The view never runs for this persona (a login redirect): all at once.
                probe.send(persona, path, {**query, **dict.fromkeys(reads, value)})
    assert not probe.failures, "\n".join(probe.failures[:30])


def test_the_walk_finds_the_query_parameters_of_views_and_api(world, recording, api_parameters):
    """The recording sees what a view reads; the schema gives the API's parameters."""
    case = next(c for c in URL_CASES if c.url_name == "incidents:list")
    reads = _query_reads(_Probe(world, case), "reader", reverse(case.url_name), {"_": "1"})
    assert {"since", "until", "category", "precision", "sida"} <= reads
    assert {"since", "page", "page_size"} <= api_parameters[("api/v1/incidents", "get")]
