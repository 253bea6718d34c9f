"""The finance back office: a read-only ledger, and money actions that call the services and
report every refusal by name."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from finance.choices import (
    ContributionStatus,
    LedgerTransferStatus,
    PaymentMethod,
    PayoutStatus,
    TransferAccount,
)
from finance.exceptions import FinanceError
from finance.models import JournalEntry, LedgerAccount, LedgerTransfer, Payout
from finance.services.contributions import contribution_record
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_request
from finance.services.loans import loan_apply, loan_policy_get
from finance.services.payouts import payout_request
from finance.services.suspense import suspense_receive
from groups.access import officials_group
from groups.choices import Role
from tests.factories import UserFactory, appoint
from tests.finance.books import legs
from tests.finance.factories import merry_go_round, pay_by_mpesa, pay_in_cash

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    chama, seats, cycle = merry_go_round(members=3, amount="1000.00")
    appoint(seats[1], Role.TREASURER, by=seats[0])
    group = officials_group()
    clients = {}
    for name, seat in (("chair", seats[0]), ("treasurer", seats[1])):
        seat.user.is_staff = True
        seat.user.save(update_fields=["is_staff"])
        seat.user.groups.add(group)
        client = Client()
        client.force_login(seat.user)
        clients[name] = client
    return chama, seats, cycle, clients


def act(client, model, action, ids):
    url = reverse(f"admin:finance_{model}_changelist")
    response = client.post(
        url, {"action": action, "_selected_action": [str(i) for i in ids]}, follow=True
    )
    assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_ledger_is_read_only_in_the_admin(office):
    chama, _, _, clients = office
    account = LedgerAccount.objects.filter(chama=chama).first()
    client = clients["chair"]

    assert client.get(reverse("admin:finance_ledgeraccount_changelist")).status_code == 200
    assert client.get(reverse("admin:finance_ledgeraccount_add")).status_code == 403
    page = client.get(reverse("admin:finance_ledgeraccount_change", args=[account.pk]))
    assert b'name="_save"' not in page.content
    assert (
        client.post(reverse("admin:finance_ledgeraccount_delete", args=[account.pk])).status_code
        == 403
    )


def test_the_confirm_action_confirms_pending_ones_and_names_each_refusal(office):
    chama, seats, _, clients = office
    pending = contribution_record(
        chama=chama,
        membership=seats[2],
        amount=Decimal("1000.00"),
        method=PaymentMethod.CASH,
        status="pending",
    )
    confirmed = contribution_record(
        chama=chama,
        membership=seats[2],
        amount=Decimal("5.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RX12345678",
    )

    messages = act(clients["treasurer"], "contribution", "confirm", [pending.pk, confirmed.pk])

    pending.refresh_from_db()
    assert pending.status == ContributionStatus.CONFIRMED
    assert pending.confirmed_by == seats[1].user
    assert "Confirmed: 1." in messages
    assert (
        f"{confirmed}: Only a pending contribution can be confirmed; this one is confirmed."
        in messages
    )


def test_the_approve_action_keeps_maker_and_checker_apart(office):
    chama, seats, cycle, clients = office
    pay_in_cash(chama, seats, "1000.00")
    payout = payout_request(round=cycle.rounds.get(number=1), acting=seats[1], method="cash")
    entries = JournalEntry.objects.count()

    refused = act(clients["treasurer"], "payout", "approve", [payout.pk])

    assert any("cannot approve it" in m for m in refused)
    assert JournalEntry.objects.count() == entries
    approved = act(clients["chair"], "payout", "approve", [payout.pk])
    assert "Approved: 1." in approved
    assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.COMPLETED


def test_an_official_sees_only_their_chamas_books(office):
    chama, seats, _, clients = office
    other, other_seats, _ = merry_go_round(members=2, amount="10.00")
    contribution_record(
        chama=chama,
        membership=seats[0],
        amount=Decimal("10.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RMINE00001",
    )
    contribution_record(
        chama=other,
        membership=other_seats[0],
        amount=Decimal("10.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RTHEIRS001",
    )

    page = clients["chair"].get(reverse("admin:finance_contribution_changelist"))

    assert page.status_code == 200
    assert b"RMINE00001" in page.content
    assert b"RTHEIRS001" not in page.content


def test_bulk_loan_decisions_call_the_services_and_name_each_refusal(client_for):
    chama, seats, _ = merry_go_round(members=3, amount="1000.00", savings_amount="1000.00")
    chair, _, member = seats
    chair.user.is_staff = True
    chair.user.save(update_fields=["is_staff"])
    chair.user.groups.add(officials_group())
    client = Client()
    client.force_login(chair.user)
    pay_by_mpesa(chama, seats, "1000.00", "RL1234567")
    theirs = loan_apply(
        chama=chama,
        membership=member,
        acting=member,
        principal=Decimal("500.00"),
        term_months=2,
    )
    own = loan_apply(
        chama=chama,
        membership=chair,
        acting=chair,
        principal=Decimal("500.00"),
        term_months=2,
    )

    messages = act(client, "loan", "approve", [theirs.pk, own.pk])

    theirs.refresh_from_db()
    own.refresh_from_db()
    assert (theirs.status, own.status) == ("approved", "applied")
    assert theirs.installments.count() == 2
    assert "Approved: 1." in messages
    assert f"{own}: {FinanceError.APPLICANT_CANNOT_APPROVE.message}" in messages


def test_an_official_lists_their_chamas_suspense_receipts_read_only(office):
    chama, _, _, clients = office
    other, _, _ = merry_go_round(members=2, amount="10.00")

    def receive(owner, receipt):
        return suspense_receive(
            chama=owner,
            amount=Decimal("500.00"),
            receipt=receipt,
            paid_at=timezone.now(),
            account_reference=f"{owner.code}M999",
            payer="2547 ***** 678",
        )

    ours = receive(chama, "RSUSMINE01")
    receive(other, "RSUSTHEIR1")
    client = clients["treasurer"]

    page = client.get(reverse("admin:finance_suspensereceipt_changelist"))

    assert page.status_code == 200
    assert b"RSUSMINE01" in page.content
    assert b"RSUSTHEIR1" not in page.content
    assert client.get(reverse("admin:finance_suspensereceipt_add")).status_code == 403
    change = client.get(reverse("admin:finance_suspensereceipt_change", args=[ours.pk]))
    assert b'name="_save"' not in change.content


def test_the_loan_policy_form_edits_early_payoff_the_discount_and_the_minimum():
    chama, _, _ = merry_go_round(members=2, amount="1000.00")
    policy = loan_policy_get(chama=chama)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:finance_loanpolicy_change", args=[policy.pk])
    form = {k: "" if v is None else v for k, v in model_to_dict(policy).items()}
    new_fields = {
        "early_repayment": "rebate",
        "early_repayment_rebate_percent": "100.01",
        "min_principal": "500.00",
        "credit_discount_min_score": "75",
        "credit_discount_percent": "12.5",
    }

    page = client.get(url)
    refused = client.post(url, {**form, **new_fields})
    saved = client.post(url, {**form, **new_fields, "early_repayment_rebate_percent": "25"})

    for field in new_fields:
        assert f'name="{field}"'.encode() in page.content
    assert refused.status_code == 200  # the form again, with the error
    assert b"Ensure this value is less than or equal to 100." in refused.content
    assert saved.status_code == 302
    policy.refresh_from_db()
    assert (
        policy.early_repayment,
        policy.early_repayment_rebate_percent,
        policy.min_principal,
        policy.credit_discount_min_score,
        policy.credit_discount_percent,
    ) == ("rebate", Decimal("25.00"), Decimal("500.00"), 75, Decimal("12.50"))


@pytest.fixture
def swept(office):
    """The office's chama with round 1 paid by M-Pesa (3,000 in the paybill) and the
    treasurer's request to sweep 2,000 of it to the bank."""
    chama, seats, _, clients = office
    seats[1].refresh_from_db()  # the treasurer
    pay_by_mpesa(chama, seats, "1000.00", "RT1234567")
    transfer = ledger_transfer_request(
        chama=chama,
        acting=seats[1],
        from_account=TransferAccount.PAYBILL,
        to_account=TransferAccount.BANK,
        amount=Decimal("2000.00"),
    )
    return chama, seats, transfer, clients


