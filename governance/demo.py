"""The demo chama's governance, made through the services as a chama would: its constitution
adopted, two past meetings with attendance and minutes and one to come, a closed vote and an
open one, a fine issued and one paid, an expense paid and one awaiting its signature.

Run after finance's ``seed_demo`` (which seeds the chama, its members and first month of
books); safe to run again: each part is made only if the chama has none of it yet."""

import dataclasses
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from finance.choices import PaymentMethod, TransferAccount
from finance.models import Fine
from finance.services.fines import fine_issue, fine_pay
from governance.constitution_rules import FineRules
from governance.models import AttendanceStatus, Expense, ExpenseCategory, Meeting, Vote, VoteChoice
from governance.selectors.constitution import constitution_template_rules
from governance.services.ballots import ballot_cast
from governance.services.constitution import constitution_adopt
from governance.services.expenses import expense_approve, expense_create, expense_pay
from governance.services.meetings import attendance_record, meeting_schedule, minutes_record
from governance.services.votes import vote_close, vote_open
from groups.choices import Role
from groups.models import Chama, Membership

# A one-page PDF: the receipt an expense carries (its type is read from these bytes).
RECEIPT_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
VENUE = "Community hall, Kariobangi"


def _at(days: int, hour: int) -> datetime:
    """``days`` from today (negative: past) at ``hour`` o'clock, local time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _people(chama: Chama) -> dict[str, Membership]:
    members = list(Membership.objects.active().filter(chama=chama).select_related("user"))
    by_role = {m.role: m for m in members if m.role != Role.MEMBER}
    plain = [m for m in members if m.role == Role.MEMBER]
    return {**by_role, "member": plain[0], "member2": plain[1]}


def _constitution(chama: Chama, chair: Membership) -> None:
    if chama.constitution_version:
        return
    rules = constitution_template_rules(chama=chama)  # the chama's real settings
    rules = dataclasses.replace(rules, fines=FineRules(missed_meeting=Decimal("200.00")))
    constitution_adopt(chama=chama, acting=chair, rules=rules)


def _meetings(chama: Chama, people: dict[str, Membership]) -> None:
    if Meeting.objects.filter(chama=chama).exists():
        return
    secretary, chair = people[Role.SECRETARY], people[Role.CHAIR]
    for days, absent in ((-28, "member2"), (-14, "member")):
        meeting = meeting_schedule(
            chama=chama,
            acting=secretary,
            starts_at=_at(days, 14),
            ends_at=_at(days, 16),
            place=VENUE,
            agenda="Contributions, the rotation, welfare and any other business.",
            chaired_by=chair,
        )
        attendance_record(
            meeting=meeting,
            acting=secretary,
            attendance=[
                {
                    "member_id": m.pk,
                    "status": AttendanceStatus.ABSENT
                    if m == people[absent]
                    else AttendanceStatus.PRESENT,
                }
                for m in people.values()
            ],
        )
        minutes_record(
            meeting=meeting,
            acting=secretary,
            text="Contributions for the month were reviewed; the rotation paid out as agreed.",
            file=ContentFile(RECEIPT_PDF, name="minutes.pdf"),
        )
    meeting_schedule(
        chama=chama,
        acting=secretary,
        starts_at=_at(14, 14),
        ends_at=_at(14, 16),
        place=VENUE,
        agenda="Mid-year review of the welfare fund.",
        chaired_by=chair,
    )


def _votes(chama: Chama, people: dict[str, Membership]) -> None:
    if Vote.objects.filter(chama=chama).exists():
        return
    chair = people[Role.CHAIR]
    closed = vote_open(
        chama=chama,
        acting=chair,
        title="Move the monthly meeting to the community hall",
        closes_at=_at(3, 18),
        anonymous=True,
    )
    voters = [m for m in people.values() if m.role != Role.AUDITOR]
    for voter, choice in zip(voters, [VoteChoice.YES] * 4 + [VoteChoice.NO], strict=True):
        ballot_cast(vote=closed, acting=voter, choice=choice)
    vote_close(vote=closed, acting=chair)
    vote_open(
        chama=chama,
        acting=chair,
        title="Buy a tent for meetings and member events",
        description="About KES 15,000 from the savings, shared among the members.",
        closes_at=_at(7, 18),
        anonymous=False,
    )


def _fines(chama: Chama, people: dict[str, Membership]) -> None:
    if Fine.objects.filter(chama=chama).exists():
        return
    treasurer = people[Role.TREASURER]
    for member, reason in (
        ("member", "Arrived after the opening prayer"),
        ("member2", "Phone rang during the meeting"),
    ):
        fine = fine_issue(
            chama=chama,
            acting=treasurer,
            membership=people[member],
            amount=Decimal("100.00"),
            reason=reason,
        )
    fine_pay(fine=fine, acting=treasurer, amount=Decimal("100.00"), method=PaymentMethod.CASH)


def _expenses(chama: Chama, people: dict[str, Membership]) -> None:
    if Expense.objects.filter(chama=chama).exists():
        return
    treasurer = people[Role.TREASURER]
    paid = expense_create(
        chama=chama,
        acting=treasurer,
        category=ExpenseCategory.VENUE,
        payee="Kariobangi Community Hall",
        amount=Decimal("2500.00"),
        description="Hall hire for the monthly meeting.",
        receipt=ContentFile(RECEIPT_PDF, name="hall-receipt.pdf"),
    )
    paid = expense_approve(expense=paid, acting=people[Role.CHAIR])
    expense_pay(expense=paid, acting=treasurer, account=TransferAccount.PAYBILL)
    expense_create(
        chama=chama,
        acting=treasurer,
        category=ExpenseCategory.STATIONERY,
        payee="Kariobangi Stationers",
        amount=Decimal("850.00"),
        description="A minutes book and receipt books.",
        receipt=ContentFile(RECEIPT_PDF, name="stationery-receipt.pdf"),
    )


def seed_demo_governance(chama: Chama) -> None:
    """The demo chama's governance; each part only if it has none yet."""
    people = _people(chama)
    _constitution(chama, people[Role.CHAIR])
    chama.refresh_from_db()
    _meetings(chama, people)
    _votes(chama, people)
    _fines(chama, people)
    _expenses(chama, people)
