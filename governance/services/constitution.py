"""Adopting a constitution version and accepting it.

Adoption is a projection: the new version's rules are written onto the settings the rest of
Hazina reads today (the chama's contribution, frequency, meeting rule, plan, member limit and
approval rules; finance's loan and welfare policies) in the adoption's own transaction, so what the
constitution says and what the services do never disagree. Lower layers never read the
constitution itself.
"""

import dataclasses
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.exceptions import ConflictError
from finance.services.loans import loan_policy_set
from finance.services.welfare_policy import welfare_policy_set
from governance.choices import Language, ProposalStatus
from governance.constitution_rules import Rules, rules_check, rules_to_data
from governance.constitution_text import constitution_text
from governance.exceptions import ConstitutionError
from governance.models import (
    ConstitutionAcceptance,
    ConstitutionProposal,
    ConstitutionVersion,
    Vote,
)
from governance.selectors.constitution import constitution_current_get
from groups.choices import Role
from groups.locks import chama_lock
from groups.models import Chama, Membership
from groups.rules import official_check
from groups.services import chama_constitution_project

ADOPTERS = frozenset({Role.CHAIR})


def _approval_rules(rules: Rules) -> dict[str, Any]:
    """The shape groups.models.Chama.approval_rules holds (the APPROVALS contract)."""
    data: dict[str, Any] = rules_to_data(rules)["approvals"]
    return data


def _proposal_open_check(chama: Chama) -> None:
    """Under the chama's lock, which proposals and adoptions take first."""
    pending = (
        ConstitutionProposal.objects.filter(chama=chama, status=ProposalStatus.PROPOSED)
        .select_related("vote")
        .first()
    )
    if pending is not None:
        raise ConflictError(
            ConstitutionError.PROPOSAL_OPEN, closes_at=pending.vote.closes_at.isoformat()
        )


@transaction.atomic
def constitution_adopt(
    *,
    chama: Chama,
    acting: Membership | None,
    rules: Rules,
    text: str = "",
    language: str = Language.ENGLISH,
    vote: Vote | None = None,
) -> ConstitutionVersion:
    """Adopt version n+1 and project its rules onto the chama's settings and its loan and
    welfare policies.

    ``acting`` is the chair adopting it; None when a passed vote (``vote``) or the
    platform (a superuser in the admin) adopts it. Without ``text`` the version takes the
    default template's text in ``language``, filled from its rules. Adopted otherwise than by
    its vote while a proposal is before the members: 409 ``constitution_proposal_open``, so
    that a vote never decides on rules a direct adoption has meanwhile replaced.
    """
    if acting is not None:
        official_check(
            acting, chama_id=chama.pk, refused=ConstitutionError.CHAIR_ONLY, roles=ADOPTERS
        )
    rules_check(rules)
    chama = chama_lock(chama.pk)  # adoptions of one chama queue here: numbers never collide
    if vote is None:
        _proposal_open_check(chama)
    number = (
        ConstitutionVersion.objects.filter(chama=chama).aggregate(top=Max("number"))["top"] or 0
    ) + 1
    c = rules.contribution
    chama_constitution_project(
        chama=chama,
        version=number,
        contribution={
            "contribution_amount": c.amount,
            "rotation_amount": c.rotation_amount,
            "savings_amount": c.savings_amount,
            "welfare_amount": c.welfare_amount,
        },
        cycle_frequency=c.frequency,
        meeting_schedule=rules.meetings.schedule,
        plan=rules.membership.plan,
        member_limit=rules.membership.member_limit,
        approval_rules=_approval_rules(rules),
    )
    loan_policy_set(chama=chama, terms=dataclasses.asdict(rules.loans))
    welfare_policy_set(
        chama=chama,
        amounts=dataclasses.asdict(rules.welfare.amounts),
        buffer=rules.welfare.buffer,
    )
    return ConstitutionVersion.objects.create(
        chama=chama,
        number=number,
        rules=rules_to_data(rules),
        text=text
        or constitution_text(
            rules=rules, language=language, chama_name=chama.name, currency=chama.currency
        ),
        language=language,
        adopted_by=acting,
        vote=vote,
    )


def constitution_joined(
    *, chama: Chama, membership: Membership, actor: Membership | None
) -> ConstitutionAcceptance | None:
    """groups' ``MEMBER_JOINED_HOOKS``, in the join's transaction: a member added to a chama
    with an adopted constitution has the version in force recorded as theirs to accept
    (pending until they accept it themselves; an official never accepts for them). A chama
    without one reads nothing."""
    if chama.constitution_version == 0:
        return None
    current = constitution_current_get(chama=chama)
    if current is None:  # pragma: no cover - the version number says one was adopted
        return None
    acceptance, _ = ConstitutionAcceptance.objects.get_or_create(
        version=current, membership=membership, defaults={"accepted_at": None}
    )
    return acceptance


@transaction.atomic
def constitution_accept(*, chama: Chama, acting: Membership) -> ConstitutionAcceptance:
    """``acting`` accepts the version in force (pending since they joined, or not yet
    recorded); accepting it again returns the first record."""
    current = constitution_current_get(chama=chama)
    if current is None:
        raise ConflictError(ConstitutionError.NONE_ADOPTED)
    existing = ConstitutionAcceptance.objects.filter(version=current, membership=acting).first()
    if existing is not None:
        if existing.accepted_at is None:
            existing.accepted_at = timezone.now()
            existing.save(update_fields=["accepted_at", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return ConstitutionAcceptance.objects.create(version=current, membership=acting)
    except IntegrityError:  # a concurrent request recorded it first
        return ConstitutionAcceptance.objects.get(version=current, membership=acting)
