from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tryggnav.incidents"
    verbose_name = _("Händelser")
    nav_items = [(10, "incidents:list", _("Händelser"))]

    def ready(self) -> None:
        # Imported once the models are ready; the importers register their formats.
        from tryggnav.background import recovery
        from tryggnav.incidents.importers import partner, police, runs  # noqa: F401

        recovery.register(runs.recovered_lines)
