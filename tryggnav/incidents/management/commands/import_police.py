"""`tryggnav import_police FILE [--fulltext FILE]`: import the police events feed format."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from tryggnav.incidents import map_layers
from tryggnav.incidents.importers.police import police_import
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError


def progress_printer(stream, label: str):
    """A progress callback that redraws one line on a terminal and prints tenths otherwise."""
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    last = {"tenth": -1}

    def report(processed: int, total: int) -> None:
        percent = int(100 * processed / total) if total else 100
        if is_tty:
            stream.write(f"\r{label}: {percent:3d} % ({processed}/{total})")
            stream.flush()
        elif percent // 10 != last["tenth"]:
            last["tenth"] = percent // 10
            stream.write(f"{label}: {percent} %\n")

    return report


class Command(BaseCommand):
    help = (
        "Importera polisens händelser (JSON eller .json.gz i polisen.se/api/events-format)."
        " / Import police events (JSON or .json.gz, polisen.se/api/events format)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--fulltext", type=Path, help="JSON-lista med {id, body_text} / list of full texts"
        )
        parser.add_argument("--quiet", action="store_true", help="ingen förloppsvisning")

    def handle(self, *args, **options):
        progress = None
        if not options["quiet"] and options["verbosity"] > 0:
            progress = progress_printer(sys.stderr, "Import")
        try:
            summary = police_import(
                path=options["file"], fulltext_path=options["fulltext"], progress=progress
            )
        except InputError as error:
            raise input_error_to_command_error(error) from error
        if progress:
            sys.stderr.write("\n")
        map_layers.warm_police()  # the map's next user does not count the police's events
        self.stdout.write(self.style.SUCCESS(str(summary)))
