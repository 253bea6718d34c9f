"""Scheduled jobs by name, so Celery beat and ``manage.py run_job <name>`` run the same code.

Each app's ``tasks.py`` declares its jobs with ``@job_task("name")``: the function is
registered as a job (``JOBS``) and as a Celery task carrying the options every scheduled job
shares (``JOB_TASK_OPTIONS``: late acknowledgement, retries with back-off on database errors,
soft and hard time limits). A job is idempotent per period, so a retry or a redelivery after a
crash changes nothing it already did; it returns a short summary of what it did.
"""

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import DatabaseError

JOBS: dict[str, Callable[[], Any]] = {}
# Job name -> the name of the Celery task that runs it (what config/beat.py schedules).
JOB_TASKS: dict[str, str] = {}

# Seconds: the soft limit raises SoftTimeLimitExceeded inside the job (its transaction rolls
# back), the hard one kills the worker process a little later.
DEFAULT_SOFT_TIME_LIMIT = 600
DEFAULT_TIME_LIMIT = 660

JOB_TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 3,
}


def job(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register ``fn`` as the job ``name`` (no Celery task: see ``job_task``)."""

    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        JOBS[name] = fn
        return fn

    return register


def job_task(
    name: str,
    *,
    soft_time_limit: int = DEFAULT_SOFT_TIME_LIMIT,
    time_limit: int = DEFAULT_TIME_LIMIT,
) -> Callable[[Callable[[], Any]], Any]:
    """Register ``fn`` as the job ``name`` and as a Celery task with the shared job options
    (the task keeps its module's name, e.g. ``finance.tasks.loan_penalties_task``)."""

    def register(fn: Callable[[], Any]) -> Any:
        job(name)(fn)
        task = shared_task(
            soft_time_limit=soft_time_limit, time_limit=time_limit, **JOB_TASK_OPTIONS
        )(fn)
        JOB_TASKS[name] = task.name
        return task

    return register
