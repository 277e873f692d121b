from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "tryggnav.fund"
    verbose_name = _("Trygghetsfond")
    nav_items = [(65, "fund:index", _("Trygghetsfond"))]