def test_the_transfer_approve_action_keeps_maker_and_checker_apart(swept):
    _, seats, transfer, clients = swept
    entries = JournalEntry.objects.count()

    # When the treasurer who requested it tries to approve it, then the chair does
    refused = act(clients["treasurer"], "ledgertransfer", "approve", [transfer.pk])
    approved = act(clients["chair"], "ledgertransfer", "approve", [transfer.pk])

    # Then the treasurer is told why, and the chair's approval moves the money once
    assert f"{transfer}: {FinanceError.TRANSFER_SAME_OFFICIAL.message}" in refused
    assert "Approved: 1." in approved
    stored = LedgerTransfer.objects.get(pk=transfer.pk)
    assert (stored.status, stored.decided_by) == (LedgerTransferStatus.COMPLETED, seats[0].user)
    assert JournalEntry.objects.count() == entries + 1
    assert legs(stored.entry) == [
        ("1010", "C", Decimal("2000.00")),
        ("1020", "D", Decimal("2000.00")),
    ]
    again = act(clients["chair"], "ledgertransfer", "approve", [transfer.pk])
    assert f"{stored}: {FinanceError.TRANSFER_NOT_REQUESTED.render(status='completed')}" in again


def test_the_transfer_reject_action_rejects_and_names_each_refusal(swept):
    chama, seats, transfer, clients = swept
    done = ledger_transfer_approve(
        transfer=ledger_transfer_request(
            chama=chama,
            acting=seats[1],
            from_account=TransferAccount.PAYBILL,
            to_account=TransferAccount.CASH,
            amount=Decimal("500.00"),
        ),
        acting=seats[0],
    )

    messages = act(clients["chair"], "ledgertransfer", "reject", [transfer.pk, done.pk])

    stored = LedgerTransfer.objects.get(pk=transfer.pk)
    assert (stored.status, stored.decided_by, stored.rejection_reason) == (
        LedgerTransferStatus.REJECTED,
        seats[0].user,
        "Rejected in the back office",
    )
    assert "Rejected: 1." in messages
    assert f"{done}: {FinanceError.TRANSFER_NOT_REQUESTED.render(status='completed')}" in messages


