"""chamas/{id}/ledger/transfers/: the contract, who may do what, bad input, reads and their
query counts; and the proof that money reaches the account an outflow leaves from only by a
transfer (a cash payout from the paybill's money, a welfare claim paid from an empty bank)."""

import uuid
from datetime import datetime
from decimal import Decimal

import pytest

from finance.choices import EntryType, LedgerTransferStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import LedgerTransfer, Payout, WelfareClaim
from finance.services.ledger_transfers import ledger_transfer_reject
from groups.exceptions import GroupsError
from tests.finance.books import legs
from tests.finance.ledger_transfers import (
    BANK,
    CASH,
    PAYBILL,
    books_state,
    cash_accounts,
    completed,
    requested,
    transfer_book,
)
from tests.finance.welfare import contribute, welfare_book
from tests.groups.helpers import assert_error
from tests.permission_matrix import ROLES, matrix_call

pytestmark = pytest.mark.django_db

OFFICIALS = {"chair", "treasurer", "secretary"}
REQUESTERS = {"chair", "treasurer"}


@pytest.fixture
def book():
    """Seats 1 and 2 paid round 1 by M-Pesa, seats 3 and 4 in cash: 2,000 in the paybill and
    2,000 in the cash box."""
    return transfer_book(mpesa=2, cash=2)


def base(chama):
    return f"/api/v1/chamas/{chama.pk}"


def transfers_url(book):
    return f"{base(book.chama)}/ledger/transfers/"


def transfer_url(book, transfer, action=""):
    pk = transfer if isinstance(transfer, uuid.UUID) else transfer.pk
    return f"{transfers_url(book)}{pk}/" + (f"{action}/" if action else "")


def codes(response):
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


def official(membership):
    return {"id": str(membership.user_id), "full_name": membership.user.full_name}


def balances_shown(client, chama):
    """The chama-wide balances as GET ledger/accounts/ shows them, by code."""
    accounts = client.get(f"{base(chama)}/ledger/accounts/").json()["accounts"]
    return {a["code"]: a["balance"] for a in accounts if a["member_id"] is None}


# --- the contract --------------------------------------------------------------------------


def test_the_treasurer_requests_a_sweep_and_another_official_approves_it(book, as_role):
    # When the treasurer asks to sweep 1,500 of the paybill to the bank
    response = as_role("treasurer").post(
        transfers_url(book),
        {"from_account": "paybill", "to_account": "bank", "amount": "1500.00", "memo": "Sweep"},
    )

    # Then it is requested in their name, and nothing has moved
    assert response.status_code == 201, response.content
    transfer = LedgerTransfer.objects.get()
    body = response.json()
    assert datetime.fromisoformat(body.pop("created_at")) == transfer.created_at
    assert body == {
        "id": str(transfer.pk),
        "from_account": "paybill",
        "to_account": "bank",
        "amount": "1500.00",
        "memo": "Sweep",
        "status": "requested",
        "requested_by": official(book.treasurer),
        "decided_by": None,
        "decided_at": None,
        "rejection_reason": "",
        "entry_id": None,
        "signatures": [],
        "signatures_required": 1,
        "signatures_missing": 1,
        "chair_signature_required": False,
    }
    assert cash_accounts(book.chama)["1010"] == Decimal("2000.00")

    # And when the secretary approves it
    approving = as_role("secretary").post(transfer_url(book, transfer, "approve"))

    # Then one entry moves the money: Dr 1020 bank · Cr 1010 paybill
    assert approving.status_code == 200, approving.content
    stored = LedgerTransfer.objects.get(pk=transfer.pk)
    approved = approving.json()
    assert (approved["status"], approved["decided_by"], approved["entry_id"]) == (
        "completed",
        official(book.secretary),
        str(stored.entry_id),
    )
    assert datetime.fromisoformat(approved["decided_at"]) == stored.decided_at
    [signature] = approved["signatures"]
    assert datetime.fromisoformat(signature.pop("signed_at")) <= stored.decided_at
    assert signature == {
        "member_id": str(book.secretary.pk),
        "full_name": book.secretary.user.full_name,
        "decision": "approve",
        "comment": "",
    }
    assert (approved["signatures_required"], approved["signatures_missing"]) == (1, 0)
    assert stored.entry.entry_type == EntryType.TRANSFER
    assert legs(stored.entry) == [
        ("1010", "C", Decimal("1500.00")),
        ("1020", "D", Decimal("1500.00")),
    ]
    shown = balances_shown(as_role("member"), book.chama)
    assert (shown["1010"], shown["1020"], shown["1030"]) == ("500.00", "1500.00", "2000.00")
    entries = as_role("member").get(f"{base(book.chama)}/ledger/entries/?entry_type=transfer")
    assert [e["id"] for e in entries.json()["results"]] == [str(stored.entry_id)]


