from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "tryggnav.programmes"
    verbose_name = _("Program och uppföljning")
    nav_items = [(60, "programmes:index", _("Uppföljning"))]
