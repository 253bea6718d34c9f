"""The scheduled jobs Celery beat runs, in Africa/Nairobi time (settings.CELERY_BEAT_SCHEDULE;
django-celery-beat makes them editable in the admin). Each task calls one job that
``manage.py run_job <name>`` runs too."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "ledger-balance-proof": {
        "task": "finance.tasks.ledger_balance_proof_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "loan-penalties": {
        "task": "finance.tasks.loan_penalties_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "loan-defaults": {
        "task": "finance.tasks.loan_defaults_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "fines-issue": {
        "task": "governance.tasks.fines_issue_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "anomalies-detect": {
        "task": "governance.tasks.anomalies_detect_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "votes-close": {
        "task": "governance.tasks.votes_close_due_task",
        "schedule": crontab(minute="*/5"),
    },
    "expense-escalation": {
        "task": "governance.tasks.expense_escalation_task",
        "schedule": crontab(minute=15),
    },
    "credit-scores": {
        "task": "governance.tasks.credit_scores_compute_task",
        "schedule": crontab(hour=3, minute=0, day_of_month=1),
    },
    "contribution-reminders": {
        "task": "governance.tasks.contribution_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "loan-reminders": {
        "task": "governance.tasks.loan_reminders_task",
        "schedule": crontab(hour=8, minute=30),
    },
    "meeting-reminders": {
        "task": "governance.tasks.meeting_reminders_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "vote-reminders": {
        "task": "governance.tasks.vote_reminders_task",
        "schedule": crontab(minute=45),
    },
    "idle-cash-scan": {
        "task": "investments.tasks.idle_cash_scan_task",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
    "investments-mature": {
        "task": "investments.tasks.investments_mature_task",
        "schedule": crontab(hour=5, minute=0),
    },
    "notifications-deliver": {
        "task": "accounts.tasks.notifications_deliver_task",
        "schedule": crontab(minute="*/15"),
    },
    "mpesa-reconcile": {
        "task": "mpesa.tasks.mpesa_reconcile_task",
        "schedule": crontab(minute="*/5"),
    },
}
