"""The monthly credit scores against hand-computed members (tests/governance/
credit_scores_fixtures.py tells Pamoja's four months), the grace days, the run's natural key
on the clock, the constant query count and the loan rate the score earns."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from core.exceptions import ValidationFailed
from finance.services.loans import loan_policy_get, loan_quote
from governance.models import CreditScoreRun
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.credit_scores import credit_scores_compute
from groups.models import Membership
from groups.services import CreditScoreWrite, membership_credit_scores_set
from tests.factories import UserFactory, make_chama
from tests.governance.credit_scores_fixtures import Pamoja, on, pamoja

pytestmark = pytest.mark.django_db

MAY_1 = date(2026, 5, 1)


@pytest.fixture
def book() -> Pamoja:
    return pamoja()


def scored(member: Membership) -> tuple[int | None, dict[str, dict[str, object]]]:
    member.refresh_from_db()
    return member.credit_score, member.credit_score_components


def part(points: str, max_: int, **counts: int) -> dict[str, object]:
    return {"points": points, "max": max_, **counts}


def tenure(points: str, days: int) -> dict[str, object]:
    return part(points, 10, days=days)


def run_job() -> str:
    out = StringIO()
    call_command("run_job", "credit_scores_compute", stdout=out)
    return out.getvalue().strip()


def test_hand_computed_members_as_of_the_first_of_may(book):
    # Given Pamoja's first four months; when the scores are computed on 1 May
    with on("2026-05-01", hour=3):
        run = credit_scores_compute(as_of=MAY_1)

    assert run is not None
    assert (run.month, run.as_of, run.memberships) == (MAY_1, MAY_1, 5)
    # Then the regular payer: 4 of 4 dues on time (40), never borrowed (30), 3 of 3 meetings
    # (20), 120 days of 365 (10 x 120 / 365 = 3.2876 -> 3.29): 93.29 -> 93.
    assert scored(book.regular) == (
        93,
        {
            "as_of": "2026-05-01",
            "regularity": part("40.00", 40, on_time=4, fallen_due=4),
            "repayment": part("30.00", 30, on_time=0, due=0),
            "attendance": part("20.00", 20, attended=3, held=3),
            "tenure": tenure("3.29", 120),
        },
    )
    # The late payer: February paid on the 10th and April never: 2 of 4 (20); present and
    # late count as attended, absent does not: 2 of 3 (13.33): 66.62 -> 67.
    assert scored(book.late) == (
        67,
        {
            "as_of": "2026-05-01",
            "regularity": part("20.00", 40, on_time=2, fallen_due=4),
            "repayment": part("30.00", 30, on_time=0, due=0),
            "attendance": part("13.33", 20, attended=2, held=3),
            "tenure": tenure("3.29", 120),
        },
    )
    # The defaulter: every due on time, none of three installments paid (0); an excused
    # absence is still not attendance: 1 of 3 (6.67): 49.96 -> 50.
    assert scored(book.defaulter) == (
        50,
        {
            "as_of": "2026-05-01",
            "regularity": part("40.00", 40, on_time=4, fallen_due=4),
            "repayment": part("0.00", 30, on_time=0, due=3),
            "attendance": part("6.67", 20, attended=1, held=3),
            "tenure": tenure("3.29", 120),
        },
    )
    # The slow borrower: 1 of 4 dues (10); installment 1 on its day, 2 ten days late, 3
    # unpaid: 1 of 3 (10.00); no meeting (0): 23.29 -> 23.
    assert scored(book.absent) == (
        23,
        {
            "as_of": "2026-05-01",
            "regularity": part("10.00", 40, on_time=1, fallen_due=4),
            "repayment": part("10.00", 30, on_time=1, due=3),
            "attendance": part("0.00", 20, attended=0, held=3),
            "tenure": tenure("3.29", 120),
        },
    )
    # The newcomer: nothing fell due, never borrowed, no meeting since joining: each of
    # those in full; 11 days of tenure (0.30): 90.30 -> 90.
    assert scored(book.newcomer) == (
        90,
        {
            "as_of": "2026-05-01",
            "regularity": part("40.00", 40, on_time=0, fallen_due=0),
            "repayment": part("30.00", 30, on_time=0, due=0),
            "attendance": part("20.00", 20, attended=0, held=0),
            "tenure": tenure("0.30", 11),
        },
    )


def test_a_payment_inside_the_grace_days_is_on_time(book):
    # Given a constitution of 10 grace days for contributions and a loan policy of 10
    with on("2026-04-25"):
        rules = constitution_rules_get(chama=book.chama)
        rules = replace(rules, contribution=replace(rules.contribution, grace_days=10))
        constitution_adopt(chama=book.chama, acting=book.regular, rules=rules)
    policy = loan_policy_get(chama=book.chama)
    policy.grace_days = 10
    policy.save()
    # When scored on 1 May
    with on("2026-05-01", hour=3):
        credit_scores_compute(as_of=MAY_1)
    # Then February's due paid on the 10th (9 days late) is on time: 3 of 4 (30.00)
    assert scored(book.late)[1]["regularity"] == part("30.00", 40, on_time=3, fallen_due=4)
    # and the installment of 10 March repaid on the 20th too: 2 of 3 (20.00)
    assert scored(book.absent)[1]["repayment"] == part("20.00", 30, on_time=2, due=3)


def test_a_due_still_inside_its_grace_days_counts_neither_way(book):
    # Given grace days of 10: April's due is on time until 11 April
    with on("2026-03-25"):
        rules = constitution_rules_get(chama=book.chama)
        rules = replace(rules, contribution=replace(rules.contribution, grace_days=10))
        constitution_adopt(chama=book.chama, acting=book.regular, rules=rules)
    # When scored on 5 April, April's unpaid due of the late payer does not count yet
    with on("2026-04-05", hour=3):
        credit_scores_compute(as_of=date(2026, 4, 5))
    assert scored(book.late)[1]["regularity"] == part("40.00", 40, on_time=3, fallen_due=3)


def test_the_job_run_twice_in_a_month_changes_nothing(book):
    with on("2026-05-01", hour=3):
        assert run_job() == "credit_scores_compute: 5 credit score(s) computed for 2026-05"
    before = list(Membership.objects.order_by("pk").values_list("pk", "credit_score_components"))

    # Fired again the same month (a double beat, or by hand a week later)
    with on("2026-05-08", hour=3):
        assert run_job() == "credit_scores_compute: credit scores of 2026-05 already computed"

    after = Membership.objects.order_by("pk").values_list("pk", "credit_score_components")
    assert list(after) == before
    assert list(CreditScoreRun.objects.values_list("month", "memberships")) == [(MAY_1, 5)]
    # The next month scores again, the newcomer's tenure a month longer
    with on("2026-06-01", hour=3):
        assert run_job() == "credit_scores_compute: 5 credit score(s) computed for 2026-06"
    assert scored(book.newcomer)[1]["tenure"] == tenure("1.15", 42)
    assert CreditScoreRun.objects.count() == 2


def _members(count: int) -> None:
    """A chama of ``count`` plain membership rows (bulk: no money, nothing to score but
    tenure and empty ratios)."""
    chama = make_chama(member_limit=None)
    users = UserFactory.create_batch(count - 1)
    Membership.objects.bulk_create(
        Membership(
            chama=chama,
            user=user,
            seat=n + 2,
            member_code=f"M{n + 2:03d}",
            receive_phone=user.phone,
            joined_on=date(2026, 1, 1),
        )
        for n, user in enumerate(users)
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_query_count_is_the_same_for_10_and_200_memberships(count, django_assert_num_queries):
    _members(count)
    # The transaction (2), the run's insert with its audit row in a savepoint (4), the four
    # reads, one UPDATE of the members in a savepoint (3: a batch is up to 200 on SQLite,
    # 10,000 on PostgreSQL), the run's count with its audit row (3).
    ContentType.objects.get_for_model(CreditScoreRun)  # cached, as in any running process
    with django_assert_num_queries(16):
        run = credit_scores_compute(as_of=MAY_1)
    assert run is not None
    assert run.memberships == count


def test_a_computed_score_lowers_the_quoted_rate(book):
    # Given a policy of 10% a month less 20% of it from a score of 90
    policy = loan_policy_get(chama=book.chama)
    policy.interest_rate = Decimal("0.100000")
    policy.credit_discount_min_score = 90
    policy.credit_discount_percent = Decimal("20")
    policy.save()
    with on("2026-05-01", hour=3):
        credit_scores_compute(as_of=MAY_1)
    book.newcomer.refresh_from_db()
    book.late.refresh_from_db()

    with on("2026-05-02"):
        newcomer = loan_quote(
            policy=policy, membership=book.newcomer, principal=Decimal("1000.00"), term_months=2
        )
        late = loan_quote(
            policy=policy, membership=book.late, principal=Decimal("1000.00"), term_months=2
        )

    # Then the newcomer's computed 90 earns 0.08; the late payer's 67 keeps 0.10
    assert (newcomer.terms.credit_score, newcomer.terms.interest_rate) == (90, Decimal("0.08"))
    assert newcomer.terms.credit_discount_percent == Decimal("20")
    assert (late.terms.credit_score, late.terms.interest_rate) == (67, Decimal("0.10"))


def test_a_score_out_of_range_writes_nothing(book):
    rows = [
        CreditScoreWrite(membership_id=book.regular.pk, score=80, components={}),
        CreditScoreWrite(membership_id=book.late.pk, score=101, components={}),
    ]
    with pytest.raises(ValidationFailed) as raised:
        membership_credit_scores_set(scores=rows)
    assert raised.value.message == (
        "A credit score is a whole number from 0 to 100, or none; got 101."
    )
    assert scored(book.regular) == (None, {})
