"""The welfare forecast's reads: the granted claims of one chama or of many, grouped by chama
and day, and their welfare policies, in two queries however many chamas
(``finance.welfare_forecast`` computes from them)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.money import money
from finance.choices import GRANTED_WELFARE_CLAIM_STATUSES
from finance.models import WelfareClaim, WelfarePolicy
from finance.welfare_forecast import HISTORY_DAYS, ClaimDay, WelfareForecast, welfare_forecast
from groups.models import Chama


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def welfare_claim_days(chama_ids: list[UUID], *, on: date) -> dict[UUID, list[ClaimDay]]:
    """The claims granted (approved, in flight or paid) of the two years before ``on``, by
    chama and the day they were submitted (in Nairobi): when the need arose."""
    rows = (
        WelfareClaim.objects.filter(
            chama_id__in=chama_ids,
            status__in=GRANTED_WELFARE_CLAIM_STATUSES,
            created_at__gte=_midnight(on - timedelta(days=HISTORY_DAYS)),
            created_at__lt=_midnight(on),
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("chama_id", "day")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by()
    )
    by_chama: dict[UUID, list[ClaimDay]] = defaultdict(list)
    for chama_id, day, count, amount in rows:
        by_chama[chama_id].append(ClaimDay(day=day, count=count, amount=money(amount)))
    return by_chama


def welfare_forecast_map(chamas: Iterable[Chama], *, on: date) -> dict[UUID, WelfareForecast]:
    """Each chama's welfare forecast on ``on``, by chama id, in two queries: the granted
    claims and the welfare policies (the constitution's buffer, the fallback)."""
    loaded = list(chamas)
    if not loaded:
        return {}
    ids = [chama.pk for chama in loaded]
    history = welfare_claim_days(ids, on=on)
    buffers: dict[UUID, Decimal] = dict(
        WelfarePolicy.objects.filter(chama_id__in=ids).values_list("chama_id", "buffer")
    )
    return {
        chama.pk: welfare_forecast(
            history.get(chama.pk, []),
            on=on,
            began=timezone.localdate(chama.created_at),
            constitution_buffer=buffers.get(chama.pk),
        )
        for chama in loaded
    }


def welfare_forecast_get(*, chama: Chama, on: date | None = None) -> WelfareForecast:
    """One chama's welfare forecast, today unless ``on``."""
    on = on or timezone.localdate()
    return welfare_forecast_map([chama], on=on)[chama.pk]
