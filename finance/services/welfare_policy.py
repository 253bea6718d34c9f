"""Setting a chama's welfare policy: the constitution's welfare rules, projected on adoption."""

from decimal import Decimal

from django.db import transaction

from finance.choices import WelfareClaimType
from finance.models import WelfarePolicy
from groups.models import Chama


@transaction.atomic
def welfare_policy_set(
    *, chama: Chama, amounts: dict[str, Decimal | None], buffer: Decimal
) -> WelfarePolicy:
    """Replace what the fund pays per claim type (``amounts`` by claim type; None or left
    out: decided per claim) and what it keeps back (``buffer``). Claims already submitted
    keep their amount; approving and paying follow the buffer in force. The caller holds the
    chama's lock, which serialises changes of its policy."""
    unknown = set(amounts) - set(WelfareClaimType.values)
    if unknown:
        raise ValueError(f"Not welfare claim types: {sorted(unknown)}")
    policy, _ = WelfarePolicy.objects.get_or_create(chama=chama)
    for claim_type in WelfareClaimType.values:
        setattr(policy, f"{claim_type}_amount", amounts.get(claim_type))
    policy.buffer = buffer
    policy.full_clean(exclude=["chama"])
    policy.save()
    return policy
