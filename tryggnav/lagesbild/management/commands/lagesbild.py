"""`tryggnav lagesbild (--group SLUG | --municipality CODE) --week 2025-W10 --format json`.

Writes the weekly lägesbild as JSON (docs/lagesbild-json.md), CSV, XLSX, Word or PDF
to --out or standard output. Bad input (an unknown group, a malformed week) is a
clear message and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryggnav.areas.models import Municipality
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import exports
from tryggnav.lagesbild.picture import Filters, Scope, compile_lagesbild
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import CollaborationGroup

BINARY = {"xlsx", "docx", "pdf"}


class Command(BaseCommand):
    help = (
        "Skriv veckans lägesbild för en samverkansgrupp eller en kommun. "
        "Write the weekly lägesbild of a collaboration group or a municipality."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--group", help="samverkansgruppens kortnamn / the group's slug")
        scope.add_argument("--municipality", help="kommunkod / municipality code, e.g. 0180")
        parser.add_argument(
            "--week", help="ISO-vecka, t.ex. 2025-W10 (standard: senast avslutade veckan)"
        )
        parser.add_argument("--format", choices=exports.FORMATS, default="json")
        parser.add_argument("--out", help="fil att skriva till / output file (default: stdout)")
        parser.add_argument("--source", action="append", default=[], help="källa / source")
        parser.add_argument("--category-group", action="append", default=[], help="kategorigrupp")
        parser.add_argument("--precision", action="append", default=[], help="lägesprecision")

    def handle(self, *args, **options):
        try:
            scope = self._scope(options)
            week = IsoWeek.parse(options["week"]) if options["week"] else IsoWeek.last_completed()
            filters = Filters.parse(
                {
                    "kalla": options["source"],
                    "kategorigrupp": options["category_group"],
                    "precision": options["precision"],
                }
            )
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
        fmt = options["format"]
        if fmt in BINARY and not options["out"]:
            raise CommandError(
                f"--format {fmt} skrivs till en fil: ange --out. / {fmt} needs --out.",
                returncode=2,
            )
        picture = compile_lagesbild(scope=scope, week=week, filters=filters)
        data = exports.render(picture, fmt)
        if options["out"]:
            Path(options["out"]).write_bytes(data)
            self.stderr.write(f"{options['out']}: {len(data)} bytes, {len(picture.rows)} rader")
        else:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()

    def _scope(self, options) -> Scope:
        if options["group"]:
            group = (
                CollaborationGroup.objects.select_related("municipality", "lead_organisation")
                .filter(slug=options["group"])
                .first()
            )
            if group is None:
                slugs = ", ".join(CollaborationGroup.objects.values_list("slug", flat=True)[:20])
                raise InputError.single(
                    f"Ingen samverkansgrupp heter {options['group']!r}. Finns: {slugs or '–'}.",
                    f"No collaboration group {options['group']!r}. Existing: {slugs or '–'}.",
                    field="--group",
                )
            return Scope.for_group(group)
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise InputError.single(
                f"Ingen kommun har koden {options['municipality']!r} (fyra siffror, t.ex. 0180).",
                f"No municipality has code {options['municipality']!r} (four digits, e.g. 0180).",
                field="--municipality",
            )
        return Scope.for_municipality(municipality)
