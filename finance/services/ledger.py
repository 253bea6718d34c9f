"""The one writer of ledger rows: journal entries, their postings and the balance cache."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, IntegrityError, connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.db import before_commit, durable_required, gathered
from core.exceptions import ConflictError, ValidationFailed
from core.money import CENT, ZERO, money
from finance import chart
from finance.chart import CHART, SPECS
from finance.choices import AccountScope, BalanceRule, EntryType, Side
from finance.exceptions import FinanceError
from finance.models import JournalEntry, LedgerAccount, Posting, Round
from finance.selectors import (
    account_ids_remember,
    normal_balance,
    posted_balance_expression,
    posting_account_id,
)
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
        LedgerAccount(
            chama=chama,
            code=spec.code,
            name=spec.name,
            type=spec.type,
            balance_rule=spec.balance_rule,
        )
        for spec in CHART
        if spec.scope == AccountScope.CHAMA
    ]
    return LedgerAccount.objects.bulk_create(accounts, ignore_conflicts=True)


def ledger_round_accounts_open(*, chama: Chama, rounds: Iterable[Round]) -> None:
    """Open each new round's pot (2200-R) with the round, so that the round's first payments
    find it instead of creating it while they hold the member's lock."""
    spec = SPECS[chart.POT_PAYABLE]
    LedgerAccount.objects.bulk_create(
        [
            LedgerAccount(
                chama=chama,
                code=spec.code,
                round=rnd,
                name=f"{spec.name} — round {rnd.cycle.number}.{rnd.number}",
                type=spec.type,
                balance_rule=spec.balance_rule,
            )
            for rnd in rounds
        ],
        ignore_conflicts=True,
    )


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
        holding_id=None,
        defaults={"name": name, "type": spec.type, "balance_rule": spec.balance_rule},
    )
    account_ids_remember([account])
    return account


AccountKey = tuple[str, Membership | None, Round | None]


def ledger_accounts_get(
    *, chama: Chama, keys: Iterable[AccountKey]
) -> dict[AccountKey, LedgerAccount]:
    """The chama's accounts for ``(code, member, round)`` keys, to post to: those whose ids
    are known (read with their owner, or remembered from a committed transaction:
    ``posting_account_id``) cost nothing and carry their identity only, not a balance; the
    others are read in one query, opening any that does not exist yet (as
    ``ledger_account_get`` does, one at a time)."""
    wanted = list(dict.fromkeys(keys))
    for code, member, rnd in wanted:
        spec = SPECS[code]
        if (spec.scope == AccountScope.MEMBER) != (member is not None) or (
            spec.scope == AccountScope.ROUND
        ) != (rnd is not None):
            raise ValueError(f"account {code} is {spec.scope}-scoped")

    def key_of(account: LedgerAccount) -> tuple[str, Any, Any]:
        return (account.code, account.member_id, account.round_id)

    found: dict[tuple[str, Any, Any], LedgerAccount] = {}
    unknown = []
    for code, member, rnd in wanted:
        pk = posting_account_id(member or rnd or chama, code)
        if pk is None:
            unknown.append((code, member, rnd))
            continue
        spec = SPECS[code]
        known = LedgerAccount(
            pk=pk,
            chama=chama,
            code=code,
            member=member,
            round=rnd,
            type=spec.type,
            balance_rule=spec.balance_rule,
        )
        found[key_of(known)] = known
    if unknown:
        match = Q()
        for code, member, rnd in unknown:
            match |= Q(code=code, member=member, round=rnd, holding_id__isnull=True)
        # A round's pot is read with every pot of its cycle (a row per round): the payments
        # that follow pay the next rounds and find their pots remembered.
        cycles = {rnd.cycle_id for code, _, rnd in unknown if code == chart.POT_PAYABLE and rnd}
        if cycles:
            match |= Q(code=chart.POT_PAYABLE, round__in=Round.objects.filter(cycle__in=cycles))
        read = list(LedgerAccount.objects.filter(match, chama=chama))
        found |= {key_of(a): a for a in read}
        account_ids_remember(read)
    missing = [k for k in unknown if (k[0], _pk(k[1]), _pk(k[2])) not in found]
    if missing:
        # Rare: a member's or a round's first money. Open them like ledger_account_get does.
        for code, member, rnd in missing:
            account = ledger_account_get(chama=chama, code=code, member=member, round=rnd)
            found[key_of(account)] = account
    return {k: found[(k[0], _pk(k[1]), _pk(k[2]))] for k in wanted}


