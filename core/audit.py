"""Audit rows for writes made in bulk, which django-auditlog's model signals never see.

A payment settles several dues, creates its record and marks the prompt it answers: auditlog
would read each row back and write one audit row per save. Here each service says what it
changed; the rows, with the actor and address of the request in progress as auditlog records
a save, are gathered by the money transaction (``core.db``) and written in one INSERT at its
end. A nested service that fails drops the rows it gathered with its writes.
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

from core.db import before_commit, gathered

Changes = dict[str, tuple[Any, Any]]


AUDIT_HOOK = "core.audit"


def _write_gathered() -> None:
    rows = gathered(AUDIT_HOOK)
    LogEntry.objects.bulk_create(rows)
    rows.clear()


def audit_write(
    *, created: Sequence[Model] = (), updated: Sequence[tuple[Model, Changes]] = ()
) -> None:
    """One audit row per object created (its fields, as auditlog diffs a new row) and per
    object updated (``{field: (before, after)}``), made now and written at the end of the
    money transaction with every other row it gathered."""
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
    gathered(AUDIT_HOOK).extend(entries)
    before_commit(AUDIT_HOOK, _write_gathered)


@contextmanager
def audited_by_caller() -> Iterator[None]:
    """Saves inside are audited by the caller's ``audit_write``, not by auditlog's signals."""
    with disable_auditlog():
        yield


def audit_snapshot(instance: Model, fields: Sequence[str]) -> dict[str, Any]:
    """The values of ``fields`` now, to audit a later ``audited_save`` against."""
    return {name: getattr(instance, name) for name in fields}


def audited_save(instance: Model, before: dict[str, Any]) -> None:
    """Save the fields of ``before`` (and ``updated_at``) in one UPDATE and gather the audit
    row of what changed: auditlog's own save would read the row back first."""
    fields = [name for name in before if name != "updated_at"]
    with audited_by_caller():
        instance.save(update_fields=[*fields, "updated_at"])
    changes = {
        name: (before[name], getattr(instance, name))
        for name in fields
        if before[name] != getattr(instance, name)
    }
    audit_write(updated=[(instance, changes)])
