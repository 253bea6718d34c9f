"""Callback intake benchmark: a burst of 1,000 Daraja callbacks, 20% of them duplicates.

400 members on PostgreSQL (scratch database ``hazina_bench``), first all in one chama (every
callback then waits on the same ledger accounts: the worst case), then spread over 20 chamas
of 20 (a platform's burst). Each member has a pending STK prompt (stored as
``stk_push_request`` leaves it once Daraja accepted it); 400 success callbacks and 400 paybill
confirmations to members' account numbers make 800 unique receipts, and 200 more deliveries
repeat some of them, shuffled. The app is served by Django's threaded WSGI server on loopback
and 16 client threads post the burst as fast as it is answered. Reported: throughput, latency
p50/p95/p99, and the contributions created, which must equal the unique receipts.
"""

import json
import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import requests
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection

from accounts.services import user_get_or_invite
from finance.models import Contribution
from finance.selectors import trial_balance_get
from finance.services.cycles import cycle_create
from groups.choices import Plan
from groups.models import Chama, Membership
from groups.services import chama_create, membership_add
from mpesa.callbacks import callback_url
from mpesa.choices import CallbackKind, CallbackOutcome
from mpesa.models import DarajaCallback, StkRequest

MEMBERS = 400
DUPLICATES = 200
CLIENTS = 16
AMOUNT = Decimal("500.00")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


def _chama(code: str, size: int, phones: int) -> tuple[Chama, list[Membership]]:
    chair = user_get_or_invite(phone=f"2547{phones:08d}", full_name="Intake Chair")
    chama = chama_create(
        creator=chair,
        name=f"Intake Bench {code}",
        code=code,
        plan=Plan.PREMIUM,
        contribution_amount=AMOUNT,
        savings_amount=AMOUNT,
    )
    for seat in range(2, size + 1):
        membership_add(chama=chama, actor=None, phone=f"2547{phones + seat:08d}", full_name="M")
    cycle_create(chama=chama, start_date=date(2026, 1, 1))
    return chama, list(Membership.objects.filter(chama=chama).order_by("seat"))


def _stk(checkout: str, receipt: str, phone: str) -> dict[str, object]:
    items = [
        {"Name": "Amount", "Value": 500.00},
        {"Name": "MpesaReceiptNumber", "Value": receipt},
        {"Name": "Balance"},
        {"Name": "TransactionDate", "Value": 20260115143041},
        {"Name": "PhoneNumber", "Value": int(phone)},
    ]
    return {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "bench",
                "CheckoutRequestID": checkout,
                "ResultCode": 0,
                "ResultDesc": "The service request is processed successfully.",
                "CallbackMetadata": {"Item": items},
            }
        }
    }


def _c2b(receipt: str, account: str) -> dict[str, object]:
    return {
        "TransactionType": "Pay Bill",
        "TransID": receipt,
        "TransTime": "20260115170211",
        "TransAmount": "500.00",
        "BusinessShortCode": "600984",
        "BillRefNumber": account,
        "MSISDN": "2547 ***** 678",
        "FirstName": "BENCH",
    }


def _burst(
    groups: list[tuple[Chama, list[Membership]]], tag: str
) -> list[tuple[str, dict[str, object]]]:
    burst: list[tuple[str, dict[str, object]]] = []
    pairs = [(chama, member) for chama, members in groups for member in members]
    for n, (chama, member) in enumerate(pairs):
        checkout = f"ws_CO_BENCH{tag}{n:06d}"
        StkRequest.objects.create(
            chama=chama,
            membership=member,
            purpose="contribution",
            amount=AMOUNT,
            phone=member.receive_phone,
            account_reference=f"{chama.code}{member.member_code}",
            checkout_request_id=checkout,
        )
        burst.append(
            (callback_url(CallbackKind.STK), _stk(checkout, f"S{tag}{n:08d}", member.receive_phone))
        )
        account = f"{chama.code}{member.member_code}"
        burst.append((callback_url(CallbackKind.C2B_CONFIRMATION), _c2b(f"C{tag}{n:08d}", account)))
    rng = random.Random(42)
    burst += [rng.choice(burst) for _ in range(DUPLICATES)]
    rng.shuffle(burst)
    return burst


def _measure(label: str, groups: list[tuple[Chama, list[Membership]]], tag: str) -> bool:
    burst = _burst(groups, tag)
    connection.close()  # the server threads open their own connections
    session_local = threading.local()

    def post(item: tuple[str, dict[str, object]]) -> tuple[float, int]:
        session = getattr(session_local, "session", None) or requests.Session()
        session_local.session = session
        started = time.perf_counter()
        response = session.post(
            item[0],
            data=json.dumps(item[1]),
            timeout=60,
            headers={"Content-Type": "application/json"},
        )
        return time.perf_counter() - started, response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(post, burst))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[0] * 1000 for r in results)
    statuses = {s for _, s in results}
    unique = len({json.dumps(b, sort_keys=True) for _, b in burst})
    chamas = [chama for chama, _ in groups]
    created = Contribution.objects.filter(chama__in=chamas).count()
    duplicates = DarajaCallback.objects.filter(
        outcome=CallbackOutcome.DUPLICATE, reference__contains=tag
    ).count()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

    balanced = all(trial_balance_get(chama=chama) == 0 for chama in chamas)
    print(f"{label}: {len(burst)} callbacks by {CLIENTS} clients, {unique} unique receipts")
    print(f"  answers {sorted(statuses)} in {elapsed:.2f} s = {len(burst) / elapsed:.0f}/s")
    print(
        f"  latency ms: p50 {statistics.median(latencies):.1f}  p95 {pct(0.95):.1f}  "
        f"p99 {pct(0.99):.1f}  max {latencies[-1]:.1f}"
    )
    print(f"  contributions created {created} (unique receipts {unique}); duplicates {duplicates}")
    print(f"  trial balances zero: {balanced}")
    return created == unique and statuses == {200} and balanced


def run() -> int:
    from bench.common import scratch_database_create, scratch_database_drop

    previous = scratch_database_create()
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MPESA_CALLBACK_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    try:
        one = [_chama("INT001", MEMBERS, 40000000)]
        ok = _measure("one chama of 400", one, "A")
        spread = [_chama(f"INS{n:03d}", MEMBERS // 20, 41000000 + n * 100) for n in range(20)]
        ok = _measure("20 chamas of 20", spread, "B") and ok
        return 0 if ok else 1
    finally:
        server.shutdown()
        server.server_close()
        connection.close()
        scratch_database_drop(previous)
