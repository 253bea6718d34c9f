"""Money in flight: a two-phase gateway (M-Pesa B2C) parks an outgoing amount in payouts in
flight (1090) when it is sent; the provider's answer moves it on (settled) or back to the
account it left (failed), so 1090 is zero whenever nothing is in flight.

These run inside the calling service's transaction, which holds the paying object's lock.
Each attempt has a fresh reference: our id for the provider (its idempotency key) and the key
of the attempt's two entries, one when sent and at most one outcome.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import transaction

from accounts.models import User
from finance import chart
from finance.choices import EntryType
from finance.gateways import PayoutGateway, Transfer, TransferKind
from finance.models import JournalEntry, LedgerAccount
from finance.services.ledger import (
    Line,
    credit,
    debit,
    ledger_account_get,
    ledger_mirror_lines,
    ledger_post,
)
from groups.models import Chama, Membership

# The external source of an entry that books a provider's transfer receipt.
TRANSFER_SOURCE = "mpesa-b2c"


@dataclass(frozen=True)
class Sent:
    reference: str
    entry: JournalEntry


def in_flight_account(chama: Chama) -> LedgerAccount:
    return ledger_account_get(chama=chama, code=chart.PAYOUTS_IN_FLIGHT)


def transfer_send(
    *,
    gateway: PayoutGateway,
    chama: Chama,
    source: LedgerAccount,
    kind: TransferKind,
    object_id: UUID,
    amount: Decimal,
    destination: str,
    remarks: str,
    entry_type: EntryType,
    memo: str,
    member: Membership,
    recorded_by: User,
) -> Sent:
    """Post Dr 1090, Cr ``source`` and hand the transfer to the gateway once the transaction
    commits (never for a transaction that rolls back)."""
    reference = uuid.uuid4().hex
    entry = ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=[debit(in_flight_account(chama), amount), credit(source, amount)],
        memo=memo,
        member=member,
        idempotency_key=f"transfer:{reference}:sent",
        recorded_by=recorded_by,
    )
    transfer = Transfer(
        kind=kind,
        object_id=object_id,
        chama_id=chama.pk,
        amount=amount,
        destination=destination,
        reference=reference,
        remarks=remarks,
    )
    transfer_dispatch(gateway=gateway, transfer=transfer)
    return Sent(reference, entry)


def transfer_dispatch(*, gateway: PayoutGateway, transfer: Transfer) -> None:
    """Hand the transfer to a worker once the transaction commits (never for one that rolls
    back): the request answers at once and the task owns retries."""
    from finance.tasks import transfer_send_task  # the tasks module imports the services

    message = transfer.to_message()
    transaction.on_commit(lambda: transfer_send_task.delay(method=gateway.method, transfer=message))


def transfer_outcome_post(
    *,
    chama: Chama,
    reference: str | None,
    entry_type: EntryType,
    lines: list[Line],
    memo: str,
    member: Membership,
    receipt: str = "",
) -> JournalEntry:
    """Post the provider's answer about the attempt ``reference``; a receipt it gives is booked
    once in the whole system."""
    # An object in flight always has its reference and sent entry (its check constraint).
    assert reference is not None
    return ledger_post(
        chama=chama,
        entry_type=entry_type,
        lines=lines,
        memo=memo,
        member=member,
        idempotency_key=f"transfer:{reference}:outcome",
        external_source=TRANSFER_SOURCE if receipt else "",
        external_ref=receipt or None,
    )


def transfer_return(
    *,
    sent: JournalEntry | None,
    reference: str | None,
    entry_type: EntryType,
    memo: str,
    member: Membership,
) -> JournalEntry:
    """The provider refused: the money goes back from 1090 to the account it left
    (Dr source, Cr 1090, the mirror of the entry that sent it)."""
    assert sent is not None
    return transfer_outcome_post(
        chama=sent.chama,
        reference=reference,
        entry_type=entry_type,
        lines=ledger_mirror_lines(sent),
        memo=memo,
        member=member,
    )
