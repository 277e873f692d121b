"""Header navigation: the user's organisations and the modules that exist.

Each app lists its top-level pages in its AppConfig as ``nav_items`` (order, URL
name, label). A module that is not installed simply has no entry, so the
navigation never shows a dead link.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from tryggnav.areas.tiles import note_tiles
from tryggnav.organisations.access import active_membership, request_memberships
from tryggnav.organisations.models import Organisation


def navigation(request: HttpRequest) -> dict[str, Any]:

    map_tiles = note_tiles(request)
    base = {
        "TILE_URL": map_tiles.url,
        "TILE_ATTRIBUTION": map_tiles.attribution,
        # A site with demo organisations says so on every page.
        "DEMO_SITE": Organisation.objects.filter(is_demo=True).exists(),
    }
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return base
    items = []
    for config in apps.get_app_configs():
        for order, url_name, label in getattr(config, "nav_items", ()):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append((order, url, label))
    items.sort(key=lambda item: item[0])
    current = request.path
    nav = [
        {
            "url": url,
            "label": label,
            "current": url == current or (url != "/" and current.startswith(url)),
        }
        for _, url, label in items
    ]
    return {
        **base,
        "nav_items": nav,
        "nav_memberships": request_memberships(request),
        "active_membership": active_membership(request),
    }
