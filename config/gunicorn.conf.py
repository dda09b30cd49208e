"""gunicorn's settings for production (``make serve``; README, "Production"), each from the environment.

Everything it writes goes to standard output in the portal's logfmt (config/logs.py): its own messages, and one line
per request with its fields.
"""

import logging
import multiprocessing
import os
import sys
import time

from gunicorn import glogging

from config.logs import LogfmtFormatter

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual two processes a core, plus one. Each has threads of its own: a request waiting for a slow client or a
# large download does not hold a whole process.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker process that gives no sign of life for this long is restarted. With threads (the default), the process
# signs its life between requests, so this does not cut off a long request: without a job queue a whole course's
# PDF is made in the request (about ten seconds), and the proxy's own timeout is what limits it (README's nginx).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# On a reload or a stop, requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after about five thousand requests, so memory that PDF and workbook libraries keep is given
# back; the jitter keeps the workers from being replaced all at once. A replacement costs about a second of CPU (the
# imports, Django's set-up, the first pages' templates): after every thousand requests, that was 5 % of a busy
# hour's CPU (bench/load.py, bench/README.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The proxies whose X-Forwarded-Proto gunicorn believes (Django has its own rule: SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Reloads and stops go by signal (README, "Upgrades"); gunicorn's control socket, one path per user, would be
# shared by every instance on the machine.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class LogfmtLogger(glogging.Logger):
    """gunicorn's log in logfmt on standard output; a request's line carries its fields, not a formatted sentence."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if isinstance(handler, logging.StreamHandler):
                    handler.setStream(sys.stdout)
                    handler.setFormatter(LogfmtFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        fields = {
            "method": environ["REQUEST_METHOD"],
            "path": environ["RAW_URI"],
            "status": status,
            "bytes": resp.sent or 0,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "cpu_ms": _cpu_ms(req),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        self.access_log.info("request", extra={name: value for name, value in fields.items() if value is not None})


def _cpu_ms(req):
    """The processor time the request's thread spent on it, from gunicorn's having parsed it to the last byte sent
    (None for a request read before ``pre_request`` ran)."""
    started = getattr(req, "cpu_started", None)
    return None if started is None else round((time.thread_time() - started) * 1000, 1)


def pre_request(worker, req):
    """gunicorn's own debug line, and the moment the request's processor time starts (the access line's ``cpu_ms``:
    a thread's own time, which the other threads and processes of a busy server do not inflate)."""
    worker.log.debug("%s %s", req.method, req.path)
    req.cpu_started = time.thread_time()


logger_class = LogfmtLogger
