# The API image (also runs the Celery worker and beat with another command; README).
#
#   docker build -t postal-service .
#   docker run --rm --env-file prod.env postal-service postal-service migrate   # one-off
#   docker run -d -p 8000:8000 --env-file prod.env postal-service              # the API
#
# Run `postal-service migrate` once as a one-off job BEFORE rolling out a new version: it brings
# the schema to head and loads reference data; the API processes never migrate on start.
# The console's browser libraries (htmx, ECharts), pinned by its package-lock.json.
FROM node:20-slim AS console-assets
WORKDIR /assets
COPY service/console/assets/package.json service/console/assets/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    WEB_CONCURRENCY=2

RUN useradd --create-home --uid 10001 --user-group postal
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY setup.cfg pyproject.toml README.md ./
RUN mkdir -p service workers && touch service/__init__.py workers/__init__.py \
    && pip install . && pip uninstall -y postal-inspection && rm -rf service workers build

COPY service ./service
COPY --from=console-assets /assets/node_modules ./service/console/assets/node_modules
COPY workers ./workers
COPY migrations ./migrations
COPY gunicorn.conf.py ./
# Installed without extras (no SeaweedFS, pytest or ruff). The source stays in /app and comes
# first on the path, because service.migrate finds the Alembic scripts at /app/migrations.
RUN pip install . && rm -rf build *.egg-info
ENV PYTHONPATH=/app

USER postal
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Workers: WEB_CONCURRENCY (gunicorn reads it); more flags through GUNICORN_CMD_ARGS.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60", \
     "service:create_app()"]
