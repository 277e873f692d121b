"""The notifications' scheduled job, registered with ``tryggnav run_scheduled``."""

from __future__ import annotations

import datetime

from django.conf import settings

from tryggnav.background.schedule import Job


def notifications_job() -> Job | None:
    minutes = settings.TRYGGNAV_NOTIFY_MINUTES
    if minutes <= 0:
        return None
    return Job("notifications", "send_notifications", every=datetime.timedelta(minutes=minutes))
