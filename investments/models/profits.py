"""Profit declared to members: a declaration splits realised investment income among the
active members by their weight, and each member's part (a share) reaches them as the chama's
constitution says: paid out, added to savings, or as the member chooses."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import cents_equal, money_field
from finance.choices import TransferAccount
from finance.models import JournalEntry
from governance.choices import ProfitBasis, ProfitPayout
from groups.models import Chama, Membership

# A weight is shillings (closing savings) or shilling-days (contribution-days): wider than money.
WEIGHT_MAX_DIGITS = 24
WEIGHT_PLACES = 2


class ShareChoice(models.TextChoices):
    PENDING = "pending", "Not chosen yet"
    PAID_OUT = "paid_out", "Paid out"
    SAVINGS = "savings", "Added to savings"


class ShareStatus(models.TextChoices):
    """Where a share stands, derived from its choice and settlement (never stored)."""

    AWAITING_CHOICE = "awaiting_choice", "Awaiting the member's choice"
    AWAITING_PAYMENT = "awaiting_payment", "To be paid out by the treasurer"
    PAID = "paid", "Paid out"
    SAVED = "saved", "Added to savings"
    NOTHING_DUE = "nothing_due", "Nothing due (no weight in the period)"


class ProfitDeclaration(BaseModel):
    """Realised investment income declared to the members, once.

    Two journal entries, posted together: ``closing_entry`` closes what is declared out of the
    income statement (Dr 4300 investment income gross · Cr 5400 withholding tax · Cr 3300
    undistributed surplus net) and ``entry`` hands the net to the members (Dr 3300 · Cr 2300-M,
    one credit leg per member with a part). The net never exceeds the income realised and not
    declared before (4300 less 5400).

    Invariants (constraints): net > 0, tax >= 0, gross = net + tax; the period starts on or
    before it ends; a source is named; an income entry (a holding's maturity or monthly
    credit) is declared at most once (``income_entry`` is one-to-one); the total weight is
    positive.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="profit_declarations")
    declared_on = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField(help_text="Weights are read as the books stood on this day.")
    gross = money_field(help_text="Income before withholding tax.")
    tax = money_field(help_text="Withholding tax on it.")
    net = money_field(help_text="What the members share: gross less tax.")
    basis = models.CharField(max_length=20, choices=ProfitBasis.choices)
    payout = models.CharField(max_length=20, choices=ProfitPayout.choices)
    source_label = models.CharField(max_length=80, help_text='Where it came from: "91-day T-bill".')
    # The holding whose maturity or monthly credit realised the income, when there is one, and
    # the entry that booked it: an income entry is declared at most once.
    holding = models.ForeignKey(
        "investments.Holding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profit_declarations",
    )
    income_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total_weight = models.DecimalField(max_digits=WEIGHT_MAX_DIGITS, decimal_places=WEIGHT_PLACES)
    closing_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    declared_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The official who declared it; empty when the maturity job did.",
    )

    class Meta:
        ordering = ["-declared_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(net__gt=0), name="investments_profit_net_positive"),
            models.CheckConstraint(condition=Q(tax__gte=0), name="investments_profit_tax_nonneg"),
            models.CheckConstraint(
                condition=cents_equal("gross", F("net") + F("tax")),
                name="investments_profit_gross_sum",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="investments_profit_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(source_label=""), name="investments_profit_source_named"
            ),
            models.CheckConstraint(
                condition=Q(total_weight__gt=0), name="investments_profit_weight_positive"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=ProfitBasis.values), name="investments_profit_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(payout__in=ProfitPayout.values),
                name="investments_profit_payout_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_label}: {self.net} ({self.declared_on})"


class ProfitShare(BaseModel):
    """One member's part of a declaration: the wealth report's row.

    ``amount`` is credited to the member's profit payable (2300-M) by the declaration's entry;
    ``tax`` is the same split of the declaration's tax, for the report. The share is settled
    once: paid out (Dr 2300-M · Cr the account named in ``paid_from``) or added to savings
    (Dr 2300-M · Cr 2100-M), by ``settled_entry``.

    Invariants (constraints): one share per member per declaration; amount, tax and weight
    are never negative; a settled share has its time and a chosen way; a share with money
    is settled by an entry, one with none by no entry; a share paid out names its account.
    """

    declaration = models.ForeignKey(
        ProfitDeclaration, on_delete=models.PROTECT, related_name="shares"
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=WEIGHT_MAX_DIGITS, decimal_places=WEIGHT_PLACES)
    amount = money_field()
    tax = money_field()
    choice = models.CharField(
        max_length=10, choices=ShareChoice.choices, default=ShareChoice.PENDING
    )
    chosen_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    paid_from = models.CharField(max_length=10, choices=TransferAccount.choices, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["declaration", "membership__seat", "membership__member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "membership"], name="investments_profitshare_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="investments_profitshare_amount_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(tax__gte=0), name="investments_profitshare_tax_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="investments_profitshare_weight_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=ShareChoice.values),
                name="investments_profitshare_choice_valid",
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True)
                | (~Q(choice=ShareChoice.PENDING) | Q(amount=0)),
                name="investments_profitshare_settled_chosen",
            ),
            models.CheckConstraint(
                condition=Q(settled_entry__isnull=True) | Q(settled_at__isnull=False, amount__gt=0),
                name="investments_profitshare_entry_settles_money",
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True) | Q(amount=0) | Q(settled_entry__isnull=False),
                name="investments_profitshare_money_settled_by_entry",
            ),
            models.CheckConstraint(
                condition=Q(paid_from="")
                | Q(choice=ShareChoice.PAID_OUT, settled_entry__isnull=False),
                name="investments_profitshare_paid_from_named",
            ),
            models.CheckConstraint(
                condition=~Q(choice=ShareChoice.PAID_OUT, settled_entry__isnull=False)
                | ~Q(paid_from=""),
                name="investments_profitshare_paid_names_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declaration.source_label}: {self.amount}"

    @property
    def status(self) -> ShareStatus:
        if self.amount == 0:
            return ShareStatus.NOTHING_DUE
        if self.settled_at is None:
            if self.choice == ShareChoice.PAID_OUT:
                return ShareStatus.AWAITING_PAYMENT
            return ShareStatus.AWAITING_CHOICE
        return ShareStatus.PAID if self.choice == ShareChoice.PAID_OUT else ShareStatus.SAVED

    @property
    def share_of_total(self) -> Decimal:
        """The member's weight as a fraction of the declaration's, to six places."""
        return (self.weight / self.declaration.total_weight).quantize(Decimal("0.000001"))

    @property
    def sentence(self) -> str:
        """The wealth report in one sentence, in the chama's currency."""
        declaration = self.declaration
        currency = declaration.chama.currency
        return (
            f"You earned {currency} {self.amount:,} from the {declaration.source_label}, "
            f"net of {currency} {self.tax:,} tax."
        )
