"""The schema lists, per operation, the error codes read from the code that serves it
(core.api.error_codes), and real answers carry only codes it lists."""

import copy
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from core.api.error_codes import Raise, operation_errors
from core.api.error_codes.walk import Walk
from core.exceptions import ConflictError, ErrorCode, ValidationFailed
from finance.exceptions import FinanceError
from groups.choices import Role
from tests import error_contract
from tests.error_contract import unlisted_errors
from tests.finance.api.conftest import make_books


class _Sample(ErrorCode):
    A = "sample_a", "A."
    B = "sample_b", "B."
    C = "sample_c", "C."


def _check(*, field: str = "chosen") -> None:
    raise ValidationFailed(_Sample.A, field=field)


def _refuse(code: _Sample) -> None:
    raise ConflictError(code)


def _choose(flag: bool) -> None:
    error = _Sample.B if flag else _Sample.C
    raise ConflictError(error)


def _service() -> None:
    _check()
    _check(field="other")
    _refuse(_Sample.B)


def _handing_on() -> None:
    _run(_choose)


def _run(func: object) -> None:
    """Stands for a helper that calls a service it is given."""


class _View:
    def handler(self, request: object) -> None:
        if request.method == "GET":  # type: ignore[attr-defined]
            return
        self._refuse_all()

    def _refuse_all(self) -> None:
        raise ConflictError(_Sample.A)


def _raises(*roots):
    return Walk(["tests"]).roots(roots).raises


def test_a_service_raises_what_its_helpers_raise_with_the_fields_and_codes_they_are_given():
    assert _raises((_service, None, None)) == {
        Raise(400, "sample_a", "chosen"),
        Raise(400, "sample_a", "other"),
        Raise(409, "sample_b", None),
    }


def test_an_error_made_from_a_value_takes_the_codes_its_function_references():
    assert _raises((_choose, None, None)) == {
        Raise(409, "sample_b", None),
        Raise(409, "sample_c", None),
    }


def test_a_function_handed_on_as_a_value_is_read_too():
    assert {r.code for r in _raises((_handing_on, None, None))} == {"sample_b", "sample_c"}


def test_a_handler_serving_two_methods_is_read_for_its_operation_only():
    assert _raises((_View.handler, _View, "GET")) == set()
    assert _raises((_View.handler, _View, "POST")) == {Raise(409, "sample_a", None)}


@pytest.fixture(scope="module")
def every_operation():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = {}
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        found[(method, path)] = operation_errors(view, method, path_has_parameters="{" in path)
    return found


def _codes(every_operation, method, path, status):
    return every_operation[(method, f"/api/v1/chamas/{{chama_id}}/{path}")].codes(status)


def test_every_error_made_from_a_value_finds_its_codes(every_operation):
    assert {u for errors in every_operation.values() for u in errors.unresolved} == set()


def test_an_operation_lists_its_services_codes_by_status(every_operation):
    approve = "payouts/{payout_id}/approve/"

    assert _codes(every_operation, "POST", approve, 403) == {
        "permission_denied",
        "not_official",
        "same_official",
    }
    assert _codes(every_operation, "POST", approve, 409) == {
        "already_signed",
        "insufficient_funds",
        "payout_not_requested",
        "pot_empty",
    }
    assert _codes(every_operation, "POST", "contributions/stk-push/", 503) == {"mpesa_unavailable"}
    assert _codes(every_operation, "GET", "loans/{loan_id}/repayments/", 409) == set()
    assert "loan_closed" in _codes(every_operation, "POST", "loans/{loan_id}/repayments/", 409)


def test_sign_in_lists_its_own_401_and_403(every_operation):
    token = every_operation[("POST", "/api/v1/auth/token/")]

    assert (token.codes(401), token.codes(403)) == ({"invalid_credentials"}, {"account_locked"})


def test_a_400_about_an_input_is_listed_under_that_input(every_operation):
    create = every_operation[("POST", "/api/v1/chamas/{chama_id}/loans/")]
    principal = {r.code for r in create.raises if r.status == 400 and r.field == "principal"}

    assert {"principal_below_minimum", "installment_too_small", "exceeds_cash"} <= principal


