"""Changes to users are audited, and the password hash never reaches the audit log."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts import services
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kitty-bank-2026"


def entries_for(user):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ).order_by("timestamp", "pk")


def everything_logged(user):
    """Every field of every audit row about the user, as one string."""
    return json.dumps(
        [
            [entry.changes, entry.changes_text, entry.serialized_data, entry.additional_data]
            for entry in entries_for(user)
        ],
        default=str,
    )


def test_registering_writes_a_create_entry_without_the_password():
    # When a member registers
    user = services.user_register(
        phone="254712345678", full_name="New Member", password=NEW_PASSWORD
    )

    # Then one create entry records the new row, but not the password or its hash
    [entry] = entries_for(user)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["phone"] == ["None", "254712345678"]
    assert entry.changes["full_name"] == ["None", "New Member"]
    assert "password" not in entry.changes
    assert "last_login" not in entry.changes
    assert user.password not in everything_logged(user)


def test_updating_the_profile_writes_an_update_entry_with_the_change():
    user = UserFactory(full_name="Old Name", kra_pin="")

    services.user_update(user=user, data={"full_name": "New Name", "kra_pin": "A012345678Z"})

    entry = entries_for(user).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes["full_name"] == ["Old Name", "New Name"]
    assert entry.changes["kra_pin"] == ["", "A012345678Z"]
    assert "password" not in entry.changes


def test_a_password_change_never_logs_the_hash():
    user = UserFactory()
    old_hash = user.password

    services.user_password_change(user=user, old_password=PASSWORD, new_password=NEW_PASSWORD)

    user.refresh_from_db()
    logged = everything_logged(user)
    assert user.password != old_hash
    assert user.password not in logged
    assert old_hash not in logged
    assert all("password" not in (entry.changes or {}) for entry in entries_for(user))


def test_a_full_save_with_a_new_password_never_logs_the_hash():
    # The admin's "change password" form saves the whole row, not just the password.
    user = UserFactory(full_name="Old Name")
    user.set_password(NEW_PASSWORD)
    user.full_name = "New Name"
    user.save()

    entry = entries_for(user).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes["full_name"] == ["Old Name", "New Name"]
    assert "password" not in entry.changes
    assert user.password not in everything_logged(user)


def test_signing_in_is_not_a_profile_change(member, sign_in):
    before = entries_for(member).count()

    assert sign_in("0712345678").status_code == 200

    member.refresh_from_db()
    assert member.last_login is not None
    assert entries_for(member).count() == before
