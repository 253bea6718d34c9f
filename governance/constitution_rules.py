"""A constitution's structured rules: a tree of frozen dataclasses (no database).

What the rest of Hazina reads from a chama's constitution (``constitution_rules_get``):
the contribution and its split, the meeting schedule, fines, the loan policy, voting quorums
and majorities, approvals per kind, welfare rules, the member limit and how idle cash is
invested. Stored as JSON in
``ConstitutionVersion.rules`` (``rules_to_data``) and read back with ``rules_from_data``;
``rules_check`` holds the rules that span fields (the split sums, a share is 0 < q <= 1).

Amounts are Decimal with two places, shares Decimal fractions (0.70 is 70%), rates decimal
fractions with their period beside them as in the loan policy.
"""

import dataclasses
import enum
import types
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

from core.exceptions import ValidationFailed
from core.money import ZERO
from finance.choices import EarlyRepayment, InterestMethod, PenaltyType, RatePeriod
from governance.choices import (
    FineInterval,
    FineKind,
    InvestmentApproval,
    Majority,
    MaturityAction,
    ProfitBasis,
    ProfitPayout,
)
from governance.exceptions import ConstitutionError
from groups.choices import CycleFrequency, Plan
from groups.schedules import MeetingSchedule, frequency_check, meeting_schedule_parse

ONE = Decimal("1")
HUNDRED = Decimal("100")
DEFAULT_QUORUM = Decimal("0.50")
DEFAULT_DISPUTE_QUORUM = Decimal("0.70")


@dataclass(frozen=True)
class ContributionRules:
    """Each member's contribution per period and its split; dues fall due on the meeting
    date of their round (the meeting schedule is the due day), and are late after
    ``grace_days`` more days."""

    amount: Decimal
    rotation_amount: Decimal
    savings_amount: Decimal
    welfare_amount: Decimal
    frequency: CycleFrequency
    grace_days: int = 0


DEFAULT_LATENESS_MINUTES = 15
MAX_LATENESS_MINUTES = 240


@dataclass(frozen=True)
class MeetingRules:
    """When the chama meets; a member arriving more than ``lateness_minutes`` after the start
    is late (governance.services.meetings.lateness_window)."""

    schedule: MeetingSchedule | None = None
    lateness_minutes: int = DEFAULT_LATENESS_MINUTES


@dataclass(frozen=True)
class LateContributionFine:
    """A fixed amount, or ``amount`` percent of the unpaid part, charged once or for every
    day or week late, never more than ``cap`` in all for one due (None: no cap)."""

    kind: FineKind
    amount: Decimal
    interval: FineInterval = FineInterval.ONCE
    cap: Decimal | None = None


@dataclass(frozen=True)
class FineRules:
    """The rule fines the daily job issues (0 or None: no such fine), and the waiver a vote
    must decide: an official waives an unpaid part up to ``waiver_vote_threshold`` alone, a
    larger one goes to the members (None: officials waive any fine)."""

    late_contribution: LateContributionFine | None = None
    missed_meeting: Decimal = ZERO  # 0: no fine
    lateness: Decimal = ZERO
    waiver_vote_threshold: Decimal | None = None


@dataclass(frozen=True)
class LoanRules:
    """Every term of finance's LoanPolicy (DESIGN.md §3.4), projected onto it on adoption."""

    interest_method: InterestMethod = InterestMethod.FLAT
    interest_rate: Decimal = Decimal("0.10")
    interest_rate_period: RatePeriod = RatePeriod.MONTH
    interest_rate_min: Decimal | None = None
    interest_rate_max: Decimal | None = None
    max_term_months: int = 12
    max_savings_multiple: Decimal = Decimal("3.00")
    guarantors_required: int = 0
    guarantee_cover: Decimal = ZERO
    processing_fee_rate: Decimal = ZERO
    penalty_type: PenaltyType = PenaltyType.PERCENT
    penalty_amount: Decimal = ZERO
    penalty_rate: Decimal = Decimal("0.05")
    penalty_period_days: int = 30
    grace_days: int = 0
    early_repayment: EarlyRepayment = EarlyRepayment.FULL_INTEREST
    early_repayment_rebate_percent: Decimal = ZERO
    min_principal: Decimal = Decimal("100.00")
    credit_discount_min_score: int | None = None
    credit_discount_percent: Decimal = ZERO
    default_after_days: int = 90


