"""The notification matrix through the services that move money: who is told, by which
channels, in which language."""

from decimal import Decimal

import pytest

from accounts.models import Notification, NotificationDelivery
from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.loans import loan_apply
from groups.choices import Role
from tests.factories import add_member, make_chama


def told(event):
    return {
        n.user.full_name: (
            n.title,
            sorted(n.deliveries.filter(status="sent").values_list("channel", flat=True)),
        )
        for n in Notification.objects.filter(event=event).select_related("user")
    }


@pytest.fixture
def umoja(db):
    chama = make_chama(name="Umoja Group", contribution_amount=Decimal("1500.00"))
    chair = chama.memberships.get()
    chair.user.full_name = "Chair"
    chair.user.save()
    treasurer = add_member(chama, role=Role.TREASURER)
    member = add_member(chama)
    member.user.full_name, member.user.language = "Juma", "sw"
    member.user.save()
    guarantor = add_member(chama)
    guarantor.user.full_name = "Guarantor"
    guarantor.user.save()
    return chama, chair, treasurer, member, guarantor


def test_a_contribution_sends_the_member_a_receipt_in_their_language(
    umoja, django_capture_on_commit_callbacks
):
    chama, _, _, member, _ = umoja
    cycle_create(chama=chama, start_date=chama.created_at.date())

    with django_capture_on_commit_callbacks(execute=True):
        contribution_record(
            chama=chama,
            membership=member,
            amount=Decimal("1500.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt="SGH7K2L9QX",
        )

    assert told("contribution_received") == {
        "Juma": ("Mchango umepokelewa: KES 1,500.00", ["email", "sms"])
    }
    body = Notification.objects.get(event="contribution_received").body
    assert body == (
        "Umoja Group imepokea mchango wako wa KES 1,500.00 (risiti SGH7K2L9QX). "
        "Jumla ya akiba yako ni KES " + body.rsplit("KES ", 1)[1]
    )


def test_a_loan_application_asks_the_guarantor_and_the_officials_not_the_borrower(
    umoja, django_capture_on_commit_callbacks
):
    chama, _, treasurer, member, guarantor = umoja
    cycle_create(chama=chama, start_date=chama.created_at.date())
    contribution_record(
        chama=chama, membership=member, amount=Decimal("1500.00"), method=PaymentMethod.CASH
    )

    with django_capture_on_commit_callbacks(execute=True):
        loan_apply(
            chama=chama,
            membership=member,
            acting=member,
            principal=Decimal("1000.00"),
            term_months=2,
            guarantors=[(guarantor, Decimal("500.00"))],
        )

    assert told("guarantor_request") == {
        "Guarantor": ("Guarantee request from Juma", ["email", "sms"])
    }
    assert set(told("approval_awaiting")) == {"Chair", treasurer.user.full_name}
    assert not NotificationDelivery.objects.filter(notification__user=member.user).exists()
