"""The demo chama's investments: made through the services after the other seeds, and
running them again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from finance.models import LedgerAccount
from finance.selectors import trial_balance_get
from groups.models import Chama
from investments.models import Holding, IdleCashSnapshot, SavingsGoal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seed() -> None:
    for command in ("seed_demo", "seed_demo_governance", "seed_demo_investments"):
        call_command(command, stdout=StringIO())


def state() -> dict[str, object]:
    return {
        "holdings": sorted(Holding.objects.values_list("kind", "status", "cost")),
        "goals": sorted(SavingsGoal.objects.values_list("name", "target_amount")),
        "snapshots": IdleCashSnapshot.objects.count(),
    }


def test_the_demo_chama_has_its_investments_once_however_often_it_runs():
    seed()
    first = state()
    seed()

    assert first == {
        "holdings": [("money_market", "active", Decimal("5000.00"))],
        "goals": [("School fees for January", Decimal("60000.00"))],
        "snapshots": 1,
    }
    assert state() == first
    chama = Chama.objects.get()
    assert trial_balance_get(chama=chama) == Decimal("0.00")
    holding = Holding.objects.get()
    assert LedgerAccount.objects.get(holding_id=holding.pk).cached_balance == Decimal("5000.00")


def test_without_the_demo_chama_it_says_so():
    with pytest.raises(CommandError, match=r"No demo chama: run seed_demo first\."):
        call_command("seed_demo_investments", stdout=StringIO())
