"""chamas/{chama_id}/alerts/: what the nightly anomaly detection found unusual, for the
officials and the auditor (members 403); an official dismisses or resolves one with a note."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.parsers import JSONParser
from governance.api.serializers.anomalies import (
    AlertDecideInputSerializer,
    AnomalyAlertOutputSerializer,
)
from governance.models import AlertStatus, AnomalyAlert, AnomalyDetector
from governance.selectors.anomalies import anomaly_alert_list
from governance.services.anomaly_alerts import alert_dismiss, alert_resolve
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import OFFICE_ROLES, OFFICIAL_ROLES


class AnomalyAlertFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)
    detector = django_filters.ChoiceFilter(choices=AnomalyDetector.choices)
    severity_min = django_filters.NumberFilter(
        field_name="severity", lookup_expr="gte", label="At least this severity (0-1)."
    )

    class Meta:
        model = AnomalyAlert
        fields = ["status", "detector", "severity_min"]


class AnomalyAlertViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """The officials and the auditor read; an official (chair, treasurer, secretary) decides."""

    lookup_url_kwarg = "alert_id"
    target_name = "alert"
    serializer_class = AnomalyAlertOutputSerializer
    filterset_class = AnomalyAlertFilter
    read_roles = OFFICE_ROLES
    write_roles = OFFICIAL_ROLES

    def get_queryset(self) -> QuerySet[AnomalyAlert]:
        if self.is_schema_generation:
            return QuerySet(AnomalyAlert).none()
        return anomaly_alert_list(chama=self.chama)

    @extend_schema(
        summary="Anomaly alerts, newest first (filter by status, detector, severity_min)",
        responses={200: AnomalyAlertOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An anomaly alert: why it was raised and what to do",
        responses={200: AnomalyAlertOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Dismiss an open alert: nothing wrong, and why (an official)",
        description="409 alert_not_open once it was dismissed or resolved.",
        request=AlertDecideInputSerializer,
        responses={200: AnomalyAlertOutputSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def dismiss(self, request: Request, chama_id: str, alert_id: str) -> Response:
        return self.transition(alert_dismiss, input_serializer=AlertDecideInputSerializer)

    @extend_schema(
        summary="Resolve an open alert: what was wrong and what was done (an official)",
        description="409 alert_not_open once it was dismissed or resolved.",
        request=AlertDecideInputSerializer,
        responses={200: AnomalyAlertOutputSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def resolve(self, request: Request, chama_id: str, alert_id: str) -> Response:
        return self.transition(alert_resolve, input_serializer=AlertDecideInputSerializer)
