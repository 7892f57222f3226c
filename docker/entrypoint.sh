#!/usr/bin/env bash
# Container entrypoint: web | worker | beat | any other command (run as is).
# Extra arguments after web/worker/beat are passed on to gunicorn/celery.
set -euo pipefail

# Wait up to ~60 s for PostgreSQL when DATABASE_URL points at it (any scheme django-environ accepts).
wait_for_db() {
  python - <<'PY'
import os, sys, time
import environ, psycopg2
url = os.environ.get("DATABASE_URL", "")
cfg = environ.Env.db_url_config(url) if url else {}
if "postgresql" not in cfg.get("ENGINE", ""):
    sys.exit(0)
params = {"dbname": cfg["NAME"], "user": cfg.get("USER") or None, "password": cfg.get("PASSWORD") or None,
          "host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None, "connect_timeout": 3}
for attempt in range(30):
    try:
        psycopg2.connect(**{k: v for k, v in params.items() if v is not None}).close()
        sys.exit(0)
    except psycopg2.OperationalError as exc:
        print(f"waiting for PostgreSQL ({attempt + 1}/30):", " ".join(str(exc).split()), file=sys.stderr)
        time.sleep(2)
sys.exit("PostgreSQL is not reachable; giving up.")
PY
}

case "${1:-}" in
  web)
    shift
    wait_for_db
    python manage.py migrate --noinput
    python manage.py load_plan
    python manage.py load_workdays
    python manage.py setup_schedules
    exec gunicorn hefei_ai_zone.wsgi:application --bind 0.0.0.0:8000 --workers 3 \
      --access-logfile - "$@"
    ;;
  worker)
    shift
    wait_for_db
    exec celery -A hefei_ai_zone worker -l info "$@"
    ;;
  beat)
    shift
    wait_for_db
    exec celery -A hefei_ai_zone beat -l info "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
