from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tryggnav.incidents"
    verbose_name = _("Händelser")
    nav_items = [(10, "incidents:list", _("Händelser"))]

    def ready(self) -> None:
        # Modules that use models load once the app registry is ready.
        from tryggnav.background import recovery
        from tryggnav.incidents.importers import runs

        recovery.register(runs.recovered_lines)
