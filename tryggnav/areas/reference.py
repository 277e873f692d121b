"""What every instance needs before its first request, made by `tryggnav migrate`.

After the migrations the database cache table exists and Sweden's 21 counties and 290
municipalities (boundaries and population, shipped in areas/data) are loaded, so a
fresh install can import police events at once. Both steps are idempotent and quick
when already done; they run after every migrate (``post_migrate`` of this app).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from tryggnav.areas.models import County, Municipality
from tryggnav.areas.services import geography_load

EXPECTED_MUNICIPALITIES = 290


def ensure_reference_data(*, using: str = "default", plan: Any = None, **_kwargs: Any) -> None:
    tables = connections[using].introspection.table_names()
    if Municipality._meta.db_table not in tables or County._meta.db_table not in tables:
        return  # migrated backwards past the areas tables
    if _uses_database_cache():
        call_command("createcachetable", database=using, verbosity=0)
    if Municipality.objects.using(using).count() < EXPECTED_MUNICIPALITIES:
        geography_load()


def _uses_database_cache() -> bool:
    return any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values())