def test_a_transfer_is_rejected_with_a_reason(book, as_role):
    transfer = requested(book, "1000.00", CASH, BANK)

    response = as_role("chair").post(
        transfer_url(book, transfer, "reject"), {"reason": "Bank the whole box on Friday"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["rejection_reason"], body["entry_id"]) == (
        "rejected",
        official(book.chair),
        "Bank the whole box on Friday",
        None,
    )
    assert cash_accounts(book.chama)["1030"] == Decimal("2000.00")


def test_the_requester_may_withdraw_but_not_approve_their_own(book, as_role):
    transfer = requested(book, "1000.00")
    before = books_state()

    approving = as_role("treasurer").post(transfer_url(book, transfer, "approve"))
    withdrawing = as_role("treasurer").post(
        transfer_url(book, transfer, "reject"), {"reason": "Wrong amount"}
    )

    assert_error(
        approving,
        status=403,
        code="same_official",
        detail=FinanceError.TRANSFER_SAME_OFFICIAL.message,
    )
    assert withdrawing.status_code == 200, withdrawing.content
    assert withdrawing.json()["decided_by"] == official(book.treasurer)
    assert books_state()[1:] == before[1:]  # nothing posted


def test_more_than_the_from_account_holds_is_a_409_and_writes_nothing(book, as_role):
    before = books_state()

    response = as_role("treasurer").post(
        transfers_url(book), {"from_account": "cash", "to_account": "bank", "amount": "2000.01"}
    )

    assert_error(
        response,
        status=409,
        code="insufficient_funds",
        detail="1030 Cash at hand (treasurer) holds KES 2,000.00: it cannot pay out KES 2,000.01.",
    )
    assert books_state() == before


def test_approval_after_the_money_left_is_a_409_from_the_ledger_and_it_stays_requested(
    book, as_role
):
    # Given two requests on the paybill's 2,000, and the first one approved
    first = requested(book, "2000.00", PAYBILL, BANK)
    second = requested(book, "500.00", PAYBILL, CASH, by=book.chair)
    as_role("chair").post(transfer_url(book, first, "approve"))
    before = books_state()

    # When the treasurer approves the second
    response = as_role("treasurer").post(transfer_url(book, second, "approve"))

    # Then the paybill is empty: refused, nothing written, the transfer still requested
    assert_error(
        response,
        status=409,
        code="insufficient_funds",
        detail="1010 M-Pesa paybill holds KES 0.00: it cannot pay out KES 500.00.",
    )
    assert books_state() == before
    assert as_role("member").get(transfer_url(book, second)).json()["status"] == "requested"


def test_deciding_a_decided_transfer_is_a_409(book, as_role):
    transfer = completed(book, "100.00")
    before = books_state()

    approving = as_role("secretary").post(transfer_url(book, transfer, "approve"))
    rejecting = as_role("secretary").post(transfer_url(book, transfer, "reject"), {"reason": "x"})

    for response in (approving, rejecting):
        assert_error(
            response,
            status=409,
            code="transfer_not_requested",
            detail=FinanceError.TRANSFER_NOT_REQUESTED.render(status="completed"),
        )
    assert books_state() == before


# --- who may do what -----------------------------------------------------------------------


def endpoint(book, name, role):
    """(method, url, body, roles allowed, success status), with the state the endpoint needs:
    a transfer to decide is requested by the treasurer, or by the chair when the treasurer
    decides (nobody decides their own)."""
    if name == "list":
        return "GET", transfers_url(book), None, set(ROLES), 200
    if name == "request":
        body = {"from_account": "paybill", "to_account": "bank", "amount": "100.00"}
        return "POST", transfers_url(book), body, REQUESTERS, 201
    maker = book.chair if role == "treasurer" else book.treasurer
    transfer = requested(book, "100.00", by=maker)
    if name == "detail":
        return "GET", transfer_url(book, transfer), None, set(ROLES), 200
    body = {"reason": "Checked."} if name == "reject" else None
    return "POST", transfer_url(book, transfer, name), body, OFFICIALS, 200


ENDPOINTS = ["list", "request", "detail", "approve", "reject"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", ["anonymous", "outsider", *ROLES])
def test_permission_matrix(book, as_role, name, role):
    method, url, body, allowed, success = endpoint(book, name, role)
    before = books_state()

    response = matrix_call(as_role(role), method, url, body)

    if role == "anonymous":
        assert_error(response, status=401, code="not_authenticated")
    elif role == "outsider":
        assert_error(response, status=404, code="not_found")
    elif role not in allowed:
        assert_error(
            response, status=403, code="permission_denied", detail=GroupsError.ROLE_DENIED.message
        )
    else:
        assert response.status_code == success, response.content
    if response.status_code >= 400:
        assert books_state() == before  # a refused request writes nothing


@pytest.mark.parametrize("action", ["", "approve", "reject"])
def test_a_transfer_of_another_chama_is_a_404(book, as_role, action):
    other = transfer_book(mpesa=1)
    foreign = requested(other, "100.00")
    before = books_state()

    method = "POST" if action else "GET"
    response = matrix_call(as_role("chair"), method, transfer_url(book, foreign, action), {})

    assert_error(response, status=404, code="not_found")
    assert books_state() == before


@pytest.mark.parametrize(
    ("method", "action"), [("GET", ""), ("POST", "approve"), ("POST", "reject")]
)
def test_an_unknown_transfer_is_a_404_before_any_body_is_read(book, as_role, method, action):
    # An empty body would be a 400 for reject: the missing transfer is found out first
    response = matrix_call(as_role("chair"), method, transfer_url(book, uuid.uuid4(), action), {})

    assert_error(response, status=404, code="not_found")


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"to_account": "paybill"}, [("to_account", "same_account")]),
        ({"amount": "0.00"}, [("amount", "min_value")]),
        ({"amount": "-5.00"}, [("amount", "min_value")]),
        ({"amount": "10.005"}, [("amount", "max_decimal_places")]),
        ({"amount": 10.005}, [("amount", "max_decimal_places")]),
        ({"amount": "100000000.01"}, [("amount", "max_value")]),
        ({"amount": "ten"}, [("amount", "invalid")]),
        ({"amount": None}, [("amount", "null")]),
        ({"from_account": "mpesa"}, [("from_account", "invalid_choice")]),
        ({"to_account": "1020"}, [("to_account", "invalid_choice")]),
        ({"memo": "m" * 256}, [("memo", "max_length")]),
        ({"status": "completed"}, [("status", "unknown_field")]),
    ],
)
def test_bad_requests_are_a_400_naming_the_field_and_write_nothing(book, as_role, body, expected):
    payload = {"from_account": "paybill", "to_account": "bank", "amount": "100.00", **body}
    before = books_state()

    response = as_role("treasurer").post(transfers_url(book), payload, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    assert codes(response) == expected
    assert books_state() == before


def test_the_same_account_twice_is_explained(book, as_role):
    response = as_role("chair").post(
        transfers_url(book), {"from_account": "cash", "to_account": "cash", "amount": "1.00"}
    )

    assert_error(
        response,
        status=400,
        code="same_account",
        attr="to_account",
        detail=FinanceError.TRANSFER_SAME_ACCOUNT.message,
    )


def test_missing_fields_are_named(book, as_role):
    response = as_role("treasurer").post(transfers_url(book), {})

    assert response.status_code == 400
    assert codes(response) == [
        ("from_account", "required"),
        ("to_account", "required"),
        ("amount", "required"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("reason", "required")]),
        ({"reason": ""}, [("reason", "blank")]),
        ({"reason": "   "}, [("reason", "blank")]),
        ({"reason": "r" * 256}, [("reason", "max_length")]),
        ({"reason": "No", "note": "x"}, [("note", "unknown_field")]),
    ],
)
def test_a_rejection_needs_a_reason(book, as_role, body, expected):
    transfer = requested(book, "100.00")
    before = books_state()

    response = as_role("secretary").post(transfer_url(book, transfer, "reject"), body)

    assert response.status_code == 400, response.content
    assert codes(response) == expected
    assert books_state() == before


