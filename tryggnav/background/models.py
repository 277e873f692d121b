"""Who runs which import, and when each scheduled job last ran."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    """The task and the process that run an import job.

    Written when the job is enqueued and again, outside the import's transaction, when
    it starts: a worker that dies mid-import leaves its host, process id and the
    process's start time here, so the next worker (or `run_scheduled`) can tell the
    job will never finish and mark it failed.
    """

    job = models.OneToOneField(
        "incidents.ImportJob", on_delete=models.CASCADE, related_name="background_run"
    )
    task_id = models.CharField(max_length=64, blank=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    # The process's start time as the kernel reports it: a reused process id differs here.
    process_started = models.CharField(max_length=32, blank=True)
    started = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.job_id} {self.host}:{self.pid}"


class ScheduledRun(models.Model):
    """The last run of one scheduled job (``tryggnav run_scheduled``)."""

    name = models.CharField(max_length=50, unique=True)
    enqueued = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
