"""Every write to chamas and memberships."""

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.services import user_get_or_invite
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from core.money import ZERO
from groups.access import staff_access_sync
from groups.approvals import approval_rules_clean
from groups.choices import MembershipStatus, Plan, Role
from groups.exceptions import GroupsError
from groups.locks import chama_lock
from groups.models import CHAMA_CODE_RE, CREDIT_SCORE_MAX, Chama, Membership
from groups.schedules import MeetingSchedule, frequency_check, meeting_schedule_parse

SPLIT_FIELDS = ("rotation_amount", "savings_amount", "welfare_amount")
# The settings an adopted constitution owns (see chama_constitution_project): a settings
# change may not alter them once the chama has one.
CONSTITUTION_FIELDS = (
    "contribution_amount",
    *SPLIT_FIELDS,
    "cycle_frequency",
    "meeting_day",
    "plan",
)

# Later layers that must act when a chama is born (finance opens its chart of accounts)
# register here from their AppConfig.ready(); groups itself never imports them.
CHAMA_CREATED_HOOKS: list[Callable[[Chama], object]] = []
# Later layers that must act when a member joins (governance records the constitution in force
# as the member's to accept), called inside the join's transaction with the chama (locked),
# the membership and the official who added them (None for system jobs).
MEMBER_JOINED_HOOKS: list[Callable[..., object]] = []


def _apply_split(chama: Chama, data: dict[str, Any]) -> None:
    """Set the contribution and its split; with no split given, it all goes to savings."""
    if "contribution_amount" in data and not any(field in data for field in SPLIT_FIELDS):
        data = {**data, "savings_amount": data["contribution_amount"]}
        data.update(rotation_amount=ZERO, welfare_amount=ZERO)
    for field in ("contribution_amount", *SPLIT_FIELDS):
        if field in data:
            setattr(chama, field, data[field])
    parts: Decimal = chama.rotation_amount + chama.savings_amount + chama.welfare_amount
    if parts != chama.contribution_amount:
        raise ValidationFailed(GroupsError.SPLIT_MISMATCH, field="contribution_amount")


def _apply_meeting_day(chama: Chama, data: dict[str, Any]) -> None:
    """``meeting_day`` is the rule in words ("Last Saturday", "every Friday", "the 5th")."""
    if "meeting_day" in data:
        chama.meeting_schedule = meeting_schedule_parse(data["meeting_day"])
    frequency_check(chama.meeting_schedule, chama.cycle_frequency)


def _constitution_owned_check(chama: Chama, data: dict[str, Any]) -> None:
    """Once a constitution is adopted, a settings change may not alter what it owns (the same
    value again is no change: the admin's form sends every field back)."""
    if not chama.constitution_version:
        return
    changed = [
        field
        for field in CONSTITUTION_FIELDS
        if field in data
        and (
            meeting_schedule_parse(data[field]) != chama.meeting_schedule
            if field == "meeting_day"
            else data[field] != getattr(chama, field)
        )
    ]
    if changed:
        raise ConflictError(GroupsError.CONSTITUTION_OWNED, fields=", ".join(changed))


def _code_prefix(name: str) -> str:
    letters = re.sub(r"[^A-Z]", "", name.upper())
    return (letters + "XXX")[:3]


