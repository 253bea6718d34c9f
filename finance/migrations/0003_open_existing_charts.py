"""Give chamas created before the ledger existed their chart of accounts."""

from django.db import migrations

from finance.chart import CHART
from finance.choices import AccountScope


def open_charts(apps, schema_editor):
    Chama = apps.get_model("groups", "Chama")
    LedgerAccount = apps.get_model("finance", "LedgerAccount")
    LedgerAccount.objects.bulk_create(
        [
            LedgerAccount(chama=chama, code=spec.code, name=spec.name, type=spec.type)
            for chama in Chama.objects.all()
            for spec in CHART
            if spec.scope == AccountScope.CHAMA
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_ledger_triggers"), ("groups", "0001_chama_membership")]

    operations = [migrations.RunPython(open_charts, migrations.RunPython.noop)]
