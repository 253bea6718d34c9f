"""Reads of the ledger, members' compliance, loans, suspense and transfers. A round's summary is
read by `finance.rounds`, a member's position by `finance.positions`."""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from core.exceptions import ConflictError, ValidationFailed
from core.money import DECIMAL_PLACES, MAX_DIGITS, ZERO, money
from finance.choices import (
    DEBIT_NORMAL_TYPES,
    REPAYING_LOAN_STATUSES,
    SETTLED_DUE_STATUSES,
    UNPAID_FINE_STATUSES,
    Side,
)
from finance.exceptions import FinanceError
from finance.loan_math import InstallmentStanding, Payoff, loan_payoff
from finance.models import (
    Contribution,
    Cycle,
    Due,
    Fine,
    Guarantee,
    Installment,
    JournalEntry,
    LedgerAccount,
    LedgerTransfer,
    Loan,
    LoanRepayment,
    Payout,
    Round,
    SuspenseReceipt,
    WelfareClaim,
)
from groups.models import Chama, Membership, MembershipQuerySet

# The officials' signatures of an object awaiting approval (groups.approvals.TargetSignatures,
# an attribute the type checker's Django plugin does not know for a relation).
SIGNATURES: str = "signatures"
MONEY_OUTPUT = DecimalField(max_digits=MAX_DIGITS + 4, decimal_places=DECIMAL_PLACES)


def posted_balance_expression(prefix: str = "postings__") -> Coalesce:
    """Σ debits - Σ credits of an account's postings, computed by the database."""
    return Coalesce(
        Sum(
            Case(
                When(**{f"{prefix}side": Side.DEBIT}, then=F(f"{prefix}amount")),
                default=-F(f"{prefix}amount"),
                output_field=MONEY_OUTPUT,
            )
        ),
        Value(ZERO),
        output_field=MONEY_OUTPUT,
    )


def normal_balance(account: LedgerAccount, signed: Decimal) -> Decimal:
    """A debit-positive balance shown the way the account's type reads (credits for a liability)."""
    return signed if account.type in DEBIT_NORMAL_TYPES else -signed


# Ledger account ids by (owner id, code), the owner a chama, a member or a round. An account
# never changes chama, code or owner and is never deleted (PostgreSQL's triggers, the
# postings' PROTECT), so an id stays right once the transaction that read or opened it has
# committed; it is only remembered then. Payments then find their accounts without reading
# them: the statement that used to read ten account ids with its lock cost more to build than
# the rest of the payment's statements together, and a round's pot, read with its dues, cost
# the dues' read a subquery per due.
_COMMITTED_ACCOUNT_IDS: dict[tuple[UUID, str], UUID] = {}
ACCOUNT_ID_CACHE_LIMIT = 500_000


def account_ids_remember(accounts: Iterable[LedgerAccount]) -> None:
    """Remember these accounts' ids once the open transaction commits."""
    pairs = {
        (a.member_id or a.round_id or a.chama_id, a.code): a.pk
        for a in accounts
        if a.holding_id is None  # a holding's account is found through its holding
    }
    if not pairs:
        return

    def remember() -> None:
        if len(_COMMITTED_ACCOUNT_IDS) > ACCOUNT_ID_CACHE_LIMIT:
            _COMMITTED_ACCOUNT_IDS.clear()
        _COMMITTED_ACCOUNT_IDS.update(pairs)

    transaction.on_commit(remember)


def posting_account_id(owner: Model, code: str) -> UUID | None:
    """The id of ``owner``'s (a chama's, a member's or a round's) account ``code`` when a
    committed transaction read or opened it."""
    return _COMMITTED_ACCOUNT_IDS.get((owner.pk, code))


def ledger_account_list(*, chama: Chama) -> QuerySet[LedgerAccount]:
    return LedgerAccount.objects.filter(chama=chama).order_by("code", "created_at", "id")


def trial_balance_get(*, chama: Chama) -> Decimal:
    """Σ debits - Σ credits over every account of the chama: zero in a sound ledger."""
    total = LedgerAccount.objects.filter(chama=chama).aggregate(
        total=Coalesce(Sum("cached_balance"), Value(ZERO), output_field=MONEY_OUTPUT)
    )["total"]
    # SQLite sums decimals as floats (-9.1e-15 for zero): every amount is in cents, so
    # rounding to the cent gives the exact sum on every database.
    return money(total)


def contribution_list(*, chama: Chama) -> "QuerySet[Contribution]":
    return Contribution.objects.filter(chama=chama).select_related("membership__user")


