"""Notification fan-out benchmark: one event to a 500-member chama, then its delivery task.

``notify`` makes the 500 inbox items and their 1,500 deliveries in bulk (a constant handful of
statements); the delivery task sends the 1,000 due (SMS and email; WhatsApp is off by default)
in batches of 200 through the recording backends, with a constant number of queries per
batch. Seconds and query counts of each, in a scratch database on PostgreSQL when
DATABASE_URL names one (``hazina_bench_notify``), otherwise in memory on SQLite.
"""

import time
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from accounts.notifications import notify
from accounts.notifications.delivery import deliveries_send
from bench.common import (
    database_version,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)

SCRATCH_DB = "hazina_bench_notify"
RESULTS = Path(__file__).resolve().parent / "results" / "notifications.json"
MEMBERS = 500
CONTEXT = {"chama": "Umoja Group", "question": "Buy a plot in Juja?", "closes": "2026-03-09"}


def run(*, keep_db: bool) -> int:
    name = SCRATCH_DB if connection.vendor == "postgresql" else None
    previous = scratch_database_create(name)
    try:
        users = User.objects.bulk_create(
            User(
                phone=f"2547{30000000 + n:08d}", full_name=f"Member {n}", email=f"m{n}@example.com"
            )
            for n in range(MEMBERS)
        )
        with override_settings(
            SMS_BACKEND="locmem",
            WHATSAPP_BACKEND="locmem",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CELERY_TASK_ALWAYS_EAGER=False,
        ):
            with CaptureQueriesContext(connection) as fan_out_sql:
                started = time.perf_counter()
                made = notify(event="vote_opened", users=users, context=CONTEXT, key="vote:bench")
                fan_out = time.perf_counter() - started
            with CaptureQueriesContext(connection) as send_sql:
                started = time.perf_counter()
                sent = deliveries_send()
                sending = time.perf_counter() - started
        report = report_write(
            RESULTS,
            members=MEMBERS,
            notifications=made,
            fan_out={"seconds": round(fan_out, 3), "queries": len(fan_out_sql)},
            delivery={"sent": sent.sent, "seconds": round(sending, 3), "queries": len(send_sql)},
        )
        print(f"Notifications fan-out ({database_version()}): {MEMBERS} members")
        print(f"  notify: {made} notifications in {fan_out:.3f} s, {len(fan_out_sql)} queries")
        print(f"  delivery task: {sent.sent} sent in {sending:.3f} s, {len(send_sql)} queries")
        return 0 if report["notifications"] == MEMBERS else 1
    finally:
        if not keep_db:
            scratch_database_drop(previous)
