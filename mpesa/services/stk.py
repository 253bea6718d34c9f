"""Contributions, loan repayments and fines by STK Push: the member approves a prompt.

The request is stored before the prompt is sent and its CheckoutRequestID kept, because the
callback does not echo who paid or for what. The callback is the only source of the receipt;
a status query (reconciliation) can fail a request but can only confirm success without one.
"""

import logging
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from django.utils import timezone

from accounts.models import User
from core.audit import audit_snapshot, audited_save
from core.db import durable, optimistic
from core.exceptions import ConflictError, DomainError, UpstreamUnavailable, ValidationFailed
from finance.choices import PaymentMethod
from finance.exceptions import FinanceError
from finance.locks import membership_lock
from finance.models import Contribution, FinePayment, LoanRepayment
from finance.selectors import fines_unpaid_exist, loan_repayable_get
from finance.services.contributions import contribution_record
from finance.services.fines import fines_pay_member
from finance.services.loans import loan_repay
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import acting_for
from mpesa import exceptions as msg
from mpesa.callbacks import callback_url
from mpesa.choices import CallbackKind, CallbackOutcome, PaymentPurpose, StkStatus
from mpesa.client import DarajaClient, DarajaError
from mpesa.exceptions import MpesaError
from mpesa.locks import stk_request_lock
from mpesa.models import DarajaCallback, StkRequest
from mpesa.payloads import StkResult, stk_result_parse
from mpesa.services.intake import (
    Processed,
    callback_outcome_record,
    callback_process,
    processor,
)

logger = logging.getLogger(__name__)
# Daraja never got the prompt, or never answered it.
UNREACHABLE = frozenset({"connection_error", "timeout", "token_unavailable"})

STK_MAX = Decimal("250000")
# Daraja refuses the same amount to the same phone within two minutes (ResultCode 17).
REPEAT_SPACING = timedelta(minutes=2)
LOAN_SUFFIX = "L"
FINE_SUFFIX = "F"
# What the letter at the end of a paybill account number pays (none: a contribution).
SUFFIX_PURPOSES = {LOAN_SUFFIX: PaymentPurpose.LOAN_REPAYMENT, FINE_SUFFIX: PaymentPurpose.FINE}
PURPOSE_SUFFIXES = {purpose: suffix for suffix, purpose in SUFFIX_PURPOSES.items()}
DESCRIPTIONS = {PaymentPurpose.LOAN_REPAYMENT: "Loan", PaymentPurpose.FINE: "Fines"}

Made = Contribution | LoanRepayment | FinePayment


def account_reference(membership: Membership, purpose: str) -> str:
    """The account number a member would type at the paybill: chama code + member code, with
    ``L`` for a loan repayment, ``F`` for fines (UMJ001M017, UMJ001M017L, UMJ001M017F)."""
    suffix = PURPOSE_SUFFIXES.get(PaymentPurpose(purpose), "")
    return f"{membership.chama.code}{membership.member_code}{suffix}"


