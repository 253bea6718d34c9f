"""HTTP benchmark: the write path, the lists and the callbacks through a real server.

The machine is shared and noisy, so absolute rates move from run to run; measures interleaved
in one run see the same conditions, so each is reported against a floor measured beside it:
``GET auth/me/``, a JWT and one user row. Hazina is served by gunicorn (2 workers of 4
threads, DEBUG off) on a scratch PostgreSQL database, ``hazina_bench_http`` (or
``--scratch-db``), built through the services: a chama of 200 members with 5,000 contributions
and 50 loans, whose lists are read and whose treasurer records contributions, and eight
callback chamas of 50. Eight client threads, a ``requests.Session`` each, run rounds: every
measure sends the same number of requests per round, in an order rotated from round to round.
Reported per measure: the median over rounds of its rate and of its rate over the floor's in
that round, latency p50/p95 over all its requests, and its queries per request (counted
in-process, with the same JWT header).
"""

import json
import os
import signal
import statistics
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.services import user_get_or_invite
from bench.callbacks import AMOUNT, _c2b, _chama, _stk
from bench.common import (
    database_version,
    p95,
    report_write,
    scratch_database_create,
    scratch_database_drop,
)
from bench.loan_list import loans_grow
from bench.serving import THREADS, WORKERS, Call, Clients, Measure, free_port, log_tail, served
from core.db import durable
from finance.choices import PaymentMethod
from finance.models import Contribution
from finance.selectors import loan_list, trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from groups.choices import Plan, Role
from groups.models import Chama, Membership
from groups.services import chama_create, membership_add, membership_update
from mpesa.callbacks import callback_url
from mpesa.choices import CallbackKind
from mpesa.models import StkRequest

SCRATCH_DB = "hazina_bench_http"
RESULTS = Path(__file__).resolve().parent / "results" / "http.json"
MEMBERS, CONTRIBUTIONS, LOANS, LIMIT = 200, 5_000, 50, 50  # the listed chama, its page
BATCH = 250  # contributions per transaction while building
SPREAD, SPREAD_MEMBERS = 8, 50  # the callback chamas
# The run may outlast SIMPLE_JWT's 15 minutes; the server only checks the token's exp claim.
TOKEN_LIFETIME = timedelta(hours=6)
FLOOR = "floor"
# A measure's rate over another's in the same round (median over rounds): at least this.
TARGETS: dict[tuple[str, str], float] = {
    ("write", FLOOR): 0.5,
    ("list_contributions", FLOOR): 0.5,
    ("list_members", FLOOR): 0.5,
    ("list_loans", FLOOR): 0.5,
    ("callbacks_one", "callbacks_eight"): 0.8,
}
BOOKED = ("write", "callbacks_one", "callbacks_eight")  # one contribution per receipt sent


# --- the data, through the services ---------------------------------------------------------


@durable
def _contributions_batch(*, chama: Chama, members: list[Membership], numbers: range) -> None:
    """Contributions in one transaction, each its own savepoint: committing 5,000 one by one
    would be much of the set-up time."""
    for n in numbers:
        by_cash = n % 10 == 9  # the cash box the loans are paid out of
        contribution_record(
            chama=chama,
            membership=members[n % len(members)],
            amount=AMOUNT,
            method=PaymentMethod.CASH if by_cash else PaymentMethod.MPESA,
            mpesa_receipt=None if by_cash else f"H{n:09d}",
            recorded_by=members[1].user,
            nested=True,
        )


