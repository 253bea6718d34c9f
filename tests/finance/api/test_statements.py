"""chamas/{chama_id}/statements/: the JSON contract, the files, who may read whose statement,
bad input and a constant query count (DESIGN.md §4, §4.1)."""

import io
import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from finance.choices import PaymentMethod
from finance.exceptions import FinanceError
from finance.services.contributions import contribution_record
from groups.choices import MembershipStatus
from tests.factories import UserFactory, add_member, make_chama
from tests.finance.statement_history import NAIROBI, History, build_history
from tests.groups.helpers import assert_error, set_status

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-07", "to": "2026-01-31"}


@pytest.fixture
def history(b2c_gateway) -> History:
    return build_history()


@pytest.fixture
def as_role(history, client_for):
    """An API client signed in as the history's chair, treasurer, ..., member or other."""

    def make(role: str) -> APIClient:
        return client_for(history.people[role].user)

    return make


def url(history: History) -> str:
    return f"/api/v1/chamas/{history.chama.pk}/statements/"


def get(client: APIClient, history: History, **params):
    return client.get(url(history), params)


# --- the JSON statement ---------------------------------------------------------------------


def test_a_member_reads_their_own_accounts_not_the_chamas_cash(history, as_role):
    chair = history.chair

    response = get(as_role("chair"), history, member=str(chair.pk), **{"from": "2026-01-01"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["paybill"], body["account_number"]) == ("600984", "UMJ001M001")
    assert body["member"] == {
        "id": str(chair.pk),
        "member_code": "M001",
        "full_name": chair.user.full_name,
    }
    # She paid 10,000 (1,500 of it savings) and received the 48,000 pot: nothing negative
    assert [
        (a["key"], a["code"], a["reads"], a["opening_balance"], a["closing_balance"])
        for a in body["accounts"]
    ] == [
        ("savings", "2100", "held", "0.00", "1500.00"),
        ("credit", "2500", "held", "0.00", "0.00"),
        ("profit", "2300", "held", "0.00", "0.00"),
        ("loan", "1100", "owed", "0.00", "0.00"),
        ("fines", "1120", "owed", "0.00", "0.00"),
        ("pots", "2200", "received", "0.00", "48000.00"),
    ]
    assert body["accounts"][0]["rows"] == [
        {
            "date": "2026-01-03",
            "entry_id": str(history.entries["RCA0000001"].pk),
            "entry_type": "contribution",
            "type": "Contribution",
            "memo": "Contribution by M001",
            "reference": "RCA0000001",
            "increase": "1500.00",
            "decrease": "0.00",
            "balance": "1500.00",
        }
    ]
    position = body["position"]
    assert (position["savings"], position["total_funds"], position["fines_owed"]) == (
        "1500.00",
        "1500.00",
        "0.00",
    )
    assert position["pots"]["received"] == [
        {"cycle": 1, "round": 1, "date": "2026-01-11", "amount": "48000.00"}
    ]


def test_the_chama_statement_runs_to_today_by_default(history, as_role):
    response = get(as_role("member"), history)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["member"], body["account_number"], body["date_from"]) == (None, None, None)
    assert body["date_to"] == timezone.localdate().isoformat()
    assert [row["balance"] for row in body["rows"]][-3:] == ["60000.00", "12000.00", "22000.00"]
    assert (body["opening_balance"], body["closing_balance"]) == ("0.00", "22000.00")


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_files_download_with_a_name_that_says_what_they_are(history, as_role, fmt, content_type):
    response = get(
        as_role("treasurer"),
        history,
        member=str(history.member.pk),
        format=fmt,
        **{"from": "2026-01-01", "to": "2026-03-31"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="UMJ001-M005-statement-2026-01-01-2026-03-31.{fmt}"'
    )


def test_the_csv_download_is_the_statement(history, as_role):
    response = get(as_role("auditor"), history, format="csv", **PERIOD)

    lines = response.content.decode().splitlines()
    assert response["Content-Disposition"] == (
        'attachment; filename="UMJ001-statement-2026-01-07-2026-01-31.csv"'
    )
    assert lines[0] == "date,entry_id,type,memo,reference,currency,amount_in,amount_out,balance"
    assert lines[1] == "2026-01-07,,Opening balance,,,KES,,,44000.00"
    assert lines[-1] == "2026-01-31,,Totals and closing balance,,,KES,26500.00,58500.00,12000.00"
    assert len(lines) == 8


def test_the_xlsx_download_opens_as_a_workbook(history, as_role):
    response = get(as_role("member"), history, member=str(history.member.pk), format="xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Statement"
    assert [sheet["B2"].value, sheet["B4"].value, sheet["B5"].value] == [
        "Umoja Savings Group (UMJ001)",
        "600984",
        "UMJ001M005",
    ]


def test_the_pdf_download_is_a_pdf(history, as_role):
    response = get(as_role("chair"), history, format="pdf")

    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="UMJ001-statement-')


def test_without_a_from_date_the_file_name_starts_with_the_books(history, as_role):
    response = get(as_role("member"), history, format="csv", to="2026-01-31")

    assert response["Content-Disposition"] == (
        'attachment; filename="UMJ001-statement-start-2026-01-31.csv"'
    )


# --- who may read whose statement -----------------------------------------------------------

# fmt: off
MATRIX = {
    #            own   chama  another member's
    "member":    (200, 200,   403),
    "other":     (200, 200,   403),
    "auditor":   (200, 200,   200),
    "secretary": (200, 200,   200),
    "treasurer": (200, 200,   200),
    "chair":     (200, 200,   200),
}
# fmt: on


@pytest.mark.parametrize("role", list(MATRIX))
def test_members_read_their_own_and_the_chamas_statement_officials_read_anyones(
    history, as_role, role
):
    client = as_role(role)
    own = history.people[role]
    someone_else = history.other if role != "other" else history.member

    statuses = (
        get(client, history, member=str(own.pk)).status_code,
        get(client, history).status_code,
        get(client, history, member=str(someone_else.pk)).status_code,
    )

    assert statuses == MATRIX[role]


def test_a_member_asking_for_another_members_statement_is_refused(history, as_role):
    for fmt in ("json", "pdf"):
        response = get(as_role("member"), history, member=str(history.other.pk), format=fmt)

        assert_error(
            response,
            status=403,
            code="permission_denied",
            detail=FinanceError.OTHER_MEMBER_DENIED.message,
        )


def test_outsiders_never_learn_the_chama_exists(history, client_for):
    suspended = set_status(add_member(history.chama), MembershipStatus.SUSPENDED)
    exited = set_status(add_member(history.chama), MembershipStatus.EXITED)

    assert_error(APIClient().get(url(history)), status=401, code="not_authenticated")
    for user in (UserFactory(), suspended.user, exited.user):
        assert_error(get(client_for(user), history), status=404, code="not_found")


def test_a_former_members_statement_stays_readable_by_officials(history, as_role):
    set_status(history.other, MembershipStatus.EXITED)

    response = get(as_role("treasurer"), history, member=str(history.other.pk))

    assert response.status_code == 200
    assert response.json()["accounts"][0]["closing_balance"] == "1500.00"


def test_an_unknown_member_or_one_of_another_chama_is_not_found(history, as_role):
    elsewhere = add_member(make_chama(name="Jirani Group", code="JIR001"))

    for member_id in (uuid.uuid4(), elsewhere.pk):
        response = get(as_role("chair"), history, member=str(member_id))

        assert_error(
            response, status=404, code="not_found", detail=FinanceError.MEMBER_NOT_FOUND.message
        )


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code", "attr"),
    [
        ({"from": "2026-13-01"}, "invalid", "from"),
        ({"to": "31/01/2026"}, "invalid", "to"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "invalid_period", "to"),
        ({"format": "docx"}, "invalid_choice", "format"),
        ({"member": "M005"}, "invalid", "member"),
    ],
)
def test_bad_input_is_a_validation_error_with_a_stable_code(history, as_role, params, code, attr):
    response = get(as_role("member"), history, **params)

    assert_error(response, status=400, code=code, attr=attr)


def test_a_reversed_period_says_why(history, as_role):
    response = get(as_role("member"), history, **{"from": "2026-02-01", "to": "2026-01-31"})

    assert_error(
        response,
        status=400,
        code="invalid_period",
        attr="to",
        detail=FinanceError.PERIOD_REVERSED.message,
    )


# --- cost -----------------------------------------------------------------------------------


def _queries(client: APIClient, history: History, **params) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = get(client, history, **params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # user, caller's membership, member, openings, rows, and the position's seven
        ("member", 12),
        ("chama", 4),  # user, caller's membership, opening balance, rows
    ],
)
def test_the_json_statement_costs_the_same_queries_as_the_books_grow(
    history, as_role, scope, expected
):
    client = as_role("member")
    params = {"from": "2026-01-05", "to": "2026-12-31"}
    if scope == "member":
        params["member"] = str(history.member.pk)
    few, _ = _queries(client, history, **params)

    for month in range(3, 9):
        for payer in history.people.values():
            contribution_record(
                chama=history.chama,
                membership=payer,
                amount=Decimal("10000.00"),
                method=PaymentMethod.MPESA,
                mpesa_receipt=f"RQ{month:02d}{payer.member_code[1:]}000",
                paid_at=datetime(2026, month, 2, 10, tzinfo=NAIROBI),
            )
    many, sql = _queries(client, history, **params)

    assert few == many == expected, "\n".join(sql)
    body = get(client, history, **params).json()
    rows = body["rows"] if scope == "chama" else body["accounts"][0]["rows"]
    assert len(rows) >= 6  # the history had one; each month added one more
