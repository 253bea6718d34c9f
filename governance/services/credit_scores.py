"""Monthly credit scores (reference/money.md "Credit score (0-100)"): 40 points for paying
dues on time, 30 for paying loan installments on time, 20 for attending meetings and 10 for
tenure, stored on each membership with the components and counts behind them.

Rounding: each component is its weight x its ratio, rounded half up to two places; the score
is the sum of the rounded components rounded half up to a whole number, so a member can add
up their own score from what they are shown. An empty ratio earns the component in full: a
member with no due past its grace days yet, no installment due (or no loan ever), or no
meeting held since they joined has done nothing wrong. Tenure is linear from the day a member
joined and full after 365 days.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction

from governance.models import CreditScoreRun
from governance.selectors.credit_scores import ScoreCounts, credit_score_counts
from groups.services import CreditScoreWrite, membership_credit_scores_set

REGULARITY_POINTS = 40
REPAYMENT_POINTS = 30
ATTENDANCE_POINTS = 20
TENURE_POINTS = 10
TENURE_FULL_DAYS = 365
CENT = Decimal("0.01")
COMPONENTS = ("regularity", "repayment", "attendance", "tenure")


def _points(weight: int, done: int, expected: int) -> Decimal:
    if expected == 0:
        return Decimal(weight).quantize(CENT)
    return (Decimal(weight) * done / expected).quantize(CENT, ROUND_HALF_UP)


def credit_score_components(counts: ScoreCounts, *, as_of: date) -> dict[str, Any]:
    """One member's components, JSON-ready: the day scored as of, and for each component its
    points (a two-place decimal string), its maximum and the counts behind them."""
    days = max(0, (as_of - counts.joined_on).days)
    tenure = _points(TENURE_POINTS, min(days, TENURE_FULL_DAYS), TENURE_FULL_DAYS)
    return {
        "as_of": as_of.isoformat(),
        "regularity": {
            "points": str(_points(REGULARITY_POINTS, counts.dues_on_time, counts.dues_fallen)),
            "max": REGULARITY_POINTS,
            "on_time": counts.dues_on_time,
            "fallen_due": counts.dues_fallen,
        },
        "repayment": {
            "points": str(
                _points(REPAYMENT_POINTS, counts.installments_on_time, counts.installments_due)
            ),
            "max": REPAYMENT_POINTS,
            "on_time": counts.installments_on_time,
            "due": counts.installments_due,
        },
        "attendance": {
            "points": str(
                _points(ATTENDANCE_POINTS, counts.meetings_attended, counts.meetings_held)
            ),
            "max": ATTENDANCE_POINTS,
            "attended": counts.meetings_attended,
            "held": counts.meetings_held,
        },
        "tenure": {"points": str(tenure), "max": TENURE_POINTS, "days": days},
    }


def credit_score_total(components: dict[str, Any]) -> int:
    """The score: the rounded components' sum, rounded half up to a whole number."""
    total = sum((Decimal(components[name]["points"]) for name in COMPONENTS), Decimal(0))
    return int(total.quantize(Decimal(1), ROUND_HALF_UP))


@transaction.atomic
def credit_scores_compute(*, as_of: date) -> CreditScoreRun | None:
    """Score every membership as of ``as_of`` and record the run of its month. The month's
    run is inserted first: a second run of the month (a double-fired beat, ``run_job`` after
    the beat) meets the unique month, changes nothing and returns None; two at once wait on
    each other's insert. Four aggregate reads, then one UPDATE per thousand members."""
    month = as_of.replace(day=1)
    try:
        with transaction.atomic():
            run = CreditScoreRun.objects.create(month=month, as_of=as_of, memberships=0)
    except IntegrityError:
        return None
    scores = []
    for counts in credit_score_counts(as_of=as_of):
        components = credit_score_components(counts, as_of=as_of)
        scores.append(
            CreditScoreWrite(
                membership_id=counts.membership_id,
                score=credit_score_total(components),
                components=components,
            )
        )
    run.memberships = membership_credit_scores_set(scores=scores)
    run.save(update_fields=["memberships", "updated_at"])
    return run
