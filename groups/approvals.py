"""N-signature approvals: maker-checker generalised, written once for every decision.

A payout, a loan, a welfare claim, a transfer or an expense waits for the signatures of
officials other than its makers. The chama's ``approval_rules`` say, per kind, how many
approvals it needs (``signatures``, default 1) and above which amount the chair must be one of
the approvers (``chair_threshold``, default none). Any rejection rejects at once. A kind the
rules do not name needs one approval and no chair: the two-person rule every chama had before.

Each signature is a ``Signature`` row; ``signature_add`` records one inside the decision's own
transaction, which holds the target's row lock, and tells the decision whether it is now
approved, rejected or still waiting.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from core.exceptions import ConflictError, ErrorCode, ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from groups.choices import OFFICIAL_ROLES, ApprovalKind, Role, SignatureDecision
from groups.exceptions import GroupsError
from groups.models import Chama, Membership, Signature
from groups.rules import official_check

COMMENT_MAX = 255
SIGNATURES_MAX = 20


@dataclass(frozen=True)
class ApprovalRule:
    """How many approvals a kind of decision needs, and the amount above which the chair must
    be among the approvers (None: never)."""

    signatures: int = 1
    chair_threshold: Decimal | None = None

    def chair_required(self, amount: Decimal) -> bool:
        return self.chair_threshold is not None and amount > self.chair_threshold


def approval_rule_get(chama: Chama, kind: str) -> ApprovalRule:
    """The chama's rule for ``kind`` (``ApprovalKind``); a kind it does not name needs one
    approval and no chair. The rules are written checked (``approval_rules_clean``)."""
    raw = (chama.approval_rules or {}).get(kind)
    if not raw:
        return ApprovalRule()
    threshold = raw.get("chair_threshold")
    return ApprovalRule(
        signatures=max(int(raw.get("signatures", 1)), 1),
        chair_threshold=None if threshold in (None, "") else Decimal(str(threshold)),
    )


def _clean_rule(kind: str, raw: Any) -> dict[str, Any]:
    field = f"approval_rules.{kind}"
    if not isinstance(raw, Mapping) or set(raw) - {"signatures", "chair_threshold"}:
        raise ValidationFailed(GroupsError.INVALID_APPROVAL_RULE, kind=kind, field=field)
    signatures = raw.get("signatures", 1)
    if type(signatures) is not int or not 1 <= signatures <= SIGNATURES_MAX:
        raise ValidationFailed(GroupsError.INVALID_APPROVAL_RULE, kind=kind, field=field)
    threshold = raw.get("chair_threshold")
    if threshold is not None:
        try:
            amount = Decimal(str(threshold)) if not isinstance(threshold, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not ZERO <= amount <= MAX_AMOUNT:
            raise ValidationFailed(GroupsError.INVALID_APPROVAL_RULE, kind=kind, field=field)
        threshold = str(money(amount))
    return {"signatures": signatures, "chair_threshold": threshold}


def approval_rules_clean(rules: Any) -> dict[str, dict[str, Any]]:
    """``rules`` checked and normalised for ``Chama.approval_rules`` (the constitution writes
    them): per kind, ``signatures`` a whole number from 1 to 20 and ``chair_threshold`` a
    decimal string or null. Anything else is 400 ``invalid_approval_rule``."""
    if not isinstance(rules, Mapping):
        raise ValidationFailed(GroupsError.INVALID_APPROVAL_RULE, kind="?", field="approval_rules")
    for kind in rules:
        if kind not in ApprovalKind.values:
            raise ValidationFailed(
                GroupsError.INVALID_APPROVAL_RULE, kind=kind, field="approval_rules"
            )
    return {kind: _clean_rule(kind, raw) for kind, raw in rules.items()}


@dataclass(frozen=True)
class ApprovalProgress:
    """Where a decision stands: ``required`` approvals (the chair among them if
    ``chair_required``), ``approvals`` so far, and whether anyone rejected."""

    required: int
    chair_required: bool
    approvals: int
    chair_signed: bool
    rejected: bool

    @property
    def missing(self) -> int:
        """How many more approvals it needs (0 once rejected or approved)."""
        if self.rejected:
            return 0
        missing = max(self.required - self.approvals, 0)
        if self.chair_required and not self.chair_signed:
            missing = max(missing, 1)
        return missing

    @property
    def approved(self) -> bool:
        return not self.rejected and self.missing == 0


def approval_progress(
    rule: ApprovalRule, *, amount: Decimal, signatures: Iterable[Signature]
) -> ApprovalProgress:
    """The progress of a decision under ``rule`` (signatures read with their memberships)."""
    approvers = [s for s in signatures if s.decision == SignatureDecision.APPROVE]
    return ApprovalProgress(
        required=rule.signatures,
        chair_required=rule.chair_required(amount),
        approvals=len(approvers),
        chair_signed=any(s.membership.role == Role.CHAIR for s in approvers),
        rejected=any(s.decision == SignatureDecision.REJECT for s in signatures),
    )


@dataclass(frozen=True)
class SignatureOutcome:
    approved: bool
    rejected: bool
    signatures: list[Signature]
    progress: ApprovalProgress


def signatures_of(*, kind: str, target_ids: Sequence[UUID]) -> QuerySet[Signature]:
    """The signatures on these targets, oldest first, with their signers."""
    return Signature.objects.filter(kind=kind, target_id__in=target_ids).select_related(
        "membership__user"
    )


def signature_add(
    *,
    acting: Membership,
    chama: Chama,
    kind: str,
    target_id: UUID,
    decision: str,
    amount: Decimal,
    refused: ErrorCode,
    comment: str = "",
    makers: Iterable[Any] = (),
    maker_refused: ErrorCode | None = None,
    roles: frozenset[str] = OFFICIAL_ROLES,
) -> SignatureOutcome:
    """``acting`` signs ``decision`` on the target: an official of the chama (else 403
    ``refused``) who is none of the ``makers`` (else 403 ``maker_refused``, when given), and
    has not signed it yet (else 409 ``already_signed``, nothing written).

    Runs inside the decision's transaction, which holds the target's row lock: the signatures
    read here are all there are until it commits, and a second signature of the same official
    waits for the first and then finds it. The unique constraint holds even for a caller that
    forgot the lock: the insert fails, the decision answers 409 and its transaction is undone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("signature_add runs inside the decision's transaction.")
    official_check(
        acting,
        chama_id=chama.pk,
        refused=refused,
        makers=makers,
        maker_refused=maker_refused,
        roles=roles,
    )
    signatures = list(signatures_of(kind=kind, target_ids=[target_id]))
    already = GroupsError.ALREADY_SIGNED
    label = ApprovalKind(kind).label.lower()
    if any(s.membership_id == acting.pk for s in signatures):
        raise ConflictError(already, kind=label)
    try:
        signature = Signature.objects.create(
            chama=chama,
            kind=kind,
            target_id=target_id,
            membership=acting,
            decision=SignatureDecision(decision),
            comment=comment.strip()[:COMMENT_MAX],
        )
    except IntegrityError:
        raise ConflictError(already, kind=label) from None
    signatures.append(signature)
    progress = approval_progress(
        approval_rule_get(chama, kind), amount=amount, signatures=signatures
    )
    return SignatureOutcome(
        approved=progress.approved,
        rejected=progress.rejected,
        signatures=signatures,
        progress=progress,
    )


