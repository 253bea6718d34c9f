"""Fines state for tests, made only by calling the services."""

from dataclasses import dataclass
from decimal import Decimal

from finance.choices import PaymentMethod
from finance.models import Fine
from finance.services.contributions import contribution_record
from finance.services.fines import fine_issue
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import add_member, appoint
from tests.finance.factories import merry_go_round


@dataclass
class FineBook:
    """A table-banking chama of 1,000 a month, all to savings, with one member in each role
    (seats 1 to 4: chair, treasurer, secretary, member; the auditor joined later)."""

    chama: Chama
    chair: Membership
    treasurer: Membership
    secretary: Membership
    member: Membership
    auditor: Membership


def fine_book() -> FineBook:
    chama, seats, _cycle = merry_go_round(
        members=4, amount="1000.00", rotation_amount="0.00", savings_amount="1000.00"
    )
    chair, treasurer, secretary, member = seats
    treasurer = appoint(treasurer, Role.TREASURER, by=None)
    secretary = appoint(secretary, Role.SECRETARY, by=None)
    auditor = add_member(chama, role=Role.AUDITOR)
    return FineBook(chama, chair, treasurer, secretary, member, auditor)


def fined(book: FineBook, amount: str = "500.00", reason: str = "Late to the meeting") -> Fine:
    """The treasurer fines the plain member."""
    return fine_issue(
        chama=book.chama,
        acting=book.treasurer,
        membership=book.member,
        amount=Decimal(amount),
        reason=reason,
    )


def save(book: FineBook, member: Membership, amount: str = "1000.00") -> None:
    """``member`` pays a month in cash: all of it to their savings."""
    contribution_record(
        chama=book.chama, membership=member, amount=Decimal(amount), method=PaymentMethod.CASH
    )
