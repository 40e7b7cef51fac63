# Production image: slim Python, a non-root user, gunicorn with its config file, and a health check.
# It will not start without SECRET_KEY (deploy/docker-entrypoint.sh, and the app itself through
# DASHBOARD_REQUIRE_SECRET_KEY): replicas must share one key, and none may use a published one.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DASHBOARD_INSTANCE_DIR=/var/lib/dashboard \
    DASHBOARD_REQUIRE_SECRET_KEY=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dashboard ./dashboard
RUN pip install --upgrade pip && pip install -e .
COPY app.py ./
COPY queries ./queries
COPY data ./data
COPY assets ./assets
COPY deploy/docker-entrypoint.sh /usr/local/bin/dashboard-entrypoint

RUN chmod 0755 /usr/local/bin/dashboard-entrypoint \
    && useradd --system --uid 10001 --home /app dashboard \
    && mkdir -p /var/lib/dashboard && chown dashboard /var/lib/dashboard && chmod 0700 /var/lib/dashboard
USER dashboard

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8050/health', timeout=4).status != 200)"

ENTRYPOINT ["dashboard-entrypoint"]
CMD ["gunicorn", "-c", "python:dashboard.gunicorn_conf", "app:server"]
