"""Every scheduled job is complete: beat schedules it, a worker has its task, ``run_job`` runs
it, and its task carries the options every job shares (late acknowledgement, retries with
back-off on database errors, soft and hard time limits)."""

from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError

from config.celery import app
from core.jobs import JOB_TASKS, JOBS

app.loader.import_default_modules()  # what a worker does as it starts: every app's tasks.py


def scheduled_tasks() -> set[str]:
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}  # type: ignore[misc]


def test_every_job_has_a_task_and_a_beat_entry_and_every_entry_a_job():
    assert len(JOBS) >= 14
    assert set(JOB_TASKS) == set(JOBS)
    assert {name for name, task in JOB_TASKS.items() if task not in scheduled_tasks()} == set()
    assert scheduled_tasks() - set(JOB_TASKS.values()) == set()


def test_the_reminder_jobs_are_scheduled_daily_and_votes_hourly_in_nairobi_time():
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert settings.CELERY_TIMEZONE == "Africa/Nairobi"
    assert by_task["governance.tasks.contribution_reminders_task"] == crontab(hour=8, minute=0)
    assert by_task["governance.tasks.loan_reminders_task"] == crontab(hour=8, minute=30)
    assert by_task["governance.tasks.meeting_reminders_task"] == crontab(hour=9, minute=0)
    assert by_task["governance.tasks.vote_reminders_task"] == crontab(minute=45)


@pytest.mark.parametrize("name", sorted(JOB_TASKS))
def test_every_job_task_carries_the_shared_options(name):
    task = app.tasks[JOB_TASKS[name]]

    assert task.acks_late is True
    assert task.autoretry_for == (DatabaseError,)
    assert task.retry_backoff is True
    assert task.max_retries == 3
    assert 0 < task.soft_time_limit < task.time_limit


def test_only_the_long_jobs_take_more_than_eleven_minutes():
    long = {name: app.tasks[task].time_limit for name, task in JOB_TASKS.items()}
    assert {name: limit for name, limit in long.items() if limit > 660} == {
        "credit_scores_compute": 1860,
        "anomalies_detect": 3660,
    }


def test_the_five_minute_jobs_finish_inside_their_interval():
    for name in ("votes_close", "mpesa_reconcile"):
        task = app.tasks[JOB_TASKS[name]]
        assert (task.soft_time_limit, task.time_limit) == (240, 270)


def test_run_job_lists_every_job():
    out = StringIO()
    call_command("run_job", stdout=out)
    assert out.getvalue().split() == sorted(JOBS)
