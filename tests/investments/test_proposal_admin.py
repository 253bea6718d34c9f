"""The back office lists the scan's snapshots and the proposals, read-only."""

import pytest
from django.test import Client

from investments.services.idle_cash import idle_cash_scan
from tests.factories import UserFactory
from tests.investments.idle_fixtures import TODAY, at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["idlecashsnapshot", "investmentproposal"])
def test_the_lists_show_what_the_scan_made(umoja, model):
    with at(TODAY):
        idle_cash_scan()
    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = admin_client.get(f"/admin/investments/{model}/")
    adding = admin_client.get(f"/admin/investments/{model}/add/")

    assert listing.status_code == 200
    assert umoja.chama.code in listing.content.decode()
    assert adding.status_code == 403  # written by the job and the API only
