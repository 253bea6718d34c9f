"""chamas/{id}/welfare/ and chamas/{id}/welfare/claims/: the contract, who may do what, bad
input, filters and query counts."""

from datetime import datetime
from decimal import Decimal

import pytest

from finance import chart
from finance.choices import EntryType, PaymentMethod, WelfareClaimStatus, WelfareClaimType
from finance.exceptions import FinanceError
from finance.models import JournalEntry, Posting, WelfareClaim
from finance.selectors import trial_balance_get
from finance.services.welfare import welfare_claim_fail, welfare_claim_reject
from groups.exceptions import GroupsError
from tests.finance.welfare import (
    approved,
    balance,
    contribute,
    fund_available,
    paid,
    submit,
    welfare_book,
)
from tests.groups.helpers import assert_error
from tests.permission_matrix import ROLES, matrix_call

pytestmark = pytest.mark.django_db

OFFICIALS = {"chair", "treasurer", "secretary"}


@pytest.fixture
def book():
    """Every seat has paid its first month in cash: the welfare fund holds 1,600."""
    book = welfare_book()
    contribute(book)
    return book


def base(book):
    return f"/api/v1/chamas/{book.chama.pk}/welfare"


def claims_url(book):
    return f"{base(book)}/claims/"


def claim_url(book, claim, action=""):
    return f"{base(book)}/claims/{claim.pk}/" + (f"{action}/" if action else "")


def books_state():
    return (
        WelfareClaim.objects.count(),
        list(WelfareClaim.objects.order_by("pk").values_list("status", "decided_by", "paid_entry")),
        JournalEntry.objects.count(),
        Posting.objects.count(),
    )


def codes(response):
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


# --- the contract --------------------------------------------------------------------------


def test_the_fund_shows_what_it_can_pay_out(book, as_role):
    response = as_role("member").get(f"{base(book)}/")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "balance": "1600.00",
        "buffer": "0.00",
        "claimable": "1600.00",
        "fixed_amounts": {},
    }


def test_a_member_submits_a_claim_for_themselves(book, as_role):
    # When the member claims 2,500.50 for a hospital bill
    response = as_role("member").post(
        claims_url(book),
        {"claim_type": "hospital", "amount": "2500.50", "description": "Maternity ward bill."},
    )

    # Then the claim is submitted in their name, and nothing is posted yet
    assert response.status_code == 201, response.content
    claim = WelfareClaim.objects.get()
    body = response.json()
    created_at = body.pop("created_at")
    assert datetime.fromisoformat(created_at) == claim.created_at
    member = book.member
    assert body == {
        "id": str(claim.pk),
        "member": {
            "member_id": str(member.pk),
            "full_name": member.user.full_name,
            "member_code": member.member_code,
            "receive_phone": member.receive_phone,
        },
        "claim_type": "hospital",
        "amount": "2500.50",
        "description": "Maternity ward bill.",
        "status": "submitted",
        "submitted_by": member.user.full_name,
        "decided_by": None,
        "decided_at": None,
        "decision_note": "",
        "paid_by": None,
        "paid_at": None,
        "payout_method": "",
        "destination": "",
        "entry_id": None,
        "failure_reason": "",
        "signatures": [],
        "signatures_required": 1,
        "signatures_missing": 1,
        "chair_signature_required": False,
    }
    assert fund_available(book.chama) == Decimal("1600.00")


def test_an_official_submits_a_claim_for_a_member_even_the_auditor(book, as_role):
    response = as_role("secretary").post(
        claims_url(book),
        {"member_id": str(book.auditor.pk), "claim_type": "bereavement", "amount": "3000.00"},
    )

    assert response.status_code == 201, response.content
    claim = WelfareClaim.objects.get()
    assert (claim.membership, claim.submitted_by) == (book.auditor, book.secretary.user)
    assert response.json()["member"]["member_id"] == str(book.auditor.pk)
    assert response.json()["submitted_by"] == book.secretary.user.full_name


