from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LagesbildConfig(AppConfig):
    name = "tryggnav.lagesbild"
    verbose_name = _("Lägesbild")
    nav_items = [(30, "lagesbild:index", _("Lägesbild"))]
