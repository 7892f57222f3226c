# syntax=docker/dockerfile:1
# 合肥人工智能试验区督查平台 — production image (gunicorn + Celery), see docker-compose.yml.

# --- builder: compiles psycopg2 from source; installs the hash-checked lock into /opt/venv ---
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
# A venv rather than a wheelhouse: the psycopg2 wheel built here has no hash in the lock,
# so reinstalling it with --require-hashes in the runtime stage would fail.
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock

# --- runtime: shared libraries and fonts only, no compilers ---
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=hefei_ai_zone.settings.production \
    DATA_DIR=/data
# libpq5: psycopg2; Pango + Noto CJK: WeasyPrint PDFs with Chinese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY . .
# Static files are collected into the image (/data/staticfiles) with a throwaway key; only
# /data/media is a volume, so every rebuild ships fresh static files. The code stays root-owned.
RUN chmod 0755 docker/entrypoint.sh \
 && SECRET_KEY=build-only-not-a-secret-0123456789abcdefghij python manage.py collectstatic --noinput \
 && mkdir -p /data/media \
 && chown app:app /data/media
USER app
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "hefei_ai_zone.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
