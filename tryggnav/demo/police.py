"""Demo step: the police's public events for Stockholm county, 2023-03 to 2026-08.

Real events (tryggnav/demo/data/SOURCE.md), imported like any feed file; with the
full report texts, Stockholm city's events are placed in the stadsdel they name.
Idempotent: a second run finds every event unchanged.
"""

from __future__ import annotations

from tryggnav.demo.foundation import DATA_DIR
from tryggnav.incidents.importers.police import police_import
from tryggnav.incidents.models import Incident

EVENTS = DATA_DIR / "polisen_events_stockholms_lan.json.gz"
FULLTEXT = DATA_DIR / "polisen_events_stockholms_lan_fulltext.json.gz"


def load() -> list[str]:
    summary = police_import(path=EVENTS, fulltext_path=FULLTEXT)
    placed = Incident.objects.filter(
        source=Incident.Source.POLICE_FEED,
        municipality_id="0180",
        precision=Incident.Precision.DISTRICT,
    ).count()
    return [
        f"Polisens händelser, Stockholms län: {summary}",
        f"  i Stockholms stadsdelar utifrån texten / placed in Stockholm's districts: {placed}",
    ]
