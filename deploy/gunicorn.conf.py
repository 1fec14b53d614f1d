"""gunicorn for the learning platform: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.

Every number comes from the environment, so one file serves a small machine
and a large one. Threads (gthread) rather than processes alone: requests wait
on PostgreSQL far more than they compute, and a worker's threads share its
memory and its persistent database connections (DATABASE_CONN_MAX_AGE).
Connections needed: GUNICORN_WORKERS × GUNICORN_THREADS per server, which
PostgreSQL's max_connections (or a pooler) must cover for all servers.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "lms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 4)

# A request that takes longer is killed and logged; a worker asked to stop
# finishes what it is doing first.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Workers are replaced after a while, so that slow growth of memory (a large
# export, a PDF with big images) never accumulates. Not too often: a new
# worker spends seconds of CPU starting and then fills its own caches
# (templates, content types); at 5,000 requests each worker was replaced
# every two minutes under the load test, and the 5-minute runs lost about a
# sixth of the throughput the 2-minute ones had. Memory stayed flat at about
# 210 MiB a worker (bench/RESULTS.md).
max_requests = _int("GUNICORN_MAX_REQUESTS", 50000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5000)

# Errors go to standard error, where the service manager keeps them. The
# site logs every request itself, in JSON with its request id and without
# query strings or the tokens of confirmation and reset links
# (lms/request_id.py); gunicorn's own access log would write them out.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Several servers may run on one machine (or share a home directory): none
# of them opens gunicorn's control socket, whose default path is shared.
control_socket_disable = True

# The heartbeat files of the workers in memory, not on a slow disk.
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR",
    "/dev/shm",  # noqa: S108 - heartbeat files only, as gunicorn advises
)
if not os.path.isdir(worker_tmp_dir):
    worker_tmp_dir = None

# The Django settings alone decide which proxies are trusted
# (TRUSTED_PROXY_COUNT): gunicorn reads no forwarded header itself.
secure_scheme_headers = {}
forwarded_allow_ips = ""


def post_worker_init(worker):
    """Leaves the loaded application out of the cyclic garbage collector.

    A worker holds some hundred megabytes of long-lived objects (Django,
    Wagtail, the project's modules). Python's oldest-generation collection
    walks all of them and stopped every thread of the worker for about 200 ms
    a few times a minute under load; frozen, the same collections take 25 to
    50 ms (bench/RESULTS.md, third round). Nothing frozen is ever freed, which
    is what objects that live as long as the worker need anyway.
    """
    import gc

    gc.freeze()