# Real answers ---------------------------------------------------------------------------------


@pytest.fixture
def books(client_for):
    return make_books(client_for)


def _unlisted(*responses):
    return [missing for response in responses for missing in unlisted_errors(response)]


@pytest.mark.django_db
def test_the_schema_lists_the_codes_real_answers_carry(books, client_for):
    clients, base = books["clients"], books["base"]
    member = books["seats"][3]
    paid = {"member_id": str(member.pk), "amount": "1000.00", "method": "mpesa"}
    first = clients["treasurer"].post(
        f"{base}/contributions/", {**paid, "mpesa_receipt": "RA11111111"}
    )
    assert first.status_code == 201

    answers = {
        (400, "unknown_member"): clients["treasurer"].post(
            f"{base}/contributions/",
            {**paid, "member_id": str(uuid.uuid4()), "mpesa_receipt": "RA33333333"},
        ),
        (400, "date_out_of_range"): clients["treasurer"].post(
            f"{base}/contributions/",
            {**paid, "mpesa_receipt": "RA22222222", "paid_at": "1999-01-01T09:00:00Z"},
        ),
        (400, "malformed_json"): clients["treasurer"].generic(
            "POST", f"{base}/cycles/", "{", content_type="application/json"
        ),
        (401, "not_authenticated"): APIClient().get(f"{base}/cycles/"),
        (401, "invalid_credentials"): APIClient().post(
            "/api/v1/auth/token/", {"login": "0700000000", "password": "wrong-password"}
        ),
        (403, "permission_denied"): clients["member"].post(f"{base}/cycles/", {}),
        (403, "chair_only"): clients["treasurer"].post(
            f"{base}/members/",
            {"phone": "0722000111", "full_name": "New Treasurer", "role": Role.TREASURER},
        ),
        (404, "not_found"): clients["outsider"].get(f"{base}/cycles/"),
        (409, "cycle_active"): clients["chair"].post(
            f"{base}/cycles/", {"start_date": str(books["cycle"].start_date)}
        ),
        (409, "duplicate_receipt"): clients["treasurer"].post(
            f"{base}/contributions/", {**paid, "mpesa_receipt": "RA11111111"}
        ),
    }

    assert {key: r.status_code for key, r in answers.items()} == {key: key[0] for key in answers}
    assert {key: r.json()["errors"][0]["code"] for key, r in answers.items()} == {
        key: key[1] for key in answers
    }
    assert _unlisted(*answers.values()) == []


class _Answer:
    """An answer as the test client gives it, with the code chosen by the test."""

    def __init__(self, status: int, path: str, code: str) -> None:
        self.status_code = status
        self.request = {"REQUEST_METHOD": "POST", "PATH_INFO": path}
        self.body = {"type": "client_error", "errors": [{"code": code, "detail": "", "attr": None}]}

    def json(self) -> dict:
        return self.body


def test_a_code_the_schema_does_not_list_is_caught():
    cycles = f"/api/v1/chamas/{uuid.uuid4()}/cycles/"

    assert unlisted_errors(_Answer(409, cycles, FinanceError.CYCLE_ACTIVE)) == []
    assert unlisted_errors(_Answer(403, cycles, FinanceError.CYCLE_ACTIVE)) == [
        f"POST {cycles} 403 client_error None: cycle_active"
    ]


@pytest.mark.django_db
def test_an_api_test_provoking_a_code_the_schema_does_not_list_fails(books, monkeypatch):
    schema = copy.deepcopy(error_contract.api_schema())
    schema["components"]["schemas"]["ErrorCode403Enum"]["enum"] = ["another_code"]
    monkeypatch.setattr(error_contract, "api_schema", lambda: schema)

    with pytest.raises(AssertionError, match="the schema does not list these codes"):
        books["clients"]["member"].post(f"{books['base']}/cycles/", {})
