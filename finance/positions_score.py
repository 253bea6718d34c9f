"""The member's credit score as their position shows it: the total governance's monthly job
stored on the membership, and the components behind it (reference/money.md "Credit score")."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from groups.models import Membership


@dataclass(frozen=True)
class ScorePart:
    name: str
    points: Decimal
    max: int
    done: int
    expected: int
    reason: str


@dataclass(frozen=True)
class CreditScoreShown:
    score: int
    as_of: date
    parts: list[ScorePart]

    def part(self, name: str) -> ScorePart:
        return next(p for p in self.parts if p.name == name)

    @property
    def regularity(self) -> ScorePart:
        return self.part("regularity")

    @property
    def repayment(self) -> ScorePart:
        return self.part("repayment")

    @property
    def attendance(self) -> ScorePart:
        return self.part("attendance")

    @property
    def tenure(self) -> ScorePart:
        return self.part("tenure")


def _part(name: str, data: dict[str, Any], done: str, expected: str, what: str) -> ScorePart:
    reason = f"{data[done]} of {data[expected]} {what}" if expected else f"{data[done]} {what}"
    return ScorePart(
        name=name,
        points=Decimal(data["points"]),
        max=data["max"],
        done=data[done],
        expected=data[expected] if expected else 0,
        reason=reason,
    )


def credit_score_shown(membership: Membership) -> CreditScoreShown | None:
    """The member's score and its components, or None before the first scoring."""
    c = membership.credit_score_components
    if membership.credit_score is None or not c:
        return None
    return CreditScoreShown(
        score=membership.credit_score,
        as_of=date.fromisoformat(c["as_of"]),
        parts=[
            _part("regularity", c["regularity"], "on_time", "fallen_due", "dues paid on time"),
            _part("repayment", c["repayment"], "on_time", "due", "installments paid on time"),
            _part("attendance", c["attendance"], "attended", "held", "meetings attended"),
            _part("tenure", c["tenure"], "days", "", "days a member"),
        ],
    )
