from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "tryggnav.organisations"
    verbose_name = _("Organisationer")
    nav_items = [(0, "organisations:home", _("Översikt"))]

    def ready(self) -> None:
        # Modules that use models load once the app registry is ready.
        from tryggnav.areas import access as geography
        from tryggnav.organisations.access import GeographyRules

        # Django 6's empty choice of select lists, "- Select an option -", has no Swedish
        # in Django's catalogue; Django's documented way to change it is to set it here.
        fields.BLANK_CHOICE_LABEL = _("– Välj –")
        geography.register(GeographyRules())
