"""Generated histories for anomaly detection: a chama's ordinary year of expenses and
contributions (plain rows: detection reads them, it posts nothing), with a seed so every run
is the same, and the outliers the tests inject into it."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from finance.choices import PaymentMethod
from finance.models import Contribution
from finance.services.contributions import contribution_record
from governance.models import Document, DocumentKind, DocumentVisibility, Expense, ExpenseCategory
from groups.models import Chama, Membership

NAIROBI = ZoneInfo("Africa/Nairobi")
# The night the tests run the job: 8 December 2026, 02:00 in Nairobi.
NIGHT = datetime(2026, 12, 8, 2, 0, tzinfo=NAIROBI)
PAYEES = [
    "Kawangware Social Hall",
    "Umoja Matatu Sacco",
    "Naivas Supermarket",
    "Equity Bank",
    "Kibera Printers",
    "Mama Oliech Caterers",
]


def _receipts(chama: Chama, by: Membership, n: int) -> list[Document]:
    return Document.objects.bulk_create(
        Document(
            chama=chama,
            kind=DocumentKind.RECEIPT,
            visibility=DocumentVisibility.OFFICIALS,
            title=f"Receipt {i}",
            file=f"receipts/{chama.pk}/{i}.pdf",
            original_name=f"{i}.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=100,
            sha256=f"{i:064d}",
            uploaded_by=by,
        )
        for i in range(n)
    )


def expense_add(chama: Chama, by: Membership, *, amount: str, payee: str, at: datetime) -> Expense:
    """One expense recorded by ``by`` at ``at`` (pending: detection reads any status)."""
    (receipt,) = _receipts(chama, by, 1)
    expense = Expense.objects.create(
        chama=chama,
        category=ExpenseCategory.OTHER,
        payee=payee,
        amount=Decimal(amount),
        receipt=receipt,
        created_by=by,
    )
    return _backdate(expense, at)


def _backdate(expense: Expense, at: datetime) -> Expense:
    """``expense`` as if recorded at ``at`` (``created_at`` is set on insert)."""
    Expense.objects.filter(pk=expense.pk).update(created_at=at)
    expense.created_at = at
    return expense


def expenses_generate(
    chama: Chama, makers: list[Membership], *, n: int = 200, seed: int = 7
) -> list[Expense]:
    """``n`` ordinary expenses over the year before ``NIGHT``: amounts around KES 1,800
    (log-normal), recorded between 09:00 and 19:00 by the makers, to six usual payees; the
    last few fall in the week before the night."""
    rnd = random.Random(seed)
    receipts = _receipts(chama, makers[0], n)
    expenses = Expense.objects.bulk_create(
        Expense(
            chama=chama,
            category=ExpenseCategory.OTHER,
            payee=rnd.choice(PAYEES),
            amount=Decimal(round(rnd.lognormvariate(7.5, 0.4))),
            receipt=receipts[i],
            created_by=rnd.choice(makers),
        )
        for i in range(n)
    )
    for i, expense in enumerate(expenses):
        day = NIGHT - timedelta(days=(n - i) * 1.75)
        _backdate(expense, day.replace(hour=rnd.randint(9, 18), minute=rnd.randint(0, 59)))
    return expenses


def contributions_generate(
    chama: Chama, members: list[Membership], *, n: int = 60, seed: int = 11
) -> list[Contribution]:
    """``n`` ordinary contributions over the months before ``NIGHT``, recorded through the
    service (confirmed, posted): each member's usual amount (1,000 or 2,000) give or take a
    little, by M-Pesa, between 07:00 and 21:00."""
    rnd = random.Random(seed)
    usual = {m.pk: Decimal(1000 * (1 + i % 2)) for i, m in enumerate(members)}
    made = []
    for i in range(n):
        member = members[i % len(members)]
        day = NIGHT - timedelta(days=(n - i) * 3)
        made.append(
            contribution_record(
                chama=chama,
                membership=member,
                amount=usual[member.pk] + rnd.choice([0, 0, 0, 50, 100]),
                method=PaymentMethod.MPESA,
                mpesa_receipt=f"SLK{seed:02d}{i:05d}",
                paid_at=day.replace(hour=rnd.randint(7, 20), minute=rnd.randint(0, 59)),
            )
        )
    return made
