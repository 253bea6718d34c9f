"""The constitution's investments section: its defaults, what an adoption stores and what the
rest of Hazina reads back, and bad values refused with nothing written."""

import json
from decimal import Decimal

import pytest

from governance.choices import InvestmentApproval, MaturityAction, ProfitBasis, ProfitPayout
from governance.constitution_rules import InvestmentRules
from governance.models import ConstitutionVersion
from governance.selectors.constitution import constitution_rules_get
from tests.governance.constitution_fixtures import constitution_url, template_rules

pytestmark = pytest.mark.django_db

CHOSEN = {
    "proposal_minimum": "80000.00",
    "reserve": "15000.00",
    "approval": "vote",
    "profit_basis": "contribution_days",
    "profit_payout": "savings",
    "on_maturity": "reinvest",
}


def put(client, chama, rules):
    return client.put(
        constitution_url(chama), json.dumps({"rules": rules}), content_type="application/json"
    )


def test_the_template_offers_the_defaults(chair_api, chama, roles):
    assert template_rules(chair_api, chama)["investments"] == {
        "proposal_minimum": "50000.00",
        "reserve": "0.00",
        "approval": "chair",
        "profit_basis": "savings",
        "profit_payout": "member_choice",
        "on_maturity": "keep",
    }


def test_an_adopted_section_is_what_investments_read(chair_api, chama, roles):
    # Given the template with the investments section chosen by the chama
    rules = {**template_rules(chair_api, chama), "investments": CHOSEN}

    # When the chair adopts it
    response = put(chair_api, chama, rules)

    # Then the version shows it and the rules read back are the chama's choices
    assert response.status_code == 201, response.json()
    assert response.json()["rules"]["investments"] == CHOSEN
    assert constitution_rules_get(chama=chama).investments == InvestmentRules(
        proposal_minimum=Decimal("80000.00"),
        reserve=Decimal("15000.00"),
        approval=InvestmentApproval.VOTE,
        profit_basis=ProfitBasis.CONTRIBUTION_DAYS,
        profit_payout=ProfitPayout.SAVINGS,
        on_maturity=MaturityAction.REINVEST,
    )


def test_a_body_without_the_section_keeps_the_defaults(chair_api, chama, roles):
    rules = template_rules(chair_api, chama)
    del rules["investments"]

    response = put(chair_api, chama, rules)

    assert response.status_code == 201, response.json()
    assert constitution_rules_get(chama=chama).investments == InvestmentRules()


@pytest.mark.parametrize(
    ("changes", "code", "attr"),
    [
        ({"approval": "lottery"}, "invalid_choice", "rules.investments.approval"),
        ({"reserve": "-1.00"}, "min_value", "rules.investments.reserve"),
        ({"proposal_minimum": "0.00"}, "min_value", "rules.investments.proposal_minimum"),
        ({"on_maturity": "spend"}, "invalid_choice", "rules.investments.on_maturity"),
        ({"split": "equal"}, "unknown_field", "rules.investments.split"),
    ],
)
def test_bad_values_are_a_400_and_write_nothing(chair_api, chama, roles, changes, code, attr):
    rules = template_rules(chair_api, chama)
    rules["investments"] = {**rules["investments"], **changes}

    response = put(chair_api, chama, rules)

    assert response.status_code == 400, response.json()
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [(code, attr)]
    assert not ConstitutionVersion.objects.exists()
