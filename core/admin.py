"""Admin forms whose writes go through a service, so the back office obeys the same rules as
the API and shows a service's refusal as a form error instead of a false "saved"."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest

from core.exceptions import DomainError


class ServiceModelForm(forms.ModelForm):
    """Runs ``run_service`` once the fields are valid; its result becomes the instance.

    The admin wraps the change view in a transaction and the services are atomic, so a refused
    service writes nothing. Do not give such an admin inlines: they validate after the service.
    """

    request: HttpRequest
    saved_by_service = False

    def run_service(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            self.instance = self.run_service(self.cleaned_data)
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, ValidationError(exc.message, code=exc.code))
        except ValidationError as exc:
            self.add_error(None, exc)
        else:
            self.saved_by_service = True


class ServiceFormAdmin(admin.ModelAdmin):
    """A ModelAdmin whose add/change forms are ServiceModelForms."""

    add_form: type[ServiceModelForm] | None = None

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None and self.add_form is not None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = None
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The admin drops read-only fields from the form: on add, that would drop the add form's
        # own inputs (a membership's chama, a chama's code and currency).
        if obj is None and self.add_form is not None:
            return ()
        return super().get_readonly_fields(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None and self.add_form is not None:
            return [(None, {"fields": list(self.add_form.base_fields)})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not getattr(form, "saved_by_service", False):
            super().save_model(request, obj, form, change)
