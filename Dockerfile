# waflow under gunicorn. docs/deployment.md walks through running it with compose.yaml
# (the app plus PostgreSQL); `docker build -t waflow .` builds it alone.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000" \
    WAFLOW_METRICS_DIR=/tmp/waflow-metrics

# The project itself, without its development tools: PostgreSQL's driver and gunicorn.
WORKDIR /usr/src/waflow
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY storage ./storage
COPY webhooks ./webhooks
RUN pip install ".[postgres,serve]" && rm -rf /usr/src/waflow

# Runs as an unprivileged user; its home is the working directory (a SQLite file, if
# DATABASE_URL names one, is written here).
RUN useradd --create-home --home-dir /srv/waflow --uid 10001 --user-group waflow
USER waflow
WORKDIR /srv/waflow

EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# The schema is brought up to date before the server starts (safe to repeat), then the command
# runs in its place, so that it receives SIGTERM itself.
ENTRYPOINT ["/bin/sh", "-c", "waflow db upgrade && exec \"$@\"", "waflow"]
CMD ["gunicorn", "-c", "python:webhooks.gunicorn_conf", "-w", "4", "--threads", "8", "webhooks.bootstrap:app_from_env()"]
