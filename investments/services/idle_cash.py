"""The weekly idle-cash scan: every active chama's idle cash recorded in bulk, then a proposal
for each premium chama with enough of it (investments.services.proposals)."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from governance.selectors.constitution import constitution_rules_map
from groups.choices import ChamaStatus
from groups.models import Chama
from investments.models import IdleCashSnapshot
from investments.selectors.idle_cash import IdleCash, idle_cash_compute
from investments.services.proposals import proposals_expire, proposals_propose


@dataclass(frozen=True)
class ScanResult:
    scanned_on: date
    chamas: int
    snapshots_written: int
    proposals_made: int = 0


def _snapshot(chama_id: UUID, found: IdleCash) -> IdleCashSnapshot:
    return IdleCashSnapshot(
        chama_id=chama_id,
        scanned_on=found.on,
        cash_like=found.cash_like,
        floor_30d=found.floor_30d,
        kept=found.kept_total,
        idle=found.idle,
        breakdown={name: str(amount) for name, amount in found.kept.items()},
        welfare_source=found.welfare_source,
    )


@transaction.atomic
def idle_cash_scan(*, on: date | None = None) -> ScanResult:
    """Record every active chama's idle cash on ``on`` (today). A chama already scanned that
    day keeps its first snapshot (the unique (chama, day) decides), so a job fired twice
    writes nothing the second time."""
    on = on or timezone.localdate()
    chamas = list(Chama.objects.filter(status=ChamaStatus.ACTIVE).order_by("pk"))
    rules = constitution_rules_map(chamas=chamas)
    found = idle_cash_compute(chamas, on=on, rules=rules)
    before = IdleCashSnapshot.objects.filter(scanned_on=on).count()
    IdleCashSnapshot.objects.bulk_create(
        [_snapshot(chama_id, idle) for chama_id, idle in found.items()], ignore_conflicts=True
    )
    written = IdleCashSnapshot.objects.filter(scanned_on=on).count() - before
    proposals_expire()
    made = proposals_propose(chamas=chamas, found=found, rules=rules, on=on)
    return ScanResult(
        scanned_on=on, chamas=len(chamas), snapshots_written=written, proposals_made=made
    )
