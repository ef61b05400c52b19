"""Gunicorn settings for the web process: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Read from the environment the platform sets (PORT, WEB_CONCURRENCY); everything else has a
default that suits a small container (2 cores). The app writes its own structured line per
request (app/logging_setup.py), so gunicorn's access log is off.
"""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# Reports and imports run in the RQ worker, so no request should take long: a worker silent for
# this long is killed and replaced; on a deploy, requests in flight get graceful_timeout to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection from the load balancer stays open

# Restart each worker after a while, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# Each worker builds its own app (and database pool) after the fork: connections are never shared.
preload_app = False

accesslog = None  # one line per request comes from the app, with request id, region and user
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

# forwarded_allow_ips: the addresses gunicorn trusts for X-Forwarded-Proto (https detection).
# Behind a load balancer the app already trusts exactly PROXY_FIX_HOPS proxies through
# werkzeug's ProxyFix (client address, scheme, host), so gunicorn keeps its safe default
# (127.0.0.1 only). Never set it to "*" on a server reachable without the load balancer.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # worker heartbeats off the (possibly slow) container disk
