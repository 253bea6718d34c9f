"""Issuing fines: one by an official's hand, or many at once for the rules' daily job.

Issued, a fine is income the chama is owed: ``Dr 1120-M fines receivable · Cr 4200 fines
and penalties income``."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import uuid4

from core.audit import audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from finance import chart, notifications
from finance.choices import EntryType, FineKind
from finance.exceptions import FineError
from finance.models import Fine, LedgerAccount
from finance.models.fines import RULE_PERIOD_MAX
from finance.services.ledger import credit, debit, ledger_accounts_get, ledger_post
from finance.services.ledger_bulk import BulkKey, EntryDraft, ledger_accounts_bulk, ledger_post_many
from groups.choices import MembershipStatus
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.rules import official_check

REASON_MAX = 255


def fine_amount_clean(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= ZERO or amount > MAX_AMOUNT or money(amount) != amount:
        raise ValidationFailed(FineError.INVALID_AMOUNT, maximum=f"{MAX_AMOUNT:,}", field="amount")
    return money(amount)


def fine_reason_clean(reason: str, *, required: FineError, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(required, field=field)
    if len(reason) > REASON_MAX:
        raise ValidationFailed(FineError.TEXT_TOO_LONG, limit=REASON_MAX, field=field)
    return reason


def _issue_key(membership_id: object, kind: str, period: str) -> str:
    return f"fine:{membership_id}:{kind}:{period}"


@durable
def fine_issue(
    *, chama: Chama, acting: Membership, membership: Membership, amount: Decimal, reason: str
) -> Fine:
    """An official fines an active member of the chama, saying why."""
    official_check(acting, chama_id=chama.pk, refused=FineError.OFFICIALS_ISSUE)
    if membership.chama_id != chama.pk:
        raise ValidationFailed(GroupsError.UNKNOWN_MEMBER, field="member_id")
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationFailed(FineError.MEMBER_NOT_ACTIVE, field="member_id")
    amount = fine_amount_clean(amount)
    reason = fine_reason_clean(reason, required=FineError.REASON_REQUIRED)
    receivable = (chart.FINES_RECEIVABLE, membership, None)
    income = (chart.FINES_INCOME, None, None)
    accounts = ledger_accounts_get(chama=chama, keys=[receivable, income])
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.FINE,
        lines=[debit(accounts[receivable], amount), credit(accounts[income], amount)],
        memo=f"Fine on {membership.member_code}: {reason}",
        member=membership,
        recorded_by=acting.user,
    )
    fine = Fine.objects.create(
        chama=chama,
        membership=membership,
        kind=FineKind.MANUAL,
        amount=amount,
        reason=reason,
        issued_by=acting.user,
        issued_entry=entry,
    )
    notifications.fine_issued(fine)
    return fine


@dataclass(frozen=True)
class FineToIssue:
    """A rule fine to issue (``membership`` with its chama): at most one per
    (member, kind, period) ever exists."""

    membership: Membership
    kind: FineKind
    period: str
    amount: Decimal
    reason: str
    effective_date: date | None = None


def _draft(item: FineToIssue) -> Fine:
    if item.kind == FineKind.MANUAL or not 0 < len(item.period) <= RULE_PERIOD_MAX:
        raise ValueError(f"a rule fine names its kind and period: {item.kind} {item.period!r}")
    return Fine(
        id=uuid4(),
        chama_id=item.membership.chama_id,
        membership=item.membership,
        kind=item.kind,
        period=item.period,
        amount=fine_amount_clean(item.amount),
        reason=item.reason.strip()[:REASON_MAX] or item.kind.label,
        # The entry is posted below, once we know the fine was new: the foreign key is
        # checked at commit (Django declares it DEFERRABLE INITIALLY DEFERRED).
        issued_entry_id=uuid4(),
    )


@durable
def fines_issue_bulk(*, fines: Sequence[FineToIssue]) -> list[Fine]:
    """Issue rule fines over any number of chamas, each once per (member, kind, period):
    those already issued are skipped (the partial unique index, INSERT … ON CONFLICT DO
    NOTHING), so running a job again issues nothing twice. Returns the fines it created.

    Set-based: the fines are inserted with ids we chose, and the ones that read back under
    those ids are the ones this call created (a skipped one exists under another id); only
    they are posted, one entry each. A constant number of statements however many fines."""
    unique: dict[tuple[object, str, str], FineToIssue] = {}
    for item in fines:
        unique.setdefault((item.membership.pk, item.kind, item.period), item)
    drafts = [_draft(item) for item in unique.values()]
    if not drafts:
        return []
    with audited_by_caller():
        Fine.objects.bulk_create(drafts, ignore_conflicts=True)
    new_ids = set(Fine.objects.filter(pk__in=[d.pk for d in drafts]).values_list("pk", flat=True))
    created = [d for d in drafts if d.pk in new_ids]
    dates = {d.pk: item.effective_date for d, item in zip(drafts, unique.values(), strict=True)}
    keys: set[BulkKey] = {(f.chama_id, chart.FINES_RECEIVABLE, f.membership_id) for f in created}
    keys |= {(f.chama_id, chart.FINES_INCOME, None) for f in created}
    accounts = ledger_accounts_bulk(keys)

    def receivable(fine: Fine) -> LedgerAccount:
        return accounts[(fine.chama_id, chart.FINES_RECEIVABLE, fine.membership_id)]

    ledger_post_many(
        drafts=[
            EntryDraft(
                id=f.issued_entry_id,
                chama=f.membership.chama,
                entry_type=EntryType.FINE,
                lines=[
                    debit(
                        accounts[(f.chama_id, chart.FINES_RECEIVABLE, f.membership_id)], f.amount
                    ),
                    credit(accounts[(f.chama_id, chart.FINES_INCOME, None)], f.amount),
                ],
                member=f.membership,
                memo=f"Fine on {f.membership.member_code}: {f.reason}",
                effective_date=dates[f.pk],
                idempotency_key=_issue_key(f.membership_id, f.kind, f.period),
            )
            for f in created
        ]
    )
    audit_write(created=created)
    for fine in created:
        notifications.fine_issued(fine)
    return created
