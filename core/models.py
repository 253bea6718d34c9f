"""Base model shared by every app."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """Opaque UUID primary key (ids are never sequential in the API) and row timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
