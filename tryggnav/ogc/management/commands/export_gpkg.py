"""`tryggnav export_gpkg OUTPUT [--user EMAIL] [--collection ID …] [--datetime …] [--bbox …]`:
the OGC collections as one GeoPackage, one layer per collection.

With ``--user`` the file holds what that user may see (as through /ogc/ with the user's
token); without it only the public collection (areas). Bad input is a clear message in
Swedish and English and exit code 2; the output file is then not written.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand

from tryggnav.lib.commands import command_error
from tryggnav.lib.errors import InputError
from tryggnav.ogc import gpkg
from tryggnav.ogc.collections import COLLECTIONS
from tryggnav.ogc.params import Query, parse_bbox, parse_datetime


class Command(BaseCommand):
    help = "Exportera GIS-samlingarna som GeoPackage. / Export the GIS collections as GeoPackage."

    def add_arguments(self, parser):
        parser.add_argument("output")
        parser.add_argument("--user", default="", help="e-post / e-mail")
        parser.add_argument("--collection", action="append", default=[], choices=list(COLLECTIONS))
        parser.add_argument("--datetime", default="")
        parser.add_argument("--bbox", default="")

    def handle(self, *args, **options):
        try:
            user = self._user(options["user"])
            query = Query(
                bbox=parse_bbox(options["bbox"]), interval=parse_datetime(options["datetime"])
            )
            output = Path(options["output"])
            if output.exists():
                raise InputError.single(
                    f"{output} finns redan; välj ett nytt filnamn.",
                    f"{output} already exists; choose a new file name.",
                    file=str(output),
                )
            if not output.parent.is_dir():
                raise InputError.single(
                    f"Mappen {output.parent} finns inte.",
                    f"The folder {output.parent} does not exist.",
                    file=str(output),
                )
        except InputError as error:
            raise command_error(error) from None
        counts = self._write(output, user, options["collection"] or None, query)
        for layer, n in counts.items():
            self.stdout.write(f"{layer}: {n}")

    def _write(self, output: Path, user, collections, query: Query) -> dict[str, int]:
        partial = output.with_name(output.name + ".part")
        partial.unlink(missing_ok=True)
        try:
            counts = gpkg.write(partial, user=user, collection_ids=collections, query=query)
        except InputError as error:
            partial.unlink(missing_ok=True)
            raise command_error(error) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(output)
        return counts

    @staticmethod
    def _user(email: str):
        if not email:
            return AnonymousUser()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise InputError.single(
                f"Ingen aktiv användare med e-post {email!r}.",
                f"No active user with the e-mail {email!r}.",
                field="--user",
            )
        return user
