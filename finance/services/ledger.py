"""The one writer of ledger rows: journal entries, their postings and the balance cache."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from accounts.models import User
from core.exceptions import ConflictError, ValidationFailed
from core.money import CENT, ZERO, money
from finance import exceptions as msg
from finance.chart import CHART, SPECS
from finance.choices import AccountScope, EntryType, Side
from finance.locks import ledger_accounts_lock
from finance.models import JournalEntry, LedgerAccount, Posting, Round
from finance.selectors import posted_balance_expression
from groups.models import Chama, Membership

HALF_CENT = CENT / 2


@dataclass(frozen=True)
class Line:
    account: LedgerAccount
    side: Side
    amount: Decimal


def debit(account: LedgerAccount, amount: Decimal) -> Line:
    return Line(account, Side.DEBIT, amount)


def credit(account: LedgerAccount, amount: Decimal) -> Line:
    return Line(account, Side.CREDIT, amount)


def ledger_chart_open(*, chama: Chama) -> list[LedgerAccount]:
    """Create the chama-wide accounts of the chart; sub-accounts open when first used."""
    accounts = [
        LedgerAccount(chama=chama, code=spec.code, name=spec.name, type=spec.type)
        for spec in CHART
        if spec.scope == AccountScope.CHAMA
    ]
    return LedgerAccount.objects.bulk_create(accounts, ignore_conflicts=True)


def ledger_account_get(
    *,
    chama: Chama,
    code: str,
    member: Membership | None = None,
    round: Round | None = None,
) -> LedgerAccount:
    """The chama's account with this code (its member or round sub-account when scoped)."""
    spec = SPECS[code]
    if (spec.scope == AccountScope.MEMBER) != (member is not None) or (
        spec.scope == AccountScope.ROUND
    ) != (round is not None):
        raise ValueError(f"account {code} is {spec.scope}-scoped")
    name = spec.name
    if member is not None:
        name = f"{spec.name} — {member.member_code}"
    elif round is not None:
        name = f"{spec.name} — round {round.cycle.number}.{round.number}"
    account, _ = LedgerAccount.objects.get_or_create(
        chama=chama,
        code=code,
        member=member,
        round=round,
        defaults={"name": name, "type": spec.type},
    )
    return account


def request_hash(payload: dict[str, Any]) -> str:
    """A stable fingerprint of a money request, to tell a replay from a different request."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_lines(chama: Chama, lines: list[Line]) -> None:
    """The rules PostgreSQL's triggers enforce, checked in Python for every database."""
    for line in lines:
        if line.amount <= ZERO or money(line.amount) != line.amount:
            raise ValidationFailed(msg.NON_POSITIVE_AMOUNT, code="invalid_amount")
        if line.account.chama_id != chama.pk:
            raise ValidationFailed(msg.FOREIGN_ACCOUNT, code="foreign_account")
    if len(lines) < 2:
        raise ValidationFailed(msg.TOO_FEW_POSTINGS, code="unbalanced_entry")
    debits = sum((line.amount for line in lines if line.side == Side.DEBIT), ZERO)
    credits = sum((line.amount for line in lines if line.side == Side.CREDIT), ZERO)
    if debits != credits:
        raise ValidationFailed(
            msg.UNBALANCED_ENTRY.format(debits=debits, credits=credits), code="unbalanced_entry"
        )


def _update_balance_cache(lines: list[Line]) -> None:
    deltas: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        deltas[line.account.pk] += line.amount if line.side == Side.DEBIT else -line.amount
    account_ids = sorted(deltas)
    # Lock in pk order so two entries touching the same accounts can never deadlock, then
    # apply every delta in one statement.
    ledger_accounts_lock(account_ids)
    LedgerAccount.objects.filter(pk__in=account_ids).update(
        cached_balance=F("cached_balance")
        + Case(*[When(pk=pk, then=Value(deltas[pk])) for pk in account_ids], default=Value(ZERO))
    )


def ledger_post(
    *,
    chama: Chama,
    entry_type: EntryType,
    lines: Iterable[Line],
    effective_date: date | None = None,
    memo: str = "",
    member: Membership | None = None,
    idempotency_key: str | None = None,
    request_hash: str = "",
    external_source: str = "",
    external_ref: str | None = None,
    reverses: JournalEntry | None = None,
    recorded_by: User | None = None,
) -> JournalEntry:
    """Post one balanced journal entry. Zero-amount lines are dropped (an empty split part).

    Runs inside the calling service's transaction, which owns locking and idempotency.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_post must run inside the calling service's transaction")
    posted = [line for line in lines if line.amount != ZERO]
    _check_lines(chama, posted)
    entry = JournalEntry.objects.create(
        chama=chama,
        entry_type=entry_type,
        effective_date=effective_date or timezone.localdate(),
        memo=memo[:255],
        member=member,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        external_source=external_source,
        external_ref=external_ref,
        reverses=reverses,
        recorded_by=recorded_by,
    )
    Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=line.account, side=line.side, amount=line.amount)
            for line in posted
        ]
    )
    _update_balance_cache(posted)
    return entry


def ledger_mirror_lines(entry: JournalEntry) -> list[Line]:
    """The legs of ``entry`` with debits and credits swapped: what undoes it."""
    return [
        Line(p.account, Side.CREDIT if p.side == Side.DEBIT else Side.DEBIT, p.amount)
        for p in entry.postings.select_related("account")
    ]


def ledger_reverse(
    *,
    entry: JournalEntry,
    recorded_by: User | None = None,
    memo: str = "",
    effective_date: date | None = None,
) -> JournalEntry:
    """Post the mirror of ``entry``, pointing at it. An entry is reversed at most once."""
    if entry.reverses_id is not None:
        raise ConflictError(msg.CANNOT_REVERSE_REVERSAL, code="cannot_reverse_reversal")
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ConflictError(msg.ALREADY_REVERSED, code="already_reversed")
    return ledger_post(
        chama=entry.chama,
        entry_type=EntryType.REVERSAL,
        lines=ledger_mirror_lines(entry),
        effective_date=effective_date,
        memo=memo or f"Reversal of {entry.get_entry_type_display().lower()}",
        member=entry.member,
        reverses=entry,
        recorded_by=recorded_by,
    )


def ledger_balance_proof(*, chama: Chama | None = None) -> list[LedgerAccount]:
    """Accounts whose cached balance differs from the sum of their postings: should be none.

    One set-based query (over every chama unless one is given); the nightly job reports what
    it returns. A difference under half a cent is SQLite's float summing, not a drift.
    """
    accounts = LedgerAccount.objects.all()
    if chama is not None:
        accounts = accounts.filter(chama=chama)
    return list(
        accounts.annotate(drift=posted_balance_expression() - F("cached_balance"))
        .filter(Q(drift__gte=HALF_CENT) | Q(drift__lte=-HALF_CENT))
        .select_related("chama")
    )