def test_a_claim_is_approved_then_paid_from_the_fund(book, as_role):
    # Given the member's claim of 1,000
    claim = submit(book, book.member, "1000.00", claim_type=WelfareClaimType.BEREAVEMENT)

    # When the chair approves it and the treasurer pays it in cash
    approving = as_role("chair").post(claim_url(book, claim, "approve"), {"note": "Seen."})
    paying = as_role("treasurer").post(claim_url(book, claim, "pay"), {"method": "cash"})

    # Then the claim is paid, and the fund and the cash box are 1,000 lighter
    assert approving.status_code == 200, approving.content
    assert approving.json()["status"] == "approved"
    assert approving.json()["decided_by"] == book.chair.user.full_name
    assert approving.json()["decision_note"] == "Seen."
    assert paying.status_code == 200, paying.content
    body = paying.json()
    stored = WelfareClaim.objects.get(pk=claim.pk)
    assert body["status"] == "paid"
    assert body["paid_by"] == book.treasurer.user.full_name
    assert body["payout_method"] == "cash"
    assert body["destination"] == book.member.receive_phone
    assert body["entry_id"] == str(stored.paid_entry_id)
    assert datetime.fromisoformat(body["paid_at"]) == stored.paid_at
    entry = stored.paid_entry
    assert entry.entry_type == EntryType.WELFARE_PAYOUT
    legs = sorted((p.account.code, p.side, p.amount) for p in entry.postings.all())
    assert legs == [("1030", "C", Decimal("1000.00")), ("3200", "D", Decimal("1000.00"))]
    assert balance(book.chama, chart.CASH) == Decimal("3000.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    assert as_role("member").get(f"{base(book)}/").json()["balance"] == "600.00"


def test_a_claim_is_rejected_with_a_note(book, as_role):
    claim = submit(book, book.member, "1000.00")

    response = as_role("secretary").post(
        claim_url(book, claim, "reject"), {"note": "Not a household member."}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_note"] == "Not a household member."
    assert response.json()["decided_by"] == book.secretary.user.full_name


def test_paying_more_than_the_fund_holds_is_a_409_and_writes_nothing(book, as_role):
    claim = approved(book, book.member, "1600.01")
    before = books_state()

    response = as_role("treasurer").post(claim_url(book, claim, "pay"), {"method": "cash"})

    assert_error(
        response,
        status=409,
        code="insufficient_funds",
        detail="The welfare fund has KES 1,600.00 available but this claim needs KES 1,600.01: "
        "the fund may not go negative.",
    )
    assert books_state() == before
    assert fund_available(book.chama) == Decimal("1600.00")


def test_deciding_or_paying_out_of_turn_is_a_409(book, as_role):
    claim = paid(book, book.member, "100.00")
    before = books_state()

    approving = as_role("secretary").post(claim_url(book, claim, "approve"), {})
    paying = as_role("secretary").post(claim_url(book, claim, "pay"), {"method": "cash"})

    assert_error(
        approving,
        status=409,
        code="claim_not_submitted",
        detail=FinanceError.WELFARE_NOT_SUBMITTED.render(status="paid"),
    )
    assert_error(
        paying,
        status=409,
        code="claim_not_approved",
        detail=FinanceError.WELFARE_NOT_APPROVED.render(status="paid"),
    )
    assert books_state() == before


def test_an_official_cannot_decide_their_own_claim(book, as_role):
    claim = submit(book, book.treasurer, "100.00")
    before = books_state()

    response = as_role("treasurer").post(claim_url(book, claim, "approve"), {})

    assert_error(
        response,
        status=403,
        code="same_official",
        detail=FinanceError.WELFARE_SAME_OFFICIAL.message,
    )
    assert books_state() == before


def test_a_member_cannot_claim_for_someone_else(book, as_role):
    response = as_role("member").post(
        claims_url(book),
        {"member_id": str(book.secretary.pk), "claim_type": "emergency", "amount": "100.00"},
    )

    assert_error(
        response,
        status=403,
        code="own_claims_only",
        detail=FinanceError.WELFARE_OWN_CLAIMS_ONLY.message,
    )
    assert WelfareClaim.objects.count() == 0


def test_an_mpesa_payment_is_in_flight_until_mpesa_answers(client_for, b2c_gateway):
    # Given a fund of 1,600 paid in by M-Pesa and an approved claim of 500
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    claim = approved(book, book.member, "500.00")
    treasurer = client_for(book.treasurer.user)

    response = treasurer.post(claim_url(book, claim, "pay"), {"method": "mpesa"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["payout_method"], body["entry_id"], body["paid_at"]) == (
        "in_flight",
        "mpesa",
        None,
        None,
    )
    assert treasurer.get(f"{base(book)}/").json()["balance"] == "1100.00"
    # And when M-Pesa refuses it, the claim is approved again with the reason shown
    welfare_claim_fail(claim=claim, reason="The recipient's line is not registered")
    shown = treasurer.get(claim_url(book, claim)).json()
    assert (shown["status"], shown["failure_reason"]) == (
        "approved",
        "The recipient's line is not registered",
    )
    assert treasurer.get(f"{base(book)}/").json()["balance"] == "1600.00"


def test_the_description_is_shown_to_officials_the_auditor_and_the_claimant_only(book, as_role):
    claim = submit(book, book.secretary, "100.00")
    own = submit(book, book.member, "100.00")

    seen = {
        role: {
            c["id"]: c["description"] for c in as_role(role).get(claims_url(book)).json()["results"]
        }
        for role in ROLES
    }

    text = "Admitted to hospital after a road accident."
    for role in ["chair", "treasurer", "secretary", "auditor"]:
        assert seen[role] == {str(claim.pk): text, str(own.pk): text}
    assert seen["member"] == {str(claim.pk): None, str(own.pk): text}
    detail = as_role("member").get(claim_url(book, claim)).json()
    assert detail["description"] is None
    assert detail["amount"] == "100.00"


# --- who may do what -----------------------------------------------------------------------


def endpoint(book, name):
    """(method, url, body, roles allowed, success status) with the state the endpoint needs."""
    if name == "fund":
        return "GET", f"{base(book)}/", None, set(ROLES), 200
    if name == "list":
        return "GET", claims_url(book), None, set(ROLES), 200
    if name == "submit":
        body = {"claim_type": "emergency", "amount": "100.00"}
        return "POST", claims_url(book), body, OFFICIALS | {"member"}, 201
    if name == "detail":
        return "GET", claim_url(book, submit(book, book.member, "100.00")), None, set(ROLES), 200
    if name in ("approve", "reject"):
        url = claim_url(book, submit(book, book.member, "100.00"), name)
        return "POST", url, {"note": "Checked."}, OFFICIALS, 200
    url = claim_url(book, approved(book, book.member, "100.00"), "pay")
    return "POST", url, {"method": "cash"}, OFFICIALS, 200


ENDPOINTS = ["fund", "list", "submit", "detail", "approve", "reject", "pay"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", ["anonymous", "outsider", *ROLES])
def test_permission_matrix(book, as_role, name, role):
    method, url, body, allowed, success = endpoint(book, name)
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


@pytest.mark.parametrize("action", ["", "approve", "reject", "pay"])
def test_a_claim_of_another_chama_is_a_404(book, as_role, action):
    other = welfare_book()
    contribute(other)
    foreign = approved(other, other.member, "100.00") if action == "pay" else None
    foreign = foreign or submit(other, other.member, "100.00")
    before = books_state()

    url = claim_url(book, foreign, action)
    response = matrix_call(as_role("chair"), "GET" if not action else "POST", url, {"note": "x"})

    assert_error(response, status=404, code="not_found")
    assert books_state() == before


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"amount": "0.00"}, [("amount", "min_value")]),
        ({"amount": "-5.00"}, [("amount", "min_value")]),
        ({"amount": "10.005"}, [("amount", "max_decimal_places")]),
        ({"amount": "100000000.01"}, [("amount", "max_value")]),
        ({"amount": "ten"}, [("amount", "invalid")]),
        ({"amount": None}, [("amount", "null")]),
        ({"claim_type": "wedding"}, [("claim_type", "invalid_choice")]),
        ({"member_id": "not-a-uuid"}, [("member_id", "invalid")]),
        ({"description": "x" * 2001}, [("description", "max_length")]),
        ({"status": "paid"}, [("status", "unknown_field")]),
    ],
)
def test_bad_claims_are_a_400_naming_the_field_and_write_nothing(book, as_role, body, expected):
    payload = {"claim_type": "hospital", "amount": "100.00", **body}

    response = as_role("treasurer").post(claims_url(book), payload)

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    assert codes(response) == expected
    assert WelfareClaim.objects.count() == 0


