from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tryggnav.inspections"
    verbose_name = _("Brister och besiktningar")
    nav_items = [(55, "inspections:index", _("Brister"))]

    def ready(self) -> None:
        # Imported in ready(): the models and the background app are loaded only now.
        from tryggnav.background import schedule
        from tryggnav.inspections.checks_reminders import reminders_job

        schedule.register(reminders_job)
