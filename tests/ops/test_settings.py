"""Production is configuration only: the same settings module, other environment variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_under(**env) -> dict:
    code = (
        "import json; from config import settings as s; "
        "print(json.dumps({'caches': s.CACHES, 'storages': s.STORAGES, 'tasks': s.TASKS,"
        " 'limits': s.RATELIMIT_USE_CACHE}, default=str))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "MEDIA_S3_", "DJANGO_TASKS"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_developer_machine_needs_no_services():
    found = settings_under()
    assert found["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["tasks"]["default"]["BACKEND"].endswith("ImmediateBackend")
    assert found["storages"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_redis_holds_the_cache_and_the_rate_limit_counters_apart():
    found = settings_under(REDIS_URL="redis://redis.internal:6379/0")
    default, limits = found["caches"]["default"], found["caches"][found["limits"]]
    assert default["BACKEND"] == limits["BACKEND"] == "ops.cache.ResilientRedisCache"
    assert default["LOCATION"] == limits["LOCATION"] == "redis://redis.internal:6379/0"
    assert default["KEY_PREFIX"] != limits["KEY_PREFIX"]


def test_the_database_queue_is_one_variable_away():
    found = settings_under(DJANGO_TASKS="database")
    assert found["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize("custom_domain", ["", "media.kommune.no"])
def test_public_media_go_to_the_bucket_and_idea_photos_never_do(custom_domain):
    found = settings_under(
        MEDIA_S3_BUCKET="idebank-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.kommune.no",
        MEDIA_S3_CUSTOM_DOMAIN=custom_domain,
    )
    media = found["storages"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "idebank-media"
    assert media["OPTIONS"]["endpoint_url"] == "https://s3.kommune.no"
    assert media["OPTIONS"]["custom_domain"] == (custom_domain or None)
    assert found["storages"]["private"]["BACKEND"] == "ideabank.storage.PrivateStorage"
