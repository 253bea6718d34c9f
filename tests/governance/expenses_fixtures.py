"""Expenses made through the services: the chama's expense rule adopted in its constitution,
receipts uploaded as documents, cash paid in by the members."""

from dataclasses import replace
from decimal import Decimal
from typing import Any

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from governance.constitution_rules import ApprovalRule
from governance.models import Document, DocumentKind, Expense, ExpenseCategory
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.documents import document_upload
from governance.services.expenses import expense_create
from tests.governance.meetings_fixtures import PDF_BYTES, Club, upload

HALL = "Kawangware Social Hall"


def expense_rules_adopt(
    club: Club,
    *,
    signatures: int = 1,
    chair_threshold: str | None = None,
    dispute_quorum: str = "0.70",
) -> None:
    """The chair adopts a constitution whose expense rule is as given (the constitution
    writes it to the chama's approval rules)."""
    rules = constitution_rules_get(chama=club.chama)
    threshold = None if chair_threshold is None else Decimal(chair_threshold)
    rules = replace(
        rules,
        approvals=replace(rules.approvals, expense=ApprovalRule(signatures, threshold)),
        voting=replace(rules.voting, dispute_quorum=Decimal(dispute_quorum)),
    )
    constitution_adopt(chama=club.chama, acting=club.chair, rules=rules)
    club.chama.refresh_from_db()


def receipt_upload(club: Club, name: str = "receipt.pdf") -> Document:
    return document_upload(
        chama=club.chama,
        acting=club.treasurer,
        file=upload(name, PDF_BYTES),
        kind=DocumentKind.RECEIPT,
    )


def expense_record(club: Club, amount: str = "3000.00", **overrides: Any) -> Expense:
    """The treasurer records the hall's hire for the last meeting, with its receipt."""
    data: dict[str, Any] = {
        "chama": club.chama,
        "acting": club.treasurer,
        "category": ExpenseCategory.VENUE,
        "payee": HALL,
        "amount": Decimal(amount),
        "description": "Hall hire for the annual general meeting",
        "receipt": upload("hall-receipt.pdf", PDF_BYTES),
    }
    data.update(overrides)
    return expense_create(**data)


def cash_in(club: Club, amount: str) -> None:
    """A member pays ``amount`` in cash at the meeting: it is in the cash box (1030)."""
    contribution_record(
        chama=club.chama,
        membership=club.member,
        amount=Decimal(amount),
        method=PaymentMethod.CASH,
    )
