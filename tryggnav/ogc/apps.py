from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OgcConfig(AppConfig):
    name = "tryggnav.ogc"
    verbose_name = _("GIS-tjänst (OGC API – Features)")