def test_missing_fields_are_named(book, as_role):
    response = as_role("member").post(claims_url(book), {})

    assert response.status_code == 400
    assert codes(response) == [("claim_type", "required")]


def test_an_amount_is_required_when_the_constitution_fixes_none(book, as_role):
    response = as_role("member").post(claims_url(book), {"claim_type": "hospital"})

    assert_error(
        response,
        status=400,
        code="welfare_amount_required",
        attr="amount",
        detail="Name the amount: the constitution fixes none for a hospital bill claim.",
    )
    assert WelfareClaim.objects.count() == 0


def test_a_member_of_another_chama_is_unknown_here(book, as_role):
    other = welfare_book()

    response = as_role("chair").post(
        claims_url(book),
        {"member_id": str(other.member.pk), "claim_type": "hospital", "amount": "100.00"},
    )

    assert_error(
        response,
        status=400,
        code="unknown_member",
        attr="member_id",
        detail=GroupsError.UNKNOWN_MEMBER.message,
    )
    assert WelfareClaim.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "body", "expected"),
    [
        ("approve", {"note": "n" * 256}, [("note", "max_length")]),
        ("approve", {"reason": "ok"}, [("reason", "unknown_field")]),
        ("reject", {}, [("note", "required")]),
        ("reject", {"note": ""}, [("note", "blank")]),
        ("reject", {"note": "   "}, [("note", "blank")]),
        ("pay", {}, [("method", "required")]),
        ("pay", {"method": "card"}, [("method", "invalid_choice")]),
        ("pay", {"method": "cheque"}, [("method", "invalid_choice")]),
        ("pay", {"method": "cash", "destination": "9" * 65}, [("destination", "max_length")]),
        ("pay", {"method": "cash", "amount": "1.00"}, [("amount", "unknown_field")]),
    ],
)
def test_bad_decisions_are_a_400_and_write_nothing(book, as_role, action, body, expected):
    claim = approved(book, book.member, "100.00") if action == "pay" else None
    claim = claim or submit(book, book.member, "100.00")
    before = books_state()

    response = as_role("secretary").post(claim_url(book, claim, action), body)

    assert response.status_code == 400, response.content
    assert codes(response) == expected
    assert books_state() == before


