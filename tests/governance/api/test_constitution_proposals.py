"""A constitution amended by the members' vote, through the API and the votes_close job:
the chair proposes (202), the members vote, the job closes the vote at its deadline and the
proposal is adopted (version n+1 with its vote, the settings and the loan policy projected)
or rejected (nothing changed); bad input writes nothing."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.models import LoanPolicy
from governance.models import ConstitutionProposal, ConstitutionVersion, Vote
from governance.selectors.constitution import constitution_template_rules
from governance.services.constitution import constitution_adopt
from governance.services.constitution_proposals import CONSTITUTION_SUBJECT, constitution_propose
from governance.services.votes import vote_close
from groups.models import Chama
from tests.governance.constitution_fixtures import constitution_url, template_rules, with_changes

pytestmark = pytest.mark.django_db

VOTERS = ("chair", "treasurer", "secretary", "member")  # the auditor does not vote


@pytest.fixture
def adopted(chama, roles):
    """Version 1, the template as it is (simple majority, quorum 0.50, amendments two-thirds)."""
    return constitution_adopt(
        chama=chama, acting=roles["chair"], rules=constitution_template_rules(chama=chama)
    )


@pytest.fixture
def api(client_for, roles):
    return lambda role: client_for(roles[role].user)


@pytest.fixture
def amended(api, chama, adopted):
    """The rules with a new contribution (KES 3,000: 2,000 / 800 / 200) and a 4% loan rate."""
    return with_changes(
        template_rules(api("chair"), chama),
        contribution={
            "amount": "3000.00",
            "rotation_amount": "2000.00",
            "savings_amount": "800.00",
            "welfare_amount": "200.00",
        },
        loans={"interest_rate": "0.04", "interest_rate_min": None, "interest_rate_max": None},
    )


def propose(client, chama, rules, **body):
    return client.put(
        constitution_url(chama),
        json.dumps({"rules": rules, "by_vote": True, **body}),
        content_type="application/json",
    )


def ballot(client, chama, vote_id, choice):
    response = client.post(
        f"/api/v1/chamas/{chama.pk}/votes/{vote_id}/ballots/", {"choice": choice}, format="json"
    )
    assert response.status_code == 201, response.json()


def close_job():
    out = StringIO()
    call_command("run_job", "votes_close", stdout=out)
    return out.getvalue()


def vote_and_close(api, chama, proposed, choices):
    for role, choice in zip(VOTERS, choices, strict=True):
        ballot(api(role), chama, proposed["vote_id"], choice)
    closes_at = Vote.objects.get(pk=proposed["vote_id"]).closes_at
    with time_machine.travel(closes_at + timedelta(minutes=1), tick=False):
        return close_job()


def settings_of(chama):
    chama = Chama.objects.get(pk=chama.pk)
    policy = LoanPolicy.objects.get(chama=chama)
    return (
        chama.contribution_amount,
        chama.rotation_amount,
        chama.savings_amount,
        chama.welfare_amount,
        chama.constitution_version,
        policy.interest_rate,
    )


def test_a_passed_vote_adopts_the_proposed_version(api, chama, roles, adopted, amended):
    before = settings_of(chama)
    now = timezone.now()

    response = propose(api("chair"), chama, amended)

    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["status"], body["version"], body["decided_at"]) == ("proposed", None, None)
    assert body["proposed_by"]["member_id"] == str(roles["chair"].pk)
    assert body["rules"]["contribution"]["amount"] == "3000.00"
    vote = Vote.objects.get(pk=body["vote_id"])
    assert (vote.subject_type, str(vote.subject_id)) == (CONSTITUTION_SUBJECT, body["proposal_id"])
    assert (vote.kind, vote.quorum, vote.anonymous, vote.electorate) == (
        "two_thirds",
        Decimal("0.500"),
        False,
        4,
    )
    assert timedelta(days=7) <= vote.closes_at - now < timedelta(days=7, minutes=1)
    # Nothing is adopted while the members vote.
    assert settings_of(chama) == before
    assert ConstitutionVersion.objects.filter(chama=chama).count() == 1

    # 3 yes / 1 no: three quarters, over two-thirds; quorum 4 of 4.
    assert (
        vote_and_close(api, chama, body, ["yes", "yes", "yes", "no"])
        == "votes_close: 1 vote(s) closed\n"
    )

    version = ConstitutionVersion.objects.get(chama=chama, number=2)
    assert (version.vote_id, version.adopted_by_id) == (vote.pk, None)
    assert settings_of(chama) == (
        Decimal("3000.00"),
        Decimal("2000.00"),
        Decimal("800.00"),
        Decimal("200.00"),
        2,
        Decimal("0.0400"),
    )
    proposal = ConstitutionProposal.objects.get(pk=body["proposal_id"])
    assert (proposal.status, proposal.version_id) == ("adopted", version.pk)
    assert proposal.text == version.text != ""
    current = api("member").get(constitution_url(chama)).json()
    assert (current["number"], current["vote_id"], current["adopted_by"]) == (2, str(vote.pk), None)
    listed = api("member").get(constitution_url(chama, "proposals/")).json()["results"]
    assert [(p["proposal_id"], p["status"], p["vote_id"], p["version"]) for p in listed] == [
        (body["proposal_id"], "adopted", str(vote.pk), 2)
    ]
    # The job again: nothing left to close, nothing adopted twice.
    with time_machine.travel(vote.closes_at + timedelta(days=1), tick=False):
        assert close_job() == "votes_close: 0 vote(s) closed\n"
    assert ConstitutionVersion.objects.filter(chama=chama).count() == 2


@pytest.mark.parametrize(
    ("choices", "result"),
    [
        (["yes", "yes", "no", "no"], "failed"),  # half: short of two-thirds
        (["yes", None, None, None], "no_quorum"),  # 1 of 4 under 0.50
    ],
)
def test_a_failed_vote_rejects_it_and_changes_nothing(
    api, chama, adopted, amended, choices, result
):
    before = settings_of(chama)
    body = propose(api("chair"), chama, amended).json()
    for role, choice in zip(VOTERS, choices, strict=True):
        if choice is not None:
            ballot(api(role), chama, body["vote_id"], choice)
    vote = Vote.objects.get(pk=body["vote_id"])
    with time_machine.travel(vote.closes_at + timedelta(minutes=1), tick=False):
        assert close_job() == "votes_close: 1 vote(s) closed\n"

    vote.refresh_from_db()
    assert vote.result == result
    proposal = ConstitutionProposal.objects.get(pk=body["proposal_id"])
    assert (proposal.status, proposal.version_id) == ("rejected", None)
    assert proposal.decided_at is not None
    assert settings_of(chama) == before
    assert list(
        ConstitutionVersion.objects.filter(chama=chama).values_list("number", flat=True)
    ) == [1]
    # Rejected, it no longer blocks another proposal.
    assert propose(api("chair"), chama, amended).status_code == 202


def test_the_chair_may_name_the_deadline(api, chama, adopted, amended):
    closes_at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)

    response = propose(api("chair"), chama, amended, closes_at=closes_at.isoformat())

    assert response.status_code == 202, response.json()
    assert Vote.objects.get(pk=response.json()["vote_id"]).closes_at == closes_at


def nothing_written(chama, before):
    assert not ConstitutionProposal.objects.filter(chama=chama).exists()
    assert not Vote.objects.filter(chama=chama).exists()
    assert settings_of(chama) == before


def test_bad_rules_are_400_and_write_nothing(api, chama, adopted, amended):
    before = settings_of(chama)
    rules = with_changes(amended, contribution={"welfare_amount": "250.00"})

    response = propose(api("chair"), chama, rules)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == ("split_mismatch", "rules.contribution.amount")
    nothing_written(chama, before)


def test_a_member_limit_below_the_members_is_refused_as_a_direct_adoption(
    api, chama, adopted, amended
):
    before = settings_of(chama)
    rules = with_changes(amended, membership={"member_limit": 2})

    response = propose(api("chair"), chama, rules)

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "member_limit_reached"
    nothing_written(chama, before)


def test_a_deadline_in_the_past_is_400(api, chama, adopted, amended):
    before = settings_of(chama)
    past = (timezone.now() - timedelta(hours=1)).isoformat()

    response = propose(api("chair"), chama, amended, closes_at=past)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_window"
    nothing_written(chama, before)


def test_a_deadline_without_a_vote_is_400(api, chama, adopted, amended):
    before = settings_of(chama)
    future = (timezone.now() + timedelta(days=1)).isoformat()

    response = api("chair").put(
        constitution_url(chama),
        json.dumps({"rules": amended, "closes_at": future}),
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == ("closes_at_without_vote", "closes_at")
    assert error["detail"] == "closes_at is the deadline of a vote: send it only with by_vote true."
    nothing_written(chama, before)
    assert ConstitutionVersion.objects.filter(chama=chama).count() == 1


@pytest.mark.parametrize("role", ["treasurer", "secretary", "auditor", "member"])
def test_only_the_chair_proposes(api, chama, adopted, amended, role):
    before = settings_of(chama)

    response = propose(api(role), chama, amended)

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    nothing_written(chama, before)


def test_a_second_proposal_while_one_is_open_is_409(api, chama, adopted, amended):
    first = propose(api("chair"), chama, amended).json()
    closes_at = Vote.objects.get(pk=first["vote_id"]).closes_at

    response = propose(api("chair"), chama, with_changes(amended, welfare={"buffer": "10.00"}))

    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "constitution_proposal_open"
    assert error["detail"] == (
        "A proposed constitution is already before the members (its vote closes at "
        f"{closes_at.isoformat()}); wait for its result before adopting or proposing another "
        "version."
    )
    assert ConstitutionProposal.objects.filter(chama=chama).count() == 1
    assert Vote.objects.filter(chama=chama).count() == 1


def test_a_direct_adoption_while_a_proposal_is_open_is_409_and_writes_nothing(
    api, chama, adopted, amended
):
    # Given a proposal before the members
    first = propose(api("chair"), chama, amended).json()
    closes_at = Vote.objects.get(pk=first["vote_id"]).closes_at
    before = settings_of(chama)

    # When the chair adopts another version directly (not by vote)
    response = api("chair").put(
        constitution_url(chama),
        json.dumps({"rules": with_changes(amended, welfare={"buffer": "10.00"})}),
        content_type="application/json",
    )

    # Then it is refused and nothing changes: no version, no settings, the proposal open
    assert response.status_code == 409, response.json()
    assert response.json()["errors"] == [
        {
            "code": "constitution_proposal_open",
            "detail": "A proposed constitution is already before the members (its vote closes "
            f"at {closes_at.isoformat()}); wait for its result before adopting or proposing "
            "another version.",
            "attr": None,
        }
    ]
    assert ConstitutionVersion.objects.filter(chama=chama).count() == 1
    assert settings_of(chama) == before
    assert ConstitutionProposal.objects.get(chama=chama).status == "proposed"


def test_a_proposal_without_text_carries_the_templates_words(api, chama, adopted, amended):
    body = propose(api("chair"), chama, amended, language="sw").json()

    assert body["language"] == "sw"
    assert "3,000" in body["text"]


def decided_proposals(chama, roles, count):
    """``count`` proposals, each rejected by the chair closing its vote before anyone voted."""
    for _ in range(count):
        proposal = constitution_propose(
            chama=chama, acting=roles["chair"], rules=constitution_template_rules(chama=chama)
        )
        vote_close(vote=proposal.vote, acting=roles["chair"])


def test_the_proposals_list_costs_the_same_queries_for_many_proposals(api, chama, roles, adopted):
    client, url = api("member"), constitution_url(chama, "proposals/")
    decided_proposals(chama, roles, 1)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["results"]) == 1

    decided_proposals(chama, roles, 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert [p["status"] for p in response.json()["results"]] == ["rejected"] * 5
    # user, membership, count, the page with its vote, proposer and version
    assert len(few.captured_queries) == len(many.captured_queries) == 4, [
        q["sql"] for q in many.captured_queries
    ]
