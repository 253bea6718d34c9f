"""Welfare claims: a member's claim on the welfare fund (3200) for a bereavement, a hospital
bill or an emergency, decided by an official other than the claimant and paid from the fund,
which may never go negative nor promise M-Pesa more than it holds.

A chama with an adopted constitution has a ``WelfarePolicy``: a claim type with a fixed amount
is claimed for exactly that amount, and no claim is approved or paid from the buffer the fund
keeps back. A chama without one decides every amount and keeps nothing back."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart, notifications
from finance.choices import EntryType, WelfareClaimStatus, WelfareClaimType
from finance.exceptions import FinanceError
from finance.gateways import PAYOUT_GATEWAYS, PayoutGateway, TransferKind
from finance.locks import ledger_accounts_lock, membership_lock, welfare_claim_lock
from finance.models import LedgerAccount, WelfareClaim, WelfarePolicy
from finance.services.in_flight import (
    in_flight_account,
    transfer_outcome_post,
    transfer_return,
    transfer_send,
)
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from groups.approvals import signature_add
from groups.choices import ApprovalKind, MembershipStatus, SignatureDecision
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import acting_for, official_check

DESCRIPTION_MAX = 2000
NOTE_MAX = 255
DESTINATION_MAX = 64


def welfare_fund_available(fund: LedgerAccount) -> Decimal:
    """What the fund can pay out: its balance (3200 is equity, credit-normal: its credits) less
    the claims in flight, which it pays once M-Pesa confirms them. Read under the fund's lock
    when money depends on it: claims go in flight only while it is held."""
    in_flight = WelfareClaim.objects.filter(
        chama_id=fund.chama_id, status=WelfareClaimStatus.IN_FLIGHT
    ).aggregate(total=Sum("amount"))["total"]
    return -fund.cached_balance - money(in_flight or ZERO)


def welfare_policy_get(*, chama: Chama) -> WelfarePolicy | None:
    """The chama's welfare policy; None while it has adopted no constitution."""
    return WelfarePolicy.objects.filter(chama=chama).first()


def welfare_fund_buffer(policy: WelfarePolicy | None) -> Decimal:
    return policy.buffer if policy is not None else ZERO


def welfare_fund_claimable(available: Decimal, policy: WelfarePolicy | None) -> Decimal:
    """What claims can use of ``available`` (``welfare_fund_available``): all of it less the
    buffer the constitution keeps back, never below zero."""
    return max(available - welfare_fund_buffer(policy), ZERO)


def _buffer_check(
    *, chama: Chama, claim: WelfareClaim, available: Decimal, policy: WelfarePolicy | None
) -> None:
    """409 ``welfare_buffer`` when paying ``claim`` would take the fund into its buffer."""
    buffer = welfare_fund_buffer(policy)
    if buffer > ZERO and available - buffer < claim.amount:
        raise ConflictError(
            FinanceError.WELFARE_BUFFER,
            currency=chama.currency,
            buffer=f"{buffer:,}",
            claimable=f"{welfare_fund_claimable(available, policy):,}",
            available=f"{available:,}",
            requested=f"{claim.amount:,}",
        )


def _claim_amount(*, chama: Chama, claim_type: str, amount: Decimal | None) -> Decimal:
    """The amount a claim of ``claim_type`` is for: the constitution's fixed figure (an
    omitted amount takes it, another is refused), or the amount the claimant names."""
    policy = welfare_policy_get(chama=chama)
    fixed = policy.fixed_amount(claim_type) if policy is not None else None
    label = WelfareClaimType(claim_type).label.lower()
    if fixed is None:
        if amount is None:
            raise ValidationFailed(
                FinanceError.WELFARE_AMOUNT_REQUIRED, claim_type=label, field="amount"
            )
        return _clean_amount(amount)
    if amount is not None and amount != fixed:
        raise ValidationFailed(
            FinanceError.WELFARE_AMOUNT_FIXED,
            currency=chama.currency,
            fixed=f"{fixed:,}",
            requested=f"{amount:,}" if amount.is_finite() else str(amount),
            claim_type=label,
            field="amount",
        )
    return fixed


