"""Audit coverage is mechanical: every model that holds money or a state that moves money is
registered with django-auditlog, or is exempted here with its reason."""

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

HAZINA_APPS = {"accounts", "core", "groups", "finance", "governance", "investments", "mpesa"}
STATE_FIELDS = {"status", "outcome"}

EXEMPT = {
    # The ledger is append-only, sealed by database triggers: an entry and its postings are
    # written once, with who and when, and can never change, so they are their own trail.
    "finance.JournalEntry": "append-only ledger",
    "finance.Posting": "append-only ledger",
    # A delivery's status is a message's trip through a channel, not money: the row records its
    # own outcome (attempts, provider id, sent_at), written only by the delivery task.
    "accounts.NotificationDelivery": "delivery log, moves no money",
}


def moves_money(model) -> bool:
    return any(
        isinstance(field, models.DecimalField) or field.name in STATE_FIELDS
        for field in model._meta.fields
    )


def test_every_money_model_is_audited_or_exempted_with_a_reason():
    money_models = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in HAZINA_APPS and moves_money(m)
    ]
    unaudited = [
        label
        for label in money_models
        if not auditlog.contains(apps.get_model(label)) and label not in EXEMPT
    ]

    assert len(money_models) > 20
    assert unaudited == []


def test_the_exemptions_are_still_models_that_need_one():
    for label in EXEMPT:
        model = apps.get_model(label)
        assert not auditlog.contains(model), f"{label} is audited now: drop its exemption"
