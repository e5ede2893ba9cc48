"""The site as a cluster: two app servers on one PostgreSQL and one Redis, a task worker,
and what happens when each of them fails. Prints what it finds; a claim that does not
hold is printed as FAIL and makes the exit status 1.

    .venv/bin/python bench/cluster.py [--quick] [--faults]

- Creates (anew) the PostgreSQL database `idebank_cluster` next to CLUSTER_POSTGRES_URL
  (default postgres://postgres@127.0.0.1:5432) and uses Redis at CLUSTER_REDIS_URL
  (default redis://127.0.0.1:6379/14), collects static files into a scratch folder and
  starts two gunicorn servers (2 workers each) on 127.0.0.1.
- Load: 500 idea submissions from 50 concurrent clients split over both servers (100
  from 20 with --quick); 50 simultaneous moves of one floke from both; an idea published
  through one server and read through the other.
- --faults also restarts this machine's PostgreSQL during a submission burst, stops
  and restarts its Redis, and kills the task worker in the middle of sending an e-mail
  to a local SMTP server. Do not use it where others share those servers.
"""

import argparse
import html
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

from bench.common import (  # noqa: E402
    HIDDEN,
    VENV,
    free_port,
    signed_in_session,
    start_gunicorn,
)

POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")
DATABASE = "idebank_cluster"
SCRATCH = Path(tempfile.mkdtemp(prefix="idebank-cluster-"))
results: list[tuple[str, bool, str]] = []


def environment(**extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS,
        "DJANGO_TASKS": "database",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_VAR_DIR": str(SCRATCH / "var"),
        "DJANGO_STATIC_ROOT": str(SCRATCH / "static"),
        "MAIL_FILE_PATH": str(SCRATCH / "mail"),
        "IDEABANK_SUBMIT_RATE": "100000/h",
        "IDEABANK_ATTEMPT_RATE": "100000/h",
        "IDEABANK_MIN_FILL_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def claim(name: str, holds: bool, detail: str = "") -> None:
    results.append((name, holds, detail))
    print(f"{'ok  ' if holds else 'FAIL'} {name}{f' — {detail}' if detail else ''}", flush=True)


# The database and the servers


def create_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        name = sql.Identifier(DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def manage(*args: str, **env) -> None:
    subprocess.run(
        [str(VENV / "python"), "manage.py", *args],
        cwd=ROOT,
        env=environment(**env),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(port: int) -> subprocess.Popen:
    return start_gunicorn(port, environment(WEB_CONCURRENCY="2"), SCRATCH / f"gunicorn-{port}.log")


def setup_django() -> None:
    os.environ.update(environment())
    import django

    django.setup()


def seed():
    """A site tree, an innovation user with a session, a floke ready to leave behov."""
    from django.contrib.auth.models import Group, User

    from blt.models import Floke, Insight
    from config import roles
    from config.site_tree import ensure_site_tree

    ensure_site_tree(hostname="127.0.0.1")
    user = User.objects.create_user("cluster", "cluster@kommune.example", "x", is_superuser=True)
    user.groups.add(Group.objects.get(name=roles.INNOVATION))
    session_key = signed_in_session(user)
    floke = Floke.objects.create(
        title="Familier mellom tjenestene",
        need_statement="Hvordan kan vi samle hjelpen rundt familien?",
        owner=user,
    )
    Insight.objects.create(floke=floke, summary="Tolv intervjuer med familier.", created_by=user)
    return session_key, floke


# What a client does


def send_idea(base: str, title: str) -> int:
    """Fetch the form, fill it in as a person would, send it; the response's status."""
    import requests

    with requests.Session() as browser:
        try:
            form = browser.get(f"{base}/idebank/send-inn/", timeout=30)
            if form.status_code != 200:
                return form.status_code
            fields = dict(HIDDEN.findall(form.text))
            data = {
                **fields,
                "title": title,
                "body": "Det er mørkt på gangveien om morgenen, og barna går der alene.",
                "email": "innbygger@example.org",
                "may_contact": "on",
            }
            response = browser.post(
                f"{base}/idebank/send-inn/", data=data, allow_redirects=False, timeout=30
            )
        except requests.RequestException:
            return 0
        if response.status_code == 302 and "/kvittering/" not in response.headers["Location"]:
            return -302
        return response.status_code


def submissions(bases: list[str], count: int, clients: int, prefix: str) -> Counter:
    with ThreadPoolExecutor(clients) as pool:
        statuses = pool.map(
            lambda n: send_idea(bases[n % len(bases)], f"{prefix} {n}"), range(count)
        )
        return Counter(statuses)


def admin_browser(base: str, session_key: str):
    import requests

    browser = requests.Session()
    browser.cookies.set("sessionid", session_key)
    browser.cookies.set("django_language", "nb")
    return browser


def csrf_token(browser, url: str) -> str:
    # No keep-alive: gunicorn closes an idle connection after two seconds, and a POST
    # sent on one it is closing gets no answer (requests does not retry a POST).
    page = browser.get(url, headers={"Connection": "close"}, timeout=30)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


# The claims


def prove_submissions(bases, count, clients) -> None:
    from django_tasks_db.models import DBTaskResult

    from ideabank.models import Idea

    started = time.monotonic()
    statuses = submissions(bases, count, clients, "Lys på gangveien")
    seconds = time.monotonic() - started
    ideas = Idea.objects.filter(title__startswith="Lys på gangveien")
    receipts = DBTaskResult.objects.filter(task_path="ideabank.tasks.send_receipt")
    server_errors = sum(n for status, n in statuses.items() if status >= 500 or status <= 0)
    print(
        f"     {count} submissions in {seconds:.1f} s ({count / seconds:.0f}/s): {dict(statuses)}"
    )
    claim(f"{count} submissions from {clients} clients are {count} ideas", ideas.count() == count)
    claim(f"{count} receipts are queued", receipts.count() == count, f"{receipts.count()}")
    claim("no 5xx and no dropped connection", server_errors == 0, f"{server_errors}")
    references = set(ideas.values_list("reference", flat=True))
    claim("every idea has its own reference number", len(references) == count)


def prove_transitions(bases, session_key, floke, count) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils import translation

    from django_fsm_log.models import StateLog

    from blt import services
    from blt.choices import Phase
    from blt.models import Floke

    inspect = reverse("flokes:inspect", args=[floke.pk])
    action = reverse("flokes:transition", args=[floke.pk, "to_losning"])
    browsers = [admin_browser(bases[n % len(bases)], session_key) for n in range(count)]
    tokens = [csrf_token(b, bases[n % len(bases)] + inspect) for n, b in enumerate(browsers)]
    start = threading.Barrier(count)

    def move(n: int) -> tuple[int, str]:
        start.wait()
        response = browsers[n].post(
            bases[n % len(bases)] + action,
            data={
                "csrfmiddlewaretoken": tokens[n],
                "transition-to_losning-expected_phase": "behov",
                "transition-to_losning-description": f"Flytt nummer {n}",
            },
            headers={"Referer": bases[n % len(bases)] + inspect},
            timeout=60,
        )
        return response.status_code, html.unescape(response.text)

    with ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(move, range(count)))
    with translation.override("nb"):
        conflict = str(services.conflict().message)
        success = translation.gettext("%(title)s is now in: %(phase)s.") % {
            "title": floke.title,
            "phase": Phase.LOSNING.label,
        }
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Floke), object_id=floke.pk
    )
    moved = [text for status, text in answers if success in text]
    refused = [text for status, text in answers if conflict in text]
    errors = [status for status, _ in answers if status >= 500]
    claim(
        f"{count} simultaneous moves of one floke: one wins",
        len(moved) == 1 and Floke.objects.get(pk=floke.pk).phase == "losning",
        f"{len(moved)} moved",
    )
    claim("the others get the conflict message", len(refused) == count - 1, f"{len(refused)}")
    claim("one log row, no 5xx", logs.count() == 1 and not errors, f"{logs.count()} rows")


