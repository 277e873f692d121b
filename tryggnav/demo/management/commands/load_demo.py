"""`tryggnav load_demo`: load the demo data. Idempotent: a second run adds nothing.

Each module contributes a step (a function returning lines to print); the steps
run in order. Steps of modules that are not installed are skipped.
"""

from importlib import import_module

from django.core.management.base import BaseCommand

from tryggnav.demo import foundation

STEPS = [
    "tryggnav.demo.foundation",
    "tryggnav.demo.police",
    "tryggnav.demo.incidents",
    "tryggnav.demo.lagesbild",
    "tryggnav.demo.surveys",
    "tryggnav.demo.steering",
    "tryggnav.demo.programmes",
    "tryggnav.demo.official",
    "tryggnav.demo.fund",
    "tryggnav.demo.inspections",
    "tryggnav.demo.inspections_citizen",
    "tryggnav.demo.walks",
    "tryggnav.demo.checks",
    "tryggnav.demo.documents",
]


class Command(BaseCommand):
    help = "Läs in demodata (märkt Demo). Load the demo data (labelled Demo)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true")

    def handle(self, *args, **options):
        for module_name in STEPS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            for line in module.load() or []:
                self.stdout.write(line)
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS("Demoinloggningar / demo logins:"))
            self.stdout.write(f"  Lösenord för alla / password for all: {foundation.DEMO_PASSWORD}")
            for email, org, role in foundation.logins():
                self.stdout.write(f"  {email:38} {role:42} {org}")