def _clean_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= ZERO or amount > MAX_AMOUNT or money(amount) != amount:
        raise ValidationFailed(
            FinanceError.WELFARE_INVALID_AMOUNT, maximum=f"{MAX_AMOUNT:,}", field="amount"
        )
    return money(amount)


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(FinanceError.WELFARE_TEXT_TOO_LONG, limit=f"{limit:,}", field=field)
    return value


@durable
def welfare_claim_submit(
    *,
    chama: Chama,
    acting: Membership,
    membership: Membership | None = None,
    claim_type: str,
    amount: Decimal | None = None,
    description: str,
) -> WelfareClaim:
    """A member claims for themselves, or an official claims for a member. Nothing is posted
    until the claim is approved and paid. The amount is the constitution's for the claim type
    when it fixes one (``amount`` left out takes it; another is ``welfare_amount_fixed``),
    else ``amount``, which is then required."""
    if membership is not None and membership.chama_id != chama.pk:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    membership = acting_for(acting, membership, refused=FinanceError.WELFARE_OWN_CLAIMS_ONLY)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(FinanceError.WELFARE_MEMBER_NOT_ACTIVE, field="member_id")
    if claim_type not in WelfareClaimType.values:
        raise ValidationFailed(FinanceError.WELFARE_INVALID_TYPE, field="claim_type")
    claim = WelfareClaim.objects.create(
        chama=chama,
        membership=membership,
        claim_type=claim_type,
        amount=_claim_amount(chama=chama, claim_type=claim_type, amount=amount),
        description=_clean_text(description, limit=DESCRIPTION_MAX, field="description"),
        submitted_by=acting.user,
    )
    notifications.approval_awaiting(
        chama_id=chama.pk,
        subject="A welfare claim",
        amount=claim.amount,
        makers=[membership.pk, acting.pk],
        key=f"approval_awaiting:welfare:{claim.pk}",
    )
    return claim


def _approval_buffer_check(claim: WelfareClaim) -> None:
    """An approval the fund could only pay from its buffer would promise money the
    constitution keeps back: refused (409 ``welfare_buffer``, the signature undone with it).
    Paying checks again under the fund's lock; without a buffer approving reads no balance."""
    policy = welfare_policy_get(chama=claim.chama)
    if welfare_fund_buffer(policy) > ZERO:
        fund = ledger_account_get(chama=claim.chama, code=chart.WELFARE_FUND)
        _buffer_check(
            chama=claim.chama, claim=claim, available=welfare_fund_available(fund), policy=policy
        )


def _decide(claim: WelfareClaim, *, acting: Membership, decision: str, note: str) -> WelfareClaim:
    """Record an official's signature on a claim (its row lock held): approved once the
    signatures the chama's rule asks for are in (one by default), rejected by any rejection."""
    if claim.status != WelfareClaimStatus.SUBMITTED:
        raise ConflictError(FinanceError.WELFARE_NOT_SUBMITTED, status=claim.status)
    # Maker-checker: neither the claimant nor the official who filed the claim for them.
    signed = signature_add(
        acting=acting,
        chama=claim.chama,
        kind=ApprovalKind.WELFARE,
        target_id=claim.pk,
        decision=decision,
        comment=note,
        amount=claim.amount,
        refused=FinanceError.WELFARE_OFFICIALS_ONLY,
        makers=(claim.membership.user_id, claim.submitted_by_id),
        maker_refused=FinanceError.WELFARE_SAME_OFFICIAL,
    )
    if signed.rejected:
        claim.status = WelfareClaimStatus.REJECTED
    elif signed.approved:
        _approval_buffer_check(claim)
        claim.status = WelfareClaimStatus.APPROVED
    else:
        return claim
    claim.decided_by_id = acting.user_id
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return claim


