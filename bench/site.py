"""Load test of the whole site under gunicorn, next to a bare Django view in the same run.

Seeds a database (idempotently), starts the site as production runs it (gunicorn,
config/gunicorn.py, 2 sync workers, DEBUG off) and loads every target with wrk, once on
a server with the page cache off and, for anonymous GETs, once on one with it on.
Prints figures and writes bench/results/latest.json; asserts nothing. See bench/README.md.

    .venv/bin/python bench/site.py [--quick] [--duration 10] [--connections 10,50]
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/, where blt.py would shadow the `blt` app.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

from bench.common import (  # noqa: E402
    HIDDEN,
    VENV,
    free_port,
    kill_group,
    signed_in_session,
    start_gunicorn,
)

RESULTS = ROOT / "bench" / "results" / "latest.json"
# The bench database and media persist here between runs, so seeding happens once.
VAR_DIR = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench"))
SCRATCH = Path(tempfile.mkdtemp(prefix="idebank-bench-"))
WRK = os.environ.get("WRK", "/usr/bin/wrk")
STORY_PREFIX = "bench-historie-"
SUBMIT_TITLE = "Bench-last: lys på gangveien"
WARMUP_REQUESTS = 20
WARMUP_SECONDS = 5
# A server still busy with a slow target's queue this long after wrk stops is restarted.
DRAIN_SECONDS = 15


def environment(**extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_VAR_DIR": str(VAR_DIR),
        "DJANGO_STATIC_ROOT": str(SCRATCH / "static"),
        "DJANGO_TASKS": "database",  # receipts wait in the queue, as in production
        "MAIL_FILE_PATH": str(SCRATCH / "mail"),
        "IDEABANK_SUBMIT_RATE": "100000000/h",
        "IDEABANK_ATTEMPT_RATE": "100000000/h",
        "IDEABANK_MIN_FILL_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "PAGE_CACHE_SECONDS": "0",
        **extra,
    }


# Seeding ----------------------------------------------------------------------------------


def seed_stories(count: int, rng: random.Random) -> None:
    """Top the bench stories up to `count`, written with the demo stories' blocks."""
    from django.utils import timezone

    from bench.blt import PREFIX
    from blt.models import Floke
    from config import demo_stories
    from config.demo import DemoClock
    from config.site_tree import ensure_site_tree
    from ideabank.models import ServiceArea
    from stories.models import StoryPage

    have = StoryPage.objects.filter(slug__startswith=STORY_PREFIX).count()
    if have >= count:
        print(f"already seeded: {have} bench stories")
        return
    started = time.perf_counter()
    tree = ensure_site_tree(hostname="127.0.0.1")
    writer = bench_admin()
    images = demo_stories.ensure_images(SimpleNamespace(images_created=0), by=writer)
    flokes = list(
        Floke.objects.filter(title__startswith=PREFIX).values_list("title", flat=True)[:500]
    )
    areas = list(ServiceArea.objects.values_list("slug", flat=True))
    clock = DemoClock(timezone.now())
    for number in range(have, count):
        model = demo_stories.STORIES[number % len(demo_stories.STORIES)]
        story = demo_stories.DemoStory(
            slug=f"{STORY_PREFIX}{number:04d}",
            title=f"{model.title} ({number})",
            lead=model.lead,
            # Most stories follow a floke; some stand alone.
            floke=rng.choice(flokes) if flokes and rng.random() < 0.8 else "",
            related=rng.choice(flokes) if flokes else "",
            days_ago=rng.uniform(1, 700),
            hero=model.hero,
            hero_caption=model.hero_caption,
            areas=tuple(rng.sample(areas, min(2, len(areas)))),
            tags=model.tags,
            body=model.body,
        )
        demo_stories.publish_story(
            story, tree=tree, images=images, writer=writer, by=writer, clock=clock
        )
    print(f"seeded {count - have} stories in {time.perf_counter() - started:.1f} s")


