"""The constitution through the API: the template, adoption and what it drives, versions,
acceptance, and bad input that writes nothing."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import LoanPolicy
from finance.services.cycles import cycle_create
from governance.exceptions import ConstitutionError
from governance.models import ConstitutionAcceptance, ConstitutionVersion
from groups.choices import MeetingRuleKind, Weekday
from groups.exceptions import GroupsError
from groups.models import Chama
from tests.governance.constitution_fixtures import constitution_url, template_rules, with_changes

pytestmark = pytest.mark.django_db

RULES = {
    "contribution": {
        "amount": "2000.00",
        "rotation_amount": "1500.00",
        "savings_amount": "400.00",
        "welfare_amount": "100.00",
        "frequency": "monthly",
        "grace_days": 3,
    },
    "meetings": {"schedule": {"text": "Last Saturday"}},
    "fines": {
        "late_contribution": {
            "kind": "percent",
            "amount": "10",
            "interval": "per_week",
            "cap": "500.00",
        },
        "missed_meeting": "200.00",
        "lateness": "50.00",
    },
    "loans": {
        "interest_method": "reducing_balance",
        "interest_rate": "0.05",
        "interest_rate_period": "month",
        "interest_rate_min": "0.03",
        "interest_rate_max": "0.08",
        "max_term_months": 6,
        "max_savings_multiple": "2.50",
        "guarantors_required": 2,
        "penalty_type": "flat",
        "penalty_amount": "300.00",
        "early_repayment": "interest_to_date",
        "credit_discount_min_score": 80,
        "credit_discount_percent": "20",
    },
    "voting": {"quorum": "0.60", "majority": "two_thirds"},
    "approvals": {
        "expense": {"signatures": 2, "chair_threshold": "10000.00"},
        "loan": {"signatures": 2},
    },
    "welfare": {"amounts": {"bereavement": "5000.00"}, "buffer": "1000.00"},
    "membership": {"plan": "premium", "member_limit": 30},
}


def put(client, chama, rules, **body):
    return client.put(
        constitution_url(chama),
        json.dumps({"rules": rules, **body}),
        content_type="application/json",
    )


def test_before_any_adoption_the_template_shows_the_current_settings(chair_api, chama, roles):
    response = chair_api.get(constitution_url(chama))

    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["is_template"], body["adopted_at"], body["accepted_at"]) == (
        0,
        True,
        None,
        None,
    )
    assert body["rules"]["contribution"] == {
        "amount": "1000.00",
        "rotation_amount": "0.00",
        "savings_amount": "1000.00",
        "welfare_amount": "0.00",
        "frequency": "monthly",
        "grace_days": 0,
    }
    assert body["rules"]["voting"] == {
        "quorum": "0.5000",
        "majority": "simple",
        "constitution_majority": "two_thirds",
        "dispute_quorum": "0.7000",
    }
    assert body["rules"]["approvals"]["expense"] == {"signatures": 1, "chair_threshold": None}
    assert body["text"].startswith("Constitution of Umoja Group")
    assert "KES 1,000.00 monthly" in body["text"]
    assert not ConstitutionVersion.objects.exists()


def test_the_template_in_kiswahili(chair_api, chama, roles):
    response = chair_api.get(constitution_url(chama) + "?language=sw")

    assert response.status_code == 200
    assert response.json()["language"] == "sw"
    assert response.json()["text"].startswith("Katiba ya Umoja Group")
    assert "KES 1,000.00 kila mwezi" in response.json()["text"]


def test_the_chair_adopts_a_version_and_its_rules_become_the_settings(chair_api, chama, roles):
    # Given the template's rules, changed in every section
    rules = {**template_rules(chair_api, chama), **RULES}

    # When the chair puts them
    response = put(chair_api, chama, rules, text="Our own words.", language="en")

    # Then version 1 is in force, adopted by the chair
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["is_template"], body["text"], body["adopted_by"]["member_id"]) == (
        1,
        False,
        "Our own words.",
        str(roles["chair"].pk),
    )
    assert body["rules"]["meetings"]["schedule"] == {
        "kind": "monthly_weekday",
        "weekday": "saturday",
        "ordinal": -1,
        "day_of_month": None,
    }
    # and the chama's settings follow it
    chama.refresh_from_db()
    assert (
        chama.contribution_amount,
        chama.rotation_amount,
        chama.savings_amount,
        chama.welfare_amount,
        chama.cycle_frequency,
        chama.plan,
        chama.member_limit,
        chama.constitution_version,
    ) == (
        Decimal("2000.00"),
        Decimal("1500.00"),
        Decimal("400.00"),
        Decimal("100.00"),
        "monthly",
        "premium",
        30,
        1,
    )
    assert (chama.meeting_rule, chama.meeting_day, chama.meeting_ordinal) == (
        MeetingRuleKind.MONTHLY_WEEKDAY,
        Weekday.SATURDAY,
        -1,
    )
    assert chama.approval_rules == {
        "expense": {"signatures": 2, "chair_threshold": "10000.00"},
        "payout": {"signatures": 1, "chair_threshold": None},
        "loan": {"signatures": 2, "chair_threshold": None},
        "welfare": {"signatures": 1, "chair_threshold": None},
        "transfer": {"signatures": 1, "chair_threshold": None},
    }
    # and so does the loan policy
    policy = LoanPolicy.objects.get(chama=chama)
    assert (
        policy.interest_method,
        policy.interest_rate,
        policy.interest_rate_min,
        policy.interest_rate_max,
        policy.max_term_months,
        policy.max_savings_multiple,
        policy.guarantors_required,
        policy.penalty_type,
        policy.penalty_amount,
        policy.early_repayment,
        policy.credit_discount_min_score,
        policy.credit_discount_percent,
    ) == (
        "reducing_balance",
        Decimal("0.05"),
        Decimal("0.03"),
        Decimal("0.08"),
        6,
        Decimal("2.50"),
        2,
        "flat",
        Decimal("300.00"),
        "interest_to_date",
        80,
        Decimal("20"),
    )


def test_the_rounds_of_an_adopted_schedule_meet_on_its_days(chair_api, chama, roles):
    put(chair_api, chama, {**template_rules(chair_api, chama), **RULES})
    chama.refresh_from_db()

    cycle = cycle_create(chama=chama, start_date=date(2027, 1, 1), acting=roles["chair"])

    rounds = list(cycle.rounds.order_by("number"))
    assert [r.meeting_date for r in rounds] == [
        date(2027, 1, 30),
        date(2027, 2, 27),
        date(2027, 3, 27),
        date(2027, 4, 24),
        date(2027, 5, 29),
    ]
    assert {d.due_date for d in rounds[0].dues.all()} == {date(2027, 1, 30)}


def test_each_put_is_a_new_version_and_old_ones_stay_readable(chair_api, chama, roles):
    rules = {**template_rules(chair_api, chama), **RULES}
    put(chair_api, chama, rules)
    put(chair_api, chama, with_changes(rules, voting={"quorum": "0.75"}))

    listed = chair_api.get(constitution_url(chama, "versions/"))
    first = chair_api.get(constitution_url(chama, "versions/1/"))
    current = chair_api.get(constitution_url(chama))

    assert [v["number"] for v in listed.json()["results"]] == [2, 1]
    assert first.json()["rules"]["voting"]["quorum"] == "0.6000"
    assert current.json()["rules"]["voting"]["quorum"] == "0.7500"
    assert chair_api.get(constitution_url(chama, "versions/3/")).status_code == 404
    chama.refresh_from_db()
    assert chama.constitution_version == 2


def test_a_member_accepts_once_and_officials_see_who_has_not(client_for, chair_api, chama, roles):
    put(chair_api, chama, {**template_rules(chair_api, chama), **RULES})
    member_api = client_for(roles["member"].user)

    first = member_api.post(constitution_url(chama, "accept/"))
    again = member_api.post(constitution_url(chama, "accept/"))

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["version"] == 1
    assert ConstitutionAcceptance.objects.count() == 1
    assert (
        member_api.get(constitution_url(chama)).json()["accepted_at"] == first.json()["accepted_at"]
    )
    assert member_api.get(constitution_url(chama)).json()["pending_acceptance"] is None
    pending = chair_api.get(constitution_url(chama)).json()["pending_acceptance"]
    assert [p["member_id"] for p in pending] == [
        str(roles[r].pk) for r in ("chair", "treasurer", "secretary", "auditor")
    ]


def test_accepting_before_any_version_is_a_409(client_for, chama, roles):
    response = client_for(roles["member"].user).post(constitution_url(chama, "accept/"))

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "no_constitution"
    assert not ConstitutionAcceptance.objects.exists()


def test_after_adoption_settings_refuse_what_the_constitution_owns(chair_api, chama, roles):
    put(chair_api, chama, {**template_rules(chair_api, chama), **RULES})
    url = f"/api/v1/chamas/{chama.pk}/"

    refused = chair_api.patch(
        url, {"contribution_amount": "3000.00", "meeting_day": "Friday"}, format="json"
    )
    unchanged = chair_api.patch(
        url, {"meeting_day": "last saturday", "name": "Umoja Women"}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {
            "code": "constitution_owned",
            "detail": GroupsError.CONSTITUTION_OWNED.render(
                fields="contribution_amount, meeting_day"
            ),
            "attr": None,
        }
    ]
    assert unchanged.status_code == 200
    chama.refresh_from_db()
    assert (chama.name, chama.contribution_amount) == ("Umoja Women", Decimal("2000.00"))


BAD_RULES = [
    (
        {"contribution": {"rotation_amount": "1000.00"}},
        "split_mismatch",
        "rules.contribution.amount",
        ConstitutionError.SPLIT_MISMATCH.render(parts="1500.00", amount="2000.00"),
    ),
    (
        {"voting": {"quorum": "1.5"}},
        "share_out_of_range",
        "rules.voting.quorum",
        ConstitutionError.SHARE_OUT_OF_RANGE.render(value="1.5000"),
    ),
    (
        {"voting": {"quorum": "0"}},
        "share_out_of_range",
        "rules.voting.quorum",
        ConstitutionError.SHARE_OUT_OF_RANGE.render(value="0.0000"),
    ),
    (
        {"meetings": {"schedule": {"text": "someday"}}},
        "unknown_meeting_rule",
        "rules.meetings.schedule.text",
        GroupsError.UNKNOWN_MEETING_RULE.render(text="someday"),
    ),
    (
        {"meetings": {"schedule": {"kind": "weekly"}}},
        "invalid_meeting_rule",
        "rules.meetings.schedule.kind",
        ConstitutionError.MEETING_RULE_SHAPE.render(),
    ),
    (
        {"contribution": {"frequency": "weekly"}},
        "meeting_rule_frequency",
        "rules.contribution.frequency",
        GroupsError.MEETING_RULE_FREQUENCY.render(rule="Last Saturday", frequency="weekly"),
    ),
    (
        {"loans": {"interest_rate_min": "0.06"}},
        "loan_rate_range",
        "rules.loans.interest_rate",
        ConstitutionError.LOAN_RATE_RANGE.render(),
    ),
    (
        {"fines": {"late_contribution": {"kind": "percent", "amount": "150"}}},
        "percent_out_of_range",
        "rules.fines.late_contribution.amount",
        ConstitutionError.PERCENT_OUT_OF_RANGE.render(value="150.00"),
    ),
    (
        {"voting": {"quorom": "0.5"}},
        "unknown_field",
        "rules.voting.quorom",
        "This field is not accepted here.",
    ),
    (
        {"approvals": {"expense": {"signatures": 0}}},
        "min_value",
        "rules.approvals.expense.signatures",
        "Ensure this value is greater than or equal to 1.",
    ),
]


@pytest.mark.parametrize(("changes", "code", "attr", "detail"), BAD_RULES)
def test_bad_rules_are_a_400_and_write_nothing(
    chair_api, chama, roles, changes, code, attr, detail
):
    rules = with_changes({**template_rules(chair_api, chama), **RULES}, **changes)
    before = Chama.objects.values().get(pk=chama.pk)

    response = put(chair_api, chama, rules)

    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == [{"code": code, "detail": detail, "attr": attr}]
    assert not ConstitutionVersion.objects.exists()
    assert not LoanPolicy.objects.filter(chama=chama, interest_rate=Decimal("0.05")).exists()
    assert Chama.objects.values().get(pk=chama.pk) == before


def test_an_unknown_top_level_field_is_refused(chair_api, chama, roles):
    rules = {**template_rules(chair_api, chama), **RULES}

    response = put(chair_api, chama, rules, preamble="We the members")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_field"
    assert not ConstitutionVersion.objects.exists()


def test_the_versions_list_costs_the_same_queries_for_many_versions(chair_api, chama, roles):
    rules = {**template_rules(chair_api, chama), **RULES}
    put(chair_api, chama, rules)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert chair_api.get(constitution_url(chama, "versions/")).status_code == 200
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]

    few, _ = count()
    for quorum in ("0.55", "0.65", "0.75", "0.85"):
        put(chair_api, chama, with_changes(rules, voting={"quorum": quorum}))
    many, sql = count()

    # user, membership, count, page with the adopters and their users
    assert few == many == 4, "\n".join(sql)


def test_the_rules_a_get_shows_can_be_put_back_as_they_are(chair_api, chama, roles):
    # Given the template's rules as the API shows them (a weekly meeting: its unused parts null)
    shown = chair_api.get(constitution_url(chama)).json()["rules"]

    # When the chair adopts them unchanged, and reads them again
    adopted = put(chair_api, chama, shown)
    again = chair_api.get(constitution_url(chama)).json()

    # Then version 1 holds the very same rules
    assert adopted.status_code == 201, adopted.json()
    assert (again["number"], again["rules"]) == (1, shown)


def test_an_unknown_language_in_the_query_is_a_400(chair_api, chama, roles):
    response = chair_api.get(constitution_url(chama), {"language": "fr"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_choice"
