"""The OpenAPI schema states inputs as the API reads them and the answers it gives: what
schemathesis checks in ``make fuzz``, pinned here where a unit test can say why."""

from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api.openapi import decimal_schema
from core.api.patterns import kenyan_mobile_pattern
from core.money import CENT, MAX_AMOUNT, ZERO

CONTRIBUTIONS = "/api/v1/chamas/{chama_id}/contributions/"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name):
    return schema["components"]["schemas"][name]


def resolve(schema, ref):
    return component(schema, ref["$ref"].rsplit("/", 1)[-1])


def test_bodies_that_refuse_unknown_fields_say_so(schema):
    assert component(schema, "ContributionRecordInputRequest")["additionalProperties"] is False
    assert component(schema, "PatchedUserUpdateInputRequest")["additionalProperties"] is False
    # simplejwt's refresh serializer ignores what it does not read
    assert "additionalProperties" not in component(schema, "TokenRefreshRequest")


def test_their_400_lists_the_unknown_field_error_beside_the_fields(schema):
    errors = component(schema, "V1ChamasContributionsCreateError")

    assert "discriminator" not in errors  # an unknown field's attr is any name
    assert {"$ref": "#/components/schemas/UnknownFieldError"} in errors["oneOf"]
    unknown = component(schema, "UnknownFieldError")
    assert unknown["properties"]["attr"] == {"type": "string"}


def test_a_nested_field_error_names_its_index(schema):
    amount = component(schema, "V1ChamasLoansCreateGuarantorsINDEXAmountErrorComponent")
    item = component(schema, "V1ChamasLoansCreateGuarantorsINDEXErrorComponent")

    assert amount["properties"]["attr"]["pattern"] == r"^guarantors\.[0-9]+\.amount$"
    assert item["properties"]["attr"]["pattern"] == r"^guarantors\.[0-9]+$"


def test_amounts_are_a_plain_decimal_string_or_a_number_within_their_range(schema):
    contribution = component(schema, "ContributionRecordInputRequest")["properties"]
    chama = component(schema, "ChamaCreateInputRequest")["properties"]
    prompt = component(schema, "StkPushInputRequest")["properties"]

    assert contribution["amount"] == decimal_schema(low=CENT, high=MAX_AMOUNT, places=2)
    assert chama["contribution_amount"] == decimal_schema(low=ZERO, high=MAX_AMOUNT, places=2)
    assert (
        prompt["amount"]["oneOf"]
        == decimal_schema(low=Decimal(1), high=Decimal(250000), places=2, whole=True)["oneOf"]
    )
    assert contribution["amount"]["oneOf"][1] == {
        "type": "number",
        "multipleOf": 0.01,
        "minimum": 0.01,
        "maximum": 100000000.0,
    }


def test_phones_and_codes_carry_the_patterns_the_api_reads(schema):
    member = component(schema, "MembershipAddInputRequest")["properties"]
    chama = component(schema, "ChamaCreateInputRequest")["properties"]

    assert member["phone"]["pattern"] == kenyan_mobile_pattern()
    assert chama["code"]["pattern"] == "^[A-Z]{3}[0-9]{3}$"


def test_text_never_carries_a_nul_and_is_not_blank_unless_it_may_be(schema):
    chama = component(schema, "ChamaCreateInputRequest")["properties"]

    assert chama["name"]["pattern"].startswith("^[^\\u0000]*[^\\u0000\\u0009-\\u000d")
    assert chama["description"]["oneOf"] == [
        {"type": "string", "pattern": "^[^\\u0000]+$", "maxLength": 2000},
        {"type": "string", "maxLength": 0},
    ]


def test_an_action_some_roles_may_not_take_documents_403(schema):
    assert "403" in schema["paths"][CONTRIBUTIONS]["post"]["responses"]  # officials only
    # a member may quote, but only for themselves
    assert "403" in schema["paths"]["/api/v1/chamas/{chama_id}/loans/quote/"]["post"]["responses"]


def test_signing_in_documents_401_and_403(schema):
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    refresh = schema["paths"]["/api/v1/auth/token/refresh/"]["post"]["responses"]

    assert {"401", "403"} <= set(token)
    assert "401" in refresh


def test_lists_read_empty_filters_as_none_and_refuse_bad_pages(schema):
    parameters = {p["name"]: p for p in schema["paths"][CONTRIBUTIONS]["get"]["parameters"]}
    errors = component(schema, "V1ChamasContributionsListError")["oneOf"]

    assert parameters["round"]["allowEmptyValue"] is True
    most = 2**63 - 1  # the database's row counter
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": most}
    assert parameters["offset"]["schema"] == {"type": "integer", "minimum": 0, "maximum": most}
    assert "allowEmptyValue" not in parameters["limit"]
    attrs = {resolve(schema, e)["properties"]["attr"]["enum"][0] for e in errors}
    assert {"limit", "offset", "round"} <= attrs


def test_the_statement_is_one_document(schema):
    answer = schema["paths"]["/api/v1/chamas/{chama_id}/statements/"]["get"]["responses"]["200"]

    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StatementDocument"
    }


@pytest.mark.parametrize(
    ("path", "component_name"),
    [
        ("/api/v1/chamas/{chama_id}/ledger/accounts/", "LedgerAccountsOutput"),
        ("/api/v1/chamas/{chama_id}/portfolio/", "PortfolioOutput"),
    ],
)
def test_a_list_route_that_answers_one_object_documents_an_object(schema, path, component_name):
    answer = schema["paths"][path]["get"]["responses"]["200"]

    assert answer["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{component_name}"
    }


def test_a_simulations_fractions_are_documented_within_their_range(schema):
    body = component(schema, "GoalSimulateInputRequest")["properties"]
    fraction = decimal_schema(low=ZERO, high=Decimal(1), places=4)["oneOf"]
    probability = decimal_schema(low=Decimal("0.01"), high=Decimal(1), places=4)["oneOf"]

    assert (body["inflation"]["oneOf"], body["target_probability"]["oneOf"]) == (
        fraction,
        probability,
    )


def test_an_upload_documents_its_validation_errors(schema):
    upload = schema["paths"]["/api/v1/chamas/{chama_id}/mpesa/statement/"]["post"]
    body = component(schema, "StatementUploadInputRequest")
    answers = resolve(schema, upload["responses"]["400"]["content"]["application/json"]["schema"])

    assert body["properties"]["file"]["minLength"] == 1
    assert set(answers["discriminator"]["mapping"]) == {"validation_error", "client_error"}


def test_a_loans_repayments_are_one_list_and_only_officials_record_them(schema):
    repayments = schema["paths"]["/api/v1/chamas/{chama_id}/loans/{loan_id}/repayments/"]

    listed = repayments["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/LoanRepaymentOutput"},
    }
    assert "403" in repayments["post"]["responses"]


def test_a_payoff_of_a_loan_not_being_repaid_is_a_documented_conflict(schema):
    payoff = schema["paths"]["/api/v1/chamas/{chama_id}/loans/{loan_id}/payoff/"]["get"]

    assert "409" in payoff["responses"]