@dataclass(frozen=True)
class VotingRules:
    """Quorums are shares of the active members (0 < q <= 1)."""

    quorum: Decimal = DEFAULT_QUORUM
    majority: Majority = Majority.SIMPLE
    constitution_majority: Majority = Majority.TWO_THIRDS
    dispute_quorum: Decimal = DEFAULT_DISPUTE_QUORUM


@dataclass(frozen=True)
class ApprovalRule:
    """Signatures of officials other than the maker; above ``chair_threshold`` the chair
    must be among them (None: never required)."""

    signatures: int = 1
    chair_threshold: Decimal | None = None


@dataclass(frozen=True)
class ApprovalRules:
    expense: ApprovalRule = field(default_factory=ApprovalRule)
    payout: ApprovalRule = field(default_factory=ApprovalRule)
    loan: ApprovalRule = field(default_factory=ApprovalRule)
    welfare: ApprovalRule = field(default_factory=ApprovalRule)
    transfer: ApprovalRule = field(default_factory=ApprovalRule)


@dataclass(frozen=True)
class WelfareAmounts:
    """What the fund pays per claim type (finance.choices.WelfareClaimType); None: as
    decided per claim."""

    bereavement: Decimal | None = None
    hospital: Decimal | None = None
    emergency: Decimal | None = None


@dataclass(frozen=True)
class WelfareRules:
    amounts: WelfareAmounts = field(default_factory=WelfareAmounts)
    buffer: Decimal = ZERO  # what the fund keeps back from claims


@dataclass(frozen=True)
class MembershipRules:
    plan: Plan = Plan.FREE
    member_limit: int | None = None


DEFAULT_PROPOSAL_MINIMUM = Decimal("50000.00")


@dataclass(frozen=True)
class InvestmentRules:
    """How idle cash is invested (investments reads these): a proposal needs at least
    ``proposal_minimum`` idle (premium plan only); ``reserve`` is kept back from idle cash
    always; profit is split by ``profit_basis`` and reaches members as ``profit_payout``;
    a matured holding's proceeds follow ``on_maturity``."""

    proposal_minimum: Decimal = DEFAULT_PROPOSAL_MINIMUM
    reserve: Decimal = ZERO
    approval: InvestmentApproval = InvestmentApproval.CHAIR
    profit_basis: ProfitBasis = ProfitBasis.SAVINGS
    profit_payout: ProfitPayout = ProfitPayout.MEMBER_CHOICE
    on_maturity: MaturityAction = MaturityAction.KEEP


# The furthest ahead a reminder may go (the reminder jobs read dues this far ahead).
MAX_REMINDER_DAYS = 14


@dataclass(frozen=True)
class ReminderRules:
    """How many days before a contribution or a loan installment falls due its members are
    reminded (0: no reminder before the day; an overdue one is always sent)."""

    contribution_days: int = 2
    installment_days: int = 3


@dataclass(frozen=True)
class Rules:
    contribution: ContributionRules
    meetings: MeetingRules = field(default_factory=MeetingRules)
    fines: FineRules = field(default_factory=FineRules)
    loans: LoanRules = field(default_factory=LoanRules)
    voting: VotingRules = field(default_factory=VotingRules)
    approvals: ApprovalRules = field(default_factory=ApprovalRules)
    welfare: WelfareRules = field(default_factory=WelfareRules)
    membership: MembershipRules = field(default_factory=MembershipRules)
    investments: InvestmentRules = field(default_factory=InvestmentRules)
    reminders: ReminderRules = field(default_factory=ReminderRules)


