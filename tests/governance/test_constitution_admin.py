"""The constitution in the back office: read only, and an official sees only their chamas."""

import pytest
from django.urls import reverse

from governance.models import ConstitutionVersion
from governance.selectors.constitution import constitution_template_rules
from governance.services.constitution import constitution_accept, constitution_adopt
from tests.factories import UserFactory, make_chama

pytestmark = pytest.mark.django_db

VERSIONS = reverse("admin:governance_constitutionversion_changelist")
ACCEPTANCES = reverse("admin:governance_constitutionacceptance_changelist")


def adopt(chama, chair):
    return constitution_adopt(
        chama=chama, acting=chair, rules=constitution_template_rules(chama=chama)
    )


def test_an_official_reads_their_chamas_versions_and_acceptances_only(client, chama, roles):
    other = make_chama(name="Other Group")
    mine = adopt(chama, roles["chair"])
    theirs = adopt(other, other.memberships.get())
    constitution_accept(chama=chama, acting=roles["member"])
    roles["treasurer"].user.refresh_from_db()
    client.force_login(roles["treasurer"].user)

    versions = client.get(VERSIONS)
    acceptances = client.get(ACCEPTANCES)
    own = client.get(reverse("admin:governance_constitutionversion_change", args=[mine.pk]))
    foreign = client.get(reverse("admin:governance_constitutionversion_change", args=[theirs.pk]))

    assert versions.status_code == acceptances.status_code == own.status_code == 200
    assert list(versions.context["cl"].result_list) == [mine]
    assert [a.membership for a in acceptances.context["cl"].result_list] == [roles["member"]]
    assert b'name="_save"' not in own.content  # read only
    assert foreign.status_code == 302  # not theirs: the admin sends them back to its index


def test_nobody_adds_changes_or_deletes_a_version(client, chama, roles):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_client = client
    version = adopt(chama, roles["chair"])
    change = reverse("admin:governance_constitutionversion_change", args=[version.pk])

    added = admin_client.get(reverse("admin:governance_constitutionversion_add"))
    changed = admin_client.post(change, {"number": "9"})
    deleted = admin_client.post(
        reverse("admin:governance_constitutionversion_delete", args=[version.pk]), {"post": "yes"}
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code == 403
    version.refresh_from_db()
    assert version.number == 1
    assert ConstitutionVersion.objects.count() == 1


def test_proposals_are_read_only_scoped_and_audited(client, chama, roles):
    from auditlog.models import LogEntry

    from governance.models import ConstitutionProposal
    from governance.services.constitution_proposals import constitution_propose

    adopt(chama, roles["chair"])
    other = make_chama(name="Other Group")
    adopt(other, other.memberships.get())
    rules = constitution_template_rules(chama=chama)
    mine = constitution_propose(chama=chama, acting=roles["chair"], rules=rules)
    theirs = constitution_propose(
        chama=other, acting=other.memberships.get(), rules=constitution_template_rules(chama=other)
    )
    roles["treasurer"].user.refresh_from_db()
    client.force_login(roles["treasurer"].user)

    listed = client.get(reverse("admin:governance_constitutionproposal_changelist"))
    own = client.get(reverse("admin:governance_constitutionproposal_change", args=[mine.pk]))
    foreign = client.get(reverse("admin:governance_constitutionproposal_change", args=[theirs.pk]))
    added = client.get(reverse("admin:governance_constitutionproposal_add"))

    assert listed.status_code == own.status_code == 200
    assert list(listed.context["cl"].result_list) == [mine]
    assert b'name="_save"' not in own.content
    assert foreign.status_code == 302
    assert added.status_code == 403
    assert ConstitutionProposal.objects.count() == 2
    assert LogEntry.objects.get_for_object(mine).filter(action=LogEntry.Action.CREATE).count() == 1
