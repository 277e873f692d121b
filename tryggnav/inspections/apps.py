from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tryggnav.inspections"
    verbose_name = _("Brister och besiktningar")
    nav_items = [(55, "inspections:index", _("Brister"))]
