from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    name = "tryggnav.official"
    verbose_name = _("Officiell statistik")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [(45, "official:index", _("Officiell statistik"))]
