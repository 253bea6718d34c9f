"""Paybill payments (C2B): the member pays from the M-Pesa menu and types an account number.

Safaricom masks or hashes the payer's MSISDN, so the member is known only by the account
number: chama code + member code (``UMJ001M017``), with an ``L`` at the end to repay a loan
(``UMJ001M017L``) or an ``F`` to pay fines (``UMJ001M017F``: the oldest unpaid first, any
excess to member credit). Spaces, dashes and letter case are forgiven. Money whose account names a
chama but none of its members goes to that chama's suspense account (2600) for the treasurer
to assign; money naming no chama at all is kept for the platform staff.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError

from core.audit import audit_snapshot, audit_write, audited_by_caller, audited_save
from core.db import durable_atomic, optimistic, savepoints_available
from core.exceptions import ConflictError, DomainError
from finance.choices import PaymentMethod
from finance.exceptions import FinanceError
from finance.models import Contribution, FinePayment, LoanRepayment
from finance.selectors import fines_unpaid_exist, loan_repayable_get
from finance.services.contributions import contribution_record
from finance.services.fines import fines_pay_member
from finance.services.loans import loan_repay
from finance.services.suspense import suspense_receive
from groups.choices import MembershipStatus
from groups.models import Chama, Membership
from mpesa import exceptions as msg
from mpesa.choices import C2BStatus, CallbackKind, CallbackOutcome, PaymentPurpose
from mpesa.exceptions import MpesaError
from mpesa.models import C2BPayment, DarajaCallback
from mpesa.payloads import C2BNotice, PayloadInvalid, c2b_notice_parse
from mpesa.services.intake import Processed, callback_outcome_record, processor
from mpesa.services.stk import STK_MAX, SUFFIX_PURPOSES

ACCOUNT_RE = re.compile(r"^([A-Z]{3}[0-9]{3})(M[0-9]{3,5})([LF]?)$")
# Daraja's validation answers.
ACCEPT, INVALID_ACCOUNT, INVALID_AMOUNT, OTHER_ERROR = "0", "C2B00012", "C2B00013", "C2B00016"


@dataclass(frozen=True)
class Account:
    chama: Chama | None
    membership: Membership | None
    purpose: str
    text: str


def account_resolve(bill_ref_number: str, *, lock: bool = False) -> Account:
    """The chama and member an account number names. With ``lock``, the member is read under
    its lock (as ``finance.locks.membership_lock`` takes it), in the same statement."""
    text = re.sub(r"[\s-]", "", bill_ref_number).upper()
    match = ACCOUNT_RE.match(text)
    if match is None:
        return Account(None, None, PaymentPurpose.CONTRIBUTION, text)
    chama_code, member_code, suffix = match.groups()
    purpose = SUFFIX_PURPOSES.get(suffix, PaymentPurpose.CONTRIBUTION)
    members = Membership.objects.filter(
        chama__code=chama_code, member_code=member_code, status=MembershipStatus.ACTIVE
    ).select_related("chama", "user")
    if lock:
        members = members.select_for_update(of=("self",), no_key=True)
    membership = members.first()
    if membership is None:
        return Account(Chama.objects.filter(code=chama_code).first(), None, purpose, text)
    return Account(membership.chama, membership, purpose, text)


def _validation_answer(data: dict[str, Any]) -> tuple[str, str]:
    try:
        notice = c2b_notice_parse(data)
    except PayloadInvalid as exc:
        code = INVALID_AMOUNT if "TransAmount" in str(exc) else OTHER_ERROR
        return code, str(exc)
    if notice.amount != notice.amount.to_integral_value() or notice.amount > STK_MAX:
        return INVALID_AMOUNT, f"Amount {notice.amount} is not whole shillings up to 250,000."
    account = account_resolve(notice.bill_ref_number)
    if account.membership is None:
        return INVALID_ACCOUNT, msg.C2B_UNKNOWN_ACCOUNT.format(account=account.text or "(blank)")
    if (
        account.purpose == PaymentPurpose.LOAN_REPAYMENT
        and loan_repayable_get(membership=account.membership) is None
    ):
        return INVALID_ACCOUNT, MpesaError.C2B_NO_LIVE_LOAN.render(account=account.text)
    if account.purpose == PaymentPurpose.FINE and not fines_unpaid_exist(
        membership=account.membership
    ):
        return INVALID_ACCOUNT, MpesaError.C2B_NO_FINES.render(account=account.text)
    return ACCEPT, f"Account {account.text} accepted."


@processor(CallbackKind.C2B_VALIDATION)
def c2b_validation_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    """Accept a payment only to an account we know, of an amount M-Pesa can carry."""
    answer, detail = _validation_answer(data)
    outcome = CallbackOutcome.PROCESSED if answer == ACCEPT else CallbackOutcome.REJECTED
    processed = Processed(outcome, detail, str(data.get("TransID", ""))[:64], answer=answer)
    callback_outcome_record(callback=callback, processed=processed)
    return processed


def _credit(payment: C2BPayment, account: Account, notice: C2BNotice) -> None:
    assert account.chama is not None
    assert account.membership is not None
    made: Contribution | LoanRepayment | FinePayment
    if account.purpose == PaymentPurpose.FINE:
        # No fine owed (``no_fines_owed``): the money goes to suspense, as for a loan.
        made = fines_pay_member(
            membership=account.membership,
            amount=notice.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=notice.trans_id,
            paid_at=notice.trans_time,
            nested=True,
        )
    elif account.purpose == PaymentPurpose.LOAN_REPAYMENT:
        loan = loan_repayable_get(membership=account.membership)
        if loan is None:
            raise ConflictError(MpesaError.C2B_NO_LIVE_LOAN, account=account.text)
        made = loan_repay(
            loan=loan,
            amount=notice.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=notice.trans_id,
            paid_at=notice.trans_time,
            nested=True,
        )
    else:
        made = contribution_record(
            chama=account.chama,
            membership=account.membership,
            amount=notice.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=notice.trans_id,
            paid_at=notice.trans_time,
            reference=f"Paybill {account.text}"[:100],
            nested=True,
            locked=True,  # account_resolve locked the member
        )
    payment.entry_id = made.entry_id
    payment.status = C2BStatus.CREDITED


def _to_suspense(payment: C2BPayment, chama: Chama, notice: C2BNotice, reason: str) -> None:
    receipt = suspense_receive(
        chama=chama,
        amount=notice.amount,
        receipt=notice.trans_id,
        paid_at=notice.trans_time,
        account_reference=notice.bill_ref_number,
        payer=" ".join(filter(None, [notice.payer_name, notice.msisdn]))[:150],
        nested=True,
    )
    payment.entry_id = receipt.entry_id
    payment.status, payment.detail = C2BStatus.SUSPENSE, reason[:255]


# What booking a paybill payment decides; FKs by column, so that reading them costs no query.
OUTCOME_FIELDS = ("status", "detail", "entry_id", "chama_id", "membership_id")


def _payment_record(payment: C2BPayment) -> None:
    with durable_atomic(nested=True), audited_by_caller():
        payment.save(force_insert=True)
    audit_write(created=[payment])


@optimistic
def c2b_confirmation_apply(*, notice: C2BNotice, callback: DarajaCallback) -> Processed:
    """Book a confirmed paybill payment once, whatever arrives twice.

    The first attempt books the money and then records the payment as it ended; a repeat
    (the payment's TransID is unique) or a refused booking undoes it, and the second attempt
    records the payment first, so that a repeat is told apart before anything is booked."""
    account = account_resolve(notice.bill_ref_number, lock=True)
    payment = C2BPayment(
        trans_id=notice.trans_id,
        trans_time=notice.trans_time,
        amount=notice.amount,
        bill_ref_number=notice.bill_ref_number,
        business_shortcode=notice.business_shortcode,
        msisdn=notice.msisdn,
        payer_name=notice.payer_name,
        chama=account.chama,
        membership=account.membership,
        purpose=account.purpose,
        status=C2BStatus.UNMATCHED,
    )
    recorded_first = savepoints_available()
    if recorded_first:
        try:
            _payment_record(payment)
        except IntegrityError:
            processed = Processed(
                CallbackOutcome.DUPLICATE, "Receipt already received.", notice.trans_id
            )
            callback_outcome_record(callback=callback, processed=processed)
            return processed
    before = audit_snapshot(payment, OUTCOME_FIELDS)
    outcome = CallbackOutcome.PROCESSED
    if account.chama is None:
        payment.detail = msg.C2B_UNKNOWN_CHAMA.format(account=account.text or "(blank)")
        outcome = CallbackOutcome.HELD
    elif account.membership is None:
        reason = msg.C2B_UNKNOWN_ACCOUNT.format(account=account.text or "(blank)")
        _to_suspense(payment, account.chama, notice, reason)
    else:
        try:
            # The contribution or repayment is a nested service: refused, it leaves nothing
            # behind (its balances are checked before it returns), and the money goes to
            # suspense instead.
            _credit(payment, account, notice)
        except DomainError as exc:
            if exc.code == FinanceError.DUPLICATE_RECEIPT:
                # The same payment came first as an STK callback: one receipt, one contribution.
                payment.status, payment.detail = C2BStatus.DUPLICATE, exc.message[:255]
                outcome = CallbackOutcome.DUPLICATE
            else:
                _to_suspense(payment, account.chama, notice, exc.message)
    if recorded_first:
        audited_save(payment, before)
    else:
        _payment_record(payment)
    processed = Processed(outcome, payment.detail or f"Credited {account.text}.", notice.trans_id)
    callback_outcome_record(callback=callback, processed=processed)
    return processed


@processor(CallbackKind.C2B_CONFIRMATION)
def c2b_confirmation_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    return c2b_confirmation_apply(notice=c2b_notice_parse(data), callback=callback)
