"""profits/ and wealth-reports/: the contract, the permission matrix and constant lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.models import JournalEntry
from investments.models import ProfitDeclaration, ProfitShare
from tests.factories import add_member
from tests.investments.profit_fixtures import declare, income_realise, profit_rules_adopt, save
from tests.permission_matrix import ROLES, assert_admitted_or_refused, matrix_call

pytestmark = pytest.mark.django_db

BODY = {
    "net": "1234.56",
    "tax": "217.86",
    "source_label": "91-day T-bill",
    "period_start": "2026-01-01",
    "period_end": str(timezone.localdate()),
}


@pytest.fixture
def books(club):
    """The member saved 1,000 and the chair 3,000; investments realised 5,000.00 gross, of
    which 1,000.00 was withheld."""
    save(club.member, "1000")
    save(club.chair, "3000")
    income_realise(club, gross="5000.00", tax="1000.00")
    profit_rules_adopt(club, payout="member_choice")
    return club


def errors(response):
    return [(e["code"], e["detail"]) for e in response.json()["errors"]]


def test_the_treasurer_declares_and_each_member_reads_their_report(books):
    club = books
    response = club.clients["treasurer"].post(f"{club.base}/profits/", BODY, format="json")

    assert response.status_code == 201, response.json()
    declared = response.json()
    assert declared["net"] == "1234.56"
    assert declared["gross"] == "1452.42"
    assert declared["basis"] == "savings"
    assert declared["shares_count"] == 5
    assert declared["shares_open"] == 2
    reports = club.clients["member"].get(f"{club.base}/wealth-reports/").json()["results"]
    assert len(reports) == 1
    (report,) = reports
    # 1,234.56 over 3,000 and 1,000: 925.92 and 308.64; the tax 163.395 and 54.465 tie on
    # half a cent, which goes to the larger weight: 163.40 and 54.46
    assert report["sentence"] == (
        "You earned KES 308.64 from the 91-day T-bill, net of KES 54.46 tax."
    )
    assert report["amount"] == "308.64"
    assert report["share_of_total"] == "0.250000"
    assert report["status"] == "awaiting_choice"
    every = club.clients["auditor"].get(f"{club.base}/wealth-reports/").json()
    assert every["count"] == 5


def test_a_member_chooses_once_through_the_api(books):
    club = books
    declaration = declare(club, "100.00")
    share = ProfitShare.objects.get(declaration=declaration, membership=club.member)
    url = f"{club.base}/wealth-reports/{share.pk}/choose/"

    first = club.clients["member"].post(url, {"choice": "savings"}, format="json")
    again = club.clients["member"].post(url, {"choice": "paid_out"}, format="json")

    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "saved"
    assert again.status_code == 409
    assert errors(again) == [
        (
            "share_already_chosen",
            "This share has already been chosen (savings): the choice is made once.",
        )
    ]


def test_a_member_cannot_see_or_choose_anothers_share(books):
    club = books
    declaration = declare(club, "100.00")
    chair_share = ProfitShare.objects.get(declaration=declaration, membership=club.chair)

    response = club.clients["member"].post(
        f"{club.base}/wealth-reports/{chair_share.pk}/choose/", {"choice": "savings"}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"net": "-5.00"}, 400, "min_value"),
        ({"net": "6000.00"}, 409, "profit_exceeds_income"),
        ({"tax": "1000.01", "net": "1.00"}, 409, "profit_exceeds_income"),
        ({"source_label": ""}, 400, "blank"),
        ({"period_start": "2099-04-01"}, 400, "invalid_period"),
    ],
)
def test_bad_declarations_are_refused_with_nothing_written(books, change, status, code):
    club = books
    before = JournalEntry.objects.count()

    response = club.clients["treasurer"].post(
        f"{club.base}/profits/", dict(BODY, **change), format="json"
    )

    assert response.status_code == status, response.json()
    assert response.json()["errors"][0]["code"] == code
    assert ProfitDeclaration.objects.count() == 0
    assert JournalEntry.objects.count() == before


def test_settle_pays_from_the_account_named(books):
    club = books
    declaration = declare(club, "100.00")
    share = ProfitShare.objects.get(declaration=declaration, membership=club.member)
    club.clients["member"].post(
        f"{club.base}/wealth-reports/{share.pk}/choose/", {"choice": "paid_out"}, format="json"
    )

    response = club.clients["treasurer"].post(
        f"{club.base}/profits/{declaration.pk}/settle/", {"account": "cash"}, format="json"
    )
    again = club.clients["treasurer"].post(
        f"{club.base}/profits/{declaration.pk}/settle/", {"account": "cash"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["shares_open"] == 0
    assert again.status_code == 409
    assert errors(again) == [("nothing_to_settle", "Every share of this declaration is settled.")]


# The permission matrix: anonymous 401, outsider 404, a role the action does not admit 403.
EVERY_MEMBER = set(ROLES)
DECLARERS = {"chair", "treasurer"}
TREASURER = {"treasurer"}
CHOOSERS = {"chair", "treasurer", "secretary", "member"}
SAVINGS = {"choice": "savings"}


@pytest.fixture
def matrix(books):
    club = books
    declaration = declare(club, "100.00")
    return club, declaration


def endpoints(club, declaration):
    member_share = ProfitShare.objects.get(declaration=declaration, membership=club.member)
    base = club.base
    return [
        ("GET", f"{base}/profits/", None, EVERY_MEMBER),
        ("POST", f"{base}/profits/", dict(BODY, net="1.00"), DECLARERS),
        ("GET", f"{base}/profits/{declaration.pk}/", None, EVERY_MEMBER),
        ("POST", f"{base}/profits/{declaration.pk}/settle/", {"account": "cash"}, TREASURER),
        ("GET", f"{base}/wealth-reports/", None, EVERY_MEMBER),
        ("GET", f"{base}/wealth-reports/{member_share.pk}/", None, EVERY_MEMBER),
        ("POST", f"{base}/wealth-reports/{member_share.pk}/choose/", SAVINGS, CHOOSERS),
    ]


COUNT = 7


@pytest.mark.parametrize("index", range(COUNT))
def test_anonymous_is_401_and_outsider_is_404(matrix, index):
    club, declaration = matrix
    method, url, body, _ = endpoints(club, declaration)[index]

    assert matrix_call(club.clients["anonymous"], method, url, body).status_code == 401
    assert matrix_call(club.clients["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(COUNT))
def test_each_role_is_admitted_or_refused(matrix, index, role):
    club, declaration = matrix
    method, url, body, admitted = endpoints(club, declaration)[index]

    response = matrix_call(club.clients[role], method, url, body)

    assert_admitted_or_refused(response, role, admitted, statuses={200, 201})


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("path", ["profits", "wealth-reports"])
def test_the_lists_are_constant(books, path):
    club = books
    client, url = club.clients["chair"], f"{club.base}/{path}/"
    income_realise(club, gross="100.00")
    declare(club, "10.00")
    few, _ = queries(client, url)

    for _ in range(3):
        add_member(club.chama)
        declare(club, "10.00")
    many, sql = queries(client, url)

    assert few == many, "\n".join(sql)


def test_a_declaration_without_tax_is_refused_cleanly_when_no_income_is_realised(club):
    # The tax left out takes its default (0.00); with no income realised the answer is a 409.
    response = club.clients["treasurer"].post(
        f"{club.base}/profits/",
        {
            "net": "0.1",
            "period_start": "2000-01-01",
            "period_end": "2000-01-01",
            "source_label": "0",
        },
        format="json",
    )

    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == "profit_exceeds_income"
