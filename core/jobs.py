"""Scheduled jobs by name, so Celery beat and ``manage.py run_job <name>`` run the same code.

Each app's ``tasks.py`` registers its jobs with ``@job("name")``; a job is idempotent per
period and returns a short summary of what it did.
"""

from collections.abc import Callable
from typing import Any

JOBS: dict[str, Callable[[], Any]] = {}


def job(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        JOBS[name] = fn
        return fn

    return register
