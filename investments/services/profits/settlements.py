"""How a member's part reaches them: chosen once by the member (or an official for them)
where the constitution leaves it to the member, and settled by the treasurer — paid out from a
named account (Dr 2300-M · Cr 1010/1020/1030, refused by the ledger when that account holds
less) or added to savings (Dr 2300-M · Cr 2100-M). A share still unchosen when the treasurer
settles goes to savings: the money stays the member's, and withdrawable."""

from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError, ValidationFailed
from core.money import ZERO
from finance import chart
from finance.chart import TRANSFER_ACCOUNT_CODES
from finance.choices import EntryType, TransferAccount
from finance.services.ledger import (
    credit,
    debit,
    ledger_account_get,
    ledger_accounts_get,
    ledger_post,
)
from governance.choices import ProfitPayout
from groups.choices import Role
from groups.models import Membership
from groups.rules import acting_for, official_check
from investments.exceptions import ProfitError
from investments.locks import profit_declaration_lock, profit_share_lock, profit_shares_lock
from investments.models import ProfitDeclaration, ProfitShare, ShareChoice
from investments.services.profits.savings import savings_credit_post

TREASURER = frozenset({Role.TREASURER})
CHOICES = (ShareChoice.PAID_OUT, ShareChoice.SAVINGS)
SETTLED_FIELDS = [
    "choice",
    "chosen_by",
    "chosen_at",
    "paid_from",
    "settled_entry",
    "settled_at",
    "updated_at",
]


@durable
def profit_share_choose(*, share: ProfitShare, acting: Membership, choice: str) -> ProfitShare:
    """The member (or an official for them) chooses, once, how their part reaches them:
    ``savings`` credits it now (Dr 2300-M · Cr 2100-M); ``paid_out`` leaves it for the
    treasurer to pay. Only where the constitution says ``member_choice``."""
    declaration = profit_declaration_lock(share.declaration_id)
    share = profit_share_lock(share.pk)
    acting_for(acting, share.membership, refused=ProfitError.NOT_YOURS)
    if choice not in CHOICES:
        raise ValidationFailed(ProfitError.INVALID_CHOICE, field="choice")
    if declaration.payout != ProfitPayout.MEMBER_CHOICE:
        raise ConflictError(ProfitError.CHOICE_NOT_OFFERED, payout=declaration.payout)
    if share.amount == ZERO:
        raise ConflictError(ProfitError.NOTHING_DUE)
    if share.choice != ShareChoice.PENDING:
        raise ConflictError(ProfitError.ALREADY_CHOSEN, choice=share.choice)
    share.choice = choice
    share.chosen_by = acting
    share.chosen_at = timezone.now()
    fields = ["choice", "chosen_by", "chosen_at", "updated_at"]
    if choice == ShareChoice.SAVINGS:
        share.settled_entry = savings_credit_post(
            chama=declaration.chama,
            parts=[(share.membership, share.amount)],
            memo=f"Profit added to savings: {declaration.source_label}",
            idempotency_key=f"profit-share:{share.pk}:savings",
            recorded_by=acting.user,
        )
        share.settled_at = share.chosen_at
        fields += ["settled_entry", "settled_at"]
    share.save(update_fields=fields)
    return share


def _paid_out_post(
    declaration: ProfitDeclaration, shares: list[ProfitShare], *, account: str, acting: Membership
) -> None:
    chama = declaration.chama
    source = ledger_account_get(chama=chama, code=TRANSFER_ACCOUNT_CODES[TransferAccount(account)])
    total = sum((s.amount for s in shares), ZERO)
    payable = ledger_accounts_get(
        chama=chama, keys=[(chart.PROFIT_PAYABLE, s.membership, None) for s in shares]
    )
    lines = [debit(payable[(chart.PROFIT_PAYABLE, s.membership, None)], s.amount) for s in shares]
    entry = ledger_post(
        chama=chama,
        entry_type=EntryType.PROFIT_PAID,
        lines=[*lines, credit(source, total)],
        memo=f"Profit paid out from {source.name}: {declaration.source_label}",
        idempotency_key=f"profit:{declaration.pk}:paid",
        recorded_by=acting.user,
    )
    for share in shares:
        share.settled_entry = entry
        share.paid_from = account


@durable
def profit_settle(
    *, declaration: ProfitDeclaration, acting: Membership, account: str = ""
) -> ProfitDeclaration:
    """The treasurer settles every open share of a declaration in two entries at most: those
    to be paid out leave from ``account`` (paybill, bank or cash; one entry, refused whole with
    ``insufficient_funds`` when the account holds less), those still unchosen go to savings."""
    official_check(
        acting, chama_id=declaration.chama_id, refused=ProfitError.TREASURER_ONLY, roles=TREASURER
    )
    if account and account not in TransferAccount.values:
        raise ValidationFailed(ProfitError.INVALID_ACCOUNT, field="account")
    declaration = profit_declaration_lock(declaration.pk)
    shares = [s for s in profit_shares_lock(declaration.pk) if s.settled_at is None]
    if not shares:
        raise ConflictError(ProfitError.NOTHING_TO_SETTLE)
    to_pay = [s for s in shares if s.choice == ShareChoice.PAID_OUT]
    to_save = [s for s in shares if s.choice != ShareChoice.PAID_OUT]
    if to_pay and not account:
        raise ValidationFailed(ProfitError.ACCOUNT_REQUIRED, field="account")
    now = timezone.now()
    if to_pay:
        _paid_out_post(declaration, to_pay, account=account, acting=acting)
    if to_save:
        entry = savings_credit_post(
            chama=declaration.chama,
            parts=[(s.membership, s.amount) for s in to_save],
            memo=f"Profit added to savings: {declaration.source_label}",
            idempotency_key=f"profit:{declaration.pk}:settled-savings",
            recorded_by=acting.user,
        )
        for share in to_save:
            share.settled_entry = entry
            if share.choice == ShareChoice.PENDING:
                share.choice = ShareChoice.SAVINGS
                share.chosen_by = acting
                share.chosen_at = now
    for share in shares:
        share.settled_at = share.updated_at = now
    ProfitShare.objects.bulk_update(
        shares,
        SETTLED_FIELDS,
    )
    return declaration
