from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    name = "tryggnav.official"
    verbose_name = _("Officiell statistik")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [(45, "official:index", _("Officiell statistik"))]

    def ready(self) -> None:
        # Imported once the models are ready: the importers register their formats.
        from tryggnav.official.importers import counts, kolada  # noqa: F401
