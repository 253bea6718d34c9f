"""Transfers between the chama's own accounts: the paybill swept to the bank, cash banked."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import LedgerTransferStatus, TransferAccount
from finance.models.ledger import JournalEntry
from groups.approvals import TargetSignatures
from groups.choices import ApprovalKind
from groups.models import Chama


class LedgerTransfer(BaseModel):
    """Money moved from one account holding the chama's money (1010 paybill, 1020 bank,
    1030 cash) to another. The only way money moves between them (DESIGN §3.1).

    Maker-checker: the treasurer (or the chair) requests it, another official approves it, and
    only then is its one entry posted (Dr the to-account, Cr the from-account): a completed
    transfer has exactly that entry, a requested or rejected one none. The requester may
    withdraw their own request (it is rejected, with the reason). A decision is final.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="ledger_transfers")
    from_account = models.CharField(max_length=10, choices=TransferAccount.choices)
    to_account = models.CharField(max_length=10, choices=TransferAccount.choices)
    amount = money_field()
    memo = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=LedgerTransferStatus.choices, default=LedgerTransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The officials' signatures on it (groups.approvals), prefetched by the selectors.
    signatures = TargetSignatures(ApprovalKind.TRANSFER)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_ledgertransfer_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(from_account=F("to_account")),
                name="finance_ledgertransfer_accounts_differ",
            ),
            models.CheckConstraint(
                condition=Q(status=LedgerTransferStatus.COMPLETED, entry__isnull=False)
                | (~Q(status=LedgerTransferStatus.COMPLETED) & Q(entry__isnull=True)),
                name="finance_ledgertransfer_completed_iff_posted",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=LedgerTransferStatus.REQUESTED,
                    decided_by__isnull=True,
                    decided_at__isnull=True,
                )
                | (
                    ~Q(status=LedgerTransferStatus.REQUESTED)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="finance_ledgertransfer_decided_iff_not_requested",
            ),
            models.CheckConstraint(
                condition=~Q(status=LedgerTransferStatus.COMPLETED)
                | ~Q(decided_by=F("requested_by")),
                name="finance_ledgertransfer_maker_is_not_checker",
            ),
            models.CheckConstraint(
                condition=~Q(status=LedgerTransferStatus.REJECTED) | ~Q(rejection_reason=""),
                name="finance_ledgertransfer_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "status"], name="finance_ledgertransfer_status"),
        ]

    def __str__(self) -> str:
        return (
            f"Transfer {self.amount} {self.get_from_account_display()} → "
            f"{self.get_to_account_display()} ({self.status})"
        )