def prove_visibility(bases, session_key) -> None:
    from django.urls import reverse

    from ideabank.models import Idea

    idea = Idea.objects.filter(title__startswith="Lys på gangveien").first()
    Idea.objects.filter(pk=idea.pk).update(title="Benk ved bussholdeplassen", may_publish=True)
    listing = bases[1] + "/idebank/"
    import requests

    before = "Benk ved bussholdeplassen" in requests.get(listing, timeout=30).text
    browser = admin_browser(bases[0], session_key)
    inspect = bases[0] + reverse("ideas:inspect", args=[idea.pk])
    browser.post(
        bases[0] + reverse("ideas:publish", args=[idea.pk]),
        data={
            "csrfmiddlewaretoken": csrf_token(browser, inspect),
            "publish-personal_data_checked": "on",
        },
        headers={"Referer": inspect},
        timeout=30,
    )
    after = "Benk ved bussholdeplassen" in requests.get(listing, timeout=30).text
    claim("published through one server, shown at once by the other", not before and after)


def prove_database_restart(bases) -> None:
    from ideabank.models import Idea

    version = sorted(os.listdir("/etc/postgresql"))[-1]
    before = Idea.objects.count()
    burst = {}

    def submit_burst():
        burst.update(submissions(bases, 120, 10, "Under omstart"))

    sender = threading.Thread(target=submit_burst)
    sender.start()
    time.sleep(1.0)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    sender.join()
    from django.db import connection

    connection.close()
    accepted = burst.get(302, 0)
    stored = Idea.objects.count() - before
    crashes = sum(n for status, n in burst.items() if status >= 500 and status != 503)
    print(f"     burst during the restart: {dict(burst)}")
    claim("during a database restart requests succeed or get a clean 503", crashes == 0)
    claim("every accepted request is one idea, nothing half-written", accepted == stored)
    after = submissions(bases, 10, 5, "Etter omstart")
    claim("the servers recover without a restart", after.get(302, 0) == 10, f"{dict(after)}")


