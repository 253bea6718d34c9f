"""What the web process checks before it serves: in production, the security checks at error
level (unsafe M-Pesa settings, Django's own deploy checks) stop it from starting. A management
command checks the same through Django's own `check` run."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_settings() -> None:
    if not settings.IS_PRODUCTION:
        return
    errors = [
        message
        for message in checks.run_checks(
            tags=[checks.Tags.security], include_deployment_checks=True
        )
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to serve with unsafe settings:\n" + "\n".join(str(e) for e in errors)
        )
