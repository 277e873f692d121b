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

        # Models are loaded only now; every way in (password, OpenID Connect, an
        # invitation) logs in through Django's login(), which sends user_logged_in.
        from django.contrib.auth.signals import user_logged_in

        from tryggnav.organisations.second_factor import note_login

        user_logged_in.connect(note_login, dispatch_uid="tryggnav_second_factor")
