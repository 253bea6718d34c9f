"""Paying a loan out: by hand (cash, bank) at once, or through a two-phase gateway (M-Pesa
B2C) until the provider settles or fails it. The chama cannot lend more than the paying
account holds."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from finance import chart, notifications
from finance.choices import (
    EntryType,
    LoanStatus,
    PaymentMethod,
)
from finance.exceptions import FinanceError
from finance.gateways import PAYOUT_GATEWAYS, PayoutGateway, TransferKind
from finance.locks import loan_lock
from finance.models import (
    LedgerAccount,
    Loan,
)
from finance.services.in_flight import (
    in_flight_account,
    transfer_outcome_post,
    transfer_return,
    transfer_send,
)
from finance.services.ledger import (
    Line,
    credit,
    debit,
    insufficient_funds,
    ledger_account_get,
    ledger_post,
)
from finance.services.loans.quotes import ONE_MONTH
from groups.models import Membership
from groups.rules import official_check


@durable
def loan_disburse(*, loan: Loan, acting: Membership, method: str) -> Loan:
    """The money leaves for the borrower; the chama cannot lend more than the source account
    holds. By hand (cash, bank): Dr loans receivable (principal), Cr the source account
    (principal less the processing fee), Cr interest and fees income (the fee), and the loan is
    active. Through a two-phase gateway (M-Pesa B2C): Dr payouts in flight, Cr the source
    account (principal less the fee); the loan is ``disbursed`` (in flight) and the transfer is
    sent on commit, until ``loan_disbursement_settle`` or ``loan_disbursement_fail``."""
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.APPROVED:
        raise ConflictError(FinanceError.LOAN_NOT_APPROVED, status=loan.status)
    official_check(acting, chama_id=loan.chama_id, refused=FinanceError.NOT_OFFICIAL_LOANS)
    gateway = PAYOUT_GATEWAYS.get(method)
    if gateway is None:
        raise ValidationFailed(FinanceError.METHOD_UNAVAILABLE, method=method, field="method")
    chama, borrower = loan.chama, loan.membership
    source = ledger_account_get(chama=chama, code=gateway.source_code)
    paid_out = loan.principal - loan.processing_fee
    # An early answer from an unlocked read; the ledger decides as the money moves.
    if source.cached_balance < paid_out:
        raise insufficient_funds(source, paid_out)
    loan.disbursement_method = PaymentMethod(method)
    if gateway.two_phase:
        return _loan_send(loan, gateway=gateway, source=source, amount=paid_out, acting=acting)
    loan.disbursement_entry = ledger_post(
        chama=chama,
        entry_type=EntryType.LOAN_DISBURSEMENT,
        lines=_disbursement_lines(loan, paid_from=source),
        memo=f"Loan to {borrower.member_code}",
        member=borrower,
        idempotency_key=f"loan:{loan.pk}:disbursed",
        recorded_by=acting.user,
    )
    return _loan_activate(loan, "disbursement_method")


def _disbursement_lines(loan: Loan, *, paid_from: LedgerAccount) -> list[Line]:
    """Dr loans receivable (principal), Cr the account the money was paid from (principal less
    the processing fee), Cr interest and fees income (the fee)."""
    chama, borrower = loan.chama, loan.membership
    return [
        debit(
            ledger_account_get(chama=chama, code=chart.LOANS_RECEIVABLE, member=borrower),
            loan.principal,
        ),
        credit(paid_from, loan.principal - loan.processing_fee),
        credit(ledger_account_get(chama=chama, code=chart.INTEREST_INCOME), loan.processing_fee),
    ]


def _loan_activate(loan: Loan, *fields: str) -> Loan:
    """The borrower has the money: the loan is active and takes repayments."""
    loan.status = LoanStatus.ACTIVE
    loan.disbursed_at = timezone.now()
    loan.save(update_fields=["status", "disbursed_at", "disbursement_entry", *fields, "updated_at"])
    notifications.loan_disbursed(loan)
    return loan


def _loan_send(
    loan: Loan,
    *,
    gateway: PayoutGateway,
    source: LedgerAccount,
    amount: Decimal,
    acting: Membership,
) -> Loan:
    borrower = loan.membership
    sent = transfer_send(
        gateway=gateway,
        chama=loan.chama,
        source=source,
        kind=TransferKind.LOAN,
        object_id=loan.pk,
        amount=amount,
        destination=borrower.receive_phone,
        remarks="Loan disbursement",
        entry_type=EntryType.LOAN_IN_FLIGHT,
        memo=f"Loan to {borrower.member_code} sent ({borrower.receive_phone})",
        member=borrower,
        recorded_by=acting.user,
    )
    loan.status = LoanStatus.DISBURSED
    loan.disbursement_reference = sent.reference
    loan.disbursement_sent_entry = sent.entry
    loan.disbursement_failure_reason = ""
    loan.save(
        update_fields=[
            "status",
            "disbursement_method",
            "disbursement_reference",
            "disbursement_sent_entry",
            "disbursement_failure_reason",
            "updated_at",
        ]
    )
    return loan


def _loan_in_flight(loan: Loan) -> Loan:
    loan = loan_lock(loan.pk)
    if loan.status != LoanStatus.DISBURSED:
        raise ConflictError(FinanceError.LOAN_NOT_IN_FLIGHT, status=loan.status)
    return loan


def _installments_due_from(loan: Loan, first_due: date) -> None:
    """Move the schedule stored at approval so that its first installment falls due no sooner
    than ``first_due``, the later ones a month apart from it as ``loan_schedule`` counts them.
    A transfer that spent days in flight, or failed and went again, costs the borrower none of
    the month they have before the first installment."""
    installments = list(loan.installments.order_by("number"))
    if not installments or installments[0].due_date >= first_due:
        return
    for inst in installments:
        inst.due_date = first_due + relativedelta(months=inst.number - 1)
        inst.save(update_fields=["due_date", "updated_at"])


@durable
def loan_disbursement_settle(*, loan: Loan, receipt: str) -> Loan:
    """The provider confirmed: the borrower has the money. Dr loans receivable (principal),
    Cr payouts in flight (what was sent), Cr interest and fees income (the fee); the loan is
    active, its first installment due a month from today at the earliest. A loan not in
    flight (a repeated answer) is ``loan_not_in_flight``."""
    loan = _loan_in_flight(loan)
    borrower = loan.membership
    loan.disbursement_entry = transfer_outcome_post(
        chama=loan.chama,
        reference=loan.disbursement_reference,
        entry_type=EntryType.LOAN_DISBURSEMENT,
        lines=_disbursement_lines(loan, paid_from=in_flight_account(loan.chama)),
        memo=f"Loan to {borrower.member_code} received",
        member=borrower,
        receipt=receipt,
    )
    loan.disbursement_receipt = receipt or None
    _installments_due_from(loan, timezone.localdate() + ONE_MONTH)
    return _loan_activate(loan, "disbursement_receipt")


@durable
def loan_disbursement_fail(*, loan: Loan, reason: str) -> Loan:
    """The provider refused: the money is back where it left (Dr the source account, Cr
    payouts in flight) and the loan approved again, to be disbursed anew under a new
    reference. A loan not in flight (a repeated answer) is ``loan_not_in_flight``."""
    loan = _loan_in_flight(loan)
    transfer_return(
        sent=loan.disbursement_sent_entry,
        reference=loan.disbursement_reference,
        entry_type=EntryType.LOAN_FAILED,
        memo=f"Loan to {loan.membership.member_code} not sent: {reason}",
        member=loan.membership,
    )
    loan.status = LoanStatus.APPROVED
    loan.disbursement_failure_reason = reason[:255]
    loan.save(update_fields=["status", "disbursement_failure_reason", "updated_at"])
    return loan
