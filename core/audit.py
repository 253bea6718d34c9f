"""Audit rows for writes made in bulk, which django-auditlog's model signals never see.

A payment settles several dues and creates its record: auditlog would read each due back and
write one row per save. Here the caller gathers what changed and writes every row in one
INSERT, with the actor and address of the request in progress, as auditlog records a save.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save

Changes = dict[str, tuple[Any, Any]]


def audit_write(
    *, created: Sequence[Model] = (), updated: Sequence[tuple[Model, Changes]] = ()
) -> None:
    """One audit row per object created (its fields, as auditlog diffs a new row) and per
    object updated (``{field: (before, after)}``), all in one INSERT."""
    rows = [
        (instance, LogEntry.Action.CREATE, model_instance_diff(None, instance) or {})
        for instance in created
    ]
    rows += [
        (
            instance,
            LogEntry.Action.UPDATE,
            {f: [str(old), str(new)] for f, (old, new) in diff.items()},
        )
        for instance, diff in updated
        if diff
    ]
    if not rows:
        return
    cid = get_cid()
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
            object_repr=str(instance),
            action=action,
            changes=changes,
            cid=cid,
        )
        for instance, action, changes in rows
    ]
    for entry in entries:
        # auditlog's middleware fills in the actor and address on this signal, while a
        # request is in progress (bulk_create sends none).
        pre_save.send(sender=LogEntry, instance=entry)
    LogEntry.objects.bulk_create(entries)


@contextmanager
def audited_by_caller() -> Iterator[None]:
    """Saves inside are audited by the caller's ``audit_write``, not by auditlog's signals."""
    with disable_auditlog():
        yield
