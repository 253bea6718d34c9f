"""A chama's investments: each placement is a holding with its own sub-account of 1200
(investments at cost), and a money-market fund's monthly credits are rows of their own."""

from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import cents_equal, money_field
from finance.models import JournalEntry, LedgerAccount
from groups.models import Chama, Membership
from investments.choices import (
    ACCRUING_KINDS,
    TBILL_KINDS,
    HoldingStatus,
    OptionKind,
    PlacementMethod,
)
from investments.models.options import RATE_DIGITS, InvestmentOption

# The chama's own money may be placed from its paybill, its bank or its cash (DESIGN §3.1).
PAYING_ACCOUNT_CODES = ("1010", "1020", "1030")
PLACED_STATUSES = (HoldingStatus.ACTIVE, HoldingStatus.MATURED, HoldingStatus.CLOSED)
ENDED_STATUSES = (HoldingStatus.MATURED, HoldingStatus.CLOSED)


class Holding(BaseModel):
    """Money the chama placed in one option, from placement to maturity.

    ``computed_price``/``computed_tax`` are Hazina's figures from the rate and the formula;
    ``confirmed_price``/``confirmed_tax`` the broker's or CBK's when recorded. What the ledger
    books is ``cost`` (the price paid, into the holding's 1200 sub-account) and
    ``tax_withheld_up_front`` (a T-bill's tax, to 5400): the confirmed figures when given,
    else ours. Maturity likewise books the confirmed proceeds when an official records them.

    Life: (placing, by M-Pesa: the money in flight on 1090) → active (``placement_entry``) →
    matured (a term ended, ``maturity_entry``) or closed (a fund redeemed); or failed (the
    M-Pesa transfer was refused, the money back). Invariants (constraints): a T-bill has a face
    above its cost, other kinds none and no tax up front; a placed holding has its placement
    entry, one in flight only its in-flight entry; an ended one its maturity entry and date,
    and only it; a term ends after it starts; a proposal is executed at most once, and a
    matured holding reinvested at most once.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="holdings")
    option = models.ForeignKey(InvestmentOption, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(max_length=20, choices=OptionKind.choices)
    status = models.CharField(max_length=10, choices=HoldingStatus.choices)
    method = models.CharField(max_length=10, choices=PlacementMethod.choices)
    paying_account = models.CharField(max_length=4)
    placed_on = models.DateField()
    matures_on = models.DateField(null=True, blank=True)
    # The terms the holding was placed on, kept: the option's rate and the settings change.
    annual_rate = models.DecimalField(**RATE_DIGITS)
    day_basis = models.PositiveSmallIntegerField()
    withholding_rate = models.DecimalField(max_digits=5, decimal_places=4)
    face = money_field(null=True, blank=True, help_text="A T-bill's face value, paid at maturity.")
    computed_price = money_field()
    computed_tax = money_field(default=0)
    confirmed_price = money_field(null=True, blank=True)
    confirmed_tax = money_field(null=True, blank=True)
    cost = money_field(help_text="The price booked to the holding's 1200 account.")
    tax_withheld_up_front = money_field(default=0)
    broker_reference = models.CharField(max_length=64, blank=True)
    proposal_id = models.UUIDField(null=True, blank=True, unique=True)
    reinvested_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reinvested_as"
    )
    ledger_account = models.OneToOneField(LedgerAccount, on_delete=models.PROTECT, related_name="+")
    in_flight_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placement_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failure_reason = models.CharField(max_length=255, blank=True)
    placed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A money-market fund: interest is credited through this date (MmfCredit rows).
    last_credited_on = models.DateField(null=True, blank=True)
    # Maturity (or a fund's redemption): what came back, as computed and as confirmed.
    matured_on = models.DateField(null=True, blank=True)
    computed_proceeds = money_field(null=True, blank=True)
    confirmed_proceeds = money_field(null=True, blank=True)
    maturity_tax = money_field(null=True, blank=True)
    income = money_field(null=True, blank=True)
    maturity_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matured_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-placed_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OptionKind.values), name="investments_holding_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoldingStatus.values),
                name="investments_holding_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(method__in=PlacementMethod.values),
                name="investments_holding_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(paying_account__in=PAYING_ACCOUNT_CODES),
                name="investments_holding_paying_account_cash",
            ),
            models.CheckConstraint(
                condition=Q(cost__gt=0, computed_price__gt=0, computed_tax__gte=0)
                & Q(tax_withheld_up_front__gte=0),
                name="investments_holding_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=list(TBILL_KINDS), face__gt=F("cost"))
                | (~Q(kind__in=list(TBILL_KINDS)) & Q(face__isnull=True, tax_withheld_up_front=0)),
                name="investments_holding_tbill_face",
            ),
            models.CheckConstraint(
                condition=Q(matures_on__isnull=True) | Q(matures_on__gt=F("placed_on")),
                name="investments_holding_term_forward",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=list(ACCRUING_KINDS)) | Q(matures_on__isnull=True),
                name="investments_holding_fund_has_no_term",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PLACED_STATUSES, placement_entry__isnull=False)
                | (~Q(status__in=PLACED_STATUSES) & Q(placement_entry__isnull=True)),
                name="investments_holding_placed_iff_posted",
            ),
            models.CheckConstraint(
                condition=~Q(status=HoldingStatus.PLACING) | Q(in_flight_entry__isnull=False),
                name="investments_holding_placing_in_flight",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=ENDED_STATUSES,
                    maturity_entry__isnull=False,
                    matured_on__isnull=False,
                )
                | (
                    ~Q(status__in=ENDED_STATUSES)
                    & Q(maturity_entry__isnull=True, matured_on__isnull=True)
                ),
                name="investments_holding_ended_iff_posted",
            ),
            models.CheckConstraint(
                condition=~Q(status=HoldingStatus.FAILED) | ~Q(failure_reason=""),
                name="investments_holding_failed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "matures_on"], name="investments_holding_due"),
            models.Index(fields=["chama", "status"], name="investments_holding_chama"),
        ]

    def __str__(self) -> str:
        return f"{self.option.name} {self.cost} placed {self.placed_on} ({self.status})"


class MmfCredit(BaseModel):
    """One month's interest of a money-market fund holding, credited once (unique per holding
    and month): accrued daily on ``balance`` at the holding's rate over ``days`` in full
    precision, rounded to the cent once (``gross``), less withholding tax; ``net`` is added
    to the holding (Dr 1200 holding · Cr 4300, and Dr 5400 · Cr 1200 holding for the tax)."""

    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="credits")
    month = models.DateField(help_text="The first day of the month credited.")
    days = models.PositiveSmallIntegerField()
    balance = money_field()
    gross = money_field()
    tax = money_field()
    net = money_field()
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["holding", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["holding", "month"], name="investments_mmfcredit_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(days__gt=0, gross__gte=0, tax__gte=0, net__gte=0),
                name="investments_mmfcredit_amounts_valid",
            ),
            models.CheckConstraint(
                condition=cents_equal("net", F("gross") - F("tax")),
                name="investments_mmfcredit_net_is_gross_less_tax",
            ),
            models.CheckConstraint(
                condition=Q(gross=0) | Q(entry__isnull=False),
                name="investments_mmfcredit_posted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holding_id} {self.month:%Y-%m}: {self.net}"
