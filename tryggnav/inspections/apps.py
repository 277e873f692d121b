from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tryggnav.inspections"
    verbose_name = _("Brister och besiktningar")
    nav_items = [(55, "inspections:index", _("Brister"))]

    def ready(self) -> None:
        # The deficiencies' layer and agenda item in the weekly lägesbild (groups.py).
        from tryggnav.inspections import groups

        groups.register()