@durable
def welfare_claim_approve(
    *, claim: WelfareClaim, acting: Membership, note: str = ""
) -> WelfareClaim:
    """An official other than the claimant signs the approval: once the chama's rule has its
    signatures (one by default) the claim may be paid; until then it stays submitted."""
    note = _clean_text(note, limit=NOTE_MAX, field="note")
    return _decide(
        welfare_claim_lock(claim.pk),
        acting=acting,
        decision=SignatureDecision.APPROVE,
        note=note,
    )


@durable
def welfare_claim_reject(*, claim: WelfareClaim, acting: Membership, note: str) -> WelfareClaim:
    """An official other than the claimant rejects, saying why."""
    note = _clean_text(note, limit=NOTE_MAX, field="note")
    if not note:
        raise ValidationFailed(FinanceError.WELFARE_NOTE_REQUIRED, field="note")
    return _decide(
        welfare_claim_lock(claim.pk),
        acting=acting,
        decision=SignatureDecision.REJECT,
        note=note,
    )


def _welfare_gateway(method: str) -> PayoutGateway:
    gateway = PAYOUT_GATEWAYS.get(method)
    if gateway is None:
        raise ValidationFailed(FinanceError.METHOD_UNAVAILABLE, method=method, field="method")
    return gateway


@durable
def welfare_claim_pay(
    *, claim: WelfareClaim, acting: Membership, method: str, destination: str = ""
) -> WelfareClaim:
    """An official pays an approved claim from the fund. By hand (cash, bank): Dr 3200 welfare
    fund, Cr the account the money leaves from, and the claim is paid. Through a two-phase
    gateway (M-Pesa B2C): Dr payouts in flight, Cr the paybill; the claim is ``in_flight`` and
    the transfer sent on commit, until ``welfare_claim_settle`` or ``welfare_claim_fail``.
    Refused (``insufficient_funds``, nothing written) when the fund less the claims in flight
    holds less than the claim, also when two payments race for the last of it, and
    (``welfare_buffer``) when paying it would leave less than the constitution's buffer."""
    # The claimant first, as finance.locks orders it. The entry names them, and PostgreSQL's
    # foreign-key check (FOR KEY SHARE) waits for a contribution of theirs that holds their
    # membership FOR UPDATE; that contribution in turn waits for the fund and cash accounts,
    # which this payment would already hold: a deadlock, unless we queue here first.
    membership_lock(claim.membership_id)
    claim = welfare_claim_lock(claim.pk)
    chama = claim.chama
    if claim.status != WelfareClaimStatus.APPROVED:
        raise ConflictError(FinanceError.WELFARE_NOT_APPROVED, status=claim.status)
    official_check(acting, chama_id=chama.pk, refused=FinanceError.WELFARE_OFFICIALS_ONLY)
    gateway = _welfare_gateway(method)
    destination = (
        _clean_text(destination, limit=DESTINATION_MAX, field="destination")
        or claim.membership.receive_phone
    )
    fund = ledger_account_get(chama=chama, code=chart.WELFARE_FUND)
    source = ledger_account_get(chama=chama, code=gateway.source_code)
    # Lock every account the payment moves — and the fund, which a two-phase payment does not
    # move yet but commits — in pk order, before reading the fund: a racing payment waits here
    # and then reads this one's debit or its claim in flight. Locking the fund alone would
    # leave ledger_post to lock the others afterwards, out of pk order, and risk a deadlock
    # with a contribution that holds the source and waits for the fund.
    moved = [fund, source, in_flight_account(chama)] if gateway.two_phase else [fund, source]
    ledger_accounts_lock(account.pk for account in moved)
    fund.refresh_from_db(fields=["cached_balance"])
    available = welfare_fund_available(fund)
    if available < claim.amount:
        raise ConflictError(
            FinanceError.WELFARE_INSUFFICIENT_FUNDS,
            currency=chama.currency,
            available=f"{available:,}",
            requested=f"{claim.amount:,}",
        )
    _buffer_check(
        chama=chama, claim=claim, available=available, policy=welfare_policy_get(chama=chama)
    )
    memo = (
        f"Welfare: {claim.get_claim_type_display().lower()} claim of "
        f"{claim.membership.member_code} ({destination})"
    )
    if gateway.two_phase:
        sent = transfer_send(
            gateway=gateway,
            chama=chama,
            source=source,
            kind=TransferKind.WELFARE,
            object_id=claim.pk,
            amount=claim.amount,
            destination=destination,
            remarks=f"Welfare: {claim.get_claim_type_display().lower()}",
            entry_type=EntryType.WELFARE_IN_FLIGHT,
            memo=memo,
            member=claim.membership,
            recorded_by=acting.user,
        )
        claim.status = WelfareClaimStatus.IN_FLIGHT
        claim.transfer_reference = sent.reference
        claim.transfer_entry = sent.entry
        claim.failure_reason = ""
    else:
        claim.paid_entry = ledger_post(
            chama=chama,
            entry_type=EntryType.WELFARE_PAYOUT,
            lines=[debit(fund, claim.amount), credit(source, claim.amount)],
            memo=memo,
            member=claim.membership,
            idempotency_key=f"welfare:{claim.pk}:paid",
            recorded_by=acting.user,
        )
        claim.status = WelfareClaimStatus.PAID
        claim.paid_at = timezone.now()
    claim.paid_by_id = acting.user_id
    claim.payout_method = gateway.method
    claim.destination = destination
    claim.save(
        update_fields=[
            "status",
            "paid_by",
            "paid_at",
            "payout_method",
            "destination",
            "paid_entry",
            "transfer_reference",
            "transfer_entry",
            "failure_reason",
            "updated_at",
        ]
    )
    return claim


