"""Every URL pattern has an access test; every writing view refuses readers and outsiders."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import PERSONAS_ORDER, Case


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    root = Path(tests.__file__).parent
    for module_info in pkgutil.iter_modules([str(root)]):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.access_cases")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module_info.name}.access_cases":
                raise
            continue
        cases.extend(module.CASES)
    return cases


CASES = _all_cases()


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            child = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _url_names(pattern, child)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_pattern_has_an_access_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(_url_names(get_resolver()) - covered)
    assert not missing, f"URL patterns without an access test in tests/*/access_cases.py: {missing}"


def test_writing_cases_cover_reader_outsider_and_success():
    problems = []
    for case in CASES:
        if not case.writes:
            continue
        outsider_expected = (403, 404) if case.public_object else (404,)
        if case.expect.get("reader") != 403:
            problems.append(f"{case.id()}: the reader must get 403")
        if case.expect.get("outsider") not in outsider_expected:
            problems.append(f"{case.id()}: the outsider must get 404")
        if not any(code in (200, 201, 204, 302) for code in _codes(case) if code):
            problems.append(f"{case.id()}: no persona succeeds")
        if case.check is None:
            problems.append(f"{case.id()}: no check of the database after success")
    assert not problems, problems


def _codes(case: Case) -> list[int]:
    out: list[int] = []
    for persona, expected in case.expect.items():
        if persona == "anonymous":
            continue
        out.extend(expected if isinstance(expected, tuple) else (expected,))
    return out


def _request(world, case: Case, persona: str, args: list):
    client = world.fresh_client(persona)
    url = reverse(case.url_name, args=args)
    if case.query:
        url = f"{url}?{case.query}"
    kwargs = {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
    if case.content_type:
        kwargs["content_type"] = case.content_type
    return getattr(client, case.method)(url, headers=case.headers, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c.id() for c in CASES])
def test_access(world, case: Case):
    order = sorted(case.expect, key=PERSONAS_ORDER.index)
    refused = [p for p in order if _is_refusal(p, case.expect[p])]
    allowed = [p for p in order if p not in refused]
    before = case.state(world) if case.state else None
    args = case.args(world)
    # For a writing view: the refused personas first, and after each the change must
    # not be there; then the weakest allowed persona, and then it must be.
    personas = refused + allowed[:1] if case.writes else order
    for persona in personas:
        response = _request(world, case, persona, args)
        expected = case.expect[persona]
        expected_codes = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in expected_codes, (
            f"{case.id()} as {persona}: got {response.status_code}, expected {expected}"
        )
        if case.writes and persona in refused and case.check is not None:
            with pytest.raises(AssertionError):
                case.check(world, before)
    if case.writes and allowed and case.check is not None:
        case.check(world, before)


def _is_refusal(persona: str, expected) -> bool:
    codes = expected if isinstance(expected, tuple) else (expected,)
    return persona == "anonymous" or all(code in (401, 403, 404, 405) for code in codes)
