"""The OpenAPI 3.0 definition of /ogc/ (Part 1, /req/oas30), built from the collections."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tryggnav.ogc.collections import COLLECTIONS
from tryggnav.ogc.params import DEFAULT_LIMIT, MAX_LIMIT

_F = {
    "name": "f",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["json", "html"]},
}
_ERRORS = {
    "400": {"description": "Felaktig parameter / invalid parameter"},
    "401": {"description": "Inloggning eller API-nyckel krävs / login or API token required"},
    "404": {"description": "Finns inte / not found"},
}


def _op(
    summary: str,
    operation_id: str,
    parameters: list[dict[str, Any]],
    content: str = "application/json",
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": [*parameters, _F],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {content: {"schema": {}}, "text/html": {"schema": {}}},
                },
                **_ERRORS,
            },
        }
    }


def _items_parameters(collection) -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
        },
        {
            "name": "bbox",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        },
        {
            "name": "datetime",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {"type": "string"},
        },
        {"name": "filter", "in": "query", "required": False, "schema": {"type": "string"}},
        {
            "name": "filter-lang",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["cql2-text", "cql-text"], "default": "cql2-text"},
        },
        {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
        *[
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": q.title,
                "schema": {"type": q.type, **({"enum": list(q.enum)} if q.enum else {})},
            }
            for name, q in collection.queryables.items()
        ],
    ]


def document(request: HttpRequest) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")
    paths: dict[str, Any] = {
        "/": _op("Startsida / landing page", "getLandingPage", []),
        "/conformance": _op("Konformitet / conformance", "getConformance", []),
        "/api": _op("Denna definition / this definition", "getApi", []),
        "/collections": _op("Samlingar / collections", "getCollections", []),
    }
    fid = {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}}
    for cid, collection in COLLECTIONS.items():
        paths[f"/collections/{cid}"] = _op(str(collection.title), f"describe_{cid}", [])
        paths[f"/collections/{cid}/queryables"] = _op(
            "Queryables", f"queryables_{cid}", [], "application/schema+json"
        )
        paths[f"/collections/{cid}/items"] = _op(
            str(collection.title),
            f"items_{cid}",
            _items_parameters(collection),
            "application/geo+json",
        )
        paths[f"/collections/{cid}/items/{{featureId}}"] = _op(
            str(collection.title), f"item_{cid}", [fid], "application/geo+json"
        )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Tryggnav OGC API – Features",
            "version": "1.0",
            "description": "Kommuner och områden är öppna; övriga samlingar kräver "
            "inloggning eller en personlig API-nyckel (Bearer).",
        },
        "servers": [{"url": base}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{}, {"bearer": []}],
        "paths": paths,
    }
