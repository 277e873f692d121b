from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tryggnav.inspections"
    verbose_name = _("Brister och besiktningar")
    nav_items = [(55, "inspections:index", _("Brister"))]

    def ready(self) -> None:
        # Imported here: the app registry is complete only now.
        from tryggnav.background import schedule
        from tryggnav.inspections import groups
        from tryggnav.inspections.checks_reminders import reminders_job
        from tryggnav.inspections.jobs import citizen_followup_job

        schedule.register(citizen_followup_job)
        schedule.register(reminders_job)
        # The deficiencies' layer and agenda item in the weekly lägesbild (groups.py).
        groups.register()