def listed_chama_open() -> tuple[Chama, list[Membership]]:
    """200 members (seat 2 the treasurer), 5,000 contributions, then the cycle, then 50 loans.
    The contributions are paid ahead of the cycle, as member credit that ``cycle_create``
    applies to the new dues: a payment into a cycle reads every open due of its member (200
    here), which would triple the set-up time."""
    chair = user_get_or_invite(phone="254752000000", full_name="Listed Chair")
    chama = chama_create(
        creator=chair,
        name="HTTP Bench Listed",
        code="HTL001",
        plan=Plan.PREMIUM,
        contribution_amount=AMOUNT,
    )
    for seat in range(2, MEMBERS + 1):
        phone = f"2547{52000000 + seat:08d}"
        membership_add(chama=chama, actor=None, phone=phone, full_name=f"Listed {seat:03d}")
    members = list(Membership.objects.filter(chama=chama).select_related("user").order_by("seat"))
    members[1] = membership_update(membership=members[1], actor=None, data={"role": Role.TREASURER})
    for start in range(0, CONTRIBUTIONS, BATCH):
        numbers = range(start, min(start + BATCH, CONTRIBUTIONS))
        _contributions_batch(chama=chama, members=members, numbers=numbers)
    cycle_create(chama=chama, start_date=date(2026, 1, 1))
    loans_grow(chama, members, LOANS)
    return chama, members


def _token(user: User) -> str:
    access = RefreshToken.for_user(user).access_token
    access.set_exp(lifetime=TOKEN_LIFETIME)
    return str(access)


