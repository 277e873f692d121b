from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "tryggnav.steering"
    verbose_name = _("Styrning och samverkan")
    nav_items = [(50, "steering:index", _("Samverkan"))]
