"""Back office for chamas and members. A staff official sees only the chamas where they hold an
office; every add and change goes through the same services as the API."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accounts.models import User
from core.admin import ServiceFormAdmin, ServiceModelForm
from core.phone import InvalidPhoneNumber, normalize_phone
from groups import services
from groups.choices import OFFICE_ROLES, OFFICIAL_ROLES, Role
from groups.models import Chama, Membership, Signature

# The counts behind each credit-score component, as reference/money.md reads them.
SCORE_COUNTS = ("on_time", "fallen_due", "due", "attended", "held", "days")


def staff_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def official_membership(user: User, chama: Chama) -> Membership | None:
    """The admin user's office in this chama; None for a superuser acting for the platform."""
    return Membership.objects.active().filter(chama=chama, user=user, role__in=OFFICE_ROLES).first()


def holds_role(request: HttpRequest, chama: Chama, roles: frozenset[str]) -> bool:
    """A superuser acts for the platform; a staff official writes only as the API would let them."""
    if request.user.is_superuser:
        return True
    office = official_membership(staff_user(request), chama)
    return office is not None and office.role in roles


def chamas_managed_by(user: User) -> QuerySet[Chama]:
    """Chamas where the user may add members: chair, treasurer or secretary (the auditor reads)."""
    offices = Membership.objects.active().filter(user=user, role__in=OFFICIAL_ROLES)
    return Chama.objects.filter(pk__in=offices.values("chama"))


