"""Row locks of the M-Pesa app. A request row is locked first, before anything finance locks:
it is the idempotency point every delivery of the same callback queues on."""

from mpesa.models import B2CRequest, StkRequest


def stk_request_lock(checkout_request_id: str) -> StkRequest | None:
    return (
        StkRequest.objects.select_for_update(of=("self",))
        .select_related("chama", "membership")
        .filter(checkout_request_id=checkout_request_id)
        .first()
    )


def b2c_request_lock(originator_conversation_id: str) -> B2CRequest | None:
    return (
        B2CRequest.objects.select_for_update(of=("self",))
        .filter(originator_conversation_id=originator_conversation_id)
        .first()
    )