def _value(hint: Any, value: Any) -> Any:
    """``value`` (JSON, or a serializer's validated data) as the type ``hint`` names."""
    if get_origin(hint) in (Union, types.UnionType):
        if value is None:
            return None
        hint = next(arg for arg in get_args(hint) if arg is not type(None))
    if dataclasses.is_dataclass(hint):
        if isinstance(value, hint):  # type: ignore[arg-type]
            return value
        return rules_part_from_data(hint, value)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if hint is Decimal:
        return Decimal(str(value))
    if hint is int:
        return int(value)
    return value


def rules_part_from_data(cls: type[Any], data: dict[str, Any]) -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(
        **{name: _value(hints[name], value) for name, value in data.items() if name in known}
    )


def rules_from_data(data: dict[str, Any]) -> Rules:
    """The rules stored as JSON (or validated by the API's serializer)."""
    rules: Rules = rules_part_from_data(Rules, data)
    return rules


def _schedule_parse(data: dict[str, Any], field: str) -> MeetingSchedule | None:
    """A schedule given as its parts, or in words (``{"text": "Last Saturday"}``)."""
    if "text" in data:
        return meeting_schedule_parse(data["text"], field=f"{field}.text")
    try:
        schedule: MeetingSchedule = rules_part_from_data(MeetingSchedule, data)
    except (TypeError, ValueError):
        raise ValidationFailed(
            ConstitutionError.MEETING_RULE_SHAPE, field=f"{field}.kind"
        ) from None
    return schedule


def rules_parse(data: dict[str, Any], *, prefix: str = "rules") -> Rules:
    """Rules from the API's validated data, whose meeting schedule may be given in words."""
    meetings = data.get("meetings") or {}
    if meetings.get("schedule") is not None:
        schedule = _schedule_parse(meetings["schedule"], f"{prefix}.meetings.schedule")
        data = {**data, "meetings": {**meetings, "schedule": schedule}}
    return rules_from_data(data)


def _data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def rules_to_data(rules: Rules) -> dict[str, Any]:
    """The rules as JSON: amounts and shares as decimal strings, choices as their values."""
    data: dict[str, Any] = _data(rules)
    return data


def _share_check(value: Decimal, field: str) -> None:
    if not ZERO < value <= ONE:
        raise ValidationFailed(ConstitutionError.SHARE_OUT_OF_RANGE, field=field, value=value)


def rules_check(rules: Rules, *, prefix: str = "rules") -> None:
    """The rules that span fields; each refusal names the field it is about (``prefix`` and
    the path in the rules, e.g. ``rules.voting.quorum``)."""
    c = rules.contribution
    parts = c.rotation_amount + c.savings_amount + c.welfare_amount
    if parts != c.amount:
        raise ValidationFailed(
            ConstitutionError.SPLIT_MISMATCH,
            field=f"{prefix}.contribution.amount",
            parts=f"{parts:.2f}",
            amount=f"{c.amount:.2f}",
        )
    frequency_check(rules.meetings.schedule, c.frequency, field=f"{prefix}.contribution.frequency")
    _share_check(rules.voting.quorum, f"{prefix}.voting.quorum")
    _share_check(rules.voting.dispute_quorum, f"{prefix}.voting.dispute_quorum")
    late = rules.fines.late_contribution
    if late is not None and late.kind == FineKind.PERCENT and late.amount > HUNDRED:
        raise ValidationFailed(
            ConstitutionError.PERCENT_OUT_OF_RANGE,
            field=f"{prefix}.fines.late_contribution.amount",
            value=late.amount,
        )
    loans = rules.loans
    bounds = (loans.interest_rate_min, loans.interest_rate_max)
    if bounds.count(None) == 1 or (
        None not in bounds and not bounds[0] <= loans.interest_rate <= bounds[1]  # type: ignore[operator]
    ):
        raise ValidationFailed(
            ConstitutionError.LOAN_RATE_RANGE, field=f"{prefix}.loans.interest_rate"
        )
