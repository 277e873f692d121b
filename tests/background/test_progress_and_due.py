"""An import's progress file (written at most every INTERVAL_S, always at the end, read
back or None when missing or damaged) and when a scheduled job is due."""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tryggnav.background import progress
from tryggnav.background.schedule import SLACK, Job


@pytest.fixture
def job(settings, tmp_path):
    settings.TRYGGNAV_PROGRESS_DIR = str(tmp_path / "progress")
    return SimpleNamespace(public_id=uuid.uuid4())


def test_no_progress_file_reads_as_none(job):
    assert progress.progress_read(job) is None


def test_progress_is_written_and_read_back_and_cleared(job):
    write = progress.FileProgress(job)
    write(3, 10)
    assert progress.progress_read(job) == (3, 10)
    progress.progress_clear(job)
    assert progress.progress_read(job) is None
    progress.progress_clear(job)  # clearing twice is harmless


def test_progress_is_written_at_most_every_interval_but_always_at_the_end(job, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    write = progress.FileProgress(job)
    write(1, 10)
    clock[0] += progress.INTERVAL_S / 2
    write(2, 10)
    assert progress.progress_read(job) == (1, 10)
    write(10, 10)
    assert progress.progress_read(job) == (10, 10)
    clock[0] += progress.INTERVAL_S
    write(4, 20)
    assert progress.progress_read(job) == (4, 20)


@pytest.mark.parametrize(
    "content", ["", "{", "[]", '{"processed": 1}', '{"processed": "x", "total": 2}']
)
def test_a_damaged_progress_file_reads_as_none(job, content):
    write = progress.FileProgress(job)
    write(1, 2)
    write.path.write_text(content)
    assert progress.progress_read(job) is None


def test_no_temporary_file_is_left_beside_the_progress_file(job):
    write = progress.FileProgress(job)
    write(5, 5)
    assert [p.name for p in write.path.parent.iterdir()] == [write.path.name]


def _local(hour: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, 0))


def test_a_job_every_n_minutes_is_due_after_n_minutes_within_the_slack():
    job = Job("x", "x", every=datetime.timedelta(minutes=10))
    now = _local(12)
    assert job.due(None, now)
    assert not job.due(now - datetime.timedelta(minutes=5), now)
    assert job.due(now - datetime.timedelta(minutes=10) + SLACK, now)
    assert not job.due(
        now - datetime.timedelta(minutes=10) + SLACK + datetime.timedelta(seconds=2), now
    )


def test_a_nightly_job_is_due_once_a_day_from_its_hour():
    job = Job("n", "n", nightly_hour=2)
    assert not job.due(None, _local(1))
    assert job.due(None, _local(2))
    assert not job.due(_local(2), _local(23))
    assert job.due(_local(3, day=9), _local(2))
    assert not job.due(_local(3, day=9), _local(1))


def test_a_job_with_neither_rhythm_is_never_due():
    assert not Job("never", "never").due(None, _local(12))
