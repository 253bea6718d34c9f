"""The back office: branding, sign-in, what a staff official may see, and that every add and change
goes through the groups services and shows a service's refusal as a form error."""

from collections.abc import Callable
from decimal import Decimal
from html import escape
from html.parser import HTMLParser
from typing import Any
from uuid import uuid4

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from groups import services
from groups.access import officials_group
from groups.choices import MembershipStatus, Role
from groups.exceptions import GroupsError
from groups.models import Chama, Membership, Signature
from tests.factories import PASSWORD, UserFactory, add_member, make_chama

pytestmark = pytest.mark.django_db

CHAMAS = reverse("admin:groups_chama_changelist")
CHAMA_ADD = reverse("admin:groups_chama_add")
MEMBERS = reverse("admin:groups_membership_changelist")
MEMBER_ADD = reverse("admin:groups_membership_add")
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def chama_change(chama: Chama) -> str:
    return reverse("admin:groups_chama_change", args=[chama.pk])


def member_change(membership: Membership) -> str:
    return reverse("admin:groups_membership_change", args=[membership.pk])


class _FormData(HTMLParser):
    """What a browser would submit from the admin's change form (``<model>_form``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_has_value = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attr:
                return
            self.data[name] = attr.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select, self._select_has_value = name, False
        elif tag == "option" and self._select:
            # Without a selected option the browser submits the first one.
            if "selected" in attr or not self._select_has_value:
                self.data[self._select] = attr.get("value", "")
                self._select_has_value = "selected" in attr
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_data(client: Client, url: str, **changes: str) -> dict[str, str]:
    """The change form as rendered (inline management form included), with ``changes`` typed in."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormData()
    parser.feed(response.content.decode())
    assert parser.data, "no change form on the page"
    return {**parser.data, **changes, "_save": "Save"}


def form_errors(response: Any) -> dict[str, list[str]]:
    errors = response.context["adminform"].form.errors
    return {field: list(messages) for field, messages in errors.items()}


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def listed(response: Any) -> set[tuple[str, str]]:
    """The rows of a Membership changelist as (chama code, member code)."""
    return {(m.chama.code, m.member_code) for m in response.context["cl"].result_list}


