"""Row locks of the M-Pesa app. A request row is locked first, before anything finance locks:
it is the idempotency point every delivery of the same callback queues on."""

from mpesa.models import B2CRequest, StkRequest


def stk_request_lock(checkout_request_id: str) -> StkRequest | None:
    """The prompt and, in the same statement (the prompt's row first, as the lock order
    says), its member, as ``finance.locks.membership_lock`` locks and reads it: the payment
    the prompt books needs no lock of its own."""
    request = (
        StkRequest.objects.select_for_update(of=("self", "membership"), no_key=True)
        .select_related("chama", "membership__chama", "membership__user")
        .filter(checkout_request_id=checkout_request_id)
        .first()
    )
    return request


def b2c_request_lock(originator_conversation_id: str) -> B2CRequest | None:
    return (
        B2CRequest.objects.select_for_update(of=("self",))
        .filter(originator_conversation_id=originator_conversation_id)
        .first()
    )
