"""Back-office access follows the role: a chama office (chair, treasurer, secretary, auditor)
gives its holder staff status and the officials group; losing the last office takes them away.
What an official sees in the admin is still limited to their own chamas (``groups.admin``)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import User
from groups.choices import OFFICE_ROLES
from groups.models import Membership

OFFICIALS_GROUP = "Chama officials"
# Permissions by app label and codename: groups never imports the apps above it.
OFFICIAL_PERMISSIONS = [
    ("groups", "view_chama"),
    ("groups", "change_chama"),
    ("groups", "view_membership"),
    ("groups", "add_membership"),
    ("groups", "change_membership"),
    ("groups", "view_signature"),
    *(
        ("finance", f"view_{model}")
        for model in (
            "ledgeraccount",
            "journalentry",
            "cycle",
            "round",
            "contribution",
            "payout",
            "welfareclaim",
            "loan",
            "loanpolicy",
            "suspensereceipt",
            "ledgertransfer",
            "fine",
        )
    ),
    *(
        ("governance", f"view_{model}")
        for model in (
            "meeting",
            "attendance",
            "document",
            "constitutionversion",
            "constitutionacceptance",
            "constitutionproposal",
            "expense",
            "vote",
        )
    ),
    *(
        ("investments", f"view_{model}")
        for model in (
            "holding",
            "mmfcredit",
            "idlecashsnapshot",
            "investmentproposal",
            "profitdeclaration",
            "profitshare",
            "savingsgoal",
        )
    ),
]


def officials_group() -> Group:
    """The officials group with its admin permissions (made, or mended, on use)."""
    group, created = Group.objects.get_or_create(name=OFFICIALS_GROUP)
    if created or group.permissions.count() != len(OFFICIAL_PERMISSIONS):
        wanted = Q()
        for app, codename in OFFICIAL_PERMISSIONS:
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def staff_access_sync(*, user: User) -> User:
    """Give or take back-office access by the offices ``user`` holds now. Staff status given
    for another reason (a superuser, a platform group) is left alone."""
    holds_office = Membership.objects.active().filter(user=user, role__in=OFFICE_ROLES).exists()
    group = officials_group()
    if holds_office:
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user
    user.groups.remove(group)
    if user.is_staff and not user.is_superuser and not user.groups.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return user
