"""Reading a chama's constitution: the version in force (or the default template built from
the chama's settings when none is adopted yet), its rules, and who has accepted it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from finance.models import LoanPolicy
from finance.services.loans import LOAN_POLICY_TERMS
from governance.choices import ApprovalKind, Language
from governance.constitution_rules import (
    ApprovalRule,
    ApprovalRules,
    ContributionRules,
    LoanRules,
    MeetingRules,
    MembershipRules,
    Rules,
    rules_from_data,
    rules_part_from_data,
    rules_to_data,
)
from governance.constitution_text import constitution_text
from governance.models import ConstitutionAcceptance, ConstitutionProposal, ConstitutionVersion
from groups.choices import OFFICE_ROLES, CycleFrequency, Plan
from groups.models import Chama, Membership, MembershipQuerySet


def constitution_version_list(*, chama: Chama) -> QuerySet[ConstitutionVersion]:
    return (
        ConstitutionVersion.objects.filter(chama=chama)
        .select_related("adopted_by__user")
        .order_by("-number")
    )


def constitution_proposal_list(*, chama: Chama) -> QuerySet[ConstitutionProposal]:
    """Every proposal put to the members' vote, newest first, with its vote and the version
    it became (one query for the page however many)."""
    return (
        ConstitutionProposal.objects.filter(chama=chama)
        .select_related("proposed_by__user", "vote", "version")
        .order_by("-created_at", "-id")
    )


def constitution_current_get(*, chama: Chama) -> ConstitutionVersion | None:
    """The version in force: the highest number adopted."""
    return constitution_version_list(chama=chama).first()


def _approval_rules(chama: Chama) -> ApprovalRules:
    stored = chama.approval_rules or {}
    return ApprovalRules(
        **{
            kind.value: rules_part_from_data(ApprovalRule, stored[kind.value])
            for kind in ApprovalKind
            if isinstance(stored.get(kind.value), dict)
        }
    )


def _policy_rules(policy: LoanPolicy) -> LoanRules:
    rules: LoanRules = rules_part_from_data(
        LoanRules, {name: getattr(policy, name) for name in LOAN_POLICY_TERMS}
    )
    return rules


def _loan_rules(chama: Chama) -> LoanRules:
    return _policy_rules(LoanPolicy.objects.filter(chama=chama).first() or LoanPolicy(chama=chama))


def constitution_template_rules(*, chama: Chama, loans: LoanRules | None = None) -> Rules:
    """The default rules: the chama's settings as they are today (``loans``: its loan policy,
    when the caller has read it already)."""
    return Rules(
        contribution=ContributionRules(
            amount=chama.contribution_amount,
            rotation_amount=chama.rotation_amount,
            savings_amount=chama.savings_amount,
            welfare_amount=chama.welfare_amount,
            frequency=CycleFrequency(chama.cycle_frequency),
        ),
        meetings=MeetingRules(schedule=chama.meeting_schedule),
        loans=loans if loans is not None else _loan_rules(chama),
        approvals=_approval_rules(chama),
        membership=MembershipRules(plan=Plan(chama.plan), member_limit=chama.member_limit),
    )


def constitution_template_get(
    *, chama: Chama, language: str = Language.ENGLISH
) -> ConstitutionVersion:
    """The default template a chama starts from: version 0, not stored."""
    rules = constitution_template_rules(chama=chama)
    return ConstitutionVersion(
        chama=chama,
        number=0,
        rules=rules_to_data(rules),
        text=constitution_text(
            rules=rules, language=language, chama_name=chama.name, currency=chama.currency
        ),
        language=language,
        adopted_at=None,  # type: ignore[misc]  # never adopted: a template
    )


def constitution_rules_get(*, chama: Chama) -> Rules:
    """The rules in force: the current version's, or the default template's (the chama's
    current settings) while none is adopted. What fines, expenses and votes read."""
    current = constitution_current_get(chama=chama)
    if current is None:
        return constitution_template_rules(chama=chama)
    return rules_from_data(current.rules)


def constitution_rules_map(*, chamas: Iterable[Chama]) -> dict[UUID, Rules]:
    """The rules in force in each of ``chamas`` (loaded), by chama id, in two queries however
    many: the current version of every chama that has one, then the loan policies of those
    that have none (their template is their settings, already loaded with them)."""
    by_id = {chama.pk: chama for chama in chamas}
    newer = ConstitutionVersion.objects.filter(
        chama=OuterRef("chama"), number__gt=OuterRef("number")
    )
    current = ConstitutionVersion.objects.filter(chama_id__in=by_id).exclude(Exists(newer))
    rules = {version.chama_id: rules_from_data(version.rules) for version in current}
    templates = [pk for pk in by_id if pk not in rules]
    policies = {p.chama_id: p for p in LoanPolicy.objects.filter(chama_id__in=templates)}
    for pk in templates:
        policy = policies.get(pk) or LoanPolicy(chama=by_id[pk])
        rules[pk] = constitution_template_rules(chama=by_id[pk], loans=_policy_rules(policy))
    return rules


def late_fine_since_map(*, chama_ids: Iterable[UUID]) -> dict[UUID, date]:
    """The day each of ``chama_ids`` adopted the late-contribution fine in force: the adoption
    of the earliest version from which every version to the current one has such a rule (an
    amended amount keeps the day; a version without the rule starts it afresh). Chamas whose
    version in force has none are left out. One query however many chamas."""
    versions = (
        ConstitutionVersion.objects.filter(chama_id__in=set(chama_ids))
        .annotate(late=KeyTextTransform("late_contribution", KeyTransform("fines", "rules")))
        .order_by("chama_id", "-number")
        .values_list("chama_id", "adopted_at", "late")
    )
    since: dict[UUID, date] = {}
    broken: set[UUID] = set()
    for chama_id, adopted_at, late in versions:  # newest first, per chama
        if chama_id in broken:
            continue
        if late in (None, "null"):  # JSON null: NULL on PostgreSQL, the text on SQLite
            broken.add(chama_id)
            continue
        since[chama_id] = timezone.localdate(adopted_at)
    return since


def constitution_version_get(*, chama: Chama, number: int) -> ConstitutionVersion | None:
    return constitution_version_list(chama=chama).filter(number=number).first()


def constitution_pending_list(*, version: ConstitutionVersion) -> MembershipQuerySet:
    """Active members who have not accepted ``version`` (pending since they joined, or since
    it was adopted)."""
    accepted = ConstitutionAcceptance.objects.filter(
        membership=OuterRef("pk"), version=version, accepted_at__isnull=False
    )
    return (
        Membership.objects.active()
        .filter(chama_id=version.chama_id)
        .exclude(Exists(accepted))
        .select_related("user")
        .order_by("seat", "member_code")
    )


@dataclass(frozen=True)
class ConstitutionStatus:
    """The constitution as a member sees it: the version in force (or the template, number
    0), whether they accepted it, and for officials who has not."""

    version: ConstitutionVersion
    accepted_at: datetime | None
    pending: list[Membership] | None

    @property
    def is_template(self) -> bool:
        return self.version.number == 0

    @property
    def rules(self) -> dict[str, Any]:
        return self.version.rules  # type: ignore[no-any-return]


def constitution_status_get(
    *, chama: Chama, viewer: Membership, language: str = Language.ENGLISH
) -> ConstitutionStatus:
    current = constitution_current_get(chama=chama)
    if current is None:
        return ConstitutionStatus(
            version=constitution_template_get(chama=chama, language=language),
            accepted_at=None,
            pending=None,
        )
    acceptance = ConstitutionAcceptance.objects.filter(version=current, membership=viewer).first()
    return ConstitutionStatus(
        version=current,
        accepted_at=acceptance.accepted_at if acceptance else None,
        pending=list(constitution_pending_list(version=current))
        if viewer.role in OFFICE_ROLES
        else None,
    )
