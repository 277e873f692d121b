from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tryggnav.notifications"
    verbose_name = _("Notiser")

    def ready(self) -> None:
        from tryggnav.background import schedule
        from tryggnav.notifications.jobs import notifications_job

        # The scheduler knows no app: the notifications register their own job.
        schedule.register(notifications_job)
