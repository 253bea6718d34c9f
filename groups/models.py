"""Chamas and their memberships."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from core.models import BaseModel
from core.money import Currency, money_field
from core.phone import validate_phone
from groups.choices import (
    OFFICE_ROLES,
    OFFICIAL_ROLES,
    ApprovalKind,
    ChamaStatus,
    CycleFrequency,
    MeetingRuleKind,
    MembershipStatus,
    Plan,
    Role,
    SignatureDecision,
    Weekday,
)
from groups.schedules import MeetingSchedule

CHAMA_CODE_RE = r"^[A-Z]{3}[0-9]{3}$"
MEMBER_CODE_RE = r"^M[0-9]{3,5}$"
CREDIT_SCORE_MAX = 100


def credit_score_field(
    help_text: str = "",
) -> "models.PositiveSmallIntegerField[int | None, int | None]":
    """A credit score from 0 to 100 (reference/money.md), or none yet."""
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(CREDIT_SCORE_MAX)], help_text=help_text
    )


class ChamaQuerySet(models.QuerySet["Chama"]):
    def visible_to(self, user: User) -> "ChamaQuerySet":
        """Chamas where the user is an active member: nobody else may learn they exist."""
        return self.filter(
            Exists(
                Membership.objects.filter(
                    chama=OuterRef("pk"), user=user, status=MembershipStatus.ACTIVE
                )
            )
        )

    def administered_by(self, user: User) -> "ChamaQuerySet":
        """Chamas where the user holds an office (what a staff official sees in the admin)."""
        return self.filter(
            Exists(
                Membership.objects.filter(
                    chama=OuterRef("pk"),
                    user=user,
                    status=MembershipStatus.ACTIVE,
                    role__in=OFFICE_ROLES,
                )
            )
        )

    def with_member_count(self) -> "ChamaQuerySet":
        return self.annotate(
            member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
        )


class Chama(BaseModel):
    """A savings group. Its ``code`` prefixes every member's M-Pesa account number
    (``UMJ001M017``), so it never changes once set.

    Invariant: ``contribution_amount = rotation_amount + savings_amount + welfare_amount``.

    When it meets is a rule (groups.schedules): ``meeting_rule`` names its kind, and
    ``meeting_day`` (the weekday), ``meeting_ordinal`` and ``meeting_day_of_month`` hold what
    that kind needs and nothing else; no rule, all empty. Once the chama has adopted a
    constitution (``constitution_version`` > 0), the constitution owns the contribution, its
    split and frequency, the meeting rule, the plan, the member limit and the approval rules:
    governance projects them here on each adoption, and a settings change refuses them.
    """

    name = models.CharField(max_length=120)
    code = models.CharField(
        max_length=6,
        unique=True,
        help_text="Three letters and three digits, e.g. UMJ001; prefixes M-Pesa account numbers.",
    )
    description = models.TextField(blank=True, max_length=2000)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.KES)
    contribution_amount = money_field(default=0, help_text="Due from each member per period.")
    rotation_amount = money_field(default=0, help_text="Part paid out as the round's pot.")
    savings_amount = money_field(default=0, help_text="Part saved in the member's account.")
    welfare_amount = money_field(default=0, help_text="Part paid into the welfare fund.")
    cycle_frequency = models.CharField(
        max_length=10, choices=CycleFrequency.choices, default=CycleFrequency.MONTHLY
    )
    meeting_rule = models.CharField(
        max_length=16, choices=MeetingRuleKind.choices, blank=True, help_text="Empty: no schedule."
    )
    meeting_day = models.CharField(
        max_length=9, choices=Weekday.choices, blank=True, help_text="The weekday of the rule."
    )
    meeting_ordinal = models.SmallIntegerField(
        null=True, blank=True, help_text="1 to 4, or -1 for the last weekday of the month."
    )
    meeting_day_of_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 to 31; past a month's end, its last day."
    )
    status = models.CharField(
        max_length=10, choices=ChamaStatus.choices, default=ChamaStatus.ACTIVE
    )
    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.FREE)
    member_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="The constitution's cap on active members, if any."
    )
    # {"expense"|"payout"|"loan"|"welfare"|"transfer": {"signatures", "chair_threshold"}}
    approval_rules = models.JSONField(default=dict, blank=True)
    # The adopted constitution's number (governance writes it); 0: none adopted yet.
    constitution_version = models.PositiveIntegerField(default=0, editable=False)
    # Last member number handed out; member codes are never reused, even after a member exits.
    member_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # How many officials sign each kind of decision, and above which amount the chair must be
    # one of them: {"payout": {"signatures": 2, "chair_threshold": "50000.00"}, ...} (read
    # through groups.approvals.approval_rule_get; written by the constitution).
    approval_rules = models.JSONField(default=dict, blank=True)

    objects = ChamaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CHAMA_CODE_RE), name="groups_chama_code_format"
            ),
            models.CheckConstraint(
                condition=Q(
                    contribution_amount=models.F("rotation_amount")
                    + models.F("savings_amount")
                    + models.F("welfare_amount")
                ),
                name="groups_chama_split_sums",
            ),
            models.CheckConstraint(
                condition=Q(rotation_amount__gte=0, savings_amount__gte=0, welfare_amount__gte=0),
                name="groups_chama_split_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    meeting_rule="",
                    meeting_day="",
                    meeting_ordinal__isnull=True,
                    meeting_day_of_month__isnull=True,
                )
                | Q(
                    meeting_rule=MeetingRuleKind.WEEKLY,
                    meeting_ordinal__isnull=True,
                    meeting_day_of_month__isnull=True,
                )
                & ~Q(meeting_day="")
                | Q(
                    meeting_rule=MeetingRuleKind.MONTHLY_WEEKDAY,
                    meeting_ordinal__in=[1, 2, 3, 4, -1],
                    meeting_day_of_month__isnull=True,
                )
                & ~Q(meeting_day="")
                | Q(
                    meeting_rule=MeetingRuleKind.MONTHLY_DAY,
                    meeting_day="",
                    meeting_ordinal__isnull=True,
                    meeting_day_of_month__gte=1,
                    meeting_day_of_month__lte=31,
                ),
                name="groups_chama_meeting_rule_shape",
            ),
            models.CheckConstraint(
                condition=Q(member_limit__isnull=True) | Q(member_limit__gte=1),
                name="groups_chama_member_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def meeting_schedule(self) -> MeetingSchedule | None:
        if not self.meeting_rule:
            return None
        return MeetingSchedule(
            MeetingRuleKind(self.meeting_rule),
            weekday=Weekday(self.meeting_day) if self.meeting_day else None,
            ordinal=self.meeting_ordinal,
            day_of_month=self.meeting_day_of_month,
        )

    @meeting_schedule.setter
    def meeting_schedule(self, schedule: MeetingSchedule | None) -> None:
        self.meeting_rule = schedule.kind if schedule else ""
        self.meeting_day = (schedule.weekday or "") if schedule else ""
        self.meeting_ordinal = schedule.ordinal if schedule else None
        self.meeting_day_of_month = schedule.day_of_month if schedule else None


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(status=MembershipStatus.ACTIVE)


class Membership(BaseModel):
    """A user's place in a chama: role, seat in the rotation, member code and payout phone.

    Seats are unique among active members (an exited member's seat is free again); member codes
    are unique per chama forever, since members type them as M-Pesa account numbers.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    seat = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Position in the rotation: seat 1 receives first."
    )
    member_code = models.CharField(max_length=6, editable=False)
    receive_phone = models.CharField(
        max_length=12,
        validators=[validate_phone],
        help_text="Where payouts go; may differ from the member's contact phone.",
    )
    joined_on = models.DateField()
    credit_score = credit_score_field(
        help_text="0-100, computed by governance's monthly scoring; may lower a loan's rate."
    )
    credit_score_components = models.JSONField(
        default=dict,
        blank=True,
        help_text="Why the score is what it is: the day it was computed as of and each "
        "component's points with the counts behind them (governance.services.credit_scores).",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["chama", "seat", "member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama", "user"], name="groups_membership_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["chama", "member_code"], name="groups_membership_member_code_unique"
            ),
            models.UniqueConstraint(
                fields=["chama", "seat"],
                condition=Q(status=MembershipStatus.ACTIVE),
                name="groups_membership_active_seat_unique",
            ),
            models.CheckConstraint(
                condition=Q(member_code__regex=MEMBER_CODE_RE),
                name="groups_membership_member_code_format",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1),
                name="groups_membership_seat_positive",
            ),
            models.CheckConstraint(
                condition=Q(receive_phone__regex=r"^254[17][0-9]{8}$"),
                name="groups_membership_receive_phone_normalised",
            ),
            models.CheckConstraint(
                condition=Q(credit_score__isnull=True)
                | Q(credit_score__gte=0, credit_score__lte=CREDIT_SCORE_MAX),
                name="groups_membership_credit_score_0_to_100",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="groups_membership_user_status")]

    def __str__(self) -> str:
        return f"{self.member_code} {self.user.full_name} ({self.chama.code})"

    @property
    def account_number(self) -> str:
        """What the member types as the M-Pesa paybill account number."""
        return f"{self.chama.code}{self.member_code}"

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES


class Signature(BaseModel):
    """One official's decision on something awaiting approval: a payout, a loan, a welfare
    claim, a transfer or an expense, named by its kind and id (``target_id``: the rows live in
    finance and governance, which groups may not name).

    Invariants: a member signs a target once (``groups_signature_once_per_signer``, which also
    makes two racing signatures of one member one); the decision is approve or reject. Rows are
    written only by ``groups.approvals.signature_add`` and never changed.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="signatures")
    kind = models.CharField(max_length=10, choices=ApprovalKind.choices)
    target_id = models.UUIDField()
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="signatures")
    decision = models.CharField(max_length=7, choices=SignatureDecision.choices)
    comment = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id", "membership"],
                name="groups_signature_once_per_signer",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=SignatureDecision.values),
                name="groups_signature_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ApprovalKind.values), name="groups_signature_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "created_at"], name="groups_signature_chama_created")
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.kind} {self.target_id}"
