"""Refuse requests whose address carries control characters, before any view sees them.

A NUL byte cannot be stored or even compared in a PostgreSQL text column (the
driver raises DataError), and no link or form of Tryggnav produces control
characters in a path or query string; such a request is answered 400 here, once,
instead of in every view.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tryggnav.lib import api_errors
from tryggnav.lib.errors import InputError, Problem

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
API_PREFIX = "/api/"


def control_character_problems(request: HttpRequest) -> list[Problem]:
    """One problem for the path and one per query parameter that holds a control character."""
    problems = []
    if _CONTROL.search(request.path_info):
        problems.append(
            Problem(
                "Adressen innehåller ett kontrolltecken (till exempel NUL), som inte är tillåtet.",
                "The address contains a control character (such as NUL), which is not allowed.",
                field="path",
            )
        )
    for name, values in request.GET.lists():
        if _CONTROL.search(name) or any(_CONTROL.search(value) for value in values):
            shown = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", name)
            problems.append(
                Problem(
                    f"Parametern {shown!r} innehåller ett kontrolltecken (till exempel NUL), "
                    "som inte är tillåtet.",
                    f"The parameter {shown!r} contains a control character (such as NUL), "
                    "which is not allowed.",
                    field=shown,
                )
            )
    return problems


class ControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problems = control_character_problems(request)
        if not problems:
            return self.get_response(request)
        error = InputError(problems)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(api_errors.input_error_payload(error), status=400)
        return render(request, "400.html", {"error": error}, status=400)
