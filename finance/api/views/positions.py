"""chamas/{chama_id}/members/{member_id}/position/: where a member stands today."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.exceptions import PermissionDeniedError
from finance.api.serializers.positions import MemberPositionOutputSerializer
from finance.api.views.member_access import member_readable_get
from finance.exceptions import FinanceError
from finance.positions import member_position_get
from groups.api.scoping import ChamaScopedViewSet


def position_denied() -> PermissionDeniedError:
    return PermissionDeniedError(FinanceError.POSITION_NOT_PERMITTED)


class MemberPositionViewSet(ChamaScopedViewSet):
    @extend_schema(
        summary="A member's position: savings, dues, pots, loans, fines and welfare claims",
        description=(
            "Where the member stands today, straight from the ledger and the dues, loans and "
            "claims: savings (2100-M), credit (2500-M) and both together, profit payable; the "
            "dues owed for the round being collected and in arrears; pots received and the "
            "next one expected; each live or defaulted loan's outstanding and next "
            "installment; fines owed (1120-M); the member's welfare claims. For the member "
            "themself, the officials and the auditor; another member gets "
            "`403 not_permitted`."
        ),
        responses={200: MemberPositionOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str, member_id: str) -> Response:
        member = member_readable_get(
            chama=self.chama,
            viewer=self.membership,
            member_id=member_id,  # type: ignore[arg-type]  # the URL's pattern is a UUID
            denied=position_denied(),
        )
        return Response(MemberPositionOutputSerializer(member_position_get(membership=member)).data)
