"""The demo chama's investments, made through the services as a chama would: 5,000 of its
paybill placed in the money-market fund by the treasurer, a member's savings goal in that
fund, and this week's idle-cash figure.

Run after ``seed_demo_governance``; safe to run again: each part is made only if the chama
has none of it yet."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from finance import chart
from groups.choices import Role
from groups.models import Chama, Membership
from investments.choices import OptionKind, PlacementMethod
from investments.models import Holding, IdleCashSnapshot, InvestmentOption, SavingsGoal
from investments.services.goals import goal_create
from investments.services.idle_cash import idle_cash_scan
from investments.services.placements import holding_place

FUND_PLACEMENT = Decimal("5000.00")


def seed_demo_investments(chama: Chama) -> None:
    people = {m.role: m for m in Membership.objects.active().filter(chama=chama).order_by("-seat")}
    fund = InvestmentOption.objects.filter(kind=OptionKind.MONEY_MARKET, is_active=True).first()
    if fund is None:
        return  # the options are seeded by a migration; a database without them has none
    if not Holding.objects.filter(chama=chama).exists():
        holding_place(
            chama=chama,
            option=fund,
            amount_or_face=FUND_PLACEMENT,
            paying_account_code=chart.MPESA_PAYBILL,
            method=PlacementMethod.MANUAL,
            acting=people[Role.TREASURER],
            broker_reference="DEMO-MMF-0001",
        )
    if not SavingsGoal.objects.filter(chama=chama).exists():
        member = people[Role.MEMBER]
        goal_create(
            chama=chama,
            acting=member,
            name="School fees for January",
            target_amount=Decimal("60000.00"),
            target_date=timezone.localdate() + timedelta(days=365),
            option_id=fund.pk,
        )
    if not IdleCashSnapshot.objects.filter(chama=chama).exists():
        idle_cash_scan()
