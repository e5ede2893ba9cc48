"""Gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be changed with an environment variable, so the same file serves a
laptop and a cluster of app servers behind a proxy.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let a worker wait on the database or the mail server without idling a core.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then, so a slow leak never grows into an outage.
max_requests = 50_000
max_requests_jitter = 5_000
# The proxy in front sets X-Forwarded-For and X-Forwarded-Proto; trust only it.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Private status links carry their key in the path: the access log never shows paths
# unless GUNICORN_ACCESS_LOG is set, and then the RedactPrivateLinks filter is not in play.
access_log_format = '%(h)s "%(m)s" %(s)s %(b)s %(M)sms'