# --- reads: filters, pagination, query counts ---------------------------------------------


@pytest.fixture
def history(book):
    """Four transfers, oldest first: one completed, one rejected, two requested."""
    completed(book, "100.00", PAYBILL, BANK)
    ledger_transfer_reject(
        transfer=requested(book, "200.00", CASH, BANK), acting=book.chair, reason="No"
    )
    requested(book, "300.00", CASH, PAYBILL)
    requested(book, "400.00", PAYBILL, CASH, by=book.chair)
    return book


@pytest.mark.parametrize(
    ("query", "amounts"),
    [
        ("", ["400.00", "300.00", "200.00", "100.00"]),
        ("status=requested", ["400.00", "300.00"]),
        ("status=completed", ["100.00"]),
        ("from_account=cash", ["300.00", "200.00"]),
        ("to_account=bank&status=rejected", ["200.00"]),
        ("limit=2&offset=1", ["300.00", "200.00"]),
    ],
)
def test_the_list_filters_and_pages_newest_first(history, as_role, query, amounts):
    response = as_role("member").get(f"{transfers_url(history)}?{query}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [t["amount"] for t in body["results"]] == amounts
    if "limit" in query:
        assert body["count"] == 4


@pytest.mark.parametrize("query", ["status=lost", "from_account=1010"])
def test_a_bad_filter_is_a_400(book, as_role, query):
    response = as_role("member").get(f"{transfers_url(book)}?{query}")

    assert response.status_code == 400
    assert [a for a, _ in codes(response)] == [query.split("=")[0]]


def test_the_list_costs_five_queries_however_many_transfers(
    book, as_role, django_assert_num_queries
):
    # auth user, caller's membership, count, page (requesters and deciders joined in), the
    # page's signatures
    client = as_role("auditor")
    requested(book, "100.00")
    with django_assert_num_queries(5):
        assert client.get(transfers_url(book)).json()["count"] == 1

    completed(book, "200.00", CASH, BANK)
    ledger_transfer_reject(transfer=requested(book, "300.00"), acting=book.chair, reason="No")
    requested(book, "400.00", CASH, PAYBILL, by=book.chair)
    with django_assert_num_queries(5):
        assert client.get(transfers_url(book)).json()["count"] == 4


def test_a_transfer_costs_four_queries(book, as_role, django_assert_num_queries):
    # auth user, caller's membership, the transfer, its signatures
    transfer = completed(book, "100.00")
    client = as_role("member")

    with django_assert_num_queries(4):
        assert client.get(transfer_url(book, transfer)).json()["status"] == "completed"


# --- the money is where an outflow leaves from only after a transfer ----------------------


def test_a_cash_payout_of_the_paybills_money_is_refused_until_a_transfer_brings_it(client_for):
    # Given round 1's pot of 4,000, paid in by M-Pesa: the money is in the paybill
    book = transfer_book(mpesa=4)
    chair, treasurer = client_for(book.chair.user), client_for(book.treasurer.user)
    round1 = book.cycle.rounds.get(number=1)
    chama_url = base(book.chama)
    asked = treasurer.post(f"{chama_url}/rounds/{round1.pk}/payout/", {"method": "cash"})
    assert asked.status_code == 201, asked.content
    payout_url = f"{chama_url}/payouts/{asked.json()['id']}/approve/"
    before = books_state()

    # When the chair approves paying it in cash, from an empty cash box
    refused = chair.post(payout_url)

    # Then it is refused, naming the cash box, and nothing is written
    assert_error(
        refused,
        status=409,
        code="insufficient_funds",
        detail="1030 Cash at hand (treasurer) holds KES 0.00: it cannot pay out KES 4,000.00.",
    )
    assert books_state() == before
    assert Payout.objects.get().status == "requested"

    # And when the treasurer moves the paybill's 4,000 to the cash box and the chair approves
    moving = treasurer.post(
        f"{chama_url}/ledger/transfers/",
        {"from_account": "paybill", "to_account": "cash", "amount": "4000.00"},
    )
    assert moving.status_code == 201, moving.content
    moved = chair.post(f"{chama_url}/ledger/transfers/{moving.json()['id']}/approve/")
    assert moved.status_code == 200, moved.content

    # Then the same payout is paid from the cash box
    paid = chair.post(payout_url)
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "completed"
    shown = balances_shown(chair, book.chama)
    assert (shown["1010"], shown["1030"]) == ("0.00", "0.00")
    assert legs(Payout.objects.get().settled_entry) == [
        ("1030", "C", Decimal("4000.00")),
        ("2200", "D", Decimal("4000.00")),
    ]


def test_a_welfare_claim_paid_by_bank_from_an_empty_bank_is_refused_until_a_transfer(
    client_for,
):
    # Given a welfare fund of 1,600 paid in by M-Pesa, and a member's claim of 500 approved
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    member, chair = client_for(book.member.user), client_for(book.chair.user)
    treasurer, secretary = client_for(book.treasurer.user), client_for(book.secretary.user)
    chama_url = base(book.chama)
    claim = member.post(
        f"{chama_url}/welfare/claims/", {"claim_type": "hospital", "amount": "500.00"}
    ).json()
    approved = chair.post(f"{chama_url}/welfare/claims/{claim['id']}/approve/", {"note": ""})
    assert approved.status_code == 200, approved.content
    pay_url = f"{chama_url}/welfare/claims/{claim['id']}/pay/"
    before = books_state()

    # When the treasurer pays it by bank, from an empty bank account
    refused = treasurer.post(pay_url, {"method": "bank"})

    # Then it is refused, naming the bank account, and nothing is written
    assert_error(
        refused,
        status=409,
        code="insufficient_funds",
        detail="1020 Bank account holds KES 0.00: it cannot pay out KES 500.00.",
    )
    assert books_state() == before
    assert WelfareClaim.objects.get().status == "approved"

    # And when the treasurer sweeps 500 of the paybill to the bank and the secretary approves
    moving = treasurer.post(
        f"{chama_url}/ledger/transfers/",
        {"from_account": "paybill", "to_account": "bank", "amount": "500.00"},
    )
    assert moving.status_code == 201, moving.content
    moved = secretary.post(f"{chama_url}/ledger/transfers/{moving.json()['id']}/approve/")
    assert moved.json()["status"] == LedgerTransferStatus.COMPLETED

    # Then the same claim is paid from the bank
    paid = treasurer.post(pay_url, {"method": "bank"})
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid"
    assert legs(WelfareClaim.objects.get().paid_entry) == [
        ("1020", "C", Decimal("500.00")),
        ("3200", "D", Decimal("500.00")),
    ]
    shown = balances_shown(member, book.chama)
    assert (shown["1010"], shown["1020"], shown["3200"]) == ("3500.00", "0.00", "1100.00")
