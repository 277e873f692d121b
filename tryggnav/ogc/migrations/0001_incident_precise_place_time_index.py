"""An index for the OGC items request with a bbox: incidents with a point (exact or
street precision) by latitude, longitude and time. Partial, so the police feed's
municipality-level events (the bulk of the table) are not in it. Kept in the ogc app
as SQL, since it serves this app's query only; the same statement runs on SQLite and
PostgreSQL."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS incident_precise_place_time ON incidents_incident "
    "(lat, lon, occurred_from) WHERE precision IN ('exact', 'street')"
)
DROP = "DROP INDEX IF EXISTS incident_precise_place_time"


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_perf_group_time_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP)]
