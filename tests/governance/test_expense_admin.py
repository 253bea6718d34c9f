"""Expenses in the back office: read-only, scoped to the official's own chamas, and the
approve action signs as the signed-in official, never as the treasurer who recorded it."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from governance.exceptions import ExpenseError
from governance.models import Expense
from tests.factories import browser_for
from tests.finance.books import legs
from tests.governance.expenses_fixtures import expense_record
from tests.governance.meetings_fixtures import make_club

pytestmark = pytest.mark.django_db


def approve(browser, expense):
    response = browser.post(
        reverse("admin:governance_expense_changelist"),
        {"action": "approve", "_selected_action": [str(expense.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_official_sees_only_their_own_chamas_expenses(client_for):
    ours, theirs = make_club(client_for), make_club(client_for)
    mine = expense_record(ours)
    expense_record(theirs)
    browser = browser_for(ours.secretary)

    page = browser.get(reverse("admin:governance_expense_changelist"))

    assert page.status_code == 200
    assert [row.pk for row in page.context["cl"].result_list] == [mine.pk]
    assert not page.context["cl"].model_admin.has_add_permission(page.wsgi_request)
    assert browser.get(reverse("admin:governance_expense_add")).status_code == 403


def test_the_approve_action_keeps_maker_and_checker_apart(client_for):
    club = make_club(client_for)
    expense = expense_record(club)

    refused = approve(browser_for(club.treasurer), expense)
    signed = approve(browser_for(club.chair), expense)

    assert f"{expense}: {ExpenseError.SAME_OFFICIAL.message}" in refused
    assert "Signed: 1." in signed
    stored = Expense.objects.get(pk=expense.pk)
    assert stored.status == "approved"
    assert legs(stored.approved_entry) == [
        ("2400", "C", Decimal("3000.00")),
        ("5100", "D", Decimal("3000.00")),
    ]
