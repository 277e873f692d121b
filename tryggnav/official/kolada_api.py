"""Fetching key figures from Kolada's open JSON API (version 2, https://api.kolada.se/v2).

``GET /v2/data/kpi/{ids}/municipality/{ids}[/year/{years}]`` answers
``{"count": n, "values": [{"kpi", "municipality", "period", "values": [{"gender",
"status", "value", "count"}]}], "next_page": url}``; ``next_page`` is present while
more pages follow. ``GET /v2/kpi/{ids}`` gives each key figure's ``id`` and ``title``.
Only the standard library is used (urllib, a timeout); a network failure becomes a
bilingual InputError. Tests pass an ``opener`` that returns recorded responses.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings

from tryggnav.lib.errors import InputError
from tryggnav.lib.files import json_loads

DEFAULT_BASE = "https://api.kolada.se/v2"
TIMEOUT = 30  # seconds per request
MAX_PAGES = 200
MAX_BYTES = 50 * 1024 * 1024
PER_PAGE = 5000
_ID = re.compile(r"[A-Za-z0-9]{1,20}")

Opener = Callable[..., Any]


def base_url() -> str:
    return str(getattr(settings, "TRYGGNAV_KOLADA_URL", DEFAULT_BASE)).rstrip("/")


def _ids(values: Sequence[str], what_sv: str, what_en: str) -> str:
    cleaned = [v.strip() for v in values if v.strip()]
    bad = [v for v in cleaned if not _ID.fullmatch(v)]
    if bad or not cleaned:
        raise InputError.single(
            f"Ogiltig {what_sv}: {', '.join(bad) or '(ingen)'}.",
            f"Invalid {what_en}: {', '.join(bad) or '(none)'}.",
            field=what_en,
        )
    return ",".join(quote(v) for v in cleaned)


def data_url(kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[str] = ()) -> str:
    url = (
        f"{base_url()}/data/kpi/{_ids(kpis, 'nyckeltals-id', 'kpi')}"
        f"/municipality/{_ids(municipalities, 'kommunkod', 'municipality')}"
    )
    if years:
        url += f"/year/{_ids(years, 'år', 'year')}"
    return f"{url}?per_page={PER_PAGE}"


def _get(url: str, opener: Opener) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with opener(request, timeout=TIMEOUT) as response:
            raw = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise InputError.single(
            f"Kolada svarade med HTTP {error.code} för {url}.",
            f"Kolada answered HTTP {error.code} for {url}.",
            file=url,
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError.single(
            f"Kunde inte nå Kolada ({reason}). Kontrollera nätverket och försök igen.",
            f"Could not reach Kolada ({reason}). Check the network and try again.",
            file=url,
        ) from error
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            "Koladas svar är för stort.", "Kolada's answer is too large.", file=url
        )
    try:
        return json_loads(raw.decode("utf-8"), filename=url)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError.single(
            "Koladas svar är inte JSON.", "Kolada's answer is not JSON.", file=url
        ) from error


def fetch_pages(url: str, *, opener: Opener | None = None) -> list[dict[str, Any]]:
    """Every page of a data query, following ``next_page``."""
    opener = opener or urllib.request.urlopen
    pages: list[dict[str, Any]] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen or len(pages) >= MAX_PAGES:
            raise InputError.single(
                "Koladas sidor tar inte slut (samma sida igen eller för många sidor).",
                "Kolada's pages do not end (the same page again or too many pages).",
                file=next_url,
            )
        seen.add(next_url)
        page = _get(next_url, opener)
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise InputError.single(
                'Koladas svar saknar "values".',
                'Kolada\'s answer has no "values".',
                file=next_url,
            )
        pages.append(page)
        following = page.get("next_page")
        next_url = following if isinstance(following, str) and following else None
    return pages


def fetch_titles(kpis: Sequence[str], *, opener: Opener | None = None) -> dict[str, str]:
    """Each key figure's title from ``/v2/kpi/{ids}`` (empty when the answer lacks them)."""
    page = _get(
        f"{base_url()}/kpi/{_ids(kpis, 'nyckeltals-id', 'kpi')}", opener or urllib.request.urlopen
    )
    values = page.get("values") if isinstance(page, dict) else None
    return {
        str(v["id"]): str(v.get("title", ""))
        for v in values or []
        if isinstance(v, dict) and "id" in v
    }
