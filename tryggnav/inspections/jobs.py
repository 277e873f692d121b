"""The citizen channel's nightly job, registered with ``tryggnav run_scheduled``."""

from __future__ import annotations

from django.conf import settings

from tryggnav.background.schedule import Job


def citizen_followup_job() -> Job:
    return Job("citizen_followup", "citizen_followup", nightly_hour=settings.TRYGGNAV_NIGHTLY_HOUR)
