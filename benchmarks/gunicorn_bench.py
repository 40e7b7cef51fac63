"""gunicorn settings for the benchmarks: the production ones (dashboard/gunicorn_conf.py), without the access log.

Both the dashboard and the hello-world app are served with this file, so they get the same workers, threads,
preloading and hooks; only ``WEB_CONCURRENCY``, ``GUNICORN_THREADS`` and ``BIND`` are set by the benchmark.
"""

from dashboard.gunicorn_conf import *  # noqa: F403 - the production settings, as they are

accesslog = None  # a log line per request would be measured as well