def prove_redis_down(bases) -> None:
    import requests

    from ideabank.models import Idea

    port = int(REDIS.rsplit(":", 1)[1].split("/")[0])
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False)
    time.sleep(0.5)
    try:
        pages = [
            requests.get(base + path, timeout=30).status_code
            for base in bases
            for path in ("/", "/idebank/")
        ]
        before = Idea.objects.count()
        statuses = submissions(bases, 4, 2, "Uten Redis")
        ready = requests.get(bases[0] + "/readyz", timeout=30).status_code
    finally:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                "/var/lib/redis",
                "--logfile",
                "/var/log/redis/ci.log",
            ],
            check=True,
        )
    claim("with Redis down, pages still render", set(pages) == {200}, f"{pages}")
    claim(
        "with Redis down, ideas are refused with a clear 503, none stored",
        set(statuses) == {503} and Idea.objects.count() == before,
        f"{dict(statuses)}",
    )
    claim("with Redis down, /readyz reports it and stays ready", ready == 200)
    time.sleep(6)  # the servers leave a dead Redis alone for five seconds
    after = submissions(bases, 4, 2, "Med Redis igjen")
    claim("with Redis back, ideas are taken again", after.get(302, 0) == 4, f"{dict(after)}")


class SlowSMTP(threading.Thread):
    """An SMTP server that hangs on the first message, as a mail server under load may."""

    def __init__(self):
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.hung = threading.Event()
        self.delivered: list[str] = []

    def run(self):
        while True:
            client, _ = self.server.accept()
            threading.Thread(target=self.talk, args=(client,), daemon=True).start()

    def talk(self, client):
        stream = client.makefile("rwb")

        def say(line):
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 localhost")
        message = []
        in_data = False
        for raw in stream:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if in_data:
                if line != ".":
                    message.append(line)
                    continue
                in_data = False
                if not self.hung.is_set():
                    self.hung.set()
                    time.sleep(3600)  # the worker is killed while it waits for an answer
                self.delivered.append("\n".join(message))
                message = []
                say("250 queued")
            elif line.upper().startswith(("EHLO", "HELO")):
                say("250 localhost")
            elif line.upper().startswith("DATA"):
                in_data = True
                say("354 go ahead")
            elif line.upper().startswith("QUIT"):
                say("221 bye")
                break
            else:
                say("250 ok")
        client.close()


def prove_worker_killed(bases) -> None:
    from django.tasks import TaskResultStatus

    from django_tasks_db.models import DBTaskResult

    from ideabank.models import Idea

    DBTaskResult.objects.all().delete()
    smtp = SlowSMTP()
    smtp.start()
    mail = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_USE_TLS": "false",
        "WORKER_ID": "cluster",
    }

    def worker():
        return subprocess.Popen(
            [str(VENV / "python"), "manage.py", "worker"],
            cwd=ROOT,
            env=environment(**mail),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    assert send_idea(bases[0], "Kvittering som må fram") == 302
    idea = Idea.objects.get(title="Kvittering som må fram")
    first = worker()
    killed = smtp.hung.wait(60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = worker()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not smtp.delivered:
        time.sleep(0.2)
    time.sleep(2)
    second.send_signal(signal.SIGTERM)
    second.wait(30)
    receipts = [m for m in smtp.delivered if idea.reference in m]
    task = DBTaskResult.objects.get(task_path="ideabank.tasks.send_receipt")
    claim("the worker was killed while the mail server held the message", killed)
    claim(
        "after the restart the receipt is sent exactly once",
        len(receipts) == 1 and task.status == TaskResultStatus.SUCCESSFUL,
        f"{len(receipts)} delivered, task {task.status}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()
    count, clients = (100, 20) if args.quick else (500, 50)

    create_database()
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    setup_django()
    session_key, floke = seed()
    ports = [free_port(), free_port()]
    servers = [start_server(port) for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    print(f"Two app servers on {', '.join(bases)}, PostgreSQL {DATABASE}, Redis {REDIS}")
    try:
        prove_submissions(bases, count, clients)
        prove_transitions(bases, session_key, floke, 50)
        prove_visibility(bases, session_key)
        if args.faults:
            prove_database_restart(bases)
            prove_redis_down(bases)
            prove_worker_killed(bases)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(30)
    failed = [name for name, holds, _ in results if not holds]
    print(f"\n{len(results) - len(failed)} of {len(results)} claims hold.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
