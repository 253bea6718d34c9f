"""A loan nobody repays: defaulted by the job, recovered from guarantors' savings in
proportion to their guarantees, the rest written off."""

from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry

from core.exceptions import ConflictError
from finance import chart
from finance.choices import LoanStatus, PaymentMethod
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.ledger import ledger_account_get
from finance.services.loans import (
    guarantee_decide,
    loan_apply,
    loan_approve,
    loan_defaults_run,
    loan_disburse,
    loan_policy_get,
    loan_recover_from_guarantors,
    loan_write_off,
)
from groups.choices import Role
from tests.factories import appoint
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def test_default_recovery_and_write_off():
    with time_machine.travel("2026-01-10 10:00 +0300", tick=False):
        chama, seats, _ = merry_go_round(members=4, amount="3000.00", savings_amount="3000.00")
        chair, treasurer, guarantor_a, borrower = seats
        appoint(treasurer, Role.TREASURER, by=chair)
        for member in seats:
            contribution_record(
                chama=chama, membership=member, amount=Decimal("3000.00"), method=PaymentMethod.CASH
            )
        interest_free = loan_policy_get(chama=chama)
        interest_free.interest_rate = Decimal("0")
        interest_free.save()
        loan = loan_apply(
            chama=chama,
            membership=borrower,
            acting=borrower,
            principal=Decimal("7000.00"),
            term_months=2,
            guarantors=[(guarantor_a, Decimal("2000.00")), (chair, Decimal("1000.00"))],
        )
        for guarantee in loan.guarantees.all():
            guarantee_decide(guarantee=guarantee, acting=guarantee.guarantor, accept=True)
        loan = loan_approve(loan=loan, acting=treasurer)
        loan_disburse(loan=loan, acting=treasurer, method="cash")
        with pytest.raises(ConflictError):
            loan_write_off(loan=loan, acting=chair, reason="too early")

    policy = loan_policy_get(chama=chama)
    with time_machine.travel("2026-05-20 10:00 +0300", tick=False):  # 99 days past the first due
        assert loan_defaults_run() == 1
        assert loan_defaults_run() == 0
        loan.refresh_from_db()
        assert loan.status == LoanStatus.DEFAULTED
        assert policy.default_after_days == 90
        change = LogEntry.objects.get_for_object(loan).latest("timestamp")
        assert change.changes_dict["status"] == ["active", "defaulted"]

        loan_recover_from_guarantors(loan=loan, acting=chair)
        # 3,000 of guarantees cover 3,000 of the 7,000: 2,000 from A, 1,000 from the chair
        assert balance(chama, chart.MEMBER_SAVINGS, member=guarantor_a) == Decimal("-1000.00")
        assert balance(chama, chart.MEMBER_SAVINGS, member=chair) == Decimal("-2000.00")
        assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == Decimal("4000.00")

        written = loan_write_off(loan=loan, acting=chair, reason="Member left the country")
        assert written.status == LoanStatus.WRITTEN_OFF
        assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == Decimal("0.00")
        assert balance(chama, chart.WRITE_OFFS) == Decimal("4000.00")
        assert trial_balance_get(chama=chama) == Decimal("0.00")
