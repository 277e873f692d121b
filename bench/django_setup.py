"""What the benchmarks share: Django on a database of their own, and the geography.

Imported by the bench_*.py scripts (run from the repository, with bench/ on sys.path
as Python puts a script's own folder there); not a benchmark itself.
"""

from __future__ import annotations

import os


def setup_django(database_url: str) -> None:
    """Django with the test settings on ``database_url`` (before any model import)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def load_stockholm() -> None:
    """Counties, municipalities and Stockholm's 117 stadsdelar, once per database."""
    from tryggnav.areas.models import Area
    from tryggnav.areas.services import areas_import, geography_load
    from tryggnav.demo.foundation import DATA_DIR

    if Area.objects.filter(municipality_id="0180").exists():
        return
    geography_load()
    areas_import(
        path=DATA_DIR / "stockholm_stadsdelar.geojson",
        municipality_code="0180",
        kind=Area.Kind.STADSDEL,
        name_field="name",
        name_case="capitalize",
    )
