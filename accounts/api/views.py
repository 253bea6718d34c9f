"""auth/: registration, JWT sign-in/refresh/logout, profile and passwords."""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenRefreshView as BaseTokenRefreshView

from accounts import services
from accounts.api.auth import user_of
from accounts.api.serializers import (
    DetailOutputSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetInputSerializer,
    RefreshInputSerializer,
    TokenObtainInputSerializer,
    TokenPairOutputSerializer,
    UserOutputSerializer,
    UserRegisterInputSerializer,
    UserUpdateInputSerializer,
)
from accounts.exceptions import AccountsError
from core.api.throttling import ScopedRateThrottle
from core.exceptions import NotAuthenticatedError, PermissionDeniedError, ValidationFailed


class PublicAPIView(APIView):
    """An auth endpoint reachable without a token, throttled against guessing."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(PublicAPIView):
    @extend_schema(
        summary="Register",
        request=UserRegisterInputSerializer,
        responses={201: UserOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = UserRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


def token_pair_for(user: Any) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenObtainView(PublicAPIView):
    @extend_schema(
        summary="Sign in with email or phone",
        request=TokenObtainInputSerializer,
        responses={200: TokenPairOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request: django-axes marks it when the account is locked out.
        django_request = request._request
        user = authenticate(
            django_request,
            username=serializer.validated_data["login"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answered here in the API's error shape: left set, the flag makes AxesMiddleware
            # swap this response for its plain-text lockout page.
            django_request.axes_locked_out = False  # type: ignore[attr-defined]
            raise PermissionDeniedError(AccountsError.ACCOUNT_LOCKED)
        if user is None:
            raise NotAuthenticatedError(AccountsError.INVALID_CREDENTIALS)
        # What a session login does through the user_logged_in signal, without a session.
        if jwt_settings.UPDATE_LAST_LOGIN:
            update_last_login(type(user), user)
        if settings.AXES_RESET_ON_SUCCESS:
            axes_reset(username=user.phone)
        return Response(token_pair_for(user))


class TokenRefreshView(BaseTokenRefreshView):
    """Rotates: returns a new refresh token and blacklists the one sent."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(summary="Refresh the access token (rotating the refresh token)")
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    @extend_schema(
        summary="Sign out (blacklists the refresh token)",
        request=RefreshInputSerializer,
        responses={204: OpenApiResponse(description="Signed out.")},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
            if str(token.get("user_id")) != str(request.user.pk):
                raise TokenError("token of another user")
            token.blacklist()
        except TokenError as exc:
            raise ValidationFailed(AccountsError.INVALID_TOKEN, field="refresh") from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(summary="My profile", responses={200: UserOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(
        summary="Update my profile",
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer},
    )
    def patch(self, request: Request) -> Response:
        serializer = UserUpdateInputSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=user_of(request), data=dict(serializer.validated_data))
        return Response(UserOutputSerializer(user).data)


class PasswordChangeView(APIView):
    @extend_schema(
        summary="Change my password (signs out my other sessions)",
        request=PasswordChangeInputSerializer,
        responses={200: DetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_password_change(user=user_of(request), **serializer.validated_data)
        return Response({"detail": "Password changed."})


class PasswordResetView(PublicAPIView):
    @extend_schema(
        summary="Email a password reset link",
        request=PasswordResetInputSerializer,
        responses={202: DetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_reset_request(email=serializer.validated_data["email"])
        # The same answer whether or not the address is known, so accounts cannot be probed.
        detail = "If the address belongs to an account, a reset link is on its way."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicAPIView):
    @extend_schema(
        summary="Set a new password with the emailed link",
        request=PasswordResetConfirmInputSerializer,
        responses={200: DetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_reset_confirm(**serializer.validated_data)
        return Response({"detail": "Password set. Sign in with your new password."})
