from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tryggnav.notifications"
    verbose_name = _("Notiser")

    def ready(self) -> None:
        # Imported in ready(): the app registry is complete only now.
        from tryggnav.background import schedule
        from tryggnav.notifications.jobs import notifications_job

        # Imported here, not at module level: models and the background app must be
        # loaded first. The scheduler knows no app, so the notifications register their job.
        schedule.register(notifications_job)