def journal_entry_list(*, chama: Chama) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(chama=chama)
        .select_related("member__user", "recorded_by", "reverses")
        .prefetch_related("postings__account")
        .order_by("-effective_date", "-created_at")
    )


def membership_list_with_compliance(
    memberships: MembershipQuerySet, today: date
) -> MembershipQuerySet:
    """Add ``compliance_rate``: dues settled ÷ dues fallen due by ``today`` (0.0 when none has),
    computed on read by the database. Each member's own dues are counted in one subquery (on
    the member's index) that divides the two counts itself, which PostgreSQL evaluates only
    for the rows of the page after the sort and limit: a join would aggregate every due of the
    chama on every request, and a subquery per count ran three (the fallen count twice)."""
    fallen = Due.objects.filter(membership=OuterRef("pk"), due_date__lte=today)
    rate = (
        fallen.order_by()
        .values("membership")
        .annotate(
            rate=Cast(Count("pk", filter=Q(status__in=SETTLED_DUE_STATUSES)), FloatField())
            / Cast(Count("pk"), FloatField())
        )
        .values("rate")
    )
    # No due fallen yet: no group, so no row, and the rate is 0.0.
    return memberships.annotate(
        compliance_rate=Coalesce(Subquery(rate, output_field=FloatField()), Value(0.0))
    )


def _per_loan_sum(rows: "QuerySet[Any]", total: F | Any) -> Coalesce:
    """Σ ``total`` over the loan's ``rows`` (installments, repayments), as a subquery: a join
    would make the list's count group every loan of the chama."""
    summed = (
        rows.filter(loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(total=Sum(total))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=MONEY_OUTPUT), Value(ZERO))


def loan_list(*, chama: Chama) -> "QuerySet[Loan]":
    """The chama's loans with their derived figures (``loans_with_figures``)."""
    return loans_with_figures().filter(chama=chama)


@functools.cache
def loans_with_figures() -> "QuerySet[Loan]":
    """Loans with their derived figures, computed by the database in the list's one query:
    ``total_repayable`` (installments + penalties charged - interest waived on an early payoff)
    and ``total_interest`` — from the application on, the schedule it was quoted —,
    ``amount_repaid`` (what the borrower's repayments paid, less excess: the installments'
    part and what went back to the guarantors), and ``outstanding``, owed only once the
    borrower has the money (an active or defaulted loan; nothing before, nothing once repaid
    or written off) — what recovery took from the guarantors stays owed, to them.

    Built once and filtered per request: resolving the figures' subqueries cost more than
    compiling the page's query. A QuerySet is copied by every filter and never evaluated here,
    so the one built is shared safely."""
    repayable = F("total") + F("penalty_charged") - F("interest_waived")
    repaid = F("amount") - F("excess")
    owed = F("total_repayable") - F("amount_repaid")
    installments = Installment.objects.all()
    return (
        Loan.objects.select_related("membership__user")
        .annotate(
            total_repayable=_per_loan_sum(installments, repayable),
            total_interest=_per_loan_sum(installments, F("interest") - F("interest_waived")),
            amount_repaid=_per_loan_sum(LoanRepayment.objects.all(), repaid),
        )
        .annotate(
            outstanding=Case(
                When(status__in=REPAYING_LOAN_STATUSES, then=owed),
                default=Value(ZERO),
                output_field=MONEY_OUTPUT,
            )
        )
        .order_by("-created_at")
    )


def loan_detail_list(*, chama: Chama) -> "QuerySet[Loan]":
    """The loan list's rows with each loan's schedule, guarantors and signatures, for one
    loan's page."""
    return (
        loan_list(chama=chama)
        .select_related("chama")
        .prefetch_related(
            Prefetch("installments", queryset=Installment.objects.order_by("number")),
            Prefetch("guarantees", queryset=Guarantee.objects.select_related("guarantor__user")),
            SIGNATURES,
        )
    )


def loan_target_list(*, chama: Chama) -> "QuerySet[Loan]":
    """The chama's loans as an action finds the one it acts on (its figures are re-read
    after the action, through ``loan_detail_list``)."""
    return Loan.objects.filter(chama=chama)


def loan_repayment_target_list(*, chama: Chama) -> "QuerySet[LoanRepayment]":
    return LoanRepayment.objects.filter(loan__chama=chama)


def guarantee_get(*, loan: Loan, guarantee_id: str) -> "Guarantee | None":
    return Guarantee.objects.filter(loan=loan, pk=guarantee_id).first()


def loan_repayment_list(*, loan: Loan) -> "QuerySet[LoanRepayment]":
    return loan.repayments.order_by("-paid_at")


