from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tryggnav.surveys"
    verbose_name = _("Undersökningar")
    nav_items = [(40, "surveys:index", _("Undersökningar"))]

    def ready(self) -> None:
        # Imported once the models are ready: the importer registers its format.
        from tryggnav.surveys import importers  # noqa: F401