def _generate_code(name: str) -> str:
    """Three letters from the name and a free three-digit number (UMJ042)."""
    prefix = _code_prefix(name)
    taken = set(Chama.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    free = [f"{prefix}{n:03d}" for n in range(1, 1000) if f"{prefix}{n:03d}" not in taken]
    if not free:
        return _generate_code(f"{random.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{name}")  # noqa: S311
    return random.choice(free)  # noqa: S311 - not a secret, only spread out


def _member_limit(chama: Chama) -> int | None:
    """The plan's limit, or the constitution's if it is lower."""
    limits = [chama.member_limit] if chama.member_limit else []
    if chama.plan == Plan.FREE:
        limits.append(settings.FREE_PLAN_MEMBER_LIMIT)
    return min(limits, default=None)


def _check_member_limit(chama: Chama, adding: int = 1) -> None:
    limit = _member_limit(chama)
    if limit is None:
        return
    active = Membership.objects.filter(chama=chama, status=MembershipStatus.ACTIVE).count()
    if active + adding > limit:
        raise ConflictError(GroupsError.MEMBER_LIMIT_REACHED, limit=limit)


def _next_seat(chama: Chama) -> int:
    top = Membership.objects.filter(chama=chama, status=MembershipStatus.ACTIVE).aggregate(
        top=Max("seat")
    )["top"]
    return (top or 0) + 1


def _seat_taken(chama: Chama, seat: int, exclude: Membership | None = None) -> bool:
    others = Membership.objects.filter(chama=chama, status=MembershipStatus.ACTIVE, seat=seat)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def _check_seat_free(chama: Chama, seat: int, exclude: Membership | None = None) -> None:
    if _seat_taken(chama, seat, exclude):
        raise ConflictError(GroupsError.SEAT_TAKEN, seat=seat)


def _next_member_code(chama: Chama) -> str:
    """Hand out the next member code; the caller holds the chama lock."""
    chama.member_sequence += 1
    chama.save(update_fields=["member_sequence", "updated_at"])
    return f"M{chama.member_sequence:03d}"


@transaction.atomic
def chama_create(*, creator: User, name: str, code: str | None = None, **data: Any) -> Chama:
    """Create a chama; its creator becomes the chair in seat 1."""
    chama = Chama(name=name, created_by=creator)
    for field in ("description", "currency", "cycle_frequency", "plan"):
        if field in data:
            setattr(chama, field, data[field])
    _apply_split(chama, data)
    _apply_meeting_day(chama, data)
    if code:
        if not re.match(CHAMA_CODE_RE, code):
            raise ValidationFailed(GroupsError.INVALID_CODE, field="code")
        if Chama.objects.filter(code=code).exists():
            raise ConflictError(GroupsError.CODE_TAKEN)
    for _attempt in range(5):
        chama.code = code or _generate_code(name)
        try:
            with transaction.atomic():
                chama.save()
            break
        except IntegrityError:
            if code:  # the chosen code was taken by a concurrent request
                raise ConflictError(GroupsError.CODE_TAKEN) from None
    else:  # pragma: no cover - five collisions in a row on random codes
        raise ConflictError(GroupsError.CODE_TAKEN)
    Membership.objects.create(
        chama=chama,
        user=creator,
        role=Role.CHAIR,
        seat=1,
        member_code=_next_member_code(chama),
        receive_phone=creator.phone,
        joined_on=timezone.localdate(),
    )
    staff_access_sync(user=creator)
    for hook in CHAMA_CREATED_HOOKS:
        hook(chama)
    return chama


@transaction.atomic
def chama_update(*, chama: Chama, data: dict[str, Any]) -> Chama:
    chama = chama_lock(chama.pk)
    _constitution_owned_check(chama, data)
    for field in ("name", "description", "cycle_frequency", "status", "plan"):
        if field in data:
            setattr(chama, field, data[field])
    _apply_split(chama, data)
    _apply_meeting_day(chama, data)
    if "plan" in data:
        _check_member_limit(chama, adding=0)
    chama.save()
    return chama


@transaction.atomic
def chama_constitution_project(
    *,
    chama: Chama,
    version: int,
    contribution: dict[str, Any],
    cycle_frequency: str,
    meeting_schedule: MeetingSchedule | None,
    plan: str,
    member_limit: int | None,
    approval_rules: dict[str, Any],
) -> Chama:
    """Write an adopted constitution's rules onto the settings the rest of Hazina reads.
    Governance calls it in the adoption's transaction; groups never reads the constitution."""
    chama = chama_lock(chama.pk)
    chama.cycle_frequency = cycle_frequency
    _apply_split(chama, contribution)
    chama.meeting_schedule = meeting_schedule
    frequency_check(meeting_schedule, cycle_frequency)
    chama.plan = plan
    chama.member_limit = member_limit
    _check_member_limit(chama, adding=0)
    chama.approval_rules = approval_rules_clean(approval_rules)
    chama.constitution_version = version
    chama.save()
    return chama


def _check_may_appoint(actor: Membership | None, role: str) -> None:
    if actor is not None and role != Role.MEMBER and actor.role != Role.CHAIR:
        raise PermissionDeniedError(GroupsError.CHAIR_ONLY)


@transaction.atomic
def membership_add(
    *,
    chama: Chama,
    actor: Membership | None,
    phone: str,
    full_name: str,
    email: str | None = None,
    role: str = Role.MEMBER,
    seat: int | None = None,
    receive_phone: str | None = None,
) -> Membership:
    """Add a person to the chama, linking their account or inviting them.

    ``actor`` is the official doing it (None for system jobs such as the demo seed).
    """
    _check_may_appoint(actor, role)
    chama = chama_lock(chama.pk)
    user = user_get_or_invite(phone=phone, full_name=full_name, email=email)
    membership = Membership.objects.filter(chama=chama, user=user).first()
    if membership is not None and membership.status != MembershipStatus.EXITED:
        raise ConflictError(GroupsError.ALREADY_MEMBER)
    _check_member_limit(chama)
    if seat is None:
        seat = _next_seat(chama)
    else:
        _check_seat_free(chama, seat)
    if membership is None:
        membership = Membership(chama=chama, user=user, member_code=_next_member_code(chama))
    membership.role = role
    membership.status = MembershipStatus.ACTIVE
    membership.seat = seat
    membership.receive_phone = receive_phone or user.phone
    membership.joined_on = timezone.localdate()
    membership.save()
    staff_access_sync(user=user)
    for hook in MEMBER_JOINED_HOOKS:
        hook(chama=chama, membership=membership, actor=actor)
    return membership


def _is_last_chair(membership: Membership) -> bool:
    if membership.role != Role.CHAIR or membership.status != MembershipStatus.ACTIVE:
        return False
    return (
        not Membership.objects.filter(
            chama_id=membership.chama_id, role=Role.CHAIR, status=MembershipStatus.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_update(
    *, membership: Membership, actor: Membership | None, data: dict[str, Any]
) -> Membership:
    """Change a member's role, seat, status or payout phone."""
    chama = chama_lock(membership.chama_id)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    new_role = data.get("role", membership.role)
    new_status = data.get("status", membership.status)
    if new_role != membership.role:
        _check_may_appoint(actor, Role.CHAIR)
    if (new_role != Role.CHAIR or new_status != MembershipStatus.ACTIVE) and _is_last_chair(
        membership
    ):
        raise ConflictError(GroupsError.LAST_CHAIR)
    reactivating = (
        new_status == MembershipStatus.ACTIVE and membership.status != MembershipStatus.ACTIVE
    )
    if reactivating:
        _check_member_limit(chama)
    seat = data.get("seat", membership.seat)
    if new_status == MembershipStatus.ACTIVE:
        if seat is None or (
            reactivating and "seat" not in data and _seat_taken(chama, seat, membership)
        ):
            seat = _next_seat(chama)
        else:
            _check_seat_free(chama, seat, exclude=membership)
    membership.role = new_role
    membership.status = new_status
    membership.seat = seat
    if "receive_phone" in data:
        membership.receive_phone = data["receive_phone"]
    membership.save()
    staff_access_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_credit_score_set(*, membership: Membership, score: int | None) -> Membership:
    """Store a member's credit score (0-100, or None to clear it). Governance computes the
    score; groups only keeps it, where finance reads it for a loan's rate."""
    _score_check(score)
    # One column, saved alone: nothing else of the row is read, so no lock is needed.
    membership.credit_score = score
    membership.save(update_fields=["credit_score", "updated_at"])
    return membership


@dataclass(frozen=True)
class CreditScoreWrite:
    """One member's computed score and the components behind it (JSON-ready)."""

    membership_id: UUID
    score: int
    components: dict[str, Any]


# Rows per UPDATE. On PostgreSQL one ``UPDATE ... FROM (VALUES ...)`` joins the new values by
# id, linear in its rows; elsewhere bulk_update's CASE per field, which grows with the batch
# squared (and SQLite's 999 parameters cap it at 249: two fields, and the id twice per row).
CREDIT_SCORE_BATCH = 10_000
CREDIT_SCORE_CASE_BATCH = 200
_SCORES_UPDATE = (
    'UPDATE "groups_membership" AS m SET "credit_score" = v.score, '
    '"credit_score_components" = v.components '
    "FROM (VALUES {rows}) AS v(id, score, components) WHERE m.id = v.id"
)


def _score_check(score: int | None) -> None:
    if score is not None and (
        not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= CREDIT_SCORE_MAX
    ):
        raise ValidationFailed(GroupsError.INVALID_CREDIT_SCORE, field="score", score=score)


@transaction.atomic
def membership_credit_scores_set(*, scores: Sequence[CreditScoreWrite]) -> int:
    """Store many members' scores with their components without reading the rows: one
    UPDATE per ``CREDIT_SCORE_BATCH`` members on PostgreSQL (per ``CREDIT_SCORE_CASE_BATCH``
    elsewhere). A score is derived data, as a cached balance
    is: ``updated_at`` stays the time of the last change to the membership itself. Returns
    how many it wrote."""
    for row in scores:
        _score_check(row.score)
    if connection.vendor != "postgresql":
        rows = [
            Membership(
                pk=row.membership_id,
                credit_score=row.score,
                credit_score_components=row.components,
            )
            for row in scores
        ]
        Membership.objects.bulk_update(
            rows, ["credit_score", "credit_score_components"], batch_size=CREDIT_SCORE_CASE_BATCH
        )
        return len(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(scores), CREDIT_SCORE_BATCH):
            batch = scores[start : start + CREDIT_SCORE_BATCH]
            values = ", ".join(["(%s::uuid, %s::smallint, %s::jsonb)"] * len(batch))
            params: list[str | int] = []
            for row in batch:
                params += [str(row.membership_id), row.score, json.dumps(row.components)]
            cursor.execute(_SCORES_UPDATE.format(rows=values), params)
    return len(scores)
