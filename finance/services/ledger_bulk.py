"""The ledger writer's door for jobs: many entries, across chamas, in a constant number of
statements. Same rules as ``ledger_post`` (each entry balanced, on its own chama's accounts,
the balances moved and checked as the transaction's last statement); only the inserts are
batched."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.db import before_commit, durable_required
from finance.chart import SPECS
from finance.choices import AccountScope, EntryType
from finance.models import JournalEntry, LedgerAccount, Posting
from finance.selectors import account_ids_remember
from finance.services.ledger import BALANCES_HOOK, Line, _balances_hook, _check_lines
from groups.models import Chama, Membership

# (chama id, code, member id or None): a chama-wide or a member's account.
BulkKey = tuple[UUID, str, UUID | None]


@dataclass(frozen=True)
class EntryDraft:
    chama: Chama
    entry_type: EntryType
    lines: list[Line]
    member: Membership | None = None
    memo: str = ""
    effective_date: date | None = None
    idempotency_key: str | None = None
    recorded_by: User | None = None
    id: UUID = field(default_factory=uuid4)


def ledger_accounts_bulk(keys: Iterable[BulkKey]) -> dict[BulkKey, LedgerAccount]:
    """The accounts for ``keys`` over any number of chamas: one read, and for the member
    accounts not opened yet one insert and one more read."""
    wanted = set(keys)
    if not wanted:
        return {}

    def read() -> dict[BulkKey, LedgerAccount]:
        match = Q()
        for chama_id, code, member_id in wanted:
            match |= Q(
                chama_id=chama_id,
                code=code,
                member_id=member_id,
                round__isnull=True,
                holding_id__isnull=True,
            )
        accounts = list(LedgerAccount.objects.filter(match))
        account_ids_remember(accounts)
        return {(a.chama_id, a.code, a.member_id): a for a in accounts}

    found = read()
    missing = wanted - found.keys()
    if missing:
        members = {m.pk: m for m in Membership.objects.filter(pk__in={k[2] for k in missing})}
        opened = []
        for chama_id, code, member_id in missing:
            spec = SPECS[code]
            if (spec.scope == AccountScope.MEMBER) != (member_id is not None):
                raise ValueError(f"account {code} is {spec.scope}-scoped")
            suffix = f" — {members[member_id].member_code}" if member_id else ""
            opened.append(
                LedgerAccount(
                    chama_id=chama_id,
                    code=code,
                    member_id=member_id,
                    name=f"{spec.name}{suffix}",
                    type=spec.type,
                    balance_rule=spec.balance_rule,
                )
            )
        LedgerAccount.objects.bulk_create(opened, ignore_conflicts=True)
        found = read()
    return found


def ledger_post_many(*, drafts: Sequence[EntryDraft]) -> list[JournalEntry]:
    """Post every draft as one balanced entry (with the draft's id): two inserts in all."""
    durable_required()
    if not drafts:
        return []
    entries, postings = [], []
    for draft in drafts:
        posted = [line for line in draft.lines if line.amount]
        _check_lines(draft.chama, posted)
        entry = JournalEntry(
            id=draft.id,
            chama=draft.chama,
            entry_type=draft.entry_type,
            effective_date=draft.effective_date or timezone.localdate(),
            memo=draft.memo[:255],
            member=draft.member,
            idempotency_key=draft.idempotency_key,
            recorded_by=draft.recorded_by,
        )
        entries.append(entry)
        postings += [
            Posting(entry=entry, account=line.account, side=line.side, amount=line.amount)
            for line in posted
        ]
    JournalEntry.objects.bulk_create(entries)
    made = Posting.objects.bulk_create(postings)
    before_commit(BALANCES_HOOK, _balances_hook(min(p.pk for p in made)), check=True)
    return entries
