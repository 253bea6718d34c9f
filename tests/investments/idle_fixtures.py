"""A premium rotating chama whose month is lived through the services, day by day.

Umoja's five members (chair, treasurer, secretary, auditor, member) each owe 10,000 a month:
6,000 to the round's pot, 3,000 to savings, 1,000 to welfare.

    TODAY - 40  a member pays 260,000 in cash                 cash-like 260,000
    TODAY - 20  the hall's 50,000 is paid from cash (the dip) cash-like 210,000
    TODAY - 10  the treasurer banks 80,000 of her own          cash-like 290,000
    TODAY       the cycle starts (five rounds of 30,000 pots), an expense of 7,500 is
                approved and not paid, a loan of 20,000 approved and not disbursed, and the
                constitution keeps a welfare buffer of 5,000 and a reserve of 10,000.

Idle cash today: the floor 210,000 less 60,000 (two pots) + 20,000 + 7,500 + 5,000 + 10,000
= 107,500.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.loans import loan_apply, loan_approve
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.expenses import expense_approve, expense_pay
from groups.choices import Plan, Role
from tests.factories import UserFactory, add_member, make_chama
from tests.governance.expenses_fixtures import expense_record
from tests.governance.meetings_fixtures import Club

TODAY = date(2026, 3, 2)  # a Monday: the scan's day


def at(day: date) -> Any:
    """Live through ``day``, at ten in the morning in Nairobi."""
    moment = datetime.combine(day, time(10), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


def rotating_club(client_for: Callable[..., Any], name: str = "Umoja Rotating") -> Club:
    from rest_framework.test import APIClient

    chama = make_chama(
        name=name,
        contribution_amount=Decimal("10000.00"),
        rotation_amount=Decimal("6000.00"),
        savings_amount=Decimal("3000.00"),
        welfare_amount=Decimal("1000.00"),
        plan=Plan.PREMIUM,
    )
    members = {Role.CHAIR.value: chama.memberships.get()}
    for role in (Role.TREASURER, Role.SECRETARY, Role.AUDITOR, Role.MEMBER):
        members[role.value] = add_member(chama, role=role)
    clients = {role: client_for(m.user) for role, m in members.items()}
    clients["outsider"] = client_for(UserFactory())
    clients["anonymous"] = APIClient()
    return Club(chama, members, clients, f"/api/v1/chamas/{chama.pk}", client_for)


def pay(
    club: Club, who: str, amount: str, method: str = PaymentMethod.CASH, receipt: str = ""
) -> None:
    contribution_record(
        chama=club.chama,
        membership=club.members[who],
        amount=Decimal(amount),
        method=method,
        mpesa_receipt=receipt or None,
    )


def investment_rules_adopt(club: Club, **investments: Any) -> None:
    """The chair adopts a constitution whose investment section (and welfare buffer) are as
    given: ``buffer=`` sets ``welfare.buffer``, the rest ``investments.<name>``."""
    rules = constitution_rules_get(chama=club.chama)
    buffer = investments.pop("buffer", None)
    welfare = rules.welfare if buffer is None else replace(rules.welfare, buffer=Decimal(buffer))
    rules = replace(
        rules,
        welfare=welfare,
        investments=replace(
            rules.investments,
            **{
                k: Decimal(v) if k in {"reserve", "proposal_minimum"} else v
                for k, v in investments.items()
            },
        ),
    )
    constitution_adopt(chama=club.chama, acting=club.chair, rules=rules)
    club.chama.refresh_from_db()


def umoja_history(client_for: Callable[..., Any]) -> Club:
    with at(TODAY - timedelta(days=40)):
        club = rotating_club(client_for)
        pay(club, "member", "260000.00")
    with at(TODAY - timedelta(days=20)):
        hall = expense_record(club, amount="50000.00")
        expense_approve(expense=hall, acting=club.secretary)
        expense_pay(expense=hall, acting=club.treasurer, account="cash")
    with at(TODAY - timedelta(days=10)):
        pay(club, "treasurer", "80000.00", method=PaymentMethod.BANK)
    with at(TODAY):
        cycle_create(chama=club.chama, start_date=TODAY + timedelta(days=7))
        tents = expense_record(club, amount="7500.00", payee="Tents and chairs")
        expense_approve(expense=tents, acting=club.secretary)
        loan = loan_apply(
            chama=club.chama,
            membership=club.member,
            acting=club.member,
            principal=Decimal("20000.00"),
            term_months=3,
        )
        loan_approve(loan=loan, acting=club.chair)
        investment_rules_adopt(club, buffer="5000.00", reserve="10000.00")
    return club
