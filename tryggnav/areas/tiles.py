"""The maps' street background: the tile URL template and attribution every map uses.

The settings (TRYGGNAV_TILE_URL, TRYGGNAV_TILE_ATTRIBUTION) give the default; a
municipality's admin can override it for the instance on the web (``TileServer``, one
row). The Content Security Policy follows: ``TileSourceMiddleware`` allows the images
of the server in force, not of the one in the settings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from tryggnav.areas.models import TileServer
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.lib.errors import InputError, Problem

PLACEHOLDERS = ("{z}", "{x}", "{y}")


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    overridden: bool


# Every page asks for the tile server: each process keeps it for a minute (a change on
# the web is seen at once by the process that made it, by the others within a minute).
CACHE_KEY = "areas:tiles:v1"
CACHE_SECONDS = 60


def tiles() -> Tiles:
    """The tile server in force: the instance's own choice, else the settings'."""
    local = caches["local"]
    in_force = local.get(CACHE_KEY)
    if in_force is None:
        in_force = _read()
        local.set(CACHE_KEY, in_force, CACHE_SECONDS)
    return in_force


def _read() -> Tiles:
    row = TileServer.objects.order_by("pk").first()
    if row is None:
        return Tiles(settings.TRYGGNAV_TILE_URL, settings.TRYGGNAV_TILE_ATTRIBUTION, False)
    return Tiles(row.url, row.attribution, True)


def _forget() -> None:
    """Now and once the change is committed (a page between the two read the old row)."""
    caches["local"].delete(CACHE_KEY)
    transaction.on_commit(lambda: caches["local"].delete(CACHE_KEY))


def note_tiles(request: HttpRequest) -> Tiles:
    """The tile server in force, noted on the request for TileSourceMiddleware."""
    in_force = tiles()
    request.tryggnav_tiles = in_force  # type: ignore[attr-defined]
    return in_force


def source(url: str) -> str:
    """The origin the template loads from, for img-src (``{s}`` becomes a wildcard)."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "sub"))
    host = parts.netloc.replace("sub.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


def validate(url: str, attribution: str) -> list[Problem]:
    """An https URL template with {z}, {x} and {y}, or empty (no background)."""
    problems = []
    if url:
        parts = urlsplit(url.replace("{s}", "sub"))
        if parts.scheme != "https" or not parts.netloc or " " in url:
            problems.append(
                Problem(
                    "Adressen måste börja med https:// och ha ett värdnamn.",
                    "The address must start with https:// and have a host name.",
                    field="url",
                )
            )
        missing = [p for p in PLACEHOLDERS if p not in url]
        if missing:
            problems.append(
                Problem(
                    f"Adressmallen saknar {', '.join(missing)}.",
                    f"The address template lacks {', '.join(missing)}.",
                    field="url",
                )
            )
        if not attribution.strip():
            problems.append(
                Problem(
                    "Ange upphovsangivelsen som kartans leverantör kräver.",
                    "Give the attribution the map's provider requires.",
                    field="attribution",
                )
            )
    return problems


def tiles_set(*, url: str, attribution: str, by: Any, organisation: Any) -> TileServer:
    url, attribution = url.strip(), attribution.strip()
    problems = validate(url, attribution)
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        row = TileServer.objects.select_for_update().order_by("pk").first()
        before = _read()
        if row is None:
            row = TileServer()
        row.url, row.attribution = url, attribution
        row.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            organisation=organisation,
            changes={"url": [before.url, url], "attribution": [before.attribution, attribution]},
        )
        _forget()
    return row


def tiles_reset(*, by: Any, organisation: Any) -> None:
    """Back to the settings' tile server."""
    with transaction.atomic():
        row = TileServer.objects.select_for_update().order_by("pk").first()
        if row is None:
            return
        audit_record(
            actor=by,
            action=AuditEntry.Action.DELETE,
            obj=row,
            organisation=organisation,
            changes={"url": [row.url, settings.TRYGGNAV_TILE_URL]},
        )
        TileServer.objects.all().delete()
        _forget()


class TileSourceMiddleware:
    """Lets the Content Security Policy allow the tile server set on the web (the
    settings' policy allows only TRYGGNAV_TILE_URL's host) on the pages that were
    rendered with it (``request.tryggnav_tiles``, see ``note_tiles``). Listed after Django's CSP
    middleware, so it sets the response's policy before that one writes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Set by the pages' context processor when it read the tile server: only a
        # rendered page draws maps, and this asks the database nothing more.
        in_force: Tiles | None = getattr(request, "tryggnav_tiles", None)
        if in_force is None or not in_force.overridden:
            return response
        row = in_force.url
        config = copy.deepcopy(settings.SECURE_CSP)
        default = source(settings.TRYGGNAV_TILE_URL)
        images = [s for s in config.get("img-src", []) if s != default]
        if row:
            images.append(source(row))
        config["img-src"] = images
        response._csp_config = config  # type: ignore[attr-defined]
        return response
