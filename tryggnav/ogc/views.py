"""OGC API – Features (Part 1 Core, Part 3 Filtering) under /ogc/, as JSON and HTML.

Authentication: a personal API token (``Authorization: Bearer tn_…``) or the
session. Anonymous callers see only the public collection (areas); a collection
that needs a login answers 401 (JSON) or sends a browser to the login page.
What a caller sees inside a collection is decided by the same access functions
as everywhere else (``tryggnav.ogc.collections``).
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tryggnav.lib import numbers
from tryggnav.lib.errors import InputError
from tryggnav.lib.http import client_address
from tryggnav.ogc import gpkg, openapi
from tryggnav.ogc.collections import COLLECTIONS, SWEDEN_BBOX, Collection, visible_collections
from tryggnav.ogc.params import MAX_LIMIT, Query, parse_bbox, parse_datetime, parse_query
from tryggnav.organisations import services

GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
]


class Unauthorized(Exception):
    pass


def _caller(request: HttpRequest):
    """The user of a bearer token, else the session's user (possibly anonymous)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = services.apitoken_user(key=header[7:].strip(), address=client_address(request))
        if user is None:
            raise Unauthorized
        request.user = user
    return request.user


def _wants_html(request: HttpRequest) -> bool:
    f = request.GET.get("f")
    if f in ("html", "json"):
        return f == "html"
    if f:
        raise InputError.single(
            f"Okänt format f={f!r}: json eller html.",
            f"Unknown format f={f!r}: json or html.",
            field="f",
        )
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


def _error(status: int, code: str, sv: str, en: str, field: str = "") -> JsonResponse:
    return JsonResponse(
        {"code": code, "description": en, "detail": [{"sv": sv, "en": en, "field": field}]},
        status=status,
    )


def ogc_view(view):
    """Public at the URL level (the view checks access), GET/HEAD only, and every
    refusal in one shape: 400 for bad input, 401 without a login, 404 when absent."""

    @login_not_required
    @require_safe
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            user = _caller(request)
            html = _wants_html(request)
            return view(request, user, html, *args, **kwargs)
        except Unauthorized:
            response = _error(
                401,
                "Unauthorized",
                "Inloggning eller API-nyckel krävs.",
                "A login or an API token is required.",
            )
            response["WWW-Authenticate"] = 'Bearer realm="tryggnav"'
            return response
        except InputError as error:
            problems = [{"sv": p.sv, "en": p.en, "field": p.field} for p in error.problems]
            return JsonResponse(
                {
                    "code": "InvalidParameterValue",
                    "description": "; ".join(p.en for p in error.problems),
                    "detail": problems,
                },
                status=400,
            )

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _url(request: HttpRequest, name: str, /, *args: Any, **query: Any) -> str:
    url = request.build_absolute_uri(reverse(name, args=args))
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _links(request: HttpRequest, name: str, *args: Any, json_type: str = "application/json"):
    return [
        {
            "href": _url(request, name, *args, f="json"),
            "rel": "self",
            "type": json_type,
            "title": "JSON",
        },
        {
            "href": _url(request, name, *args, f="html"),
            "rel": "alternate",
            "type": "text/html",
            "title": "HTML",
        },
    ]


def _json(data: Any, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, default=str), content_type=content_type
    )


def _collection(user, collection_id: str, request: HttpRequest, html: bool) -> Collection:
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise Http404
    if not collection.visible(user):
        raise Unauthorized
    return collection


def _login_or_401(view):
    """A browser without a login goes to the login page; a client gets 401."""

    def wrapper(request: HttpRequest, user, html: bool, *args: Any, **kwargs: Any):
        try:
            return view(request, user, html, *args, **kwargs)
        except Unauthorized:
            if html:
                return redirect_to_login(request.get_full_path())
            raise

    wrapper.__name__ = view.__name__
    return wrapper