def test_a_platform_admin_without_an_office_decides_no_transfer(swept):
    _, _, transfer, _ = swept
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)

    messages = act(client, "ledgertransfer", "approve", [transfer.pk])

    assert f"{transfer}: {FinanceError.TRANSFER_OFFICIALS_ONLY.message}" in messages
    assert LedgerTransfer.objects.get(pk=transfer.pk).status == LedgerTransferStatus.REQUESTED


def test_an_official_sees_only_their_chamas_transfers_read_only(swept):
    _, _, ours, clients = swept
    other, other_seats, _ = merry_go_round(members=2, amount="10.00")
    pay_in_cash(other, other_seats, "10.00")
    theirs = ledger_transfer_request(
        chama=other,
        acting=other_seats[0],
        from_account=TransferAccount.CASH,
        to_account=TransferAccount.BANK,
        amount=Decimal("20.00"),
    )
    client = clients["treasurer"]

    page = client.get(reverse("admin:finance_ledgertransfer_changelist"))

    assert page.status_code == 200
    assert str(ours.pk).encode() in page.content
    assert str(theirs.pk).encode() not in page.content
    assert client.get(reverse("admin:finance_ledgertransfer_add")).status_code == 403
    change = client.get(reverse("admin:finance_ledgertransfer_change", args=[ours.pk]))
    assert b'name="_save"' not in change.content


def test_the_chama_page_shows_what_each_account_holds(swept):
    chama, _, _, clients = swept

    page = clients["chair"].get(reverse("admin:groups_chama_change", args=[chama.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Balances (in each account" in content
    for shown in ("1010", "M-Pesa paybill", "3,000.00", "1020", "1030", "1090", "3200"):
        assert shown in content
