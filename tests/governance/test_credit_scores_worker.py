"""The monthly credit scores on a real Celery worker: enqueued through Redis, run on the
committed books, the hand-computed scores stored when it answers, and a second run in the
same month scores nobody again. The worker is a thread of this process, so the clock moved
here (ticking) is its clock too."""

from datetime import datetime

import pytest
import time_machine

from governance.models import CreditScoreRun
from governance.tasks import credit_scores_compute_task
from tests.celery_worker import WAIT
from tests.governance.credit_scores_fixtures import NAIROBI, pamoja


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_the_worker_scores_every_member_once_a_month(celery_worker):
    book = pamoja()

    with time_machine.travel(datetime(2026, 5, 1, 3, tzinfo=NAIROBI), tick=True):
        first = credit_scores_compute_task.delay().get(timeout=WAIT)
        again = credit_scores_compute_task.delay().get(timeout=WAIT)

    assert first == "5 credit score(s) computed for 2026-05"
    assert again == "credit scores of 2026-05 already computed"
    assert CreditScoreRun.objects.count() == 1
    for member, score in [(book.regular, 93), (book.late, 67), (book.defaulter, 50)]:
        member.refresh_from_db()
        assert (member.credit_score, member.credit_score_components["as_of"]) == (
            score,
            "2026-05-01",
        )
