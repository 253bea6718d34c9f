"""An investment holding's own sub-account of 1200: one per holding, always 1200, never
mistaken for the chama-wide account, its owner fixed (PostgreSQL)."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from finance import chart
from finance.models import LedgerAccount
from finance.services.ledger import ledger_account_get
from finance.services.ledger_bulk import ledger_accounts_bulk
from finance.services.ledger_holdings import ledger_holding_account_open
from tests.factories import make_chama


@pytest.mark.django_db
def test_a_holding_account_is_opened_once_and_the_chama_wide_1200_stays_apart():
    chama = make_chama()
    holding = uuid.uuid4()
    first = ledger_holding_account_open(chama=chama, holding_id=holding, label="91-day bill")
    again = ledger_holding_account_open(chama=chama, holding_id=holding, label="91-day bill")
    assert first.pk == again.pk
    assert (first.code, first.name) == ("1200", "Investments at cost — 91-day bill")
    ledger_holding_account_open(chama=chama, holding_id=uuid.uuid4(), label="a fund")
    wide = ledger_account_get(chama=chama, code=chart.INVESTMENTS)
    assert wide.holding_id is None
    bulk = ledger_accounts_bulk({(chama.pk, chart.INVESTMENTS, None)})
    assert bulk[(chama.pk, chart.INVESTMENTS, None)].pk == wide.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"code": "1020"}, "holding_is_investment"),
        ({"code": "1200", "again": True}, "holding_unique"),
    ],
)
def test_the_database_holds_the_holding_account_rules(fields, constraint):
    chama = make_chama()
    holding = uuid.uuid4()
    if fields.pop("again", False):
        ledger_holding_account_open(chama=chama, holding_id=holding, label="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerAccount.objects.bulk_create(
            [LedgerAccount(chama=chama, name="x", type="asset", holding_id=holding, **fields)]
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_holding_account_never_changes_its_holding():
    chama = make_chama()
    account = ledger_holding_account_open(chama=chama, holding_id=uuid.uuid4(), label="x")
    with pytest.raises(IntegrityError, match="never changes its chama, code or owner"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE finance_ledgeraccount SET holding_id = %s WHERE id = %s",
                [uuid.uuid4().hex, account.pk],
            )