def loan_repayable_get(*, membership: Membership) -> Loan | None:
    """The member's loan that takes repayments (active or defaulted), if any."""
    return Loan.objects.filter(membership=membership, status__in=REPAYING_LOAN_STATUSES).first()


def fines_unpaid_exist(*, membership: Membership) -> bool:
    """Whether the member has a fine left to pay (what the paybill's ``F`` account settles)."""
    return Fine.objects.filter(membership=membership, status__in=UNPAID_FINE_STATUSES).exists()


def suspense_receipt_list(*, chama: Chama) -> "QuerySet[SuspenseReceipt]":
    """The chama's unidentified receipts, newest first, with whom each was assigned to."""
    return (
        SuspenseReceipt.objects.filter(chama=chama)
        .select_related("membership__user", "assigned_by")
        .order_by("-paid_at", "-created_at")
    )


def cycle_list(*, chama: Chama) -> "QuerySet[Cycle]":
    """The chama's cycles, newest first, each with its rounds and their recipients."""
    rounds = Round.objects.select_related("recipient__user").order_by("number")
    return (
        Cycle.objects.filter(chama=chama)
        .prefetch_related(Prefetch("rounds", queryset=rounds))
        .order_by("-number")
    )


def round_list(*, chama: Chama) -> "QuerySet[Round]":
    return Round.objects.filter(chama=chama).select_related("cycle", "recipient__user")


def payout_list(*, chama: Chama) -> "QuerySet[Payout]":
    """The chama's payouts with their recipients, who requested and decided them, and the
    officials' signatures."""
    return (
        Payout.objects.filter(chama=chama)
        .select_related("chama", "recipient__user", "requested_by", "decided_by")
        .prefetch_related(SIGNATURES)
    )


def welfare_claim_list(*, chama: Chama) -> "QuerySet[WelfareClaim]":
    """The chama's welfare claims, newest first, with who claimed, decided and paid."""
    return (
        WelfareClaim.objects.filter(chama=chama)
        .select_related("chama", "membership__user", "submitted_by", "decided_by", "paid_by")
        .prefetch_related(SIGNATURES)
        .order_by("-created_at", "-id")
    )


def loan_payoff_get(
    *,
    loan: Loan,
    on: date,
    installments: Sequence[Installment] | None = None,
    guarantors_owed: Decimal | None = None,
) -> Payoff:
    """What settles ``loan`` in full if paid on ``on``, itemised: what the guarantors are
    owed for what recovery took, penalties and principal outstanding, the interest due under
    the loan's own early-repayment rule and the interest it waives (loan_math.loan_payoff),
    interest accruing from the disbursement. ``installments`` (all of the loan's, oldest
    first) and ``guarantors_owed``: when the caller has them already."""
    if loan.status not in REPAYING_LOAN_STATUSES or loan.disbursed_at is None:
        raise ConflictError(FinanceError.PAYOFF_NOT_REPAYING, status=loan.status)
    disbursed = timezone.localdate(loan.disbursed_at)
    if on < disbursed:
        raise ValidationFailed(
            FinanceError.PAYOFF_BEFORE_DISBURSEMENT, disbursed=disbursed, date=on, field="date"
        )
    if installments is None:
        installments = list(loan.installments.order_by("number"))
    if guarantors_owed is None:
        guarantors_owed = loan.guarantees.aggregate(
            owed=Coalesce(Sum(F("recovered") - F("refunded")), Value(ZERO))
        )["owed"]
    payoff = loan_payoff(
        rule=loan.early_repayment,
        method=loan.interest_method,
        principal=loan.principal,
        rate=loan.interest_rate,
        rate_period=loan.interest_rate_period,
        rebate_percent=loan.early_repayment_rebate_percent,
        installments=[
            InstallmentStanding(
                number=i.number,
                due_date=i.due_date,
                interest=i.interest - i.interest_waived,
                interest_paid=i.paid_interest,
                principal_owed=i.unpaid_principal,
                penalty_owed=i.unpaid_penalty,
            )
            for i in installments
        ],
        accrues_from=disbursed,
        on=on,
    )
    return replace(payoff, guarantors=money(guarantors_owed))


def ledger_transfer_list(*, chama: Chama) -> "QuerySet[LedgerTransfer]":
    """The chama's transfers between its own accounts, newest first, with who requested and
    who decided each."""
    return (
        LedgerTransfer.objects.filter(chama=chama)
        .select_related("chama", "requested_by", "decided_by")
        .prefetch_related(SIGNATURES)
        .order_by("-created_at", "-id")
    )
