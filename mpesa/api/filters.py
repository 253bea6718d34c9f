import django_filters

from mpesa.choices import C2BStatus, PaymentPurpose, StkStatus
from mpesa.models import C2BPayment, StkRequest


class StkRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=StkStatus.choices)
    purpose = django_filters.ChoiceFilter(choices=PaymentPurpose.choices)
    member = django_filters.UUIDFilter(field_name="membership_id")

    class Meta:
        model = StkRequest
        fields = ["status", "purpose", "member"]


class C2BPaymentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=C2BStatus.choices)

    class Meta:
        model = C2BPayment
        fields = ["status"]