@ogc_view
def landing(request: HttpRequest, user, html: bool) -> HttpResponse:
    links = _links(request, "ogc:landing") + [
        {
            "href": _url(request, "ogc:api"),
            "rel": "service-desc",
            "type": OPENAPI,
            "title": "OpenAPI",
        },
        {
            "href": _url(request, "ogc:api", f="html"),
            "rel": "service-doc",
            "type": "text/html",
            "title": "OpenAPI (HTML)",
        },
        {
            "href": _url(request, "ogc:conformance"),
            "rel": "conformance",
            "type": "application/json",
            "title": "Conformance",
        },
        {
            "href": _url(request, "ogc:collections"),
            "rel": "data",
            "type": "application/json",
            "title": "Collections",
        },
    ]
    data = {
        "title": "Tryggnav",
        "description": _("Tryggnavs data för GIS-program (OGC API – Features)."),
        "links": links,
    }
    if html:
        return render(
            request,
            "ogc/landing.html",
            {
                "data": data,
                "collections": visible_collections(user),
                "export_url": reverse("ogc:export"),
            },
        )
    return _json(data)


@ogc_view
def conformance(request: HttpRequest, user, html: bool) -> HttpResponse:
    data = {"conformsTo": CONFORMANCE}
    if html:
        return render(request, "ogc/conformance.html", {"data": data})
    return _json(data)


@ogc_view
def api(request: HttpRequest, user, html: bool) -> HttpResponse:
    document = openapi.document(request)
    if html:
        return render(
            request,
            "ogc/api.html",
            {"document": json.dumps(document, ensure_ascii=False, indent=2)},
        )
    return _json(document, OPENAPI)


