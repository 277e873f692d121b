"""`tryggnav fetch_police [--location NAME …]`: fetch the police's live events feed and import it.

The municipalities come from ``--location``, else from settings.TRYGGNAV_POLICE_LOCATIONS
(the environment variable of that name, ";"-separated; names as the police write
them, e.g. "Stockholm"; unknown names are refused, exit 2) together with the ones the
municipalities' organisations chose on their administration page (police_feed.py);
without any, the whole
national feed (the latest ~500 events) is fetched. Without network the command
says so and exits 2; nothing is written.
"""

from __future__ import annotations

import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryggnav.areas.models import County, Municipality
from tryggnav.incidents import map_layers
from tryggnav.incidents.importers.police import police_import
from tryggnav.incidents.police_feed import feed_locations
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError

FEED_URL = "https://polisen.se/api/events"
TIMEOUT_S = 30


def fetch_feed(url: str) -> bytes:
    """The feed's raw bytes (tests replace this function; they never use the network)."""
    request = urllib.request.Request(url, headers={"User-Agent": "Tryggnav (open source)"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        return response.read()


def unknown_locations(locations: list[str]) -> list[str]:
    """The names that are neither a municipality nor a county (case-insensitive)."""
    known = {name.lower() for name in Municipality.objects.values_list("short_name", flat=True)}
    known |= {name.lower() for name in County.objects.values_list("name", flat=True)}
    return [name for name in locations if name.strip().lower() not in known]


class Command(BaseCommand):
    help = "Hämta och importera polisens händelser. / Fetch and import the police events feed."

    def add_arguments(self, parser):
        parser.add_argument("--location", action="append", default=[])

    def handle(self, *args, **options):
        locations = options["location"] or feed_locations()
        unknown = unknown_locations(locations)
        if unknown:
            raise CommandError(
                f"Okända kommuner eller län: {', '.join(unknown)}; skriv namnen som polisen"
                " (t.ex. 'Stockholm', 'Upplands Väsby', 'Stockholms län')."
                f" / Unknown municipalities or counties: {', '.join(unknown)}.",
                returncode=2,
            )
        url = FEED_URL
        if locations:
            url += "?" + urllib.parse.urlencode({"locationname": ";".join(locations)})
        try:
            raw = fetch_feed(url)
        except OSError as error:
            raise CommandError(
                f"Polisens flöde kunde inte hämtas ({error}); inget importerades."
                f" / The police feed could not be fetched ({error}); nothing was imported.",
                returncode=2,
            ) from error
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "polisen-events.json"
            path.write_bytes(raw)
            try:
                summary = police_import(path=path, filename=url)
            except InputError as error:
                raise input_error_to_command_error(error) from error
        # The scheduler pays for counting the police's events anew, not the map's next user.
        map_layers.warm_police()
        self.stdout.write(self.style.SUCCESS(str(summary)))
