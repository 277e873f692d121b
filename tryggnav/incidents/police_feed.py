"""Which municipalities the scheduled fetch of the police's events feed brings in.

Each municipality's organisation chooses its own on its administration page
(``PoliceFeed``); the fetch takes the union of all choices and of the settings'
TRYGGNAV_POLICE_LOCATIONS, so an instance set up from the environment keeps working.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from tryggnav.areas.models import Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.background.schedule import Job
from tryggnav.incidents.models import PoliceFeed


def feed_locations() -> list[str]:
    """The names to fetch, as the police write them: the settings' first, then the
    municipalities chosen on the web (each once)."""
    names = list(getattr(settings, "TRYGGNAV_POLICE_LOCATIONS", []))
    chosen = (
        Municipality.objects.filter(
            pk__in=PoliceFeed.municipalities.through.objects.values("municipality_id")
        )
        .order_by("short_name")
        .values_list("short_name", flat=True)
    )
    seen = {name.lower() for name in names}
    for name in chosen:
        if name.lower() not in seen:
            names.append(name)
            seen.add(name.lower())
    return names


def police_feed_set(
    *, organisation: Any, municipalities: Iterable[Municipality], by: Any
) -> PoliceFeed:
    chosen = sorted({m.pk: m for m in municipalities}.values(), key=lambda m: m.pk)
    with transaction.atomic():
        feed, _ = PoliceFeed.objects.select_for_update().get_or_create(organisation=organisation)
        old = sorted(feed.municipalities.values_list("short_name", flat=True))
        feed.municipalities.set(chosen)
        feed.save(update_fields=["updated"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=feed,
            organisation=organisation,
            changes={"municipalities": [old, sorted(m.short_name for m in chosen)]},
        )
    return feed


def police_job() -> Job | None:
    """The scheduled fetch, every TRYGGNAV_POLICE_FETCH_MINUTES, when there is
    anything to fetch (registered with the background app's schedule)."""
    minutes = settings.TRYGGNAV_POLICE_FETCH_MINUTES
    if minutes <= 0 or not feed_locations():
        return None
    return Job("fetch_police", "fetch_police", every=datetime.timedelta(minutes=minutes))