def _callbacks(groups: list[tuple[Chama, list[Membership]]], count: int, tag: str) -> list[Call]:
    """STK success callbacks (each for a pending prompt made here) and paybill confirmations,
    half and half, each with a new receipt. Consecutive callbacks go to the next chama's next
    member, so the eight in flight are spread as widely as the chamas allow."""
    pairs = [(c, members[i]) for i in range(SPREAD_MEMBERS) for c, members in groups]
    stk, c2b = callback_url(CallbackKind.STK), callback_url(CallbackKind.C2B_CONFIRMATION)
    calls = []
    for n in range(count):
        chama, member = pairs[n % len(pairs)]
        account = f"{chama.code}{member.member_code}"
        if (n // len(groups)) % 2:
            receipt, url, payload = f"C{tag}{n:08d}", c2b, _c2b(f"C{tag}{n:08d}", account)
        else:
            checkout, receipt, url = f"ws_CO_HTTP{tag}{n:06d}", f"S{tag}{n:08d}", stk
            StkRequest.objects.create(
                chama=chama,
                membership=member,
                purpose="contribution",
                amount=AMOUNT,
                phone=member.receive_phone,
                account_reference=account,
                checkout_request_id=checkout,
            )
            payload = _stk(checkout, receipt, member.receive_phone)
        calls.append(Call("POST", url, json.dumps(payload).encode(), receipt))
    return calls


def measures_build(
    listed: Chama,
    members: list[Membership],
    chamas: list[tuple[Chama, list[Membership]]],
    base: str,
    total: int,
) -> list[Measure]:
    treasurer = {"Authorization": f"Bearer {_token(members[1].user)}"}
    member = {"Authorization": f"Bearer {_token(members[-1].user)}"}
    api = f"{base}/api/v1/chamas/{listed.pk}"

    def reads(key: str, label: str, url: str, headers: dict[str, str]) -> Measure:
        return Measure(key, label, headers, [Call("GET", url)] * total, [Call("GET", url)] * 2)

    def writes(prefix: str, count: int) -> list[Call]:
        calls = []
        for n in range(count):
            receipt = f"{prefix}{n:09d}"
            body = {
                "member_id": str(members[n % len(members)].pk),
                "amount": "100.00",
                "method": "mpesa",
                "status": "confirmed",
                "mpesa_receipt": receipt,
            }
            calls.append(Call("POST", f"{api}/contributions/", json.dumps(body).encode(), receipt))
        return calls

    posts = {**treasurer, "Content-Type": "application/json"}
    daraja = {"Content-Type": "application/json"}
    return [
        reads(FLOOR, "floor: GET auth/me/", f"{base}/api/v1/auth/me/", member),
        Measure("write", "POST contributions/", posts, writes("W", total), writes("Q", 2), 201),
        *(
            reads(
                f"list_{name}",
                f"GET {name}/?limit={LIMIT}",
                f"{api}/{name}/?limit={LIMIT}",
                treasurer,
            )
            for name in ("contributions", "members", "loans")
        ),
        Measure(
            "callbacks_one",
            "callbacks, one chama",
            daraja,
            _callbacks(chamas[:1], total, "A"),
            _callbacks(chamas[:1], 4, "Q"),
        ),
        Measure(
            "callbacks_eight",
            "callbacks, eight chamas",
            daraja,
            _callbacks(chamas, total, "B"),
            _callbacks(chamas[1:2], 4, "R"),  # the path is the same as in one chama
        ),
    ]


def queries_count(measure: Measure) -> None:
    """Queries per request through the whole stack in this process (the real JWT header, so
    the user's row is counted), after a warm-up request of each kind."""
    client = APIClient()
    headers = {k: v for k, v in measure.headers.items() if k != "Content-Type"}
    counts = []
    for index, call in enumerate(measure.probe):
        url = urlsplit(call.url)
        path = f"{url.path}?{url.query}" if url.query else url.path
        body = (call.body or b"").decode()
        with CaptureQueriesContext(connection) as captured:
            response = client.generic(
                call.method, path, body, content_type="application/json", headers=headers
            )
        if response.status_code != measure.expected:
            raise RuntimeError(f"{measure.label}: {response.status_code} {response.content!r}")
        if index >= len(measure.probe) // 2:
            counts.append(len(captured.captured_queries))
    kinds = ("STK ", "C2B ") if len(counts) == 2 else ("",)  # a callback probe: STK, paybill
    measure.queries = " / ".join(
        f"{kind}{count}" for kind, count in zip(kinds, counts, strict=True)
    )


# --- the report -----------------------------------------------------------------------------


def _ratio(over: Measure, under: Measure) -> float:
    return statistics.median(a / b for a, b in zip(over.rates, under.rates, strict=True))


def summary(measures: list[Measure]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    by_key = {m.key: m for m in measures}
    rows = [
        {
            "key": m.key,
            "label": m.label,
            "rate_median": statistics.median(m.rates),
            "rates": [round(r, 1) for r in m.rates],
            "ratio_to_floor": _ratio(m, by_key[FLOOR]),
            "p50_ms": statistics.median(m.latencies_ms) if m.latencies_ms else None,
            "p95_ms": p95(m.latencies_ms) if m.latencies_ms else None,
            "queries": m.queries,
            "client_cpu_share": statistics.median(m.client_cpu),  # of one core
            "failures": m.failures,
        }
        for m in measures
    ]
    targets = []
    for (over, under), minimum in TARGETS.items():
        ratio = _ratio(by_key[over], by_key[under])
        label = f"{by_key[over].label} / {by_key[under].label}"
        targets.append(
            {"measure": label, "ratio": ratio, "target": minimum, "met": ratio >= minimum}
        )
    return rows, targets


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'measure':<30} {'req/s':>6} {'x floor':>7} {'p50 ms':>7} {'p95 ms':>7}  "
        f"{'queries/request':<16} {'failed':>6}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        p50, p95 = (f"{row[k]:.1f}" if row[k] is not None else "-" for k in ("p50_ms", "p95_ms"))
        lines.append(
            f"{row['label']:<30} {row['rate_median']:>6.1f} {row['ratio_to_floor']:>7.2f} "
            f"{p50:>7} {p95:>7}  {row['queries']:<16} {row['failures']:>6}"
        )
    return "\n".join(lines)


def books_check(measures: list[Measure], chamas: list[Chama]) -> list[str]:
    """What the server booked: one contribution per receipt sent, every trial balance zero."""
    problems = []
    for m in (m for m in measures if m.key in BOOKED):
        sent = {call.receipt for call in m.calls[: m.sent]}
        booked = Contribution.objects.filter(mpesa_receipt__in=sent).count()
        print(f"  {m.label}: {booked} contributions for {len(sent)} receipts sent")
        if booked != len(sent):
            problems.append(f"{m.label}: {booked} contributions for {len(sent)} receipts")
    if unbalanced := [c.code for c in chamas if trial_balance_get(chama=c) != 0]:
        problems.append(f"trial balance not zero: {', '.join(unbalanced)}")
    return problems


def run(
    *, rounds: int, requests_per_round: int, clients: int, keep_db: bool, scratch_db: str
) -> int:
    if connection.vendor != "postgresql":
        print("DATABASE_URL does not lead to PostgreSQL; refusing to run.")
        return 2
    # A kill (as from `timeout`) unwinds like ^C: the server stops, the database is dropped.
    handler = signal.signal(signal.SIGTERM, _interrupt)
    previous = scratch_database_create(scratch_db)
    try:
        database = database_version()
        print(f"Scratch database {scratch_db} ({database}); building the chamas…")
        started = time.perf_counter()
        listed, members = listed_chama_open()
        chamas = [_chama(f"HTS{n:03d}", SPREAD_MEMBERS, 51000000 + n * 100) for n in range(SPREAD)]
        built = time.perf_counter() - started
        loans = loan_list(chama=listed).count()
        print(
            f"  {MEMBERS} members, {CONTRIBUTIONS:,} contributions and {loans} loans in the listed "
            f"chama; {SPREAD} callback chamas of {SPREAD_MEMBERS} ({built:.0f} s)"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would, in service
        warmup = clients * 2
        total = warmup + rounds * requests_per_round
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with override_settings(MPESA_CALLBACK_BASE_URL=base):
            measures = measures_build(listed, members, chamas, base, total)
        for measure in measures:
            queries_count(measure)
        connection.close()  # the server opens its own connections
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{scratch_db}").geturl()
        print(
            f"gunicorn, {WORKERS} workers of {THREADS} threads; {clients} clients; {warmup} "
            f"warm-up requests, then {rounds} rounds of {requests_per_round}, per measure…"
        )
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            log = Path(scratch) / "gunicorn.log"
            with served(url, port, log), closing(Clients(clients)) as pool:
                for measure in measures:
                    pool.run(measure, warmup, timed=False)
                for number in range(rounds):
                    shift = number % len(measures)
                    for measure in measures[shift:] + measures[:shift]:
                        pool.run(measure, requests_per_round, timed=True)
                    print(f"  round {number + 1}/{rounds}")
            server_log = log_tail(log)
        measured = time.perf_counter() - started
        failed = [m for m in measures if m.failures]
        for m in failed:
            print(f"{m.label}: {m.failures} unexpected answers, the first: {m.answers}")
        if server_log:
            print(f"gunicorn's log (its end):\n{server_log}")
        problems = books_check(measures, [listed] + [c for c, _ in chamas])
        rows, targets = summary(measures)
        report_write(
            RESULTS,
            server=f"gunicorn config.wsgi -w {WORKERS} --threads {THREADS}",
            clients=clients,
            rounds=rounds,
            requests_per_measure_per_round=requests_per_round,
            warmup_per_measure=warmup,
            listed_chama={"members": MEMBERS, "contributions": CONTRIBUTIONS, "loans": loans},
            callback_chamas={"chamas": SPREAD, "members_each": SPREAD_MEMBERS},
            setup_seconds=round(built, 1),
            measure_seconds=round(measured, 1),
            load_average=os.getloadavg(),
            measures=rows,
            targets=targets,
            problems=problems,
        )
        print(f"\nHTTP write path and lists, {database}, medians of {rounds} rounds")
        print(_table(rows))
        cpu = rows[0]["client_cpu_share"]
        print(f"(the clients, in this process, used {cpu:.2f} of a core during the floor)\n")
        for t in targets:
            verdict = "PASS" if t["met"] else "MISS"
            print(f"  {verdict}  {t['measure']}: {t['ratio']:.2f} (target ≥ {t['target']})")
        for problem in problems:
            print(f"  PROBLEM  {problem}")
        print(f"\nWritten to {RESULTS}")
        return 1 if failed or problems else 0
    except KeyboardInterrupt:
        print("Interrupted.")
        return 130
    finally:
        connection.close()
        if keep_db:
            print(f"Kept {scratch_db} (--keep-db).")
        else:
            scratch_database_drop(previous)
        signal.signal(signal.SIGTERM, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