def _claim_in_flight(claim: WelfareClaim) -> WelfareClaim:
    membership_lock(claim.membership_id)  # the claimant first, as for paying
    claim = welfare_claim_lock(claim.pk)
    if claim.status != WelfareClaimStatus.IN_FLIGHT:
        raise ConflictError(FinanceError.WELFARE_NOT_IN_FLIGHT, status=claim.status)
    return claim


@durable
def welfare_claim_settle(*, claim: WelfareClaim, receipt: str) -> WelfareClaim:
    """The provider confirmed: the fund pays the claim (Dr 3200 welfare fund, Cr payouts in
    flight) and it is paid. A claim not in flight (a repeated answer) is
    ``claim_not_in_flight``."""
    claim = _claim_in_flight(claim)
    chama = claim.chama
    claim.paid_entry = transfer_outcome_post(
        chama=chama,
        reference=claim.transfer_reference,
        entry_type=EntryType.WELFARE_PAYOUT,
        lines=[
            debit(ledger_account_get(chama=chama, code=chart.WELFARE_FUND), claim.amount),
            credit(in_flight_account(chama), claim.amount),
        ],
        memo=f"Welfare: {claim.get_claim_type_display().lower()} claim of "
        f"{claim.membership.member_code} received",
        member=claim.membership,
        receipt=receipt,
    )
    claim.status = WelfareClaimStatus.PAID
    claim.paid_at = timezone.now()
    claim.transfer_receipt = receipt or None
    claim.save(update_fields=["status", "paid_at", "paid_entry", "transfer_receipt", "updated_at"])
    return claim


@durable
def welfare_claim_fail(*, claim: WelfareClaim, reason: str) -> WelfareClaim:
    """The provider refused: the money is back where it left (Dr the paybill, Cr payouts in
    flight), the fund no longer holds it for the claim, and the claim is approved again. A
    claim not in flight (a repeated answer) is ``claim_not_in_flight``."""
    claim = _claim_in_flight(claim)
    transfer_return(
        sent=claim.transfer_entry,
        reference=claim.transfer_reference,
        entry_type=EntryType.WELFARE_FAILED,
        memo=f"Welfare claim of {claim.membership.member_code} not sent: {reason}",
        member=claim.membership,
    )
    claim.status = WelfareClaimStatus.APPROVED
    claim.paid_by = None
    claim.failure_reason = reason[:255]
    claim.save(update_fields=["status", "paid_by", "failure_reason", "updated_at"])
    return claim
