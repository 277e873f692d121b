from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "tryggnav.areas"
    verbose_name = _("Områden")
    nav_items = [(80, "areas:index", _("Områden och kartor"))]

    def ready(self) -> None:
        # `tryggnav migrate` alone leaves a working instance: see reference.py. The
        # importers are imported once the models are ready to register their formats.
        from tryggnav.areas import population_import, services  # noqa: F401
        from tryggnav.areas.reference import ensure_reference_data

        post_migrate.connect(ensure_reference_data, sender=self)
