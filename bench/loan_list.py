"""Loan list benchmark: the loans of a 500-member chama with balances outstanding.

One savings chama of 500 members is built through the services, each member's 1,000.00 of
savings posted in cash through the ledger service (Dr 1030 · Cr 2100-M); then members borrow,
one loan each (300.00 flat at 10% a month over 3 months: applied, approved, disbursed in cash),
and every other borrower repays 110.00 of it, so the list shows balances part repaid and
untouched. The loans are grown to each size in turn (50, then 500: every member) and, at each
size, warm runs measure with their query counts:

* ``GET chamas/{id}/loans/`` through the whole stack (JWT, middleware, the view, JSON): the
  default page of 50 and the largest page, 200;
* the selector behind it, ``finance.selectors.loan_list``, over every loan of the chama with
  ``LoanOutputSerializer``: what a treasurer's export of the whole book would read.

On PostgreSQL (a ``postgres://`` DATABASE_URL) it runs in a scratch database created and
dropped beside yours (``hazina_bench_loans`` unless ``--scratch-db`` names another); without
one, in an in-memory SQLite database, which the report says.
"""

import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client, override_settings
from rest_framework.renderers import JSONRenderer
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.services import user_get_or_invite
from bench.common import (
    Timing,
    database_version,
    measure,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from core.db import durable_atomic
from finance import chart
from finance.api.serializers.loans import LoanOutputSerializer
from finance.choices import EntryType, PaymentMethod
from finance.selectors import loan_list
from finance.services.ledger import credit, debit, ledger_account_get, ledger_post
from finance.services.loans import (
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_policy_get,
    loan_repay,
)
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from groups.services import chama_create, membership_add, membership_update

SCRATCH_DB = "hazina_bench_loans"
RESULTS = Path(__file__).resolve().parent / "results" / "loan_list.json"
MEMBERS = 500
SAVINGS = Decimal("1000.00")
PRINCIPAL = Decimal("300.00")
TERM = 3
PART_REPAYMENT = Decimal("110.00")
PAGES = {"api_page_50": 50, "api_page_200": 200}
LABELS = {
    "api_page_50": "GET loans/ (first page of 50)",
    "api_page_200": "GET loans/?limit=200",
    "selector_all": "loan_list, every loan serialised",
}


def chama_open() -> tuple[Chama, list[Membership]]:
    """The chama, its 500 members (seat 2 is the treasurer) and their savings."""
    chair = user_get_or_invite(phone="254731000000", full_name="Loan Bench Chair")
    chama = chama_create(
        creator=chair,
        name="Bench Table Banking",
        code="BEN002",
        plan=Plan.PREMIUM,
    )
    for seat in range(2, MEMBERS + 1):
        membership_add(
            chama=chama,
            actor=None,
            phone=f"2547{31000000 + seat:08d}",
            full_name=f"Bench Borrower {seat:03d}",
        )
    members = list(Membership.objects.filter(chama=chama).select_related("user").order_by("seat"))
    members[1] = membership_update(membership=members[1], actor=None, data={"role": Role.TREASURER})
    # Savings straight through the ledger service, as the ledger benchmark grows its books: a
    # cycle of 500 rounds would first write 250,000 dues for contributions to settle.
    cash = ledger_account_get(chama=chama, code=chart.CASH)
    with durable_atomic():
        for member in members:
            ledger_post(
                chama=chama,
                entry_type=EntryType.CONTRIBUTION,
                lines=[
                    debit(cash, SAVINGS),
                    credit(
                        ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=member),
                        SAVINGS,
                    ),
                ],
                memo=f"Savings of {member.member_code}",
                member=member,
            )
    return chama, members


def loans_grow(chama: Chama, members: list[Membership], count: int) -> float:
    """Lend to members in seat order until ``count`` of them have a loan; returns seconds."""
    started = time.perf_counter()
    chair, treasurer = members[0], members[1]
    have = loan_list(chama=chama).count()
    for member in members[have:count]:
        loan = loan_apply(
            chama=chama,
            membership=member,
            acting=member,
            principal=PRINCIPAL,
            term_months=TERM,
        )
        loan = loan_approve(loan=loan, acting=treasurer if member == chair else chair)
        loan = loan_disburse(loan=loan, acting=treasurer, method="cash")
        if member.seat is not None and member.seat % 2:
            loan_repay(loan=loan, amount=PART_REPAYMENT, method=PaymentMethod.CASH)
    return time.perf_counter() - started


def measure_size(chama: Chama, reader: Membership, *, runs: int, warmup: int) -> dict[str, Timing]:
    client = Client()
    token = RefreshToken.for_user(reader.user).access_token
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/chamas/{chama.pk}/loans/"
    renderer = JSONRenderer()

    def page(limit: int) -> Callable[[], bytes]:
        def read() -> bytes:
            response = client.get(url, {"limit": limit}, headers=headers)
            assert response.status_code == 200, response.content
            return response.content

        return read

    def everything() -> bytes:
        return renderer.render(LoanOutputSerializer(loan_list(chama=chama), many=True).data)

    timings = {key: measure(page(limit), runs=runs, warmup=warmup) for key, limit in PAGES.items()}
    timings["selector_all"] = measure(everything, runs=runs, warmup=warmup)
    return timings


def _table(sizes: list[dict[str, Any]]) -> str:
    head = f"{'measure':<34}"
    for size in sizes:
        head += f" | {size['loans']:>4} loans: {'median':>7} {'p95':>7} {'queries':>7}"
    lines = [head, "-" * len(head)]
    for key, label in LABELS.items():
        line = f"{label:<34}"
        for size in sizes:
            timing = size["measures"][key]
            line += (
                f" | {'':>11}{timing['median_ms']:>7.2f} {timing['p95_ms']:>7.2f} "
                f"{timing['queries']:>7}"
            )
        lines.append(line)
    return "\n".join(lines)


def run(*, sizes: list[int], runs: int, warmup: int, keep_db: bool, scratch_db: str) -> int:
    on_postgres = connection.vendor == "postgresql"
    name = scratch_db if on_postgres else None
    previous = scratch_database_create(name)
    try:
        database = database_version()
        print(f"Scratch database {name or 'in memory'} ({database}); opening the chama…")
        started = time.perf_counter()
        chama, members = chama_open()
        opened = time.perf_counter() - started
        print(f"  {MEMBERS} members with their savings in {opened:.1f} s")
        policy = loan_policy_get(chama=chama)
        results: list[dict[str, Any]] = []
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for count in sizes:
                seconds = loans_grow(chama, members, count)
                if on_postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("VACUUM ANALYZE")  # as autovacuum would, in service
                print(f"  {count} loans (+{seconds:.1f} s); measuring…")
                timings = measure_size(chama, members[-1], runs=runs, warmup=warmup)
                results.append(
                    {
                        "loans": count,
                        "generation_seconds": round(seconds, 1),
                        "measures": {key: t.as_json() for key, t in timings.items()},
                    }
                )
        report_write(
            RESULTS,
            members=MEMBERS,
            loan=f"{PRINCIPAL} {policy.interest_method} over {TERM} months",
            runs=runs,
            warmup=warmup,
            sizes=results,
        )
        print()
        print(f"Loan list, {database}, {MEMBERS} members, {runs} warm runs (ms)")
        print(_table(results))
        print(f"\nWritten to {RESULTS}")
        return 0
    finally:
        if keep_db and on_postgres:
            print(f"Kept {name} (--keep-db).")
        else:
            connection.close()
            scratch_database_drop(previous)
