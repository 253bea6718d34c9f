"""Seed the withholding-tax setting (15% on Actual/365) and the standard options: the three
Treasury-bill tenors bought through CBK's DhowCSD, and one money-market fund, each with an
illustrative rate history (platform administrators keep the rates current in the admin)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

OPTIONS = [
    # kind, name, term, minimum, increment, paybill, account, [(from, rate)]
    (
        "tbill_91",
        "91-day Treasury bill",
        91,
        "100000.00",
        "50000.00",
        "",
        "DhowCSD",
        [(date(2024, 1, 1), "0.1598"), (date(2024, 7, 1), "0.1597"), (date(2025, 1, 1), "0.0960")],
    ),
    (
        "tbill_182",
        "182-day Treasury bill",
        182,
        "100000.00",
        "50000.00",
        "",
        "DhowCSD",
        [(date(2024, 1, 1), "0.1630"), (date(2024, 7, 1), "0.1667"), (date(2025, 1, 1), "0.1010")],
    ),
    (
        "tbill_364",
        "364-day Treasury bill",
        364,
        "100000.00",
        "50000.00",
        "",
        "DhowCSD",
        [(date(2024, 1, 1), "0.1651"), (date(2024, 7, 1), "0.1684"), (date(2025, 1, 1), "0.1140")],
    ),
]
FUND = (
    "money_market",
    "Money-market fund (demo)",
    None,
    "1000.00",
    "1.00",
    "000000",
    "",
    [(date(2024, 1, 1), "0.1350"), (date(2024, 7, 1), "0.1500"), (date(2025, 1, 1), "0.1200")],
)
TBILL_PROVIDER = "Central Bank of Kenya"
FUND_PROVIDER = "Demo Asset Managers"


def seed(apps, schema_editor):
    TaxSetting = apps.get_model("investments", "TaxSetting")
    InvestmentOption = apps.get_model("investments", "InvestmentOption")
    OptionRate = apps.get_model("investments", "OptionRate")
    TaxSetting.objects.get_or_create(
        effective_from=date(2000, 1, 1),
        defaults={"withholding_rate": Decimal("0.15"), "day_basis": 365},
    )
    for provider, rows in ((TBILL_PROVIDER, OPTIONS), (FUND_PROVIDER, [FUND])):
        for kind, name, term, minimum, increment, paybill, account, rates in rows:
            option, _ = InvestmentOption.objects.get_or_create(
                provider=provider,
                name=name,
                defaults={
                    "kind": kind,
                    "term_days": term,
                    "minimum": Decimal(minimum),
                    "increment": Decimal(increment),
                    "receiving_paybill": paybill,
                    "receiving_account": account,
                },
            )
            for effective_from, rate in rates:
                OptionRate.objects.get_or_create(
                    option=option,
                    effective_from=effective_from,
                    defaults={"annual_rate": Decimal(rate)},
                )


class Migration(migrations.Migration):
    dependencies = [("investments", "0001_options_holdings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
