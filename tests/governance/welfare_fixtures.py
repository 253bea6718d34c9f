"""Welfare state under a constitution's welfare rules, made by calling the services."""

import dataclasses
from decimal import Decimal

import pytest

from finance.models import WelfareClaim
from finance.services.welfare import welfare_claim_submit
from governance.constitution_rules import WelfareAmounts, WelfareRules
from governance.selectors.constitution import constitution_template_rules
from governance.services.constitution import constitution_adopt
from tests.finance.welfare import WelfareBook, contribute, welfare_book


@pytest.fixture
def book() -> WelfareBook:
    """Every seat has paid its first month: the welfare fund holds 1,600."""
    book = welfare_book()
    contribute(book)
    return book


def adopt(book: WelfareBook, *, buffer: str = "0", **amounts: str) -> None:
    rules = dataclasses.replace(
        constitution_template_rules(chama=book.chama),
        welfare=WelfareRules(
            amounts=WelfareAmounts(**{k: Decimal(v) for k, v in amounts.items()}),
            buffer=Decimal(buffer),
        ),
    )
    constitution_adopt(chama=book.chama, acting=book.chair, rules=rules)


def claim(book: WelfareBook, claim_type: str, amount: str | None = None) -> WelfareClaim:
    return welfare_claim_submit(
        chama=book.chama,
        acting=book.member,
        claim_type=claim_type,
        amount=None if amount is None else Decimal(amount),
        description="",
    )
