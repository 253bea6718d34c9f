from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from accounts.models import User
from core.api.serializers import StrictInputMixin
from core.phone import PhoneField


class PasswordField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)


def _validate_new_password(password: str, user: User | None = None) -> str:
    password_validation.validate_password(password, user)
    return password


class UserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "phone",
            "email",
            "full_name",
            "national_id",
            "kra_pin",
            "language",
            "date_joined",
        ]
        read_only_fields = fields


class UserRegisterInputSerializer(serializers.Serializer):
    phone = PhoneField()
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    full_name = serializers.CharField(max_length=150)
    password = PasswordField()

    def validate(self, attrs: dict[str, str]) -> dict[str, str]:
        probe = User(phone=attrs["phone"], email=attrs.get("email"), full_name=attrs["full_name"])
        try:
            _validate_new_password(attrs["password"], probe)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": get_error_detail(exc)}) from exc
        return attrs


class UserUpdateInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "full_name", "national_id", "kra_pin", "language"]
        extra_kwargs: dict[str, dict[str, Any]] = {"email": {"validators": []}}


class TokenObtainInputSerializer(serializers.Serializer):
    login = serializers.CharField(max_length=254, help_text="Email or phone in any Kenyan format.")
    password = PasswordField()


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = PasswordField()
    new_password = PasswordField()

    def validate_new_password(self, value: str) -> str:
        return _validate_new_password(value, self.context["request"].user)


class PasswordResetInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = PasswordField()

    def validate_new_password(self, value: str) -> str:
        return _validate_new_password(value)


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
