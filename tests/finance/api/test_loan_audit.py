"""Loan changes made through the API are in the audit log with the signed-in user as actor:
a guarantee decided, a repayment recorded and the installments it paid."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from finance.models import LoanRepayment
from finance.services.loans import loan_apply
from tests.finance.loans import lent_in_cash

pytestmark = pytest.mark.django_db


def test_a_guarantee_accepted_through_the_api_names_the_guarantor(lending):
    borrower, guarantor = lending["seats"][3], lending["seats"][2]
    loan = loan_apply(
        chama=lending["chama"],
        membership=borrower,
        acting=borrower,
        principal=Decimal("1000.00"),
        term_months=2,
        guarantors=[(guarantor, Decimal("500.00"))],
    )
    guarantee = loan.guarantees.get()

    response = lending["clients"]["secretary"].post(
        f"{lending['base']}/loans/{loan.pk}/guarantors/{guarantee.pk}/accept/"
    )

    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(guarantee).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == guarantor.user
    assert entry.changes_dict["status"] == ["pending", "accepted"]


def test_a_repayment_through_the_api_is_audited_with_the_official_who_recorded_it(lending):
    treasurer, borrower = lending["seats"][1], lending["seats"][3]
    loan = lent_in_cash(lending, borrower, "3000.00")

    response = lending["clients"]["treasurer"].post(
        f"{lending['base']}/loans/{loan.pk}/repayments/",
        {"amount": "1300.00", "method": "cash"},
        format="json",
    )

    assert response.status_code == 201
    repayment = LoanRepayment.objects.get(pk=response.json()["id"])
    created = LogEntry.objects.get_for_object(repayment).get()
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, treasurer.user)
    assert created.changes_dict["amount"] == ["None", "1300.00"]
    first = loan.installments.get(number=1)
    changed = LogEntry.objects.get_for_object(first).get(action=LogEntry.Action.UPDATE)
    assert changed.actor == treasurer.user
    assert {field: changed.changes_dict[field] for field in ("paid_principal", "status")} == {
        "paid_principal": ["0.00", "1000.00"],
        "status": ["pending", "paid"],
    }
