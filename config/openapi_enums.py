"""The OpenAPI schema's enum names (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]): one name per
set of choices, so that two fields with the same choices share one component and a field's
enum keeps its name when another app adds a "kind" or a "status" of its own."""

ENUM_NAME_OVERRIDES: dict[str, str] = {
    **{
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in [
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            *(f"ErrorCode{status}Enum" for status in (401, 403, 404, 405, 406, 415, 429, 500)),
        ]
    },
    "RoleEnum": "groups.choices.Role.choices",
    "MembershipStatusEnum": "groups.choices.MembershipStatus.choices",
    "ChamaStatusEnum": "groups.choices.ChamaStatus.choices",
    "CycleFrequencyEnum": "groups.choices.CycleFrequency.choices",
    # The channels a group of notifications is muted on, one list per group.
    "ChannelEnum": "accounts.choices.Channel.choices",
    **{
        f"{name}Enum": f"finance.choices.{name}.choices"
        for name in [
            "AccountType",
            "ContributionStatus",
            "CycleStatus",
            "DueStatus",
            "EntryType",
            "PaymentMethod",
            "PayoutMethod",
            "PayoutStatus",
            "RoundStatus",
            "Side",
            "WelfareClaimStatus",
            "WelfareClaimType",
            "WelfareForecastReason",
            "WelfareForecastSource",
            "InterestMethod",
            "RatePeriod",
            "LoanStatus",
            "GuaranteeStatus",
            "InstallmentStatus",
            "SuspenseStatus",
            "SuspensePurpose",
            "TransferAccount",
            "LedgerTransferStatus",
            "FineKind",
            "FineStatus",
        ]
    },
    **{
        f"{name}Enum": f"investments.choices.{name}.choices"
        for name in ["OptionKind", "HoldingStatus", "PlacementMethod"]
    },
    "PaymentPurposeEnum": "mpesa.choices.PaymentPurpose.choices",
    "RecordableContributionStatusEnum": "finance.choices.RECORDABLE_CONTRIBUTION_STATUSES",
    "WeekdayEnum": "groups.choices.Weekday.choices",
    "MeetingRuleKindEnum": "groups.choices.MeetingRuleKind.choices",
    # The payout's kind keeps the name it had before governance brought other "kind"s.
    "KindEnum": "finance.choices.PayoutKind.choices",
    **{
        f"{name}Enum": f"governance.models.{name}.choices"
        for name in [
            "VoteKind",
            "VoteStatus",
            "VoteResult",
            "VoteChoice",
            "MeetingStatus",
            "AttendanceStatus",
            "DocumentKind",
            "DocumentVisibility",
            "ExpenseCategory",
            "ExpenseStatus",
        ]
    },
    **{
        f"{name}Enum": f"governance.choices.{name}.choices"
        for name in [
            "Language",
            "FineInterval",
            "Majority",
            "InvestmentApproval",
            "ProfitBasis",
            "ProfitPayout",
            "MaturityAction",
        ]
    },
    # The constitution's fine amount (fixed or percent), beside finance's FineKind.
    "FineAmountKindEnum": "governance.choices.FineKind.choices",
}
