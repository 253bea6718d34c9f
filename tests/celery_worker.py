"""A real Celery worker for tests: the project's app consuming from Redis, as in production.

Use the ``celery_worker`` fixture (exported from tests/conftest.py); a test that uses it is
marked ``celery_worker`` for it, so it needs REDIS_URL. Send tasks with ``.delay()`` and wait
on the result: ``task.delay().get(timeout=WAIT)``.
"""

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for the ping check)
import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import TestWorkController, start_worker
from celery.signals import setup_logging
from django.conf import settings

from config.celery import app as celery_app

# config/settings.py keeps the per-test-worker caches (and their cache.clear()) off this one.
BROKER_DB = 15
# Broker and result keys of this test process; another pytest run on the same Redis has its own.
KEY_PREFIX = f"hazina-test-{os.getpid()}-{uuid.uuid4().hex[:8]}:"
WAIT = 30  # seconds a test waits for a task's result


def _redis_url() -> str:
    return urlsplit(settings.REDIS_URL)._replace(path=f"/{BROKER_DB}").geturl()


def _forget_connections(app: Celery) -> None:
    """Drop the broker pools, queues and result backend the app built from its previous
    configuration; Celery caches them on first use and never rereads the settings."""
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local = threading.local()


@contextmanager
def _configured(app: Celery, **overrides: Any) -> Iterator[None]:
    saved = {key: app.conf[key] for key in overrides}
    app.conf.update(overrides)
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _leave_logging_alone(**kwargs: Any) -> None:
    """A ``setup_logging`` receiver: while one is connected Celery does not take over the root
    logger, so Django's logging and pytest's log capture (``caplog``) keep working."""


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[TestWorkController]:
    """A real Celery worker, the project's app, consuming from Redis in a thread during the test.

    Tasks are sent, never run eagerly, to Redis database ``BROKER_DB`` under this process's
    ``KEY_PREFIX``, and their results come back the same way, so no other pytest run on the
    same Redis sees them. A thread (Celery's ``start_worker``, solo pool) rather than a
    ``celery -A config worker`` process: it runs the same app with Celery's Django fixup, and
    the connection it opens already points at the test database pytest-django made, which a
    subprocess would have to be told. That connection sees only committed rows, hence
    ``transactional_db``. Mark the test ``postgres`` too, so the worker takes production's row
    locks and the ledger triggers hold.
    """
    url = _redis_url()
    transport = {"global_keyprefix": KEY_PREFIX}
    setup_logging.connect(_leave_logging_alone)
    try:
        with (
            _configured(
                celery_app,
                broker_url=url,
                broker_transport_options=transport,
                result_backend=url,
                result_backend_transport_options=transport,
                task_always_eager=False,
            ),
            start_worker(celery_app, pool="solo", perform_ping_check=True) as worker,
        ):
            yield worker
    finally:
        setup_logging.disconnect(_leave_logging_alone)
        # Nothing a test left queued or stored reaches the next test's worker.
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*"))
        if keys:
            client.delete(*keys)
        client.close()
