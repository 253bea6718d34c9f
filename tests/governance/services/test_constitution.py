"""Adopting a constitution through the service, and the rules the rest of Hazina reads."""

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import PermissionDeniedError
from governance.constitution_rules import ApprovalRule, FineRules, LateContributionFine, VotingRules
from governance.exceptions import ConstitutionError
from governance.models import ConstitutionVersion
from governance.selectors.constitution import constitution_rules_get, constitution_template_rules
from governance.services.constitution import constitution_adopt
from governance.services.votes import vote_open

pytestmark = pytest.mark.django_db


def test_before_adoption_the_rules_are_the_chamas_settings(chama):
    rules = constitution_rules_get(chama=chama)

    assert rules == constitution_template_rules(chama=chama)
    assert (rules.contribution.amount, rules.voting.dispute_quorum) == (
        Decimal("1000.00"),
        Decimal("0.70"),
    )
    assert rules.approvals.expense == ApprovalRule(signatures=1, chair_threshold=None)
    assert rules.fines.late_contribution is None


def test_the_rules_read_back_as_adopted(chama, roles):
    rules = dataclasses.replace(
        constitution_template_rules(chama=chama),
        voting=VotingRules(quorum=Decimal("0.60")),
        fines=FineRules(
            late_contribution=LateContributionFine(
                kind="percent", amount=Decimal("10"), interval="per_day", cap=Decimal("500.00")
            ),
            missed_meeting=Decimal("200.00"),
        ),
    )

    version = constitution_adopt(chama=chama, acting=roles["chair"], rules=rules, language="sw")

    read = constitution_rules_get(chama=chama)
    assert read == rules
    assert read.fines.late_contribution.cap == Decimal("500.00")
    assert version.number == 1
    assert version.text.startswith("Katiba ya Umoja Group")


def test_a_vote_adopts_without_a_chair(chama, roles):
    vote = vote_open(
        chama=chama,
        acting=roles["chair"],
        title="Adopt the constitution",
        closes_at=timezone.now() + timedelta(days=7),
        anonymous=False,
    )

    version = constitution_adopt(
        chama=chama, acting=None, rules=constitution_template_rules(chama=chama), vote=vote
    )

    version.refresh_from_db()
    assert (version.adopted_by, version.vote) == (None, vote)
    chama.refresh_from_db()
    assert chama.constitution_version == 1


@pytest.mark.parametrize("role", ["treasurer", "secretary", "auditor", "member"])
def test_only_the_chair_adopts(chama, roles, role):
    with pytest.raises(PermissionDeniedError) as refused:
        constitution_adopt(
            chama=chama, acting=roles[role], rules=constitution_template_rules(chama=chama)
        )

    assert refused.value.code == ConstitutionError.CHAIR_ONLY
    assert not ConstitutionVersion.objects.exists()
