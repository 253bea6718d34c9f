FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
COPY config config
COPY core core
COPY accounts accounts
COPY groups groups
COPY finance finance
COPY governance governance
COPY investments investments
COPY mpesa mpesa
COPY manage.py ./
# gettext's msgfmt compiles the Kiswahili notification texts, then leaves the image.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && pip install --no-cache-dir -c constraints.txt . \
    && DJANGO_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --no-input \
    && DJANGO_ENV=production SECRET_KEY=compilemessages-only ALLOWED_HOSTS=localhost \
       python manage.py compilemessages \
    && apt-get purge -y gettext && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 1000 hazina
USER hazina
EXPOSE 8000
CMD ["gunicorn", "config.asgi:application", "-k", "uvicorn_worker.UvicornWorker", \
     "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
