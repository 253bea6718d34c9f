"""Setting a chama's loan policy: the constitution's loan rules, projected on adoption."""

from typing import Any

from django.db import transaction

from finance.models import LoanPolicy
from groups.models import Chama

# Every term a policy holds: what a chama's constitution may set.
LOAN_POLICY_TERMS = tuple(
    f.name
    for f in LoanPolicy._meta.concrete_fields
    if f.name not in {"id", "chama", "created_at", "updated_at"}
)


@transaction.atomic
def loan_policy_set(*, chama: Chama, terms: dict[str, Any]) -> LoanPolicy:
    """Replace the chama's loan policy terms (those named; the rest keep their value). Loans
    already applied for keep the terms they were made on. The caller holds the chama's lock,
    which serialises changes of its policy."""
    unknown = set(terms) - set(LOAN_POLICY_TERMS)
    if unknown:
        raise ValueError(f"Not loan policy terms: {sorted(unknown)}")
    policy, _ = LoanPolicy.objects.get_or_create(chama=chama)
    for name, value in terms.items():
        setattr(policy, name, value)
    policy.full_clean(exclude=["chama"])
    policy.save()
    return policy
