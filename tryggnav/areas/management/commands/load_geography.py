from django.core.management.base import BaseCommand

from tryggnav.areas.services import geography_load


class Command(BaseCommand):
    help = (
        "Läs in Sveriges 21 län och 290 kommuner med gränser och folkmängd. "
        "Load Sweden's 21 counties and 290 municipalities with boundaries and population."
    )

    def handle(self, *args, **options):
        result = geography_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['counties']} län, {result['municipalities']} kommuner "
                f"({result['created']} nya)"
            )
        )
