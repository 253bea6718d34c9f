"""The double-entry ledger: accounts, journal entries and their postings.

Journal entries and postings are append-only. A mistake is undone by a reversal entry that
points at the original (at most one), never by changing or deleting rows; on PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE, and a deferred constraint trigger refuses an entry
that does not balance, has fewer than two postings or touches another chama's accounts.
Only ``finance.services.ledger.ledger_post`` writes these rows.

On PostgreSQL (migration 0011) an entry is also sealed: it records the transaction that
created it (a ``txid`` column kept by the database, not by Django), and a posting may be added
only in that transaction. Balances are kept by the database itself from posting inserts, and a
direct UPDATE of a balance, or of an account's chama, code or owner, is refused.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.money import money_field
from finance.chart import INVESTMENTS
from finance.choices import AccountType, BalanceRule, EntryType, Side
from groups.models import Chama, Membership


class LedgerAccount(models.Model):
    """One account of a chama's chart. Member (-M) and round (-R) sub-accounts carry a link;
    an investment holding's sub-account of 1200 carries the holding's id.

    ``cached_balance`` is Σ debits - Σ credits of its postings, applied at the end of the
    transaction that posts them (``finance.services.ledger``); the ``ledger_balance_proof`` job
    proves it against the postings. ``balance_rule`` says which way it may never cross zero
    (money held and owed never go below zero in their normal direction); the database checks it
    on every change, so no account is ever overdrawn.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="ledger_accounts")
    code = models.CharField(max_length=4)
    name = models.CharField(max_length=120)
    type = models.CharField(max_length=10, choices=AccountType.choices)
    member = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        "finance.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An investment holding's own 1200 sub-account (DESIGN §3.2) names the holding by id:
    # investments sits above finance, so finance cannot name its table.
    holding_id = models.UUIDField(null=True, blank=True, editable=False)
    cached_balance = money_field(default=0, editable=False)
    balance_rule = models.CharField(
        max_length=20, choices=BalanceRule.choices, default=BalanceRule.NONE, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_rule=BalanceRule.NONE)
                | Q(balance_rule=BalanceRule.CREDITS_MUST_NOT_EXCEED_DEBITS, cached_balance__gte=0)
                | Q(balance_rule=BalanceRule.DEBITS_MUST_NOT_EXCEED_CREDITS, cached_balance__lte=0),
                name="finance_ledgeraccount_balance_rule",
            ),
            models.UniqueConstraint(
                fields=["chama", "code"],
                condition=Q(member__isnull=True, round__isnull=True, holding_id__isnull=True),
                name="finance_ledgeraccount_chama_code_unique",
            ),
            models.UniqueConstraint(
                fields=["chama", "code", "member"],
                condition=Q(member__isnull=False),
                name="finance_ledgeraccount_member_code_unique",
            ),
            models.UniqueConstraint(
                fields=["chama", "code", "round"],
                condition=Q(round__isnull=False),
                name="finance_ledgeraccount_round_code_unique",
            ),
            models.UniqueConstraint(
                fields=["holding_id"],
                condition=Q(holding_id__isnull=False),
                name="finance_ledgeraccount_holding_unique",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True, round__isnull=True)
                | Q(member__isnull=True, holding_id__isnull=True)
                | Q(round__isnull=True, holding_id__isnull=True),
                name="finance_ledgeraccount_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(holding_id__isnull=True) | Q(code=INVESTMENTS),
                name="finance_ledgeraccount_holding_is_investment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalEntry(models.Model):
    """One money event, in balance. Append-only (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="journal_entries")
    entry_type = models.CharField(max_length=20, choices=EntryType.choices)
    effective_date = models.DateField()
    memo = models.CharField(max_length=255, blank=True)
    member = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member this money event concerns, for their statement.",
    )
    # The same key with the same request returns the first entry; with another, it is refused.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    external_source = models.CharField(max_length=20, blank=True)
    external_ref = models.CharField(max_length=64, null=True, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["effective_date", "created_at"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.UniqueConstraint(
                fields=["chama", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="finance_journalentry_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["external_source", "external_ref"],
                condition=Q(external_ref__isnull=False),
                name="finance_journalentry_external_ref_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "effective_date"], name="finance_entry_chama_date"),
            models.Index(fields=["member", "effective_date"], name="finance_entry_member_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.effective_date}"


class Posting(models.Model):
    """One leg of a journal entry. Append-only; the amount is always positive."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    side = models.CharField(max_length=1, choices=Side.choices)
    amount = money_field()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_posting_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["D", "C"]), name="finance_posting_side_valid"
            ),
        ]
        indexes = [models.Index(fields=["account", "id"], name="finance_posting_account")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.account.code} {self.amount}"