def index_missing() -> None:
    """Add to the search index what it lacks: bulk-created ideas skip it, and the index
    tasks of saved pages wait in the database queue for a worker the bench does not run."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.search.backends import get_search_backend
    from wagtail.search.index import get_indexed_models
    from wagtail.search.models import IndexEntry

    backend = get_search_backend()
    models = get_indexed_models()
    for model in models:
        # A page is indexed as its specific type; the base types would always look missing.
        if any(other is not model and issubclass(other, model) for other in models):
            continue
        indexed = set(
            IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
            .values_list("object_id", flat=True)
            .iterator()
        )
        missing = [obj for obj in model.get_indexed_objects() if str(obj.pk) not in indexed]
        if not missing:
            continue
        started = time.perf_counter()
        for start in range(0, len(missing), 1000):
            backend.add_bulk(model, missing[start : start + 1000])
        print(
            f"indexed {len(missing)} {model._meta.verbose_name_plural} "
            f"in {time.perf_counter() - started:.1f} s"
        )


def bench_admin():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin",
        defaults={"is_superuser": True, "is_staff": True, "email": "bench-admin@kommune.example"},
    )
    if not (user.is_superuser and user.is_staff and user.is_active):
        user.is_superuser = user.is_staff = user.is_active = True
        user.save()
    return user


def make_renditions() -> None:
    """What the task queued on publishing does (stories.tasks), for the seeded stories:
    the queue has no worker here, and visits must find the renditions made."""
    from stories import tasks
    from stories.models import StoryPage

    made = sum(
        tasks.make_renditions.call(pk)
        for pk in StoryPage.objects.live().values_list("pk", flat=True)
    )
    print(f"{made} renditions of the live stories in place")


def vacuum() -> None:
    """On PostgreSQL, what autovacuum does in time: statistics and the visibility map,
    without which the listings' counts read every row instead of the index alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def prepare(n_ideas: int, n_flokes: int, n_stories: int) -> None:
    os.environ.update(environment())
    import django

    django.setup()
    from django.core.management import call_command

    from bench import blt
    from config.site_tree import ensure_site_tree
    from ops.services import database_analyze

    blt.ensure_database()
    call_command("migrate", interactive=False, verbosity=0)
    ensure_site_tree(hostname="127.0.0.1")
    rng = random.Random(20261123)
    blt.seed(n_ideas, n_flokes, rng)
    forget_submissions()
    seed_stories(n_stories, rng)
    make_renditions()
    index_missing()
    database_analyze()
    vacuum()


def forget_submissions() -> None:
    """Delete the ideas earlier runs sent, so every run loads the same dataset."""
    from ideabank.models import Idea

    deleted, _ = Idea.objects.filter(title=SUBMIT_TITLE).delete()
    if deleted:
        print(f"deleted {deleted} rows of ideas sent by earlier runs")


# Targets ----------------------------------------------------------------------------------