def staff(phone: str, full_name: str, group: Group) -> User:
    user = UserFactory(phone=phone, full_name=full_name, is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def officials() -> Group:
    return officials_group()


@pytest.fixture
def chama_a(officials: Group) -> Chama:
    """Amani Savers: staff chair M001, treasurer M002, secretary M003, auditor M004; member M005."""
    chair = staff("254712000101", "Amani Chair", officials)
    chama = make_chama(creator=chair, name="Amani Savers", code="AMA001")
    for n, role in enumerate((Role.TREASURER, Role.SECRETARY, Role.AUDITOR), start=2):
        add_member(
            chama, role=role, user=staff(f"25471200010{n}", f"Amani {role.label}", officials)
        )
    add_member(chama, user=UserFactory(phone="254712000105", full_name="Amani Member"))
    return chama


@pytest.fixture
def chama_b(officials: Group) -> Chama:
    """Baraka Group: a staff chair M001 and a member M002."""
    chair = staff("254712000201", "Baraka Chair", officials)
    chama = make_chama(creator=chair, name="Baraka Group", code="BAR001")
    add_member(chama, user=UserFactory(phone="254712000202", full_name="Baraka Member"))
    return chama


@pytest.fixture
def superuser() -> User:
    return UserFactory(
        phone="254712000900", full_name="Platform Admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


def office(chama: Chama, role: str) -> Membership:
    return chama.memberships.get(role=role)


# --- Branding and sign-in -----------------------------------------------------------------------


def test_the_login_page_and_index_carry_the_hazina_branding(
    client: Client, superuser: User
) -> None:
    login_page = client.get(LOGIN)

    assert login_page.status_code == 200
    assert login_page.context["site_header"] == "Hazina back office"
    assert "<title>Log in | Hazina</title>" in login_page.content.decode()
    assert '<a href="/admin/">Hazina back office</a>' in login_page.content.decode()

    client.force_login(superuser)
    index = client.get(INDEX)
    assert index.context["site_header"] == "Hazina back office"
    assert index.context["title"] == "Chama books"


@pytest.mark.parametrize(
    "login", ["0712000102", "+254 712 000 102", "254712000102", "AMANI.TREASURER@example.com"]
)
def test_a_staff_official_signs_in_with_a_phone_in_any_format_or_an_email(
    client: Client, chama_a: Chama, login: str
) -> None:
    treasurer = office(chama_a, Role.TREASURER).user
    treasurer.email = "amani.treasurer@example.com"
    treasurer.save(update_fields=["email"])

    response = client.post(f"{LOGIN}?next={INDEX}", {"username": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.session["_auth_user_id"] == str(treasurer.pk)


def test_the_login_input_is_long_enough_for_an_email(client: Client) -> None:
    # The phone column is 12 characters; a browser would cut an email or "+254 7…" at maxlength.
    form = client.get(LOGIN).context["form"]

    assert form.fields["username"].label == "Email or phone"
    assert form.fields["username"].widget.attrs["maxlength"] == "254"


def test_a_wrong_password_or_a_member_without_staff_access_is_refused(
    client: Client, chama_a: Chama
) -> None:
    wrong = client.post(LOGIN, {"username": "0712000102", "password": "not-the-password"})
    member = client.post(LOGIN, {"username": "0712000105", "password": PASSWORD})

    for response in (wrong, member):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "Please enter the correct phone and password for a staff account. "
            "Note that both fields may be case-sensitive."
        ]
        assert "_auth_user_id" not in client.session


# --- What each admin sees -----------------------------------------------------------------------


def test_a_superuser_sees_every_chama(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama
) -> None:
    response = signed_in(superuser).get(CHAMAS)

    assert response.status_code == 200
    assert {c.code for c in response.context["cl"].result_list} == {"AMA001", "BAR001"}
    assert [c.member_count for c in response.context["cl"].result_list] == [5, 2]


@pytest.mark.parametrize("role", [Role.CHAIR, Role.TREASURER, Role.SECRETARY, Role.AUDITOR])
def test_a_staff_official_sees_only_the_chama_they_hold_an_office_in(
    signed_in: Callable[[User], Client], chama_a: Chama, chama_b: Chama, role: Role
) -> None:
    client = signed_in(office(chama_a, role).user)

    chamas = client.get(CHAMAS)
    members = client.get(MEMBERS)

    assert chamas.status_code == 200
    assert [c.code for c in chamas.context["cl"].result_list] == ["AMA001"]
    assert members.status_code == 200
    assert listed(members) == {("AMA001", f"M00{n}") for n in range(1, 6)}
    for response in (chamas, members):
        assert "Baraka" not in response.content.decode()


def test_a_staff_official_cannot_open_another_chamas_pages(
    signed_in: Callable[[User], Client], chama_a: Chama, chama_b: Chama
) -> None:
    client = signed_in(office(chama_a, Role.CHAIR).user)
    other_member = chama_b.memberships.get(member_code="M002")

    for url in (chama_change(chama_b), member_change(other_member)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == INDEX
    assert client.get(f"{MEMBERS}?chama__id__exact={chama_b.pk}").context["cl"].result_count == 0


def test_a_staff_user_without_an_office_sees_no_memberships(
    signed_in: Callable[[User], Client], chama_a: Chama, officials: Group
) -> None:
    # Staff, in the officials group, but only a plain member of the chama.
    member = office(chama_a, Role.MEMBER).user
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.groups.add(officials)

    response = signed_in(member).get(MEMBERS)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_the_chama_filter_is_offered_to_a_superuser_only(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama
) -> None:
    def filters(user: User) -> list[str]:
        response = signed_in(user).get(MEMBERS)
        return [spec.field_path for spec in response.context["cl"].filter_specs]

    assert filters(office(chama_a, Role.TREASURER).user) == ["role", "status"]
    assert filters(superuser) == ["role", "status", "chama"]


# --- Adding members -----------------------------------------------------------------------------


def add_member_form(chama: Chama, **changes: str) -> dict[str, str]:
    return {
        "chama": str(chama.pk),
        "full_name": "Neema Mwangaza",
        "phone": "0712 345 678",
        "email": "",
        "role": Role.MEMBER,
        "seat": "",
        "receive_phone": "",
        "_save": "Save",
        **changes,
    }


def test_an_official_adds_a_member_through_the_add_form(
    signed_in: Callable[[User], Client], chama_a: Chama, monkeypatch: pytest.MonkeyPatch
) -> None:
    treasurer = office(chama_a, Role.TREASURER)
    calls: list[dict[str, Any]] = []
    real_add = services.membership_add
    monkeypatch.setattr(services, "membership_add", lambda **kw: calls.append(kw) or real_add(**kw))

    response = signed_in(treasurer.user).post(
        MEMBER_ADD, add_member_form(chama_a, email="Neema@Example.com"), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(MEMBERS, 302)]
    [message] = messages_of(response)
    assert "M006 Neema Mwangaza (AMA001)" in message
    assert "was added successfully" in message
    assert [call["actor"] for call in calls] == [treasurer]
    member = chama_a.memberships.select_related("user").get(member_code="M006")
    assert member.user.full_name == "Neema Mwangaza"
    assert member.user.phone == "254712345678"
    assert member.user.email == "neema@example.com"
    assert member.user.is_invited
    assert member.receive_phone == "254712345678"
    assert (member.role, member.status, member.seat) == (Role.MEMBER, MembershipStatus.ACTIVE, 6)
    assert ("AMA001", "M006") in listed(response)


def test_a_payout_phone_in_any_format_is_stored_normalised(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    response = signed_in(office(chama_a, Role.CHAIR).user).post(
        MEMBER_ADD, add_member_form(chama_a, receive_phone="+254 111 000 555")
    )

    assert response.status_code == 302
    assert chama_a.memberships.get(member_code="M006").receive_phone == "254111000555"


def test_the_eleventh_member_on_the_free_plan_is_refused_and_nothing_is_written(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    for n in range(5):
        add_member(chama_a, user=UserFactory(full_name=f"Filler Member {n}"))
    assert chama_a.memberships.active().count() == settings.FREE_PLAN_MEMBER_LIMIT == 10
    users_before = User.objects.count()

    response = signed_in(office(chama_a, Role.TREASURER).user).post(
        MEMBER_ADD, add_member_form(chama_a)
    )

    limit_message = GroupsError.MEMBER_LIMIT_REACHED.render(limit=10)
    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [limit_message]}
    assert escape(limit_message) in response.content.decode()
    assert chama_a.memberships.count() == 10
    assert User.objects.count() == users_before
    assert not User.objects.filter(phone="254712345678").exists()
    chama_a.refresh_from_db()
    assert chama_a.member_sequence == 10


def test_a_treasurer_cannot_appoint_an_official_when_adding(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    response = signed_in(office(chama_a, Role.TREASURER).user).post(
        MEMBER_ADD, add_member_form(chama_a, role=Role.SECRETARY)
    )

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [GroupsError.CHAIR_ONLY.message]}
    assert chama_a.memberships.count() == 5


def test_an_invalid_phone_is_a_field_error(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    response = signed_in(office(chama_a, Role.CHAIR).user).post(
        MEMBER_ADD, add_member_form(chama_a, phone="12345")
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "phone": ["Enter a valid phone number, such as 0712345678 or +254712345678."]
    }
    assert chama_a.memberships.count() == 5


def test_an_official_cannot_add_a_member_to_another_chama(
    signed_in: Callable[[User], Client], chama_a: Chama, chama_b: Chama
) -> None:
    client = signed_in(office(chama_a, Role.CHAIR).user)

    response = client.post(MEMBER_ADD, add_member_form(chama_b))

    assert response.status_code == 200
    assert form_errors(response) == {"chama": [NOT_A_CHOICE]}
    assert chama_b.memberships.count() == 2
    chama_choices = response.context["adminform"].form.fields["chama"].queryset
    assert [c.code for c in chama_choices] == ["AMA001"]


def test_the_auditor_only_reads(signed_in: Callable[[User], Client], chama_a: Chama) -> None:
    # As in the API: the auditor holds an office but neither adds nor changes members.
    client = signed_in(office(chama_a, Role.AUDITOR).user)
    member = office(chama_a, Role.MEMBER)

    added = client.post(MEMBER_ADD, add_member_form(chama_a))
    change_page = client.get(member_change(member))
    changed = client.post(
        member_change(member),
        {"role": Role.MEMBER, "status": "active", "seat": "5", "receive_phone": "0722000333"},
    )

    assert added.status_code == 200
    assert form_errors(added) == {"chama": [NOT_A_CHOICE]}
    assert chama_a.memberships.count() == 5
    assert change_page.status_code == 200
    assert change_page.context["has_change_permission"] is False
    assert changed.status_code == 403
    member.refresh_from_db()
    assert member.receive_phone == "254712000105"


# --- Changing members ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0722000333", "+254 722 000 333", "254722000333"])
def test_changing_the_payout_phone_goes_through_the_service(
    signed_in: Callable[[User], Client],
    chama_a: Chama,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
) -> None:
    treasurer = office(chama_a, Role.TREASURER)
    member = office(chama_a, Role.MEMBER)
    calls: list[dict[str, Any]] = []
    real_update = services.membership_update
    monkeypatch.setattr(
        services, "membership_update", lambda **kw: calls.append(kw) or real_update(**kw)
    )
    client = signed_in(treasurer.user)

    response = client.post(
        member_change(member), form_data(client, member_change(member), receive_phone=typed)
    )

    assert response.status_code == 302
    assert [(call["membership"], call["actor"]) for call in calls] == [(member, treasurer)]
    assert calls[0]["data"]["receive_phone"] == "254722000333"
    member.refresh_from_db()
    assert member.receive_phone == "254722000333"
    assert (member.role, member.seat, member.user.phone) == (Role.MEMBER, 5, "254712000105")


def test_a_role_change_by_an_official_who_is_not_the_chair_is_refused(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    member = office(chama_a, Role.MEMBER)
    client = signed_in(office(chama_a, Role.SECRETARY).user)

    response = client.post(
        member_change(member), form_data(client, member_change(member), role=Role.TREASURER)
    )

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [GroupsError.CHAIR_ONLY.message]}
    assert escape(GroupsError.CHAIR_ONLY.message) in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert chama_a.memberships.filter(role=Role.TREASURER).count() == 1


def test_the_chair_changes_a_role(signed_in: Callable[[User], Client], chama_a: Chama) -> None:
    member = office(chama_a, Role.MEMBER)
    client = signed_in(office(chama_a, Role.CHAIR).user)

    response = client.post(
        member_change(member), form_data(client, member_change(member), role=Role.SECRETARY)
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.SECRETARY


def test_removing_the_last_chair_is_refused(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    chair = office(chama_a, Role.CHAIR)
    client = signed_in(chair.user)

    response = client.post(
        member_change(chair), form_data(client, member_change(chair), status="exited")
    )

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [GroupsError.LAST_CHAIR.message]}
    chair.refresh_from_db()
    assert chair.status == MembershipStatus.ACTIVE


# --- Chamas -------------------------------------------------------------------------------------


def add_chama_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Tumaini Investment Club",
        "code": "",
        "currency": "KES",
        "description": "",
        "contribution_amount": "2000.00",
        "rotation_amount": "1500.00",
        "savings_amount": "500.00",
        "welfare_amount": "0.00",
        "cycle_frequency": "monthly",
        "meeting_day": "",
        "plan": "free",
        "_save": "Save",
        **changes,
    }


def test_adding_a_chama_makes_the_signed_in_admin_its_chair(
    signed_in: Callable[[User], Client], superuser: User
) -> None:
    response = signed_in(superuser).post(CHAMA_ADD, add_chama_form())

    assert response.status_code == 302
    chama = Chama.objects.get(name="Tumaini Investment Club")
    assert chama.code.startswith("TUM")
    assert chama.created_by == superuser
    assert (chama.contribution_amount, chama.rotation_amount, chama.savings_amount) == (
        Decimal("2000.00"),
        Decimal("1500.00"),
        Decimal("500.00"),
    )
    [chair] = chama.memberships.all()
    assert (chair.user, chair.role, chair.seat, chair.member_code) == (
        superuser,
        Role.CHAIR,
        1,
        "M001",
    )
    assert chair.receive_phone == superuser.phone


def test_a_chama_whose_split_does_not_add_up_is_not_created(
    signed_in: Callable[[User], Client], superuser: User
) -> None:
    response = signed_in(superuser).post(CHAMA_ADD, add_chama_form(rotation_amount="1000.00"))

    assert response.status_code == 200
    assert form_errors(response) == {"contribution_amount": [GroupsError.SPLIT_MISMATCH.message]}
    assert escape(GroupsError.SPLIT_MISMATCH.message) in response.content.decode()
    assert not Chama.objects.exists()
    assert not Membership.objects.exists()


def test_a_taken_code_is_refused(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama
) -> None:
    response = signed_in(superuser).post(CHAMA_ADD, add_chama_form(code="AMA001"))

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [GroupsError.CODE_TAKEN.message]}
    assert Chama.objects.count() == 1


def test_the_chair_changes_the_settings_and_a_bad_split_writes_nothing(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    client = signed_in(office(chama_a, Role.CHAIR).user)
    url = chama_change(chama_a)

    refused = client.post(url, form_data(client, url, contribution_amount="1500.00"))
    chama_a.refresh_from_db()
    amounts_after_refusal = (chama_a.contribution_amount, chama_a.savings_amount)
    saved = client.post(
        url,
        form_data(
            client,
            url,
            contribution_amount="1500.00",
            savings_amount="1200.00",
            welfare_amount="300.00",
            meeting_day="saturday",
        ),
    )

    assert refused.status_code == 200
    assert form_errors(refused) == {"contribution_amount": [GroupsError.SPLIT_MISMATCH.message]}
    assert amounts_after_refusal == (Decimal("1000.00"), Decimal("1000.00"))
    assert saved.status_code == 302
    chama_a.refresh_from_db()
    assert (
        chama_a.contribution_amount,
        chama_a.savings_amount,
        chama_a.welfare_amount,
        chama_a.meeting_day,
    ) == (Decimal("1500.00"), Decimal("1200.00"), Decimal("300.00"), "saturday")


def test_only_the_chair_changes_a_chamas_settings(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    # As in the API (PATCH chamas/{id}/ is chair-only): the treasurer reads the settings.
    client = signed_in(office(chama_a, Role.TREASURER).user)

    page = client.get(chama_change(chama_a))
    post = client.post(chama_change(chama_a), {"name": "Renamed", "contribution_amount": "5"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    chama_a.refresh_from_db()
    assert chama_a.name == "Amani Savers"


# --- Search, filters and queries ----------------------------------------------------------------


def test_search_finds_members_by_member_code(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama
) -> None:
    superuser_results = signed_in(superuser).get(MEMBERS, {"q": "M002"})
    official_results = signed_in(office(chama_a, Role.CHAIR).user).get(MEMBERS, {"q": "M002"})

    assert listed(superuser_results) == {("AMA001", "M002"), ("BAR001", "M002")}
    assert listed(official_results) == {("AMA001", "M002")}


@pytest.mark.parametrize("typed", ["0712000105", "+254 712 000 105", "254712000105", "712000105"])
def test_search_finds_a_member_by_phone_in_any_format(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama, typed: str
) -> None:
    response = signed_in(superuser).get(MEMBERS, {"q": typed})

    assert listed(response) == {("AMA001", "M005")}


def test_search_finds_a_member_by_payout_phone_and_by_name(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama
) -> None:
    member = office(chama_a, Role.MEMBER)
    services.membership_update(
        membership=member, actor=None, data={"receive_phone": "254799000111"}
    )
    client = signed_in(superuser)

    assert listed(client.get(MEMBERS, {"q": "0799 000 111"})) == {("AMA001", "M005")}
    assert listed(client.get(MEMBERS, {"q": "baraka member"})) == {("BAR001", "M002")}


def test_filters_narrow_the_lists(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama, chama_b: Chama
) -> None:
    services.chama_update(chama=chama_b, data={"plan": "premium"})
    client = signed_in(superuser)

    assert listed(client.get(MEMBERS, {"role__exact": Role.CHAIR})) == {
        ("AMA001", "M001"),
        ("BAR001", "M001"),
    }
    assert listed(client.get(MEMBERS, {"chama__id__exact": str(chama_b.pk)})) == {
        ("BAR001", "M001"),
        ("BAR001", "M002"),
    }
    premium = client.get(CHAMAS, {"plan__exact": "premium"})
    assert [c.code for c in premium.context["cl"].result_list] == ["BAR001"]


def test_the_membership_list_takes_the_same_queries_however_many_rows(
    signed_in: Callable[[User], Client], superuser: User, chama_a: Chama
) -> None:
    client = signed_in(superuser)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MEMBERS).status_code == 200
        return len(captured)

    few = queries()
    for n in range(4):
        add_member(chama_a, user=UserFactory(full_name=f"Extra Member {n}"))
    assert queries() == few


# --- Signatures -----------------------------------------------------------------------------


def test_officials_read_the_signatures_of_their_own_chamas_only(
    chama_a: Chama, chama_b: Chama, signed_in: Callable[[User], Client]
) -> None:
    for chama in (chama_a, chama_b):
        Signature.objects.create(
            chama=chama,
            kind="payout",
            target_id=uuid4(),
            membership=office(chama, Role.CHAIR),
            decision="approve",
        )
    client = signed_in(office(chama_a, Role.AUDITOR).user)

    page = client.get(reverse("admin:groups_signature_changelist"))

    assert page.status_code == 200
    assert [s.chama.code for s in page.context["cl"].result_list] == ["AMA001"]
    signature = Signature.objects.get(chama=chama_a)
    change = client.get(reverse("admin:groups_signature_change", args=[signature.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    assert client.get(reverse("admin:groups_signature_add")).status_code == 403


def test_the_credit_score_and_its_components_are_shown_read_only(
    signed_in: Callable[[User], Client], chama_a: Chama
) -> None:
    treasurer = office(chama_a, Role.TREASURER)
    member = office(chama_a, Role.MEMBER)
    components = {
        "as_of": "2026-05-01",
        "regularity": {"points": "20.00", "max": 40, "on_time": 2, "fallen_due": 4},
        "repayment": {"points": "30.00", "max": 30, "on_time": 0, "due": 0},
        "attendance": {"points": "13.33", "max": 20, "attended": 2, "held": 3},
        "tenure": {"points": "3.29", "max": 10, "days": 120},
    }
    services.membership_credit_scores_set(
        scores=[services.CreditScoreWrite(member.pk, 67, components)]
    )
    client = signed_in(treasurer.user)

    page = client.get(member_change(member)).content.decode()

    assert "regularity: 20.00 of 40 (on_time 2, fallen_due 4)<br>" in page
    assert "attendance: 13.33 of 20 (attended 2, held 3)<br>tenure: 3.29 of 10 (days 120)" in page
    assert 'name="credit_score' not in page
    # Saving the form keeps the score: only the scoring writes it
    client.post(member_change(member), form_data(client, member_change(member)))
    member.refresh_from_db()
    assert (member.credit_score, member.credit_score_components) == (67, components)
