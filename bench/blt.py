"""Benchmark of the BLT board, the admin home with the flow dashboard and the floke listing.

Seeds a database with ideas and flokes (idempotently), then times each page in-process
with Django's test client next to a bare Django view measured in the same run. Prints
figures; asserts nothing. See bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/idebank_bench \\
        .venv/bin/python bench/blt.py [--quick]
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/, where this file would shadow the `blt` app.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

RESULTS = ROOT / "bench" / "results" / "blt-latest.json"
PREFIX = "BENCH-"
BATCH = 1000
WARMUP = 3

# Filled in by `setup_urls` once Django is set up; this module is the ROOT_URLCONF.
urlpatterns = []


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def setup_urls():
    from django.urls import include, path

    urlpatterns[:] = [
        path("bench-bare/", bare, name="bench_bare"),
        path("", include("config.urls")),
    ]


def ensure_database():
    """Create the PostgreSQL database named in DATABASE_URL if it is missing."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        return
    import psycopg

    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


# Seeding ----------------------------------------------------------------------------------


def bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


def seed(n_ideas, n_flokes, rng):
    """Top the bench data up to `n_ideas` ideas and `n_flokes` flokes; never twice."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from django_fsm_log.models import StateLog

    from blt.choices import BenefitTerm, ExperimentStatus, InsightKind, Phase
    from blt.models import Benefit, Experiment, Floke, FlokeStep, Insight, KeyFigure
    from ideabank.choices import Source, Status
    from ideabank.models import Idea, ServiceArea

    have_flokes = Floke.objects.filter(title__startswith=PREFIX).count()
    have_ideas = Idea.objects.filter(reference__startswith=PREFIX).count()
    if have_flokes >= n_flokes and have_ideas >= n_ideas:
        print(f"already seeded: {have_ideas} bench ideas, {have_flokes} bench flokes")
        return
    started = time.perf_counter()
    now = timezone.now()
    User = get_user_model()

    with transaction.atomic():
        owners = list(User.objects.filter(username__startswith="bench-owner-"))
        if not owners:
            bulk(
                User,
                [
                    User(
                        username=f"bench-owner-{i}",
                        first_name="Bench",
                        last_name=f"Eier {i}",
                        email=f"bench-owner-{i}@kommune.example",
                        is_staff=True,
                        password="!",
                    )
                    for i in range(25)
                ],
            )
            owners = list(User.objects.filter(username__startswith="bench-owner-"))
        areas = list(ServiceArea.objects.all())
        if len(areas) < 4:
            bulk(
                ServiceArea,
                [
                    ServiceArea(name=f"Bench område {i}", slug=f"bench-omrade-{i}", sort_order=i)
                    for i in range(8)
                ],
            )
            areas = list(ServiceArea.objects.all())

        floke_ct = ContentType.objects.get_for_model(Floke)
        idea_ct = ContentType.objects.get_for_model(Idea)

        # Flokes, with a path through the machine ending in their phase.
        paths = {
            Phase.BEHOV: [],
            Phase.LOSNING: [Phase.LOSNING],
            Phase.TESTING: [Phase.LOSNING, Phase.TESTING],
            Phase.IMPLEMENTED: [Phase.LOSNING, Phase.TESTING, Phase.IMPLEMENTED],
        }
        phase_weights = [
            (Phase.BEHOV, 30),
            (Phase.LOSNING, 25),
            (Phase.TESTING, 20),
            (Phase.IMPLEMENTED, 15),
            (Phase.STOPPED, 10),
        ]
        flokes, plans = [], []
        for i in range(have_flokes, n_flokes):
            phase = rng.choices([p for p, _ in phase_weights], [w for _, w in phase_weights])[0]
            if phase == Phase.STOPPED:
                stopped_from = rng.choice([Phase.BEHOV, Phase.LOSNING, Phase.TESTING])
                steps = [*paths[stopped_from], Phase.STOPPED]
            else:
                steps = paths[phase]
            created = now - timedelta(days=rng.uniform(5, 730), minutes=rng.randint(0, 1440))
            # Transition times spread between opening and now, the last the phase change.
            times = sorted(
                created + (now - created) * rng.uniform(0.05, 0.98) for _ in range(len(steps))
            )
            changed = times[-1] if times else created
            beyond_behov = len(steps) > 0
            flokes.append(
                Floke(
                    title=f"{PREFIX}{i:05d} Familier som faller mellom tjenestene",
                    need_statement=(
                        "Hvordan kan vi gjøre det enklere for familier med mange tjenester?"
                        if beyond_behov or rng.random() < 0.5
                        else ""
                    ),
                    description="Familier med sammensatte behov møter mange tjenester.",
                    owner=rng.choice(owners) if rng.random() < 0.9 else None,
                    public_summary="Vi ser på hvordan tjenestene kan henge bedre sammen.",
                    solution_what="En fast kontaktperson" if Phase.LOSNING in steps else "",
                    solution_for_whom="Familier med sammensatte behov"
                    if Phase.TESTING in steps
                    else "",
                    solution_difference="Én dør inn" if Phase.TESTING in steps else "",
                    decision_note="Tas i bruk i alle bydeler" if Phase.IMPLEMENTED in steps else "",
                    stop_reason="Ikke nok effekt" if phase == Phase.STOPPED else "",
                    learnings="Vi lærte mye om behovet." if phase == Phase.STOPPED else "",
                    phase=phase,
                    phase_changed_at=changed,
                    created_at=created,
                )
            )
            plans.append((steps, times, created))
        bulk(Floke, flokes)

        areas_through = Floke.service_areas.through
        bulk(
            areas_through,
            [
                areas_through(floke_id=f.pk, servicearea_id=a.pk)
                for f in flokes
                for a in rng.sample(areas, rng.randint(1, 2))
            ],
        )

        logs, public_steps = [], []
        insights, experiments, benefits, figures = [], [], [], []
        for floke, (steps, times, created) in zip(flokes, plans, strict=True):
            source = Phase.BEHOV
            for target, at in zip(steps, times, strict=True):
                name = {
                    Phase.LOSNING: "to_losning",
                    Phase.TESTING: "to_testing",
                    Phase.IMPLEMENTED: "implement",
                    Phase.STOPPED: "stop",
                }[target]
                logs.append(
                    StateLog(
                        timestamp=at,
                        by=floke.owner,
                        source_state=source,
                        state=target,
                        transition=name,
                        content_type=floke_ct,
                        object_id=floke.pk,
                        description="",
                    )
                )
                public_steps.append(
                    FlokeStep(
                        floke=floke,
                        at=at,
                        source=source,
                        target=target,
                        public_reason="Vi går videre." if rng.random() < 0.5 else "",
                        notified_at=at,
                    )
                )
                source = target
            beyond_behov = len(steps) > 0
            for _ in range(rng.randint(1 if beyond_behov else 0, 3)):
                insights.append(
                    Insight(
                        floke=floke,
                        created_at=created,
                        created_by=floke.owner,
                        kind=rng.choice(InsightKind.values),
                        summary="Foreldrene forteller om mange møter og lite sammenheng.",
                        people_count=rng.randint(1, 40),
                        date=created.date(),
                    )
                )
            if Phase.LOSNING in steps:
                reached_testing = Phase.TESTING in steps
                for k in range(rng.randint(1, 3)):
                    finished = reached_testing and (
                        (k == 0 and Phase.IMPLEMENTED in steps) or rng.random() < 0.4
                    )
                    status = (
                        ExperimentStatus.FINISHED
                        if finished
                        else rng.choice([ExperimentStatus.PLANNED, ExperimentStatus.RUNNING])
                        if reached_testing
                        else ExperimentStatus.PLANNED
                    )
                    start = created.date() + timedelta(days=rng.randint(0, 30))
                    experiments.append(
                        Experiment(
                            floke=floke,
                            created_at=created,
                            created_by=floke.owner,
                            title=f"Ukentlig innsjekk {k + 1}",
                            hypothesis="En fast kontaktperson gir færre brudd.",
                            start=start,
                            end=start + timedelta(days=rng.randint(7, 90)),
                            method="Ukentlig innsjekk og utsjekk",
                            participants="Åtte familier og fire tjenester",
                            status=status,
                            result="35 familier ble henvist gjennom 7 tjenester."
                            if finished
                            else "",
                            learnings="Faste møtepunkter gir trygghet." if finished else "",
                        )
                    )
            for _ in range(rng.randint(1, 2)):
                realised = Phase.IMPLEMENTED in steps and rng.random() < 0.6
                benefits.append(
                    Benefit(
                        floke=floke,
                        created_at=created,
                        created_by=floke.owner,
                        term=rng.choice(BenefitTerm.values),
                        planned="Færre familier faller mellom tjenestene.",
                        indicator="Antall henvisninger",
                        realised_value="35 familier" if realised else "",
                        realised_on=now.date() if realised else None,
                    )
                )
            for _ in range(rng.randint(0, 2)):
                figures.append(
                    KeyFigure(
                        floke=floke,
                        created_at=created,
                        created_by=floke.owner,
                        value=rng.randint(1, 500),
                        unit="familier",
                        label="henvist gjennom 7 tjenester",
                        source="Fagsystemet",
                    )
                )
        for model, objs in (
            (StateLog, logs),
            (FlokeStep, public_steps),
            (Insight, insights),
            (Experiment, experiments),
            (Benefit, benefits),
            (KeyFigure, figures),
        ):
            bulk(model, objs)

        # Ideas, some taken forward into the bench flokes.
        floke_pks = list(
            Floke.objects.filter(title__startswith=PREFIX).values_list("pk", flat=True)
        )
        status_weights = [
            (Status.RECEIVED, 30),
            (Status.IN_REVIEW, 15),
            (Status.ACCEPTED, 25),
            (Status.DECLINED, 20),
            (Status.MERGED, 5),
            (Status.WITHDRAWN, 5),
        ]
        ideas = []
        for i in range(have_ideas, n_ideas):
            status = rng.choices([s for s, _ in status_weights], [w for _, w in status_weights])[0]
            created = now - timedelta(days=rng.uniform(0, 730), minutes=rng.randint(0, 1440))
            closed = status in (Status.DECLINED, Status.MERGED, Status.WITHDRAWN)
            ideas.append(
                Idea(
                    reference=f"{PREFIX}{i:06d}",
                    title=f"Bedre skilting ved skolen {i}",
                    body="Det er vanskelig å finne fram til inngangen for foreldre.",
                    source=rng.choice(Source.values),
                    name="Ola Innsender",
                    email="ola@example.org",
                    may_contact=rng.random() < 0.7,
                    may_publish=rng.random() < 0.6,
                    status=status,
                    floke_id=rng.choice(floke_pks) if status == Status.ACCEPTED else None,
                    is_published=status != Status.RECEIVED and rng.random() < 0.4,
                    published_at=created + timedelta(days=3),
                    created_at=created,
                    closed_at=created + timedelta(days=10) if closed else None,
                )
            )
        bulk(Idea, ideas)
        idea_areas = Idea.service_areas.through
        bulk(
            idea_areas,
            [idea_areas(idea_id=idea.pk, servicearea_id=rng.choice(areas).pk) for idea in ideas],
        )
        idea_logs = []
        for idea in ideas:
            if idea.status == Status.RECEIVED:
                continue
            reviewed = idea.created_at + timedelta(days=rng.uniform(0.5, 5))
            idea_logs.append(
                StateLog(
                    timestamp=reviewed,
                    source_state=Status.RECEIVED,
                    state=Status.IN_REVIEW,
                    transition="start_review",
                    content_type=idea_ct,
                    object_id=idea.pk,
                )
            )
            if idea.status in (Status.ACCEPTED, Status.DECLINED):
                idea_logs.append(
                    StateLog(
                        timestamp=reviewed + timedelta(days=rng.uniform(1, 20)),
                        source_state=Status.IN_REVIEW,
                        state=idea.status,
                        transition="accept" if idea.status == Status.ACCEPTED else "decline",
                        content_type=idea_ct,
                        object_id=idea.pk,
                    )
                )
        bulk(StateLog, idea_logs)

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded {len(ideas)} ideas, {len(flokes)} flokes, {len(logs) + len(idea_logs)} log rows, "
        f"{len(insights)} insights, {len(experiments)} experiments, {len(benefits)} benefits, "
        f"{len(figures)} key figures in {time.perf_counter() - started:.1f} s"
    )


# Measuring --------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url, repeats, expect):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    # A page that renders without what it is measured for would make the figures meaningless.
    if expect.encode() not in response.content:
        raise SystemExit(f"{url} did not show {expect!r}")
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    # Queries counted on a request of their own, so capturing them costs the timings nothing.
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "queries": len(queries),
        "repeats": repeats,
    }


def run(repeats):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, reverse

    from blt.models import Floke
    from ideabank.models import Idea

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="bench-admin",
        defaults={"is_superuser": True, "is_staff": True, "email": "bench-admin@kommune.example"},
    )
    if not (admin.is_superuser and admin.is_staff and admin.is_active):
        admin.is_superuser = admin.is_staff = admin.is_active = True
        admin.save()

    from django.conf import settings

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=hosts):
        clear_url_caches()
        client = Client()
        client.force_login(admin)
        targets = [
            ("bare view", reverse("bench_bare"), "ok"),
            ("board", reverse("blt_board:index"), PREFIX),
            ("admin home + dashboard", reverse("wagtailadmin_home"), "blt-dashboard-heading"),
            ("floke listing", reverse("flokes:index"), PREFIX),
        ]
        rows = []
        for name, url, expect in targets:
            row = {"target": name, **measure(client, url, repeats, expect)}
            rows.append(row)
            print(f"  measured {name:<24} {row['median_ms']:>9.1f} ms", flush=True)
    clear_url_caches()

    baseline = rows[0]["median_ms"] or 1e-9
    for row in rows:
        row["ratio_to_bare"] = round(row["median_ms"] / baseline, 1)
    return {
        "database": connection.vendor,
        "database_name": connection.settings_dict["NAME"],
        "ideas": Idea.objects.count(),
        "flokes": Floke.objects.count(),
        "repeats": repeats,
        "warmup": WARMUP,
        "python": platform.python_version(),
        "results": rows,
    }


def print_table(report):
    print()
    print(
        f"{report['database']} {report['database_name']}: {report['ideas']} ideas, "
        f"{report['flokes']} flokes; {report['repeats']} requests each after {report['warmup']} "
        "warm-up"
    )
    header = f"{'target':<24} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'x bare':>8}"
    print(header)
    print("-" * len(header))
    for row in report["results"]:
        print(
            f"{row['target']:<24} {row['median_ms']:>10.1f} {row['p95_ms']:>10.1f} "
            f"{row['queries']:>8} {row['ratio_to_bare']:>8.1f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2,000 ideas, 200 flokes, 5 requests per page"
    )
    args = parser.parse_args()
    n_ideas, n_flokes, repeats = (2_000, 200, 5) if args.quick else (20_000, 2_000, 30)

    # Pages read the static manifest: collect into a scratch folder, as bench/site.py does.
    static = tempfile.TemporaryDirectory(prefix="idebank-blt-static-")
    os.environ.setdefault("DJANGO_STATIC_ROOT", static.name)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_database()
    call_command("migrate", interactive=False, verbosity=0)
    setup_urls()
    seed(n_ideas, n_flokes, random.Random(20261123))
    report = run(repeats)
    report["quick"] = args.quick
    report["measured_at"] = timezone.now().isoformat(timespec="seconds")
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
