from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tryggnav.incidents"
    verbose_name = _("Händelser")
    nav_items = [(10, "incidents:list", _("Händelser"))]

    def ready(self) -> None:
        # Imported once the models are ready; the importers register their formats.
        from tryggnav.background import recovery, schedule
        from tryggnav.incidents.importers import partner, police, runs  # noqa: F401
        from tryggnav.incidents.police_feed import police_job

        recovery.register(runs.recovered_lines)
        # The police feed's fetch, when the settings or an organisation ask for it.
        schedule.register(police_job)
