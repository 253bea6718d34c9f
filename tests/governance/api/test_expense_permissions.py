"""Who may do what with expenses: the permission matrix of every endpoint.

Anonymous → 401; signed in but not a member → 404; a role the action does not admit → 403;
an admitted role gets its answer. The treasurer who recorded an expense is an official but
may not sign it (403 same_official).
"""

import pytest

from governance.services.expenses import expense_approve
from tests.governance.expenses_fixtures import cash_in, expense_record, receipt_upload
from tests.governance.meetings_fixtures import PDF_BYTES, upload
from tests.permission_matrix import ROLES, assert_admitted_or_refused, matrix_call

pytestmark = pytest.mark.django_db

EVERY_MEMBER = set(ROLES)
SIGNERS = {"chair", "secretary"}  # the officials other than the treasurer who recorded it
TREASURER = {"treasurer"}
MAKER = {"treasurer": "same_official"}


def endpoints(club, pending_id, approved_id):
    pending = f"{club.base}/expenses/{pending_id}"
    form = {
        "category": "stationery",
        "payee": "Text Book Centre",
        "amount": "450.00",
        "receipt": upload("r.pdf", PDF_BYTES),
    }
    return [
        ("GET", f"{club.base}/expenses/", None, EVERY_MEMBER, {}),
        ("POST", f"{club.base}/expenses/", lambda: dict(form), TREASURER, {}),
        ("GET", f"{pending}/", None, EVERY_MEMBER, {}),
        ("POST", f"{pending}/approve/", {"comment": ""}, SIGNERS, MAKER),
        ("POST", f"{pending}/reject/", {"reason": "Not needed"}, SIGNERS, MAKER),
        ("POST", f"{club.base}/expenses/{approved_id}/pay/", {"account": "cash"}, TREASURER, {}),
    ]


@pytest.fixture
def matrix(club):
    cash_in(club, "5000.00")
    pending = expense_record(club)
    approved = expense_record(club, receipt=None, receipt_id=receipt_upload(club).pk)
    expense_approve(expense=approved, acting=club.chair)
    return endpoints(club, pending.pk, approved.pk)


COUNT = 6


def test_the_matrix_covers_every_endpoint(club, matrix):
    assert len(matrix) == COUNT


@pytest.mark.parametrize("index", range(COUNT))
def test_anonymous_is_401_and_outsider_is_404(club, matrix, index):
    method, url, body, _, _ = matrix[index]

    assert matrix_call(club.clients["anonymous"], method, url, body).status_code == 401
    assert matrix_call(club.clients["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(COUNT))
def test_each_role_is_admitted_or_refused(club, matrix, index, role):
    method, url, body, admitted, special = matrix[index]

    response = matrix_call(club.clients[role], method, url, body)

    assert_admitted_or_refused(
        response,
        role,
        admitted,
        statuses={200, 201},
        refused_code=special.get(role, "permission_denied"),
    )