class _TargetSignatures:
    """``obj.signatures`` read for one object: ``.all()`` (its prefetched rows when the
    selector prefetched them)."""

    def __init__(self, descriptor: "TargetSignatures", instance: Model) -> None:
        self.descriptor = descriptor
        self.instance = instance

    def get_queryset(self) -> QuerySet[Signature]:
        cache = getattr(self.instance, "_prefetched_objects_cache", {})
        if self.descriptor.cache_name in cache:
            return cache[self.descriptor.cache_name]  # type: ignore[no-any-return]
        return signatures_of(kind=self.descriptor.kind, target_ids=[self.instance.pk])

    def all(self) -> QuerySet[Signature]:
        return self.get_queryset()


class TargetSignatures:
    """A model's signatures as an attribute (``payout.signatures.all()``) that a selector can
    prefetch like a relation (``prefetch_related("signatures")``): one query for a page.

    Signatures name their target by kind and id, not by a foreign key, since groups may not
    name finance's or governance's tables; this gives the target's side the reverse read."""

    cache_name = "signatures"

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __set_name__(self, owner: type, name: str) -> None:
        self.cache_name = name

    def __get__(self, instance: Model | None, owner: type) -> Any:
        if instance is None:
            return self
        return _TargetSignatures(self, instance)

    def is_cached(self, instance: Model) -> bool:
        return self.cache_name in getattr(instance, "_prefetched_objects_cache", {})

    def get_prefetch_querysets(
        self, instances: list[Model], querysets: list[QuerySet[Any]] | None = None
    ) -> tuple[QuerySet[Signature], Any, Any, bool, str, bool]:
        """Django's prefetch protocol (as a reverse foreign key's manager answers it)."""
        targets = [instance.pk for instance in instances]
        queryset = signatures_of(kind=self.kind, target_ids=targets)
        return queryset, attrgetter("target_id"), attrgetter("pk"), False, self.cache_name, False
