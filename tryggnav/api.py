"""The REST API under /api/v1/. Each app adds its router from its own api.py.

Authentication is a personal token (``Authorization: Bearer tn_…``) or the
browser session (with CSRF for writes). The API uses the same access helpers
and services as the pages, so the same rules apply.
"""

from __future__ import annotations

import functools
import json
from importlib import import_module
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.security import HttpBearer, SessionAuth

from tryggnav.lib import api_errors
from tryggnav.lib.http import client_address
from tryggnav.organisations import services


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.apitoken_user(key=token, address=client_address(request))
        if user is not None:
            request.user = user
        return user


class LocalSwagger(Swagger):
    """Swagger UI served from the app's own static files (vendor/swagger-ui-*): the page
    django-ninja renders otherwise loads it from a CDN, which the app's CSP blocks."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(settings),
            "api": api,
            "add_csrf": any(getattr(a, "csrf", False) for a in api.auth or ()),  # type: ignore[union-attr]
        }
        return render(request, "api/swagger.html", context)


class TryggnavAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return api_errors.document(super().get_openapi_schema(**kwargs))


api = TryggnavAPI(
    title="Tryggnav API",
    version="1",
    description=(
        "Tryggnavs REST-API. Samma behörighetsregler som i webbgränssnittet: "
        "en organisation eller grupp du inte tillhör finns inte (404). "
        "Tryggnav's REST API, with the same access rules as the web pages."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs=LocalSwagger(),
)
api_errors.install(api)

API_MODULES = [
    "tryggnav.organisations.api",
    "tryggnav.areas.api",
    "tryggnav.incidents.api",
    "tryggnav.lagesbild.api",
    "tryggnav.surveys.api",
    "tryggnav.steering.api",
    "tryggnav.programmes.api",
    "tryggnav.fund.api",
    "tryggnav.documents.api",
]

for module_name in API_MODULES:
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        continue
    api.add_router(module.PREFIX, module.router)


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns, exempt from the login redirect: the API answers 401 itself."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _without_login_redirect(pattern.callback)
    return patterns, app_name, namespace


def _without_login_redirect(view: Any) -> Any:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    wrapper.login_required = False  # type: ignore[attr-defined]
    return wrapper