# --- reads: filters, pagination, query counts ---------------------------------------------


@pytest.fixture
def history(book):
    """Five claims in every state: two submitted, one approved, one rejected, one paid."""
    submit(book, book.member, "100.00", claim_type=WelfareClaimType.EMERGENCY)
    submit(book, book.secretary, "200.00", claim_type=WelfareClaimType.BEREAVEMENT)
    approved(book, book.member, "300.00")
    rejected = submit(book, book.treasurer, "400.00")
    welfare_claim_reject(claim=rejected, acting=book.chair, note="Duplicate")
    paid(book, book.chair, "500.00")
    return book


@pytest.mark.parametrize(
    ("query", "amounts"),
    [
        ("", ["500.00", "400.00", "300.00", "200.00", "100.00"]),
        ("status=submitted", ["200.00", "100.00"]),
        ("status=paid", ["500.00"]),
        ("claim_type=bereavement", ["200.00"]),
        ("claim_type=hospital&status=rejected", ["400.00"]),
        ("member=MEMBER", ["300.00", "100.00"]),
        ("limit=2&offset=1", ["400.00", "300.00"]),
    ],
)
def test_the_list_filters_and_pages_newest_first(history, as_role, query, amounts):
    query = query.replace("MEMBER", str(history.member.pk))

    response = as_role("auditor").get(f"{claims_url(history)}?{query}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [c["amount"] for c in body["results"]] == amounts
    if "limit" in query:
        assert body["count"] == 5


@pytest.mark.parametrize(("query", "attr"), [("status=lost", "status"), ("member=42", "member")])
def test_a_bad_filter_is_a_400(book, as_role, query, attr):
    response = as_role("member").get(f"{claims_url(book)}?{query}")

    assert response.status_code == 400
    assert [a for a, _ in codes(response)] == [attr]


def test_the_list_costs_five_queries_however_many_claims(book, as_role, django_assert_num_queries):
    # auth user, caller's membership, count, page (claimants, submitters, deciders and payers
    # joined in), the page's signatures
    client = as_role("member")
    submit(book, book.member, "100.00")
    with django_assert_num_queries(5):
        assert client.get(claims_url(book)).json()["count"] == 1

    for amount in ("200.00", "300.00"):
        paid(book, book.secretary, amount)
    for amount in ("400.00", "500.00"):
        approved(book, book.treasurer, amount)
    welfare_claim_reject(claim=submit(book, book.chair, "600.00"), acting=book.secretary, note="No")
    with django_assert_num_queries(5):
        assert client.get(claims_url(book)).json()["count"] == 6


def test_a_claim_costs_four_queries_and_the_fund_five(book, as_role, django_assert_num_queries):
    claim = paid(book, book.member, "100.00")
    client = as_role("member")

    # auth user, caller's membership, the claim, its signatures
    with django_assert_num_queries(4):
        assert client.get(claim_url(book, claim)).json()["status"] == WelfareClaimStatus.PAID
    # auth user, caller's membership, the fund's account, the claims in flight, the policy
    with django_assert_num_queries(5):
        assert client.get(f"{base(book)}/").json()["balance"] == "1500.00"
