"""What the benchmarks that run the site under gunicorn share: ports, servers, sign-in."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
# The hidden fields of a rendered form: CSRF token, started, submission key.
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def start_gunicorn(
    port: int, env: dict, log: Path, *args: str, own_group: bool = False
) -> subprocess.Popen:
    """gunicorn as production starts it (config/gunicorn.py), once /healthz answers.

    With `own_group` the server gets a process group of its own, so `kill_group` can stop
    master and workers at once: a worker whose master was killed goes on serving its queue.
    """
    process = subprocess.Popen(
        [str(VENV / "gunicorn"), "-c", "config/gunicorn.py", *args, "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
        start_new_session=own_group,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process


def signed_in_session(user) -> str:
    """The key of a database session signed in as `user`, as the sign-in view makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def kill_group(process: subprocess.Popen) -> None:
    """Kill a server started with `own_group`, workers and all."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