def _pk(owner: Membership | Round | None) -> Any:
    return owner.pk if owner is not None else None


def request_hash(payload: dict[str, Any]) -> str:
    """A stable fingerprint of a money request, to tell a replay from a different request."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_lines(chama: Chama, lines: list[Line]) -> None:
    """The rules PostgreSQL's triggers enforce, checked in Python for every database."""
    for line in lines:
        if line.amount <= ZERO or money(line.amount) != line.amount:
            raise ValidationFailed(FinanceError.NON_POSITIVE_AMOUNT)
        if line.account.chama_id != chama.pk:
            raise ValidationFailed(FinanceError.FOREIGN_ACCOUNT)
    if len(lines) < 2:
        raise ValidationFailed(FinanceError.TOO_FEW_POSTINGS)
    debits = sum((line.amount for line in lines if line.side == Side.DEBIT), ZERO)
    credits = sum((line.amount for line in lines if line.side == Side.CREDIT), ZERO)
    if debits != credits:
        raise ValidationFailed(FinanceError.UNBALANCED_ENTRY, debits=debits, credits=credits)


BALANCES_HOOK = "finance.ledger_balances"
AFTER_BALANCES = "finance.ledger_after_balances"
# PostgreSQL applies a transaction's postings to the balances in a deferred constraint
# trigger (migration 0011); SET CONSTRAINTS fires it now and defers what is posted after.
APPLY_NOW = (
    "SET CONSTRAINTS finance_posting_balance IMMEDIATE; "
    "SET CONSTRAINTS finance_posting_balance DEFERRED"
)
INSUFFICIENT_FUNDS_SQLSTATE = "HZ001"
# SQLite: the balances move by the postings made since the transaction's first one (SQLite
# has one writer at a time, so every later posting id is ours); ROUND undoes float drift.
SQLITE_APPLY = """
UPDATE finance_ledgeraccount SET cached_balance = ROUND(cached_balance + (
    SELECT SUM(CASE p.side WHEN 'D' THEN p.amount ELSE -p.amount END)
    FROM finance_posting p WHERE p.account_id = finance_ledgeraccount.id AND p.id >= %s), 2)
WHERE id IN (SELECT account_id FROM finance_posting WHERE id >= %s)
"""
SQLITE_SHORTFALLS = """
SELECT a.id, ROUND(SUM(CASE p.side WHEN 'D' THEN p.amount ELSE -p.amount END), 2)
FROM finance_posting p JOIN finance_ledgeraccount a ON a.id = p.account_id
WHERE p.id >= %s AND a.balance_rule <> 'none' GROUP BY a.id ORDER BY a.id
"""


def insufficient_funds(account: LedgerAccount, amount: Decimal) -> ConflictError:
    """What an outflow of ``amount`` from ``account`` that it cannot cover is told."""
    return ConflictError(
        FinanceError.INSUFFICIENT_FUNDS,
        account=f"{account.code} {account.name}",
        currency=account.chama.currency,
        balance=f"{normal_balance(account, account.cached_balance):,}",
        amount=f"{amount:,}",
    )


def _breaks_rule(account: LedgerAccount, balance: Decimal) -> bool:
    if account.balance_rule == BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS:
        return balance < ZERO
    if account.balance_rule == BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS:
        return balance > ZERO
    return False


def _shortfall(account_id: Any, delta: Decimal) -> ConflictError:
    account = LedgerAccount.objects.select_related("chama").get(pk=account_id)
    return insufficient_funds(account, abs(delta))