def collection_json(request: HttpRequest, collection: Collection) -> dict[str, Any]:
    cid = collection.id
    links = _links(request, "ogc:collection", cid) + [
        {
            "href": _url(request, "ogc:items", cid, f="json"),
            "rel": "items",
            "type": GEOJSON,
            "title": "GeoJSON",
        },
        {
            "href": _url(request, "ogc:items", cid, f="html"),
            "rel": "items",
            "type": "text/html",
            "title": "HTML",
        },
        {
            "href": _url(request, "ogc:queryables", cid),
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "type": "application/schema+json",
            "title": "Queryables",
        },
    ]
    extent: dict[str, Any] = {
        "spatial": {"bbox": [SWEDEN_BBOX], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
    }
    if collection.temporal:
        extent["temporal"] = {
            "interval": [[None, None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return {
        "id": cid,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "extent": extent,
        "links": links,
    }


@ogc_view
def collections(request: HttpRequest, user, html: bool) -> HttpResponse:
    items = visible_collections(user)
    data = {
        "links": _links(request, "ogc:collections"),
        "collections": [collection_json(request, c) for c in items],
    }
    if html:
        return render(request, "ogc/collections.html", {"data": data, "items": items})
    return _json(data)


@ogc_view
@_login_or_401
def collection(request: HttpRequest, user, html: bool, collection_id: str) -> HttpResponse:
    found = _collection(user, collection_id, request, html)
    data = collection_json(request, found)
    if html:
        return render(
            request,
            "ogc/collection.html",
            {"data": data, "collection": found, "queryables": found.queryables.items()},
        )
    return _json(data)


@ogc_view
@_login_or_401
def queryables(request: HttpRequest, user, html: bool, collection_id: str) -> HttpResponse:
    found = _collection(user, collection_id, request, html)
    properties: dict[str, Any] = {}
    for name, q in found.queryables.items():
        schema: dict[str, Any] = {"title": q.title, "type": q.type}
        if q.enum:
            schema["enum"] = list(q.enum)
        properties[name] = schema
    data = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _url(request, "ogc:queryables", collection_id),
        "type": "object",
        "title": str(found.title),
        "properties": properties,
        "additionalProperties": False,
    }
    if html:
        return render(request, "ogc/queryables.html", {"collection": found, "data": data})
    return _json(data, "application/schema+json")


def _page_links(request: HttpRequest, cid: str, cursor: str | None) -> list[dict[str, Any]]:
    params = {k: v for k, v in request.GET.items() if k not in ("cursor", "f")}
    links = [
        {
            "href": _url(
                request, "ogc:items", cid, **params, cursor=request.GET.get("cursor"), f="json"
            ),
            "rel": "self",
            "type": GEOJSON,
            "title": "GeoJSON",
        },
        {
            "href": _url(
                request, "ogc:items", cid, **params, cursor=request.GET.get("cursor"), f="html"
            ),
            "rel": "alternate",
            "type": "text/html",
            "title": "HTML",
        },
        {
            "href": _url(request, "ogc:collection", cid),
            "rel": "collection",
            "type": "application/json",
        },
    ]
    if cursor:
        links.append(
            {
                "href": _url(request, "ogc:items", cid, **params, cursor=cursor, f="json"),
                "rel": "next",
                "type": GEOJSON,
                "title": "Nästa sida / next page",
            }
        )
    return links


@ogc_view
@_login_or_401
def items(request: HttpRequest, user, html: bool, collection_id: str) -> HttpResponse:
    found = _collection(user, collection_id, request, html)
    query = parse_query(request.GET, found.queryables)
    page = found.page(user, query)
    data = {
        "type": "FeatureCollection",
        "features": page.features,
        "numberMatched": page.number_matched,
        "numberReturned": len(page.features),
        "links": _page_links(request, collection_id, page.next_cursor),
    }
    if html:
        next_url = None
        if page.next_cursor:
            params = {k: v for k, v in request.GET.items() if k != "cursor"}
            next_url = "?" + urlencode({**params, "cursor": page.next_cursor})
        return render(
            request,
            "ogc/items.html",
            {
                "collection": found,
                "data": data,
                "next_url": next_url,
                "columns": [label for _name, label in found.columns()],
                "shown": numbers.number(len(page.features)),
                "matched": numbers.number(page.number_matched),
                "max_limit": MAX_LIMIT,
                "rows": [_row(f, found) for f in page.features],
            },
        )
    return _json(data, GEOJSON)


def _row(feature: dict[str, Any], collection: Collection) -> dict[str, Any]:
    kinds = dict(collection.fields)
    values = []
    for name, _label in collection.columns():
        value = feature["properties"].get(name)
        if value is not None and kinds.get(name) == "DATETIME":
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            value = moment.strftime("%Y-%m-%d %H:%M")
        elif name in collection.display:
            value = collection.display[name].get(value, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = numbers.number(value, 0 if isinstance(value, int) else 2)
        values.append(value)
    return {"id": feature["id"], "has_geometry": feature["geometry"] is not None, "values": values}


@ogc_view
@_login_or_401
def item(request: HttpRequest, user, html: bool, collection_id: str, feature_id: str):
    found = _collection(user, collection_id, request, html)
    feature = found.feature(user, feature_id)
    if feature is None:
        raise Http404
    feature = dict(feature)
    feature["links"] = _links(request, "ogc:item", collection_id, feature_id, json_type=GEOJSON) + [
        {
            "href": _url(request, "ogc:collection", collection_id),
            "rel": "collection",
            "type": "application/json",
        }
    ]
    if html:
        return render(
            request,
            "ogc/item.html",
            {
                "collection": found,
                "feature": feature,
                "geometry": json.dumps(feature["geometry"]) if feature["geometry"] else "",
                "properties": feature["properties"].items(),
            },
        )
    return _json(feature, GEOJSON)


@ogc_view
def export(request: HttpRequest, user, html: bool) -> FileResponse:
    """The GeoPackage of every collection the caller may see (public ones for anonymous),
    within ``bbox`` and ``datetime``; the incidents of the last twelve months without
    ``datetime``, so that one click never exports a whole national feed in a request."""

    bbox = parse_bbox(request.GET.get("bbox"))
    given = parse_datetime(request.GET.get("datetime"))
    last_year = parse_datetime(f"{timezone.localdate() - datetime.timedelta(days=365)}/..")
    path = gpkg.export_to_temporary(
        user=user,
        query=Query(bbox=bbox, interval=given),
        queries={"incidents": Query(bbox=bbox, interval=given or last_year)},
    )
    response = FileResponse(
        open(path, "rb"),
        as_attachment=True,  # noqa: SIM115
        filename="tryggnav.gpkg",
        content_type="application/geopackage+sqlite3",
    )
    path.unlink()  # the open file stays readable until the response is sent (POSIX)
    return response