def targets(session_key: str) -> list[dict]:
    """What is loaded: name, path, whether the page cache applies, and how it is sent."""
    from django.urls import reverse

    from bench.blt import PREFIX
    from ideabank import selectors
    from ideabank.choices import Status
    from stories.models import StoryPage

    # An accepted idea shows the most: its floke and where that floke has come.
    idea = selectors.public_ideas(status=Status.ACCEPTED).filter(reference__startswith=PREFIX)[0]
    story = StoryPage.objects.live().filter(slug__startswith=STORY_PREFIX).order_by("pk").first()
    deep_page = max(1, min(50, selectors.public_ideas(status=Status.ACCEPTED).count() // 20))
    admin = {"cookie": f"sessionid={session_key}"}
    return [
        {"name": "bare view", "path": "/bench-bare/", "public": True},
        {"name": "home", "path": "/", "public": True},
        {"name": "idea list", "path": "/idebank/", "public": True},
        {
            "name": "idea list, deep + filter",
            "path": f"/idebank/?status={Status.ACCEPTED}&side={deep_page}",
            "public": True,
        },
        {"name": "idea page", "path": f"/idebank/{idea.pk}/", "public": True},
        {"name": "story index", "path": "/historier/", "public": True},
        {"name": "story page", "path": story.url, "public": True},
        {"name": "search", "path": "/sok/?q=foreldre", "public": True},
        {"name": "submit idea (POST)", "path": "/idebank/send-inn/", "public": False, "post": True},
        {"name": "BLT board", "path": reverse("blt_board:index"), "public": False, **admin},
        {"name": "floke listing", "path": reverse("flokes:index"), "public": False, **admin},
    ]


def submission_body(html: str) -> str:
    """The form as a person fills it in, its submission key left as {key} for wrk."""
    fields = dict(HIDDEN.findall(html))
    fields["submission_key"] = "KEY"
    body = urlencode(
        {
            **fields,
            "title": SUBMIT_TITLE,
            "body": "Det er mørkt på gangveien om morgenen, og barna går der alene.",
            "email": "innbygger@example.org",
            "may_contact": "on",
            "website": "",
        }
    )
    return body.replace("KEY", "{key}")


def prepare_post(base: str, target: dict) -> None:
    """Fetch the form once: its CSRF cookie and token serve every request wrk sends."""
    import requests

    form = requests.get(base + target["path"], timeout=30)
    target["cookie"] = f"csrftoken={form.cookies['csrftoken']}"
    target["body"] = submission_body(form.text)
    check = requests.post(
        base + target["path"],
        data=target["body"].replace("{key}", str(uuid.uuid4())),
        headers={"Cookie": target["cookie"], "Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False,
        timeout=30,
    )
    if check.status_code != 302 or "/kvittering/" not in check.headers.get("Location", ""):
        raise TargetFailed(f"the submission was not taken: {check.status_code}")


class TargetFailed(Exception):
    """A page did not answer as it must to be measured; the others still are."""


# Measuring --------------------------------------------------------------------------------


def count_queries(target: dict, *, cached: bool) -> int:
    """SQL queries of one request, in-process with the test client, after a warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    if target.get("cookie", "").startswith("sessionid="):
        client.force_login(bench_admin())
    with override_settings(PAGE_CACHE_SECONDS=300 if cached else 0):
        if target.get("post"):
            form = client.get(target["path"]).content.decode()
            data = {**dict(HIDDEN.findall(form)), "title": SUBMIT_TITLE, "body": "Mørkt."}
            data.update(email="innbygger@example.org", may_contact="on", website="")
            client.post(target["path"], {**data, "submission_key": str(uuid.uuid4())})
            data["submission_key"] = str(uuid.uuid4())
            with CaptureQueriesContext(connection) as queries:
                response = client.post(target["path"], data)
        else:
            for _ in range(3):
                client.get(target["path"])
            with CaptureQueriesContext(connection) as queries:
                response = client.get(target["path"])
    if response.status_code not in (200, 302):
        print(f"  in-process {target['path']} answered {response.status_code}")
    return len(queries)


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def reset_peak(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM


def peak_rss_mb(pids: list[int]) -> float | None:
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks), 1) if peaks else None


def warm(base: str, target: dict, cached: bool) -> None:
    """A few requests, so both workers have compiled templates and renditions (and, with
    the page cache on, stored the page): up to WARMUP_REQUESTS, or WARMUP_SECONDS."""
    import requests

    headers = {"Cookie": target["cookie"]} if target.get("cookie") else {}
    deadline = time.monotonic() + WARMUP_SECONDS
    for number in range(WARMUP_REQUESTS):
        response = requests.get(base + target["path"], headers=headers, timeout=60)
        if response.status_code != 200:
            raise TargetFailed(f"{target['path']} answered {response.status_code}")
        if number >= 3 and time.monotonic() > deadline:
            break
    if cached and response.headers.get("X-Cache") != "hit":
        print(f"  note: {target['path']} is not served from the page cache")


def run_load(base: str, target: dict, connections: int, seconds: float) -> dict:
    if Path(WRK).exists():
        return run_wrk(base, target, connections, seconds)
    return run_threads(base, target, connections, seconds)


def run_threads(base: str, target: dict, connections: int, seconds: float) -> dict:
    """The fallback without wrk: one keep-alive connection per thread, in this process.

    Python threads share one core, so the client, not the server, bounds fast targets
    (the bare view, cached pages); their ratios come out too low. Install wrk.
    """
    import http.client
    import threading
    from urllib.parse import urlsplit

    address = urlsplit(base)
    headers = {"Cookie": target["cookie"]} if target.get("cookie") else {}
    if target.get("post"):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            body = (
                target["body"].replace("{key}", str(uuid.uuid4())) if target.get("post") else None
            )
            started = time.perf_counter()
            try:
                connection.request(
                    "POST" if body else "GET", target["path"], body=body, headers=headers
                )
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 2)

    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.5) if latencies else 0,
        "p99_ms": percentile(0.99) if latencies else 0,
        "requests": len(latencies),
        "errors": errors[0],
    }


def run_wrk(base: str, target: dict, connections: int, seconds: float) -> dict:
    env = {**os.environ, "BENCH_COOKIE": target.get("cookie", ""), "BENCH_BODY": ""}
    if target.get("post"):
        env["BENCH_BODY"] = target["body"]
    command = [
        WRK,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",  # wrk reads "4s", not "4.0s"
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        base + target["path"],
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    output = done.stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "requests": figures["requests"],
        "errors": errors,
    }


class Server:
    """One gunicorn for one mode, restarted when a slow target leaves it swamped."""

    def __init__(self, mode: str):
        self.mode = mode
        self.env = environment(PAGE_CACHE_SECONDS="300" if mode == "cached" else "0")
        self.starts = 0
        self.start()

    def start(self) -> None:
        self.starts += 1
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log = SCRATCH / f"gunicorn-{self.mode}-{self.starts}.log"
        # Workers are not recycled during the run: a restart would land inside a measurement.
        self.process = start_gunicorn(
            self.port, self.env, log, "--max-requests", "0", own_group=True
        )
        self.pids = worker_pids(self.process)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(60)
        finally:
            kill_group(self.process)

    def settle(self) -> None:
        """Wait for the queue wrk left behind to drain; restart when it does not."""
        import requests

        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    # A worker gunicorn killed for its timeout came back under a new pid.
                    self.pids = worker_pids(self.process)
                    return
            except requests.RequestException:
                time.sleep(0.2)
        print(f"  ({self.mode} server still busy {DRAIN_SECONDS} s after the load: restarted)")
        kill_group(self.process)
        self.start()


def submitted_rows() -> int:
    from django.db import connection

    from ideabank.models import Idea

    count = Idea.objects.filter(title=SUBMIT_TITLE).count()
    connection.close()  # The servers write to the same SQLite file.
    return count


def load(mode: str, targets_: list[dict], args) -> dict:
    """Start one server, load each target at each connection count, stop it."""
    import requests

    cached = mode == "cached"
    server = Server(mode)
    rows = {}
    bare = next((t for t in targets_ if t["name"] == "bare view"), None)
    # A short bare-view load just before each round of a target: this machine's speed
    # drifts by a third over minutes, and a ratio is only fair to a bare view measured
    # under the same conditions.
    paired_seconds = max(2, round(args.duration / 3))
    try:
        for target in targets_:
            if cached and not target["public"]:
                continue
            try:
                if target.get("post"):
                    prepare_post(server.base, target)
                else:
                    warm(server.base, target, cached and target["name"] != "bare view")
            except (requests.RequestException, TargetFailed) as error:
                print(f"  {mode:<8} {target['name']:<26} skipped: {error}", flush=True)
                server.settle()
                continue
            queries = count_queries(target, cached=cached)
            for connections in args.connections:
                rounds, peaks, bares = [], [], []
                before = submitted_rows() if target.get("post") else 0
                for _ in range(args.rounds):
                    if bare is not None and target is not bare:
                        bares.append(run_load(server.base, bare, connections, paired_seconds))
                        server.settle()
                    reset_peak(server.pids)
                    rounds.append(run_load(server.base, target, connections, args.duration))
                    peaks.append(peak_rss_mb(server.pids))
                    server.settle()
                best = max(rounds, key=lambda r: r["rps"])
                if target.get("post"):
                    # Each accepted POST is one idea; requests still in flight when the
                    # load stopped may add up to one more row per connection.
                    best["accepted"] = sum(r["requests"] - r["errors"] for r in rounds)
                    best["rows_added"] = submitted_rows() - before
                    print(
                        f"  {mode:<8} {target['name']:<26} c{connections:<3} "
                        f"{best['accepted']} accepted, {best['rows_added']} ideas stored",
                        flush=True,
                    )
                row = {
                    **best,
                    "queries": queries,
                    "rss_mb": max((p for p in peaks if p is not None), default=None),
                    "rounds_rps": [r["rps"] for r in rounds],
                    "bare_rps": max(r["rps"] for r in bares) if bares else best["rps"],
                    "errors": sum(r["errors"] for r in rounds),
                    "path": target["path"],
                    "mode": mode,
                    "connections": connections,
                    "target_name": target["name"],
                }
                rows[f"{target['name']} [{mode}] c{connections}"] = row
                errors = f"  ({row['errors']} errors)" if row["errors"] else ""
                print(
                    f"  {mode:<8} {target['name']:<26} c{connections:<3} "
                    f"{row['rps']:>8.1f} req/s{errors}",
                    flush=True,
                )
    finally:
        server.stop()
    # The target's req/s as a share of the bare view's just before it, same server, same
    # load (1.0 = as fast).
    for row in rows.values():
        row["ratio_to_bare"] = round(row["rps"] / row["bare_rps"], 3) if row["bare_rps"] else None
    return rows


def print_table(rows: dict) -> None:
    header = (
        f"{'target':<26} {'mode':<8} {'conn':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'queries':>7} {'bare/s':>7} {'÷ bare':>6} {'RSS MB':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows.values():
        ratio = f"{row['ratio_to_bare']:.3f}" if row["ratio_to_bare"] is not None else "-"
        print(
            f"{row['target_name']:<26} {row['mode']:<8} {row['connections']:>4} "
            f"{row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['queries']:>7} {row['bare_rps']:>7.0f} {ratio:>6} {row['rss_mb'] or 0:>7.1f} "
            f"{row['errors']:>6}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="500 ideas, 50 flokes, 20 stories; 2 s once at 10"
    )
    parser.add_argument("--duration", type=float, help="seconds per wrk run (10; quick 2)")
    parser.add_argument("--connections", help="comma-separated (10,50; quick 10)")
    parser.add_argument("--rounds", type=int, help="wrk runs per load, best kept (2; quick 1)")
    parser.add_argument(
        "--only", help="comma-separated words; loads just the targets whose name has one"
    )
    args = parser.parse_args()
    sizes = (500, 50, 20) if args.quick else (10_000, 1_000, 300)
    args.duration = args.duration or (2 if args.quick else 10)
    args.connections = [
        int(c) for c in (args.connections or ("10" if args.quick else "10,50")).split(",")
    ]
    args.rounds = args.rounds or (1 if args.quick else 2)

    # Before Django starts here: pages rendered while seeding read the static manifest.
    subprocess.run(
        [str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment(),
        check=True,
    )
    prepare(*sizes)
    from django.db import close_old_connections, connection
    from django.utils import timezone

    from blt.models import Floke
    from ideabank.models import Idea
    from stories.models import StoryPage

    session_key = signed_in_session(bench_admin())
    targets_ = targets(session_key)
    if args.only:
        words = [word.strip() for word in args.only.split(",") if word.strip()]
        # The bare view stays: every ratio is to it.
        targets_ = [
            t for t in targets_ if t["name"] == "bare view" or any(w in t["name"] for w in words)
        ]
    counts = {
        "ideas": Idea.objects.count(),
        "flokes": Floke.objects.count(),
        "stories": StoryPage.objects.live().count(),
    }
    # The servers write to the same SQLite file; let go of it in between.
    close_old_connections()
    connection.close()
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: {counts}; "
        f"{'wrk' if Path(WRK).exists() else 'Python threads (no wrk: see bench/README.md)'} "
        f"{args.duration:g} s x {args.rounds} at {args.connections} connections; "
        f"2 sync workers"
    )
    rows = {}
    try:
        for mode in ("uncached", "cached"):
            rows.update(load(mode, targets_, args))
            connection.close()
    finally:
        # The server logs stay for a look; the collected static files go.
        shutil.rmtree(SCRATCH / "static", ignore_errors=True)

    print()
    print_table(rows)
    report = {
        name: {
            key: row[key]
            for key in ("rps", "p50_ms", "p99_ms", "queries", "ratio_to_bare", "bare_rps", "rss_mb")
        }
        | {k: row[k] for k in ("path", "mode", "connections", "errors", "rounds_rps")}
        | {k: row[k] for k in ("accepted", "rows_added") if k in row}
        for name, row in rows.items()
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\nwrote {RESULTS.relative_to(ROOT)} ({timezone.now():%Y-%m-%d %H:%M}); "
        f"server logs in {SCRATCH}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
