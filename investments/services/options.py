"""The platform's options and their dated rates (maintained in the admin, which calls these)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from core.exceptions import ConflictError, ValidationFailed
from investments.exceptions import InvestmentError
from investments.models import InvestmentOption, OptionRate
from investments.models.options import RATE_PLACES

RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)


def option_rate_check(annual_rate: Decimal) -> Decimal:
    """An annual rate is a fraction above 0 and at most 1, with at most six decimal places:
    -0.05 (-5%) and 9 (900%) are refused (400 invalid_rate), as is a percentage typed as 15."""
    if (
        not annual_rate.is_finite()
        or not Decimal(0) < annual_rate <= Decimal(1)
        or annual_rate.quantize(RATE_QUANTUM) != annual_rate
    ):
        raise ValidationFailed(InvestmentError.INVALID_RATE, field="annual_rate")
    return annual_rate


@transaction.atomic
def option_rate_add(
    *, option: InvestmentOption, annual_rate: Decimal, effective_from: date
) -> OptionRate:
    """Give ``option`` a new rate from ``effective_from``; one rate per option per date
    (409 rate_exists)."""
    annual_rate = option_rate_check(annual_rate)
    try:
        with transaction.atomic():
            return OptionRate.objects.create(
                option=option, annual_rate=annual_rate, effective_from=effective_from
            )
    except IntegrityError as exc:
        raise ConflictError(
            InvestmentError.RATE_EXISTS, date=effective_from.isoformat(), field="effective_from"
        ) from exc
