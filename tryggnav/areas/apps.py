from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "tryggnav.areas"
    verbose_name = _("Områden")
    nav_items = [(80, "areas:index", _("Områden och kartor"))]
