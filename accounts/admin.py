from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm

from accounts.models import User


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "email", "full_name")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class LoginForm(AdminAuthenticationForm):
    """Sign in with an email or a phone in any format (EmailOrPhoneBackend); Django would cap the
    input at the phone column's 12 characters, cutting off "+254 712 345 678" and most emails."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Email or phone"
        username.widget.attrs["maxlength"] = "254"


admin.site.login_form = LoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "phone", "email", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["full_name", "phone", "email", "national_id"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["phone", "password"]}),
        ("Personal", {"fields": ["full_name", "email"]}),
        ("KYC", {"fields": ["national_id", "kra_pin"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["phone", "email", "full_name", "password1", "password2"],
            },
        ),
    ]
