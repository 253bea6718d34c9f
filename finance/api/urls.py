"""finance endpoints, all under chamas/{chama_id}/ (see groups.api.scoping)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from finance.api.views import contributions, cycles, ledger, ledger_transfers, loans
from finance.api.views.positions import MemberPositionViewSet
from finance.api.views.statements import StatementViewSet
from finance.api.views.suspense import SuspenseReceiptViewSet
from finance.api.views.welfare import (
    WelfareClaimViewSet,
    WelfareForecastViewSet,
    WelfareFundViewSet,
)
from groups.api.scoping import UUID_RE
from groups.api.urls import CHAMA

router = SimpleRouter()
# chamas/{chama_id}/ledger/accounts/
router.register(f"{CHAMA}/ledger/accounts", ledger.LedgerAccountViewSet, basename="ledger-account")
# chamas/{chama_id}/ledger/entries/  .../ledger/entries/{entry_id}/
router.register(f"{CHAMA}/ledger/entries", ledger.JournalEntryViewSet, basename="ledger-entry")
# chamas/{chama_id}/ledger/transfers/  .../{transfer_id}/  .../approve/  .../reject/
router.register(
    f"{CHAMA}/ledger/transfers",
    ledger_transfers.LedgerTransferViewSet,
    basename="ledger-transfer",
)
# chamas/{chama_id}/cycles/  .../cycles/{cycle_id}/
router.register(f"{CHAMA}/cycles", cycles.CycleViewSet, basename="cycle")
# chamas/{chama_id}/rounds/{round_id}/  .../rounds/{round_id}/payout/
router.register(f"{CHAMA}/rounds", cycles.RoundViewSet, basename="round")
# chamas/{chama_id}/payouts/  .../payouts/{payout_id}/  .../approve/  .../reject/
router.register(f"{CHAMA}/payouts", cycles.PayoutViewSet, basename="payout")
# chamas/{chama_id}/contributions/  .../{contribution_id}/  .../confirm/  .../reverse/
router.register(
    f"{CHAMA}/contributions", contributions.ContributionViewSet, basename="contribution"
)
# chamas/{chama_id}/welfare/claims/  .../{claim_id}/  .../approve/  .../reject/  .../pay/
router.register(f"{CHAMA}/welfare/claims", WelfareClaimViewSet, basename="welfare-claim")
# chamas/{chama_id}/suspense/  .../suspense/{suspense_id}/assign/
router.register(f"{CHAMA}/suspense", SuspenseReceiptViewSet, basename="suspense-receipt")
# chamas/{chama_id}/statements/?member=&from=&to=&format=json|csv|xlsx|pdf
router.register(f"{CHAMA}/statements", StatementViewSet, basename="statement")

# chamas/{chama_id}/loans/  .../quote/  .../{loan_id}/  .../approve/  .../reject/  .../disburse/
# .../write-off/  .../repayments/  .../guarantors/{guarantee_id}/accept/  .../decline/
router.register(f"{CHAMA}/loans", loans.LoanViewSet, basename="loan")

urlpatterns = router.urls
# chamas/{chama_id}/welfare/ — one fund per chama: a single resource, which a router only
# offers as a list.
urlpatterns += [
    re_path(
        rf"^{CHAMA}/welfare/$",
        WelfareFundViewSet.as_view({"get": "retrieve"}),
        name="welfare-fund",
    ),
    # chamas/{chama_id}/welfare/forecast/ — the fund's forecast, one resource.
    re_path(
        rf"^{CHAMA}/welfare/forecast/$",
        WelfareForecastViewSet.as_view({"get": "retrieve"}),
        name="welfare-forecast",
    ),
    # chamas/{chama_id}/members/{member_id}/position/ — the member's position, one resource.
    re_path(
        rf"^{CHAMA}/members/(?P<member_id>{UUID_RE})/position/$",
        MemberPositionViewSet.as_view({"get": "retrieve"}),
        name="member-position",
    ),
]