def ledger_read_after_balances(
    *,
    key: str,
    read: Callable[[], QuerySet[Any]],
    use: Callable[[list[tuple[Any, ...]]], None],
) -> None:
    """Have ``read()`` (a ``values_list`` query, built when it runs, one per ``key``) run
    once this transaction's balances are applied and hand its rows to ``use``: with the
    accounts locked, it sees what a transaction that held their locks first committed, which
    the caller's own reads may have missed. On PostgreSQL it is sent with the statement that
    applies the balances, in the same round trip (or alone, should no balances be applied
    after it was asked for). SQLite lets one transaction write at a time and refuses a write
    from one whose reads went stale, so nothing the caller read can have changed there: the
    read is not made and ``use`` is not called."""
    if connection.vendor != "postgresql":
        return
    pending = gathered(AFTER_BALANCES)
    if all(known != key for known, _, _ in pending):
        pending.append((key, read, use))
    before_commit(f"{AFTER_BALANCES}:{key}", _reads_after_balances, check=True)


def _reads_after_balances(rows: list[tuple[Any, ...]] | None = None) -> None:
    """Hand each pending read its rows: the first one's ``rows`` when they came with the
    balances' statement; the others' are read now, after it."""
    pending = gathered(AFTER_BALANCES)
    taken = list(pending)
    pending.clear()
    for index, (_, read, use) in enumerate(taken):
        use(rows if index == 0 and rows is not None else list(read()))


def _apply_on_postgresql() -> None:
    pending = gathered(AFTER_BALANCES)
    sql, params = APPLY_NOW, None
    if pending:
        # One round trip: psycopg2 sends the statements together and returns the last one's
        # rows, read with a snapshot taken after the balances' locks.
        read_sql, params = pending[0][1]().query.sql_with_params()
        sql = f"{APPLY_NOW}; {read_sql}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if pending else None
    except DatabaseError as exc:
        cause = exc.__cause__
        if getattr(cause, "pgcode", None) != INSUFFICIENT_FUNDS_SQLSTATE:
            raise
        # The trigger names the account and the delta it refused; the transaction is aborted,
        # so the message is built from what it said, not from another query.
        said = json.loads(
            cause.diag.message_detail,  # type: ignore[union-attr]
            parse_float=Decimal,
            parse_int=Decimal,
        )
        account = LedgerAccount(
            code=said["code"],
            name=said["name"],
            type=said["type"],
            cached_balance=money(said["balance"]),
            chama=Chama(currency=said["currency"]),
        )
        raise insufficient_funds(account, money(abs(said["delta"]))) from None
    if pending:
        _reads_after_balances(rows)


def _apply_on_sqlite(first_posting_id: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_APPLY, [first_posting_id, first_posting_id])
    except IntegrityError:
        # The CHECK refused the statement and SQLite undid it alone: find the account.
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_SHORTFALLS, [first_posting_id])
            deltas = dict(cursor.fetchall())
        accounts = LedgerAccount.objects.select_related("chama").filter(pk__in=deltas)
        for account in sorted(accounts, key=lambda a: a.pk):
            delta = money(Decimal(str(deltas[account.pk.hex])))
            if _breaks_rule(account, account.cached_balance + delta):
                raise insufficient_funds(account, abs(delta)) from None
        raise


def _balances_hook(first_posting_id: int) -> Callable[[], None]:
    if connection.vendor == "postgresql":
        return _apply_on_postgresql
    return lambda: _apply_on_sqlite(first_posting_id)


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

    Runs inside the calling service's durable transaction (core.db), which owns locking and
    idempotency. The balances move as that transaction's last statement, all of its entries
    at once, each account locked in pk order and checked against its balance rule in the same
    statement that moves it: an outflow its account cannot cover raises ``insufficient_funds``
    and nothing of the transaction is written. Locking last keeps the shared accounts (the
    paybill, a round's pot) locked only through the commit.
    """
    durable_required()
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
    postings = Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=line.account, side=line.side, amount=line.amount)
            for line in posted
        ]
    )
    before_commit(BALANCES_HOOK, _balances_hook(min(p.pk for p in postings)), check=True)
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
        raise ConflictError(FinanceError.CANNOT_REVERSE_REVERSAL)
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ConflictError(FinanceError.ALREADY_REVERSED)
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
