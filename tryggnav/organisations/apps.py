from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "tryggnav.organisations"
    verbose_name = _("Organisationer")
    nav_items = [(0, "organisations:home", _("Översikt"))]
