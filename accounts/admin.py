from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm

from accounts.models import Notification, NotificationDelivery, NotificationPreference, User


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
        ("Personal", {"fields": ["full_name", "email", "language"]}),
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


DELIVERY_FIELDS = (
    "channel",
    "status",
    "reason",
    "not_before",
    "attempts",
    "provider_id",
    "sent_at",
)
NOTIFICATION_FIELDS = (
    "user",
    "event",
    "key",
    "chama_id",
    "title",
    "body",
    "context",
    "urgent",
    "read_at",
)


class NotificationDeliveryInline(admin.TabularInline):
    model = NotificationDelivery
    fields = readonly_fields = DELIVERY_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What each person was told, and how each channel fared: read-only (notify writes)."""

    list_display = ["created_at", "user", "event", "title", "read_at"]
    list_filter = ["event", "urgent"]
    list_select_related = ["user"]
    search_fields = ["user__full_name", "user__phone", "key", "title"]
    date_hierarchy = "created_at"
    fields = readonly_fields = NOTIFICATION_FIELDS
    inlines = [NotificationDeliveryInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    """The delivery queue: what is waiting (quiet hours, retries), sent, failed or skipped."""

    list_display = ["created_at", "notification", "channel", "status", "reason", "attempts"]
    list_filter = ["channel", "status"]
    list_select_related = ["notification__user"]
    search_fields = ["notification__user__phone", "provider_id"]
    fields = readonly_fields = ("notification", *DELIVERY_FIELDS)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "sms", "email", "whatsapp"]
    list_filter = ["sms", "email", "whatsapp"]
    list_select_related = ["user"]
    search_fields = ["user__full_name", "user__phone"]
    raw_id_fields = ["user"]