class ChamaScopedAdminMixin:
    """Limits an admin to the chamas the signed-in official holds an office in."""

    chama_lookup = "chama"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return queryset
        chamas = Chama.objects.administered_by(staff_user(request))
        return queryset.filter(**{f"{self.chama_lookup}__in": chamas})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A chama chooser only appears on forms that write, which the auditor may not do.
        if db_field.related_model is Chama and not request.user.is_superuser:
            kwargs["queryset"] = chamas_managed_by(staff_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


CHAMA_SETTINGS = [
    "description",
    "contribution_amount",
    "rotation_amount",
    "savings_amount",
    "welfare_amount",
    "cycle_frequency",
    "meeting_day",
    "plan",
]


class _MeetingDayForm(ServiceModelForm):
    # The rule in words, read by the services as the API reads it; a change form shows the
    # chama's rule ("Last Saturday"), so saving it unchanged keeps the rule.
    meeting_day = forms.CharField(
        max_length=40,
        required=False,
        help_text="E.g. Saturday, every Friday, Last Saturday, second Sunday, the 5th.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schedule = self.instance.meeting_schedule if self.instance.pk else None
        self.initial["meeting_day"] = schedule.text if schedule else ""


class ChamaAddForm(_MeetingDayForm):
    class Meta:
        model = Chama
        fields = ["name", "code", "currency", *CHAMA_SETTINGS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = "Leave empty to generate one from the name."

    def run_service(self, data: dict[str, Any]) -> Model:
        return services.chama_create(creator=staff_user(self.request), **data)


class ChamaChangeForm(_MeetingDayForm):
    class Meta:
        model = Chama
        fields = ["name", *CHAMA_SETTINGS, "status"]

    def run_service(self, data: dict[str, Any]) -> Model:
        return services.chama_update(chama=self.instance, data=data)


# Read-only inlines that later layers add to a chama's page (finance adds its balances): groups
# cannot import them.
CHAMA_ADMIN_INLINES: list[type[InlineModelAdmin]] = []


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("member_code", "user", "role", "status", "seat", "receive_phone")
    readonly_fields = ("member_code", "user", "role", "status", "seat", "receive_phone")
    can_delete = False
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Chama)
class ChamaAdmin(ChamaScopedAdminMixin, ServiceFormAdmin):
    chama_lookup = "pk"
    form = ChamaChangeForm
    add_form = ChamaAddForm
    list_display = [
        "name",
        "code",
        "plan",
        "status",
        "member_count",
        "cycle_frequency",
        "created_at",
    ]
    list_filter = ["status", "plan", "cycle_frequency", "currency"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "currency", "created_by", "created_at"]
    inlines = [MembershipInline]  # read-only: it never validates after the service

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).with_member_count()  # type: ignore[attr-defined, no-any-return]

    @admin.display(ordering="member_count", description="Active members")
    def member_count(self, chama: Chama) -> int:
        return int(chama.member_count)  # type: ignore[attr-defined]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [*self.inlines, *CHAMA_ADMIN_INLINES] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # As in the API, only the chair changes a chama's settings; other officials read them.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds_role(request, obj, frozenset({Role.CHAIR})))


class MembershipAddForm(ServiceModelForm):
    full_name = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=20, help_text="Any Kenyan format: 0712…, +254712…")
    email = forms.EmailField(required=False)

    class Meta:
        model = Membership
        fields = ["chama", "full_name", "phone", "email", "role", "seat", "receive_phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _accept_any_phone_format(self.fields["receive_phone"])
        self.fields["receive_phone"].required = False
        self.fields["receive_phone"].help_text = "Defaults to the member's phone."

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    def clean_receive_phone(self) -> str | None:
        value = self.cleaned_data.get("receive_phone")
        return _clean_phone(value) if value else None

    def run_service(self, data: dict[str, Any]) -> Model:
        chama = data.pop("chama")
        return services.membership_add(
            chama=chama,
            actor=official_membership(staff_user(self.request), chama),
            **data,
        )


class MembershipChangeForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["role", "status", "seat", "receive_phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "receive_phone" in self.fields:
            _accept_any_phone_format(self.fields["receive_phone"])

    def clean_receive_phone(self) -> str:
        return _clean_phone(self.cleaned_data["receive_phone"])

    def run_service(self, data: dict[str, Any]) -> Model:
        actor = official_membership(staff_user(self.request), self.instance.chama)
        return services.membership_update(membership=self.instance, actor=actor, data=data)


def _accept_any_phone_format(field: forms.Field) -> None:
    """The model keeps 12 digits, but the input may be "+254 712 345 678": normalised in clean."""
    cast("forms.CharField", field).max_length = 20
    field.validators = []
    field.widget.attrs["maxlength"] = "20"


def _clean_phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except InvalidPhoneNumber as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


@admin.register(Membership)
class MembershipAdmin(ChamaScopedAdminMixin, ServiceFormAdmin):
    form = MembershipChangeForm
    add_form = MembershipAddForm
    list_display = ["member_code", "full_name", "chama", "role", "status", "seat", "receive_phone"]
    list_filter = ["role", "status", "chama"]
    list_select_related = ["user", "chama"]
    search_fields = ["member_code", "user__full_name", "user__phone", "chama__name", "chama__code"]
    readonly_fields = [
        "chama",
        "user",
        "member_code",
        "joined_on",
        "credit_score",
        "credit_score_breakdown",
    ]

    @admin.display(ordering="user__full_name", description="Name")
    def full_name(self, membership: Membership) -> str:
        return membership.user.full_name

    @admin.display(description="Why this score")
    def credit_score_breakdown(self, membership: Membership) -> str:
        """The components the monthly scoring stored, one per line (read-only: only the
        scoring writes them)."""
        parts = membership.credit_score_components
        if not parts:
            return "Not scored yet."
        lines = [f"As of {parts['as_of']}"]
        for name in ("regularity", "repayment", "attendance", "tenure"):
            part = parts[name]
            # In the order the scoring names them: PostgreSQL's jsonb keeps keys by length.
            counts = ", ".join(f"{k} {part[k]}" for k in SCORE_COUNTS if k in part)
            lines.append(f"{name}: {part['points']} of {part['max']} ({counts})")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds_role(request, obj.chama, OFFICIAL_ROLES))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # Phones are stored as 2547…: a search for 0712… or +254 712… must still find the member.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalize_phone(search_term)
        except InvalidPhoneNumber:
            return results, may_have_duplicates
        by_phone = queryset.filter(Q(user__phone=phone) | Q(receive_phone=phone))
        return results | by_phone, may_have_duplicates

    def get_list_filter(self, request: HttpRequest) -> Any:
        # The chama filter would list every chama's name to a staff official.
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else [f for f in filters if f != "chama"]


@admin.register(Signature)
class SignatureAdmin(ChamaScopedAdminMixin, admin.ModelAdmin):
    """Officials' signatures on payouts, loans, welfare claims, transfers and expenses: written
    only by the decisions that take them (groups.approvals), so read-only here."""

    list_display = ["created_at", "chama", "kind", "target_id", "signer", "decision", "comment"]
    list_filter = ["kind", "decision"]
    list_select_related = ["chama", "membership__user"]
    search_fields = ["target_id", "membership__member_code", "membership__user__full_name"]
    date_hierarchy = "created_at"

    @admin.display(ordering="membership__user__full_name", description="Signed by")
    def signer(self, signature: Signature) -> str:
        return f"{signature.membership.member_code} {signature.membership.user.full_name}"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


__all__ = ["ChamaScopedAdminMixin", "Role"]