@durable
def _stk_request_create(
    *,
    membership: Membership,
    amount: Decimal,
    phone: str,
    purpose: str,
    requested_by: User | None,
) -> StkRequest:
    # Serialise one member's prompts so two quick taps cannot both pass the spacing check.
    membership = membership_lock(membership.pk)
    loan = None
    if (
        purpose == PaymentPurpose.LOAN_REPAYMENT
        and (loan := loan_repayable_get(membership=membership)) is None
    ):
        raise ConflictError(MpesaError.STK_NO_LIVE_LOAN)
    if purpose == PaymentPurpose.FINE and not fines_unpaid_exist(membership=membership):
        raise ConflictError(MpesaError.STK_NO_FINES)
    recent = (
        StkRequest.objects.filter(
            phone=phone,
            amount=amount,
            created_at__gte=timezone.now() - REPEAT_SPACING,
            status__in=[StkStatus.PENDING, StkStatus.SUCCEEDED],
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        after = timezone.localtime(recent.created_at + REPEAT_SPACING).strftime("%H:%M:%S")
        raise ConflictError(MpesaError.STK_TOO_SOON, amount=f"{amount:,.0f}", after=after)
    return StkRequest.objects.create(
        chama=membership.chama,
        membership=membership,
        purpose=purpose,
        loan=loan,
        amount=amount,
        phone=phone,
        account_reference=account_reference(membership, purpose),
        requested_by=requested_by,
    )


def stk_push_request(
    *,
    chama: Chama,
    acting: Membership,
    membership: Membership | None = None,
    amount: Decimal,
    purpose: str = PaymentPurpose.CONTRIBUTION,
    phone: str = "",
) -> StkRequest:
    """Send a payment prompt to the member's phone (their M-Pesa number unless another is
    given): a member pays for themselves, an official may prompt any member. The request
    waits for Daraja's callback; nothing is credited until it comes."""
    membership = acting_for(acting, membership, refused=MpesaError.STK_OTHERS_ONLY_OFFICIALS)
    if membership.chama_id != chama.pk:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    if amount != amount.to_integral_value() or not Decimal(1) <= amount <= STK_MAX:
        raise ValidationFailed(MpesaError.STK_AMOUNT_WHOLE, field="amount")
    phone = phone or membership.receive_phone
    if not phone:
        raise ValidationFailed(MpesaError.STK_NO_PHONE, field="phone")
    request = _stk_request_create(
        membership=membership,
        amount=amount,
        phone=phone,
        purpose=purpose,
        requested_by=acting.user,
    )
    try:
        ack = DarajaClient.from_settings().stk_push(
            phone=phone,
            amount=int(amount),
            account_reference=request.account_reference,
            description=DESCRIPTIONS.get(PaymentPurpose(purpose), "Contribution"),
            callback_url=callback_url(CallbackKind.STK),
        )
    except DarajaError as exc:
        request.status = StkStatus.NOT_SENT
        if exc.code in UNREACHABLE:  # the detail (an address, a timeout) is for the log
            logger.warning("STK Push for %s not sent: %s", request.account_reference, exc.message)
            error = MpesaError.STK_NOT_ANSWERING
            request.failure_reason = error.message
        else:
            error = MpesaError.STK_NOT_SENT
            request.failure_reason = error.render(reason=exc.message)[:255]
        request.save(update_fields=["status", "failure_reason", "updated_at"])
        raise UpstreamUnavailable(error, detail=request.failure_reason) from exc
    request.merchant_request_id = ack.merchant_request_id
    request.checkout_request_id = ack.checkout_request_id
    request.save(update_fields=["merchant_request_id", "checkout_request_id", "updated_at"])
    _process_early_callbacks(ack.checkout_request_id)
    return request


def _process_early_callbacks(checkout_request_id: str) -> None:
    """A callback can overtake our saving of the CheckoutRequestID; it was stored as unknown."""
    for early in DarajaCallback.objects.filter(
        kind=CallbackKind.STK, outcome=CallbackOutcome.UNKNOWN, reference=checkout_request_id
    ):
        callback_process(callback=early)


def failure_reason(code: int, desc: str) -> str:
    return msg.STK_FAILURE_REASONS.get(code) or msg.STK_FAILED_OTHER.format(desc=desc, code=code)


def _credit(request: StkRequest, result: StkResult) -> Made:
    """Record what the member paid (inside the caller's transaction)."""
    assert result.amount is not None
    assert result.receipt is not None
    if request.purpose == PaymentPurpose.FINE:
        return fines_pay_member(
            membership=request.membership,
            amount=result.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=result.receipt,
            paid_at=result.paid_at,
            nested=True,
        )
    if request.purpose == PaymentPurpose.LOAN_REPAYMENT:
        assert request.loan is not None
        return loan_repay(
            loan=request.loan,
            amount=result.amount,
            method=PaymentMethod.MPESA,
            mpesa_receipt=result.receipt,
            paid_at=result.paid_at,
            nested=True,
        )
    return contribution_record(
        chama=request.chama,
        membership=request.membership,
        amount=result.amount,
        method=PaymentMethod.MPESA,
        mpesa_receipt=result.receipt,
        paid_at=result.paid_at,
        reference=f"STK {request.checkout_request_id}"[:100],
        nested=True,
        locked=True,  # stk_request_lock locked the member with the prompt
    )


def _link(request: StkRequest, made: Made) -> None:
    if isinstance(made, Contribution):
        request.contribution = made
    elif isinstance(made, FinePayment):
        request.fine_payment = made
    else:
        request.repayment = made


def _payer_id(made: Made) -> UUID:
    return made.loan.membership_id if isinstance(made, LoanRepayment) else made.membership_id


def _already_recorded(receipt: str) -> Made | None:
    return (
        Contribution.objects.filter(mpesa_receipt=receipt).first()
        or LoanRepayment.objects.filter(mpesa_receipt=receipt).first()
        or FinePayment.objects.filter(mpesa_receipt=receipt).first()
    )


# What an answered prompt records; FKs by column, so that reading them costs no query.
ANSWERED_FIELDS = (
    "status",
    "result_code",
    "result_desc",
    "completed_at",
    "receipt",
    "failure_reason",
    "contribution_id",
    "repayment_id",
    "fine_payment_id",
)


def _apply(request: StkRequest, result: StkResult) -> Processed:
    ref = result.receipt or result.checkout_request_id
    if request.status != StkStatus.PENDING:
        if result.result_code == 0 and request.status in {StkStatus.FAILED, StkStatus.NOT_SENT}:
            # Money moved after we had given up on it: a person must look.
            detail = msg.STK_LATE_SUCCESS.format(status=request.get_status_display().lower())
            request.status, request.failure_reason = StkStatus.HELD, detail
            request.receipt = result.receipt
            request.save(update_fields=["status", "failure_reason", "receipt", "updated_at"])
            return Processed(CallbackOutcome.HELD, detail, ref)
        return Processed(CallbackOutcome.DUPLICATE, f"Request already {request.status}.", ref)
    before = audit_snapshot(request, ANSWERED_FIELDS)
    request.result_code, request.result_desc = result.result_code, result.result_desc[:255]
    request.completed_at = timezone.now()
    fields = ["status", "result_code", "result_desc", "completed_at", "updated_at"]
    if result.result_code != 0:
        request.status = StkStatus.FAILED
        request.failure_reason = failure_reason(result.result_code, result.result_desc)[:255]
        request.save(update_fields=[*fields, "failure_reason"])
        return Processed(CallbackOutcome.PROCESSED, request.failure_reason, ref)
    assert result.amount is not None
    assert result.phone is not None
    request.receipt = result.receipt
    fields += ["receipt", "failure_reason", "contribution", "repayment", "fine_payment"]
    held = ""
    if result.amount != request.amount:
        held = msg.STK_AMOUNT_MISMATCH.format(paid=result.amount, asked=request.amount)
    elif result.phone != request.phone:
        held = msg.STK_PHONE_MISMATCH.format(paid=result.phone, asked=request.phone)
    if held:
        request.status, request.failure_reason = StkStatus.HELD, held
        request.save(update_fields=fields)
        return Processed(CallbackOutcome.HELD, held, ref)
    outcome = CallbackOutcome.PROCESSED
    try:
        _link(request, _credit(request, result))
        request.status = StkStatus.SUCCEEDED
    except DomainError as exc:
        earlier = (
            _already_recorded(result.receipt or "")
            if exc.code == FinanceError.DUPLICATE_RECEIPT
            else None
        )
        if earlier is not None and _payer_id(earlier) == request.membership_id:
            # The same payment reached us first as a C2B confirmation or a manual entry.
            _link(request, earlier)
            request.status, outcome = StkStatus.SUCCEEDED, CallbackOutcome.DUPLICATE
        else:
            request.status, request.failure_reason = StkStatus.HELD, exc.message[:255]
            outcome = CallbackOutcome.HELD
    audited_save(request, before)
    return Processed(outcome, request.failure_reason or f"Credited {result.receipt}.", ref)


@optimistic
def stk_result_apply(*, result: StkResult, callback: DarajaCallback | None = None) -> Processed:
    """Apply an STK result (a callback, or a status query's answer without a receipt)."""
    request = stk_request_lock(result.checkout_request_id)
    processed = (
        Processed(CallbackOutcome.UNKNOWN, msg.STK_UNKNOWN, result.checkout_request_id)
        if request is None
        else _apply(request, result)
    )
    if callback is not None:
        callback_outcome_record(callback=callback, processed=processed)
    return processed


@processor(CallbackKind.STK)
def stk_callback_process(callback: DarajaCallback, data: dict[str, object]) -> Processed:
    return stk_result_apply(result=stk_result_parse(data), callback=callback)
