"""The demo chama's governance: made through the services after seed_demo, and running it
again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from finance.models import Fine
from governance.models import ConstitutionVersion, Expense, Meeting, Vote
from groups.models import Chama

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_governance", stdout=StringIO())


def state() -> dict[str, object]:
    return {
        "versions": ConstitutionVersion.objects.count(),
        "meetings": sorted(Meeting.objects.values_list("status", flat=True)),
        "minutes": Meeting.objects.exclude(minutes="").count(),
        "votes": sorted(Vote.objects.values_list("status", "result")),
        "fines": sorted(Fine.objects.values_list("status", "amount")),
        "expenses": sorted(Expense.objects.values_list("status", "amount")),
    }


def test_the_demo_chama_has_its_governance_once_however_often_it_runs():
    seed()
    first = state()
    seed()

    assert first == {
        "versions": 1,
        "meetings": ["held", "held", "scheduled"],
        "minutes": 2,
        "votes": [("closed", "passed"), ("open", "")],
        "fines": [("issued", Decimal("100.00")), ("paid", Decimal("100.00"))],
        "expenses": [("paid", Decimal("2500.00")), ("pending", Decimal("850.00"))],
    }
    assert state() == first
    chama = Chama.objects.get()
    assert chama.constitution_version == 1


def test_it_needs_the_demo_chama_first():
    with pytest.raises(CommandError, match="run seed_demo first"):
        call_command("seed_demo_governance", stdout=StringIO())
